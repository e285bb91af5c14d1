import { DaemonError } from '@kame/daemon';
import { modeOf, parseArgs, usage } from './cli';

function usageError(argv: string[], mode: 'rtsold' | 'rtsol'): DaemonError {
  try {
    parseArgs(argv, mode);
  } catch (e) {
    if (e instanceof DaemonError) return e;
    throw e;
  }
  throw new Error(`no usage error for ${argv.join(' ')}`);
}

describe('rtsold / rtsol command line (reference 2.1, 10.3)', () => {
  it.each([
    ['/usr/sbin/rtsold', 'rtsold'],
    ['/work/main/apps/rtsold/bin/rtsold.js', 'rtsold'],
    ['/work/main/apps/rtsold/bin/rtsol.js', 'rtsol'],
    ['rtsol', 'rtsol'],
    ['/x/dist/main.js', 'rtsold'],
    [undefined, 'rtsold'],
  ])('reference 2.1: program %s runs as %s (name not ending in d = rtsol)', (path, mode) => {
    expect(modeOf(path)).toBe(mode);
  });

  it('rtsold flags: combined -dD1, -f, -F, -m, -O with an absolute path', () => {
    const a = parseArgs(['-dD1', '-f', '-F', '-m', '-O', '/etc/other.sh', 'em0', 'em1'], 'rtsold');
    expect(a).toMatchObject({
      mode: 'rtsold',
      debug: 2,
      once: true,
      foreground: true,
      setSysctls: true,
      mobility: true,
      otherconfScript: '/etc/other.sh',
      interfaces: ['em0', 'em1'],
      autoprobe: false,
    });
  });

  it('rtsold defaults: background, not once, log level notice (debug 0)', () => {
    expect(parseArgs(['em0'], 'rtsold')).toMatchObject({
      foreground: false,
      once: false,
      debug: 0,
      mobility: false,
    });
  });

  it('reference 10.3: rtsol means -f -1', () => {
    expect(parseArgs(['-d', 'em0'], 'rtsol')).toMatchObject({
      mode: 'rtsol',
      foreground: true,
      once: true,
      debug: 1,
    });
  });

  it('--rtsol selects rtsol mode whatever the program name', () => {
    expect(parseArgs(['--rtsol', 'em0'], 'rtsold')).toMatchObject({
      mode: 'rtsol',
      foreground: true,
      once: true,
    });
  });

  it('--node and -a', () => {
    expect(parseArgs(['--node', '/tmp/k/h.sock', '-a'], 'rtsold')).toMatchObject({
      node: '/tmp/k/h.sock',
      autoprobe: true,
      interfaces: [],
    });
  });

  it.each([
    ['-m', 'unknown option'],
    ['-f', 'unknown option'],
    ['-1', 'unknown option'],
  ])('reference 2.1: rtsol getopt "adDFO:" refuses %s (exit 1)', (flag, text) => {
    const e = usageError([flag, 'em0'], 'rtsol');
    expect(e.exitCode).toBe(1);
    expect(e.message).toContain(text);
    expect(e.message).toContain(usage('rtsol'));
  });

  it('reference 2.1: -a with interface names is a usage error (exit 1)', () => {
    const e = usageError(['-a', 'em0'], 'rtsold');
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe(usage('rtsold').trimEnd());
  });

  it('reference 2.1: neither -a nor an interface is a usage error (exit 1)', () => {
    expect(usageError([], 'rtsold').exitCode).toBe(1);
    expect(usageError(['-d'], 'rtsol').message).toBe(usage('rtsol').trimEnd());
  });

  it('reference 2.1: -O with a relative path exits 1', () => {
    const e = usageError(['-O', 'other.sh', 'em0'], 'rtsold');
    expect(e.exitCode).toBe(1);
    expect(e.message).toBe('rtsold: configuration script (other.sh) must be an absolute path');
  });

  it('-O without its argument, and an unknown flag, exit 1 with the usage', () => {
    expect(usageError(['em0', '-O'], 'rtsold').message).toContain('argument missing');
    expect(usageError(['-x', 'em0'], 'rtsold').message).toMatch(
      /^rtsold: unknown option '-x'\nusage: rtsold /,
    );
  });

  it('--help is not an error', () => {
    expect(parseArgs(['--help'], 'rtsold').help).toBe(true);
  });

  it('usage texts keep the KAME synopses', () => {
    expect(usage('rtsold')).toBe(
      'usage: rtsold [-dDfFm1] [-O script-name] [--node NAME|PATH] interface ...\n' +
        '       rtsold [-dDfFm1] [-O script-name] [--node NAME|PATH] -a\n',
    );
    expect(usage('rtsol')).toBe(
      'usage: rtsol [-dDF] [-O script-name] [--node NAME|PATH] interface ...\n' +
        '       rtsol [-dD] [-O script-name] [--node NAME|PATH] -a\n',
    );
  });
});
