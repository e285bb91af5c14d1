import { processIo } from '@kame/daemon';
import { run } from './cli';

// The process glue: the real clock, signals and streams (everything else is testable in run()).
run(process.argv.slice(2), processIo()).then(
  (code) => process.exit(code),
  (e: unknown) => {
    process.stderr.write(`rtadvd: ${e instanceof Error ? (e.stack ?? e.message) : String(e)}\n`);
    process.exit(1);
  },
);
