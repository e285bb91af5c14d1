import { joinArgv, splitArgv } from './argv';

describe('daemon command lines (POSIX shell word splitting, no expansions)', () => {
  const split = (s: string): string[] | string => {
    const p = splitArgv(s);
    return p.ok ? p.value : p.reason;
  };

  it('splits on white space', () => {
    expect(split('rtadvd -c rtadvd.conf em1')).toEqual(['rtadvd', '-c', 'rtadvd.conf', 'em1']);
    expect(split('  route6d\t-s  ')).toEqual(['route6d', '-s']);
    expect(split('')).toEqual([]);
  });

  it('honours single quotes, double quotes with their escapes, and backslashes', () => {
    expect(split(`radvd -C 'my file.conf'`)).toEqual(['radvd', '-C', 'my file.conf']);
    expect(split(`echo "a \\"b\\" \\\\ \\n"`)).toEqual(['echo', 'a "b" \\ \\n']);
    expect(split(`a\\ b c`)).toEqual(['a b', 'c']);
    expect(split(`x''y ""`)).toEqual(['xy', '']);
    expect(split(`'it'\\''s'`)).toEqual(["it's"]);
  });

  it('reports unterminated quotes and a trailing backslash', () => {
    expect(split(`rtadvd 'em0`)).toBe("unterminated ' quote at offset 7");
    expect(split(`rtadvd "em0`)).toBe('unterminated " quote at offset 7');
    expect(split(`rtadvd \\`)).toBe('trailing backslash');
  });

  it('joinArgv quotes what needs quoting so that splitting gives the words back', () => {
    for (const words of [
      ['rtadvd', '-c', 'a b'],
      ["it's", ''],
      ['x', '$HOME', '"q"'],
    ]) {
      expect(split(joinArgv(words))).toEqual(words);
    }
    expect(joinArgv(['route6d', '-s'])).toBe('route6d -s');
  });
});
