import { ERRNO_NAMES, errnoName, errnoNumber, isErrnoName, KernelApiError, type ErrnoName } from '../src';

describe('errno names <-> frozen numbers', () => {
  it('uses the FreeBSD <sys/errno.h> numbers', () => {
    const expected: Record<string, number> = {
      EPERM: 1,
      ENOENT: 2,
      ESRCH: 3,
      ENXIO: 6,
      EBADF: 9,
      EACCES: 13,
      EEXIST: 17,
      EINVAL: 22,
      EMSGSIZE: 40,
      ENOPROTOOPT: 42,
      EAFNOSUPPORT: 47,
      EADDRINUSE: 48,
      EADDRNOTAVAIL: 49,
      ENETUNREACH: 51,
      ENOBUFS: 55,
      EISCONN: 56,
      ENOTCONN: 57,
      EHOSTUNREACH: 65,
      EPROTO: 92,
    };
    for (const [name, n] of Object.entries(expected)) {
      expect([name, errnoNumber(name as ErrnoName)]).toEqual([name, n]);
      expect(errnoName(n)).toBe(name);
    }
  });

  it('covers every errno the stack reports (KernelError, SocketError, RouteError)', () => {
    const stack = [
      'EPERM', 'ENOENT', 'ENXIO', 'EEXIST', 'EINVAL', 'ENOBUFS', 'EADDRINUSE', 'EADDRNOTAVAIL', 'ENETUNREACH',
      'EHOSTUNREACH', 'EMSGSIZE', 'ESRCH', 'EBADF', 'EACCES', 'ENOPROTOOPT', 'EAFNOSUPPORT', 'EISCONN', 'ENOTCONN',
    ]; // prettier-ignore
    for (const n of stack) expect([n, isErrnoName(n)]).toEqual([n, true]);
  });

  it('round-trips every name, and numbers are distinct', () => {
    const seen = new Set<number>();
    for (const name of ERRNO_NAMES) {
      const n = errnoNumber(name);
      expect(seen.has(n)).toBe(false);
      seen.add(n);
      expect(errnoName(n)).toBe(name);
    }
    expect(ERRNO_NAMES).not.toContain('ERRNO_NONE');
  });

  it('0 and unknown numbers have no name', () => {
    expect(errnoName(0)).toBeUndefined();
    expect(errnoName(9999)).toBeUndefined();
    expect(isErrnoName('ERRNO_NONE')).toBe(false);
    expect(isErrnoName('EFOO')).toBe(false);
  });

  it('KernelApiError says errno and message', () => {
    const e = new KernelApiError('EADDRINUSE', 'bind [::]:521');
    expect(e.message).toBe('EADDRINUSE: bind [::]:521');
    expect(e.errno).toBe('EADDRINUSE');
  });
});
