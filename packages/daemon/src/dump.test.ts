import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeDumpFile } from './dump';

describe('writeDumpFile', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'kame-daemon-dump-'));
  });
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the text with mode 0644 and leaves no temp file', () => {
    const path = join(dir, 'r1.rtadvd.dump');
    writeDumpFile(path, 'em0:\n  status: UP\n');
    expect(readFileSync(path, 'utf8')).toBe('em0:\n  status: UP\n');
    expect(statSync(path).mode & 0o777).toBe(0o644);
    expect(readdirSync(dir)).toEqual(['r1.rtadvd.dump']);
  });

  it('overwrites an older dump (KAME fopen "w") by rename: a reader holding the old file sees it whole', () => {
    const path = join(dir, 'd');
    writeFileSync(path, 'old dump\n');
    const inodeBefore = statSync(path).ino;
    writeDumpFile(path, 'new\n');
    expect(readFileSync(path, 'utf8')).toBe('new\n');
    expect(statSync(path).ino).not.toBe(inodeBefore);
    expect(readdirSync(dir)).toEqual(['d']);
  });

  it('a missing directory throws and leaves nothing behind', () => {
    expect(() => writeDumpFile(join(dir, 'no', 'd'), 'x')).toThrow(/ENOENT/);
    expect(readdirSync(dir)).toEqual([]);
  });
});
