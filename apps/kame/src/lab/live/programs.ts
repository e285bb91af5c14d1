import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';

/**
 * Where the kame programs live: each app's package.json `bin` (resolved
 * through the workspace's node_modules), so a lab daemon runs exactly what
 * `npx --no-install rtadvd` would.
 */

const PACKAGES = ['@kame/rtadvd', '@kame/rtsold', '@kame/route6d', '@kame/kernel-app', '@kame/cli'];

let cache: Map<string, string> | undefined;

function packageDir(name: string): string | undefined {
  try {
    return dirname(require.resolve(`${name}/package.json`));
  } catch {
    return undefined;
  }
}

/** Program name → absolute path of its bin script (rtadvd, rtsold, rtsol, route6d, rip6query, kame-kernel, kame). */
export function kamePrograms(): ReadonlyMap<string, string> {
  if (cache) return cache;
  const m = new Map<string, string>();
  for (const pkg of PACKAGES) {
    const dir = packageDir(pkg);
    if (dir === undefined) continue;
    try {
      const json = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        bin?: Record<string, string>;
      };
      for (const [prog, rel] of Object.entries(json.bin ?? {})) m.set(prog, join(dir, rel));
    } catch {
      // unreadable package.json: the program is just not known
    }
  }
  cache = m;
  return m;
}

/** The bin script of a kame program, or undefined when `prog` is not one. */
export function kameProgram(prog: string): string | undefined {
  return kamePrograms().get(prog);
}

/** The kame-kernel main, checked to be built. */
export function kernelMain(): string {
  const bin = kameProgram('kame-kernel');
  if (bin === undefined) throw new Error('kame-kernel (@kame/kernel-app) is not installed');
  const main = join(dirname(bin), '..', 'dist', 'main.js');
  if (!existsSync(main)) throw new Error(`kame-kernel is not built (no ${main}): run npm run build`);
  return bin;
}
