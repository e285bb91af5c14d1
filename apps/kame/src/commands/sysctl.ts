import type { KernelClient } from '@kame/kernel-api';
import type { Output } from '../format';

/** sysctl(8): sysctl [-a] [NAME[=VALUE]]... */
export async function sysctl(client: KernelClient, names: readonly string[], all = false): Promise<Output> {
  if (names.length === 0 || all) {
    const entries = await client.sysctlList(names[0] ?? '');
    return {
      text: entries.map((e) => `${e.name ?? ''}: ${e.value ?? 0}\n`).join(''),
      json: entries.map((e) => ({ name: e.name ?? '', value: e.value ?? 0 })),
    };
  }
  let text = '';
  const json: unknown[] = [];
  for (const arg of names) {
    const eq = arg.indexOf('=');
    if (eq >= 0) {
      const name = arg.slice(0, eq);
      const v = arg.slice(eq + 1);
      const n = Number(v);
      const r = await client.sysctlSet(name, v !== '' && Number.isFinite(n) ? n : v);
      text += `${name}: ${r.oldValue ?? 0} -> ${r.newValue ?? 0}\n`;
      json.push({ name, oldValue: r.oldValue ?? 0, value: r.newValue ?? 0 });
    } else {
      const e = await client.sysctlGet(arg);
      text += `${e.name ?? arg}: ${e.value ?? 0}\n`;
      json.push({ name: e.name ?? arg, value: e.value ?? 0 });
    }
  }
  return { text, json };
}
