import type { Parsed } from './units';

/**
 * Splits a command line the way a POSIX shell splits words, without expansions:
 * white space separates words; '...' keeps everything literally; "..." keeps everything
 * but `\"`, `\\`, `\$` and `` \` `` escapes; outside quotes `\x` is x. `"rtadvd -c 'my file' em0"`
 * -> ['rtadvd', '-c', 'my file', 'em0'].
 */
export function splitArgv(text: string): Parsed<string[]> {
  const words: string[] = [];
  let word = '';
  let inWord = false;
  let i = 0;
  while (i < text.length) {
    const c = text[i]!;
    if (/\s/.test(c)) {
      if (inWord) words.push(word);
      word = '';
      inWord = false;
      i++;
    } else if (c === "'") {
      const end = text.indexOf("'", i + 1);
      if (end < 0) return { ok: false, reason: `unterminated ' quote at offset ${i}` };
      word += text.slice(i + 1, end);
      inWord = true;
      i = end + 1;
    } else if (c === '"') {
      let j = i + 1;
      for (;;) {
        if (j >= text.length) return { ok: false, reason: `unterminated " quote at offset ${i}` };
        const d = text[j]!;
        if (d === '"') break;
        if (d === '\\' && j + 1 < text.length && '"\\$`'.includes(text[j + 1]!)) {
          word += text[j + 1];
          j += 2;
        } else {
          word += d;
          j++;
        }
      }
      inWord = true;
      i = j + 1;
    } else if (c === '\\') {
      if (i + 1 >= text.length) return { ok: false, reason: 'trailing backslash' };
      word += text[i + 1];
      inWord = true;
      i += 2;
    } else {
      word += c;
      inWord = true;
      i++;
    }
  }
  if (inWord) words.push(word);
  return { ok: true, value: words };
}

/** Quotes words back for display, so that splitArgv(joinArgv(w)) equals w. */
export function joinArgv(words: readonly string[]): string {
  return words
    .map((w) => (/^[A-Za-z0-9_@%+=:,./-]+$/.test(w) ? w : `'${w.replace(/'/g, `'\\''`)}'`))
    .join(' ');
}
