import {
  chmodSync,
  chownSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  symlinkSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runScript, unsafeScriptReason } from './script';

describe('rtsold -O script checks and execution (reference 2.3 call_script / safefile)', () => {
  let dir = '';
  const uid = process.getuid!();

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'rtsold-script-'));
  });
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  function script(name: string, body: string, mode = 0o755): string {
    const p = join(dir, name);
    writeFileSync(p, body);
    chmodSync(p, mode);
    return p;
  }

  it('runs "script ifname", waits for it, resolves on exit 0', async () => {
    const out = join(dir, 'ran');
    const s = script('ok.sh', `#!/bin/sh\necho "$#:$1" > ${out}\n`);
    await runScript(s, 'em0');
    expect(readFileSync(out, 'utf8')).toBe('1:em0\n');
  });

  it('a non-zero exit is an error naming the status', async () => {
    const s = script('fail.sh', '#!/bin/sh\nexit 3\n');
    await expect(runScript(s, 'em0')).rejects.toThrow(`${s} exited with status 3`);
  });

  it('refuses a relative path, a missing file, a directory, a symlink and a setuid file', async () => {
    expect(unsafeScriptReason('other.sh', uid)).toBe('other.sh: not an absolute path');
    expect(unsafeScriptReason(join(dir, 'missing'), uid)).toBe(`${join(dir, 'missing')}: ENOENT`);
    const sub = join(dir, 'sub');
    mkdirSync(sub);
    expect(unsafeScriptReason(sub, uid)).toBe(`${sub}: not a regular file`);
    const target = script('target.sh', '#!/bin/sh\n');
    const link = join(dir, 'link.sh');
    symlinkSync(target, link);
    expect(unsafeScriptReason(link, uid)).toBe(`${link}: not a regular file`);
    const suid = script('suid.sh', '#!/bin/sh\n', 0o4755);
    expect(unsafeScriptReason(suid, uid)).toBe(`${suid}: setuid`);
    await expect(runScript(suid, 'em0')).rejects.toThrow('refused to run');
    expect(unsafeScriptReason(target, uid)).toBeUndefined();
  });

  it('refuses a file owned by another user', () => {
    const s = script('theirs.sh', '#!/bin/sh\n');
    // As root the file is given away to uid 1234; as a user, rtsold is asked to run as another uid.
    if (uid === 0) chownSync(s, 1234, 1234);
    const owner = uid === 0 ? 1234 : uid;
    const runner = uid === 0 ? 0 : uid + 1;
    expect(unsafeScriptReason(s, runner)).toBe(`${s}: owned by uid ${owner}, not ${runner}`);
  });
});
