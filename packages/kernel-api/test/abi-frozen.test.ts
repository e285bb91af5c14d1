import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as protobuf from 'protobufjs';
import { ABI_VERSION, RESULT_OF, v1 } from '../src';

/**
 * The ABI is frozen (ARCHITECTURE "Contracts" 3): every field and enum value
 * keeps its number, type and place forever. abi-v1.fields.json is the golden
 * record; tools/gen-proto --update-snapshot appends new entries and refuses
 * to change old ones.
 */
type Numbers = {
  messages: Record<string, Record<string, string>>;
  enums: Record<string, Record<string, number>>;
};

const PROTO = join(__dirname, '../proto/kame_kernel.proto');
const SNAPSHOT: Numbers = JSON.parse(readFileSync(join(__dirname, 'abi-v1.fields.json'), 'utf8')) as Numbers;

function load(): protobuf.Root {
  const root = new protobuf.Root().loadSync(PROTO, { keepCase: true });
  root.resolveAll();
  return root;
}

/** Same shape as tools/gen-proto's abiNumbers. */
function abiNumbers(root: protobuf.Root): Numbers {
  const out: Numbers = { messages: {}, enums: {} };
  const walk = (ns: protobuf.NamespaceBase): void => {
    for (const obj of ns.nestedArray) {
      const name = obj.fullName.replace(/^\./, '');
      if (obj instanceof protobuf.Type) {
        const fields: Record<string, string> = {};
        for (const f of obj.fieldsArray) {
          const type = f instanceof protobuf.MapField ? `map<${f.keyType},${f.type}>` : f.type;
          const oneof = f.partOf && !f.partOf.name.startsWith('_') ? ` oneof ${f.partOf.name}` : '';
          const optional = (f.options as Record<string, unknown> | undefined)?.['proto3_optional']
            ? 'optional '
            : '';
          fields[f.name] = `${f.id} ${f.repeated ? 'repeated ' : ''}${optional}${type}${oneof}`;
        }
        if (obj.reserved && obj.reserved.length > 0) {
          fields['$reserved'] = obj.reserved.map((r) => (Array.isArray(r) ? `${r[0]}-${r[1]}` : r)).join(',');
        }
        out.messages[name] = fields;
      } else if (obj instanceof protobuf.Enum) {
        out.enums[name] = { ...obj.values };
      }
      if (obj instanceof protobuf.Namespace) walk(obj);
    }
  };
  walk(root);
  return out;
}

const current = abiNumbers(load());

describe('frozen ABI numbers (abi-v1.fields.json)', () => {
  it('no field or enum value was renumbered, retyped, renamed or removed', () => {
    const changed: string[] = [];
    for (const kind of ['messages', 'enums'] as const) {
      for (const [type, entries] of Object.entries(SNAPSHOT[kind])) {
        const now = (current[kind] as Record<string, Record<string, unknown>>)[type];
        for (const [k, v] of Object.entries(entries)) {
          if (now?.[k] !== v) changed.push(`${type}.${k}: frozen ${String(v)}, now ${String(now?.[k])}`);
        }
      }
    }
    expect(changed).toEqual([]);
  });

  it('every number in the proto is recorded (run gen-proto --update-snapshot after an addition)', () => {
    const unrecorded: string[] = [];
    for (const kind of ['messages', 'enums'] as const) {
      for (const [type, entries] of Object.entries(current[kind])) {
        const frozen = (SNAPSHOT[kind] as Record<string, Record<string, unknown>>)[type];
        for (const k of Object.keys(entries)) if (frozen?.[k] === undefined) unrecorded.push(`${type}.${k}`);
      }
    }
    expect(unrecorded).toEqual([]);
  });

  it('rejects a renumbering (the check can fail)', () => {
    const text = readFileSync(PROTO, 'utf8').replace(
      'uint32 prefix_length = 3;',
      'uint32 prefix_length = 7;',
    );
    const root = new protobuf.Root();
    protobuf.parse(text, root, { keepCase: true });
    root.resolveAll();
    const moved = abiNumbers(root).messages['kame.kernel.v1.AddrAdd'];
    expect(moved?.['prefix_length']).toBe('7 uint32');
    expect(SNAPSHOT.messages['kame.kernel.v1.AddrAdd']?.['prefix_length']).toBe('3 uint32');
  });

  it('ABI_VERSION is 1 and matches the proto', () => {
    expect(ABI_VERSION).toBe(1);
    expect(SNAPSHOT.enums['kame.kernel.v1.AbiVersion']?.['ABI_VERSION']).toBe(ABI_VERSION);
  });

  it('Frame bodies are numbered 1..6', () => {
    expect(SNAPSHOT.messages['kame.kernel.v1.Frame']).toEqual({
      hello: '1 Hello oneof body',
      welcome: '2 Welcome oneof body',
      request: '3 Request oneof body',
      response: '4 Response oneof body',
      event: '5 Event oneof body',
      error: '6 ErrorFrame oneof body',
    });
  });

  it('Request, Response and Event keep 200-299 (TCP) and 300-399 (MRT6) free', () => {
    for (const m of ['Request', 'Response', 'Event']) {
      expect(SNAPSHOT.messages[`kame.kernel.v1.${m}`]?.['$reserved']).toBe('200-299,300-399');
    }
  });

  it('each result member has its operation\'s number, or is "ok" (9)', () => {
    const root = load();
    const req = root.lookupType('kame.kernel.v1.Request');
    const res = root.lookupType('kame.kernel.v1.Response');
    const camel = (s: string): string => s.replace(/_([a-z])/g, (_, c: string) => c.toUpperCase());
    const ops = req.oneofs['op']!.fieldsArray;
    expect(Object.keys(RESULT_OF).sort()).toEqual(ops.map((f) => camel(f.name)).sort());
    for (const f of ops) {
      const kind = RESULT_OF[camel(f.name) as keyof typeof RESULT_OF];
      const rf = res.fieldsArray.find((r) => camel(r.name) === kind);
      expect(rf).toBeDefined();
      if (kind === 'ok') expect(rf!.id).toBe(9);
      else expect([f.name, rf!.id]).toEqual([f.name, f.id]);
    }
  });

  it('the static module agrees with the proto (generated from it)', () => {
    expect(v1.Errno.EADDRINUSE).toBe(48);
    expect(v1.RtmType.RTM_IFINFO).toBe(14);
    expect(v1.SockOptName.ICMP6_FILTER).toBe(16);
  });
});
