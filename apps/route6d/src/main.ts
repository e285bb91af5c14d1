import { processIo } from '@kame/daemon';
import { run } from './cli';

run({ argv: process.argv.slice(2), io: processIo() }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`route6d: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
