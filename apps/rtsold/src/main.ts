import { processIo } from '@kame/daemon';
import { modeOf, run } from './cli';

// bin/rtsold.js and bin/rtsol.js both load this file; the name picks the mode (reference 10.3).
run({ argv: process.argv.slice(2), mode: modeOf(process.argv[1]), io: processIo() }).then(
  (code) => {
    process.exitCode = code;
  },
  (e: unknown) => {
    process.stderr.write(`rtsold: ${e instanceof Error ? e.message : String(e)}\n`);
    process.exitCode = 1;
  },
);
