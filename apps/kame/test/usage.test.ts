import { run } from '../src/cli';

/** CONVENTIONS "CLIs": usage errors exit 2 before any kernel is reached; runtime failures exit 1. */
describe('kame without a kernel', () => {
  const noKernel = async (argv: string[]) => {
    let stdout = '';
    let stderr = '';
    let connects = 0;
    const code = await run(argv, {
      stdout: (s) => (stdout += s),
      stderr: (s) => (stderr += s),
      channelFactory: () => {
        connects++;
        return Promise.reject(Object.assign(new Error('connect ENOENT /nowhere.sock'), { code: 'ENOENT' }));
      },
    });
    return { code, stdout, stderr, connects };
  };

  it.each([
    [['ndp', '-x']],
    [['ndp', '-d', 'not-an-address']],
    [['ndp', '-i', 'em0', 'bogus=1']],
    [['netstat', '-s', '-p', 'tcp']],
    [['netstat']],
    [['ifmcstat', '-i']],
    [['route', 'add', '2001:db8::/64']],
    [['route', 'add', '2001:db8::/64', 'zzz']],
    [['route', 'change', 'zzz', 'fe80::1%em0']],
    [['route', 'get', '2001:db8::1', 'extra']],
    [['route', 'monitor', '--count', 'x']],
    [['traceroute6', 'zzz']],
    [['ping6', '-S', 'zzz', '::1']],
    [['ping6', 'zzz']],
  ])('%j exits 2 with a message and never connects', async (argv) => {
    const r = await noKernel(argv);
    expect(r.code).toBe(2);
    expect(r.connects).toBe(0);
    expect(r.stderr).toMatch(/^kame: [a-z0-9]+/);
    expect(r.stdout).toBe('');
  });

  it('a valid command whose kernel is missing exits 1 with the errno name', async () => {
    const r = await noKernel(['netstat', '-rn']);
    expect(r).toEqual({
      code: 1,
      stdout: '',
      stderr: 'kame: ENOENT: connect ENOENT /nowhere.sock\n',
      connects: 1,
    });
  });
});
