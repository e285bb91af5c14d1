import { readFileSync } from 'node:fs';
import { parseImpairmentWords } from '@kame/link';
import type { InterfaceConfig, KernelConfig, LinkConfig, NodeConfig, RouteConfig } from './config';
import { ConfigError, FieldError } from './config-error';
import {
  parseGateway,
  parseHubName,
  parseIfName,
  parseInterfaceAddress,
  parseMac,
  parseMtu,
  parseNodeName,
  parseRouteDestination,
  parseSysctl,
  parseUdpEndpoint,
  parseVni,
  checkVxlanFamilies,
  vxlanKey,
} from './fields';

/*
 * The kame-kernel node file: line oriented, one statement per line, '#' to
 * the end of a line is a comment, indentation is for the reader only.
 *
 *   node NAME                                  starts a node (1 or more per file)
 *     sysctl NAME=VALUE                        boot-time sysctl (sysctl.conf)
 *     interface IFNAME                         starts an Ethernet interface of the node
 *       mac XX:XX:XX:XX:XX:XX                  default: 02 + SHA-256(node/ifname)[0..4]
 *       mtu N                                  1280..65535, default 1500
 *       address ADDRESS/PREFIXLEN              repeatable
 *       link vxlan VNI bind ADDR:PORT remote ADDR:PORT [remote ADDR:PORT ...]
 *       link hub NAME                          in-process segment shared by name
 *       up | down                              default up
 *     route DEST GATEWAY                       DEST: PREFIX/LEN or default; GATEWAY: 2001:db8::1 or fe80::1%em0
 *     route DEST -interface IFNAME             a connected (link) route
 *
 * Interface statements (mac, mtu, address, link, up, down) apply to the last
 * `interface` line; node statements may come anywhere inside their node.
 * Errors name FILE:LINE: KEY: and what was expected (kame-kernel exits 2).
 * YAML lab files come later (apps/kame's lab); this is the kernel's own format.
 */

const INTERFACE_KEYS = new Set(['mac', 'mtu', 'address', 'link', 'impair', 'up', 'down']);
const NODE_KEYS = new Set(['sysctl', 'interface', 'route']);

interface Pending {
  node: NodeConfig;
  line: number;
  ifLines: Map<string, number>;
  routeLines: { route: RouteConfig; line: number }[];
  current: PendingInterface | undefined;
  interfaces: PendingInterface[];
}

interface PendingInterface {
  ifc: Omit<InterfaceConfig, 'link'>;
  line: number;
  link?: LinkConfig;
}

/** Reads and parses a node file; a missing file is a ConfigError at line 0. */
export function readNodeFile(path: string): KernelConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code ?? 'EIO';
    throw new ConfigError(path, 0, 'file', `cannot read (${code})`);
  }
  return parseNodeFile(text, path);
}

/** Parses node-file text; `file` is used in error messages. */
export function parseNodeFile(text: string, file = '<node-file>'): KernelConfig {
  const nodes: NodeConfig[] = [];
  const nodeLines = new Map<string, number>();
  const vxlanLines = new Map<string, number>();
  let pending: Pending | undefined;
  const lines = text.split(/\r?\n/);

  const finishNode = () => {
    if (!pending) return;
    for (const i of pending.interfaces) {
      if (!i.link)
        throw new ConfigError(
          file,
          i.line,
          'link',
          `interface ${i.ifc.name} has no link; expected 'link vxlan VNI bind ADDR:PORT remote ADDR:PORT' or 'link hub NAME'`,
        );
      pending.node.interfaces.push({ ...i.ifc, link: i.link });
    }
    for (const { route, line } of pending.routeLines) {
      const ifname = route.gateway.ifname;
      if (ifname !== undefined && !pending.ifLines.has(ifname))
        throw new ConfigError(
          file,
          line,
          'route',
          `no interface ${ifname} on node ${pending.node.name}; expected one of: ${[...pending.ifLines.keys()].join(', ') || '(none)'}`,
        );
      pending.node.routes.push(route);
    }
    nodes.push(pending.node);
    pending = undefined;
  };

  for (let n = 0; n < lines.length; n++) {
    const lineNo = n + 1;
    const hash = lines[n]!.indexOf('#');
    const body = (hash < 0 ? lines[n]! : lines[n]!.slice(0, hash)).trim();
    if (body === '') continue;
    const words = body.split(/\s+/);
    const key = words[0]!;
    const args = words.slice(1);
    const fail = (reason: string, k = key): never => {
      throw new ConfigError(file, lineNo, k, reason);
    };
    try {
      if (key === 'node') {
        if (args.length !== 1) fail('expected: node NAME');
        const name = parseNodeName(key, args[0]!);
        const seen = nodeLines.get(name);
        if (seen !== undefined) fail(`node ${name} already defined at line ${seen}; expected a unique name`);
        finishNode();
        nodeLines.set(name, lineNo);
        pending = {
          node: { name, sysctl: {}, interfaces: [], routes: [] },
          line: lineNo,
          ifLines: new Map(),
          routeLines: [],
          current: undefined,
          interfaces: [],
        };
        continue;
      }
      if (!INTERFACE_KEYS.has(key) && !NODE_KEYS.has(key))
        fail(
          `unknown keyword; expected one of node, sysctl, interface, route, ${[...INTERFACE_KEYS].join(', ')}`,
        );
      if (!pending) fail(`'${key}' outside a node; expected 'node NAME' first`);
      const p = pending!;
      if (NODE_KEYS.has(key)) {
        nodeStatement(p, key, args, lineNo, fail);
        continue;
      }
      const cur = p.current;
      if (!cur) fail(`'${key}' outside an interface; expected 'interface IFNAME' first`);
      interfaceStatement(cur!, key, args, fail);
      if (key === 'link' && cur!.link?.kind === 'vxlan') {
        const k = vxlanKey(cur!.link);
        const seen = vxlanLines.get(k);
        if (seen !== undefined)
          fail(
            `VNI ${cur!.link.vni} on bind ${k.split(' ')[0]} already used at line ${seen}; expected one interface per VNI and socket`,
          );
        vxlanLines.set(k, lineNo);
      }
    } catch (e) {
      if (e instanceof FieldError) throw new ConfigError(file, lineNo, e.key, e.message);
      throw e;
    }
  }
  finishNode();
  if (nodes.length === 0) throw new ConfigError(file, lines.length, 'node', "no nodes; expected 'node NAME'");
  return { nodes };
}

function nodeStatement(
  p: Pending,
  key: string,
  args: string[],
  lineNo: number,
  fail: (reason: string) => never,
): void {
  switch (key) {
    case 'sysctl': {
      if (args.length !== 1) fail('expected: sysctl NAME=VALUE');
      const { name, value } = parseSysctl(key, args[0]!);
      p.node.sysctl[name] = value;
      return;
    }
    case 'interface': {
      if (args.length !== 1) fail('expected: interface IFNAME');
      const name = parseIfName(key, args[0]!);
      const seen = p.ifLines.get(name);
      if (seen !== undefined)
        fail(`interface ${name} already defined at line ${seen}; expected a unique name per node`);
      p.ifLines.set(name, lineNo);
      p.current = {
        ifc: { name, mac: undefined, mtu: undefined, addresses: [], up: true },
        line: lineNo,
      };
      p.interfaces.push(p.current);
      return;
    }
    case 'route': {
      if (args.length < 2) fail('expected: route DEST GATEWAY | route DEST -interface IFNAME');
      const dst = parseRouteDestination(key, args[0]!);
      let route: RouteConfig;
      if (args[1] === '-interface') {
        if (args.length !== 3) fail('expected: route DEST -interface IFNAME');
        route = { dst, gateway: { kind: 'link', ifname: parseIfName(key, args[2]!) } };
      } else {
        if (args.length !== 2) fail('expected: route DEST GATEWAY');
        const gw = parseGateway(key, args[1]!);
        route = { dst, gateway: { kind: 'inet6', address: gw.address, ifname: gw.ifname } };
      }
      p.routeLines.push({ route, line: lineNo });
      return;
    }
  }
}

function interfaceStatement(
  cur: PendingInterface,
  key: string,
  args: string[],
  fail: (reason: string) => never,
): void {
  const one = (usage: string): string => {
    if (args.length !== 1) fail(`expected: ${usage}`);
    return args[0]!;
  };
  switch (key) {
    case 'mac':
      cur.ifc.mac = parseMac(key, one('mac XX:XX:XX:XX:XX:XX'));
      return;
    case 'mtu':
      cur.ifc.mtu = parseMtu(key, one('mtu N'));
      return;
    case 'address':
      cur.ifc.addresses.push(parseInterfaceAddress(key, one('address ADDRESS/PREFIXLEN')));
      return;
    case 'up':
    case 'down':
      if (args.length !== 0) fail(`expected '${key}' alone`);
      cur.ifc.up = key === 'up';
      return;
    case 'impair':
      if (cur.ifc.impair) fail(`interface ${cur.ifc.name} already has an impair line; expected one`);
      if (args.length === 0) fail('expected: impair [delay D] [jitter D] [loss P%] [rate R] ...');
      try {
        cur.ifc.impair = parseImpairmentWords(args);
      } catch (e) {
        fail(e instanceof Error ? e.message : String(e));
      }
      return;
    case 'link':
      if (cur.link) fail(`interface ${cur.ifc.name} already has a link; expected one link per interface`);
      cur.link = parseLinkWords(args);
      return;
  }
}

/**
 * The words after `link` (file) — shared with nothing else, the flags use
 * key=value: `vxlan VNI bind ADDR:PORT remote ADDR:PORT [remote ...]` or `hub NAME`.
 */
export function parseLinkWords(args: string[]): LinkConfig {
  const kind = args[0];
  if (kind === 'hub') {
    if (args.length !== 2) throw new FieldError('link', 'expected: link hub NAME');
    return { kind: 'hub', name: parseHubName('link', args[1]!) };
  }
  if (kind !== 'vxlan')
    throw new FieldError('link', `unknown link type '${kind ?? ''}'; expected 'vxlan' or 'hub'`);
  const usage = 'expected: link vxlan VNI bind ADDR:PORT remote ADDR:PORT [remote ADDR:PORT ...]';
  if (args.length < 2) throw new FieldError('link', usage);
  const vni = parseVni('link', args[1]!);
  let bind;
  const remotes = [];
  for (let i = 2; i < args.length; i += 2) {
    const word = args[i]!;
    const value = args[i + 1];
    if (value === undefined) throw new FieldError('link', `'${word}' needs a value; ${usage}`);
    if (word === 'bind') {
      if (bind) throw new FieldError('link', `bind given twice; ${usage}`);
      bind = parseUdpEndpoint('link', value, true);
    } else if (word === 'remote') remotes.push(parseUdpEndpoint('link', value, false));
    else throw new FieldError('link', `unknown word '${word}'; ${usage}`);
  }
  if (!bind) throw new FieldError('link', `missing bind; ${usage}`);
  if (remotes.length === 0) throw new FieldError('link', `missing remote; ${usage}`);
  checkVxlanFamilies('link', bind, remotes);
  return { kind: 'vxlan', vni, bind, remotes };
}
