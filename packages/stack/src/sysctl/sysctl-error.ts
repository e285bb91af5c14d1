/**
 * The errno values sysctl(3) reports for the failures this registry models:
 * ENOENT for a name that is not in the MIB, EINVAL for a value of the wrong
 * type or outside the variable's range, EPERM for a write to a read-only node.
 */
export type SysctlErrno = 'ENOENT' | 'EINVAL' | 'EPERM';

/** Thrown by `Sysctl.get`/`set`/`list`; `errno` carries the BSD errno name. */
export class SysctlError extends Error {
  constructor(
    readonly errno: SysctlErrno,
    readonly sysctlName: string,
    detail: string,
  ) {
    super(`${errno}: ${sysctlName}: ${detail}`);
    this.name = 'SysctlError';
  }
}
