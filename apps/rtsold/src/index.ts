export * from './engine';
export { startRtsold, type StartRtsoldOptions, type RtsoldHandle } from './run';
export { KernelRtsoldHost, ifViewOf, type KernelHostOptions } from './kernel-host';
export { run, parseArgs, usage, modeOf, type Mode, type ParsedArgs, type RunOptions } from './cli';
export { runScript, unsafeScriptReason } from './script';
export * from './in-process';
