import { execFileSync, spawnSync } from 'node:child_process';
import { TsObject, type TsValue, tsharkPackets } from './tshark-json';

/** tshark's version line, or undefined when it is not installed. */
export function tsharkVersion(): string | undefined {
  const r = spawnSync('tshark', ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
  if (r.error || r.status !== 0) return undefined;
  return r.stdout.split('\n')[0];
}

/**
 * Runs `tshark -n -r file -T json --no-duplicate-keys` with every checksum
 * check on, plus `extra` arguments (e.g. `-d udp.port==4789,vxlan`), and
 * returns each packet's layers.
 */
export function tsharkDissect(file: string, extra: readonly string[] = []): TsObject[] {
  const args = [
    '-n',
    '-r',
    file,
    '-o',
    'ip.check_checksum:TRUE',
    '-o',
    'udp.check_checksum:TRUE',
    '-o',
    'tcp.check_checksum:TRUE',
    ...extra,
    '-T',
    'json',
    '--no-duplicate-keys',
  ];
  const out = execFileSync('tshark', args, {
    encoding: 'utf8',
    maxBuffer: 256 * 1024 * 1024,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  return tsharkPackets(out);
}

/** tshark's expert-info severities (epan/proto.h PI_* values). */
export const EXPERT_SEVERITY_WARN = 0x600000;
export const EXPERT_SEVERITY_ERROR = 0x800000;

export interface TsharkProblem {
  message: string;
  severity: number;
}

/**
 * Problems tshark found in one packet: `_ws.malformed`, expert infos of
 * severity Error, and any `*.checksum.status` of 0 ("Bad").
 */
export function tsharkProblems(layers: TsObject): TsharkProblem[] {
  const out: TsharkProblem[] = [];
  for (const _ of layers.deep('_ws.malformed')) {
    out.push({ message: 'malformed packet', severity: EXPERT_SEVERITY_ERROR });
  }
  for (const e of layers.deep('_ws.expert')) {
    if (!(e instanceof TsObject)) continue;
    const sev = Number(e.opt('_ws.expert.severity') ?? 0);
    if (sev >= EXPERT_SEVERITY_ERROR) {
      out.push({ message: e.opt('_ws.expert.message') ?? '(no message)', severity: sev });
    }
  }
  for (const [key, vals] of allFields(layers)) {
    if (key.endsWith('checksum.status') || key.endsWith('checksum_status')) {
      // PROTO_CHECKSUM_E_BAD = 0, E_ILLEGAL = 4 (e.g. a zero UDP checksum over IPv6).
      for (const v of vals) {
        if (v === '0' || v === '4')
          out.push({ message: `${key} = ${v === '0' ? 'Bad' : 'Illegal'}`, severity: EXPERT_SEVERITY_ERROR });
      }
    }
  }
  return out;
}

/** Every (key, values) pair anywhere below `o`. */
function allFields(o: TsObject): [string, TsValue[]][] {
  const out: [string, TsValue[]][] = [];
  const stack: TsObject[] = [o];
  while (stack.length > 0) {
    const x = stack.pop()!;
    for (const k of x.fields.keys()) {
      const vals = x.all(k);
      out.push([k, vals]);
      for (const v of vals) if (v instanceof TsObject) stack.push(v);
    }
  }
  return out;
}
