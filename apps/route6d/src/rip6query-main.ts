import { processIo } from '@kame/daemon';
import { runRip6query } from './rip6query';

runRip6query({ argv: process.argv.slice(2), io: processIo() }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`rip6query: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
