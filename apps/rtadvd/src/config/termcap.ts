import { ConfigError } from './types';

/**
 * The termcap-style reader behind rtadvd.conf (KAME advcap semantics, IMPLEMENTATION 1.3):
 *
 * - a record is one logical line; a line ending in `\` continues on the next one;
 * - a record whose first character is `#` is a comment; blank records are skipped;
 * - the names (`a|b|c`) stand before the first `:`; fields are separated by `:`;
 * - `name#num` numeric, `name=str` string, `name` boolean, `name@` cancels `name`;
 * - lookups take the FIRST field with the name and the wanted type (or a cancel), so the
 *   fields of an entry win over those it includes with `tc=`.
 *
 * Deliberate differences from KAME, which only make errors loud:
 * - quotes are parsed properly (KAME's field skipper split `"2001:db8::"` at every colon,
 *   harmlessly); an unterminated quote is an error;
 * - `tc=` may stand in any field (KAME honours only the last one) and a missing target, a
 *   loop or more than MAXHOP levels is an error (KAME silently fell back to defaults);
 * - a record or an expanded entry longer than BUFSIZ is an error (KAME truncated it);
 * - an octal escape reads up to three digits 0-7 (KAME's loop always ate a second char).
 */

/** advcap.c BUFSIZ: the longest record (and expanded entry), in characters. */
export const TERMCAP_BUFSIZ = 1024;
/** The largest configuration text read at all (a bound on the record table). */
export const TERMCAP_MAX_FILE = 1 << 20;
/** advcap.c MAXHOP: the deepest tc= nesting. */
export const TERMCAP_MAXHOP = 32;

export type TermcapFieldKind = 'num' | 'str' | 'bool' | 'cancel';

export interface TermcapField {
  /** The capability name: the text before `#`, `=` or `@` (not trimmed, as in KAME). */
  readonly name: string;
  readonly kind: TermcapFieldKind;
  /** num: the text after `#`; str: the decoded value; bool/cancel: ''. */
  readonly value: string;
  /** The field as written (without the separating colons). */
  readonly text: string;
  /** 1-based physical line where the field starts. */
  readonly line: number;
  /** The entry (first name) whose record holds this field. */
  readonly record: string;
  /** 0 for the entry's own record, n for a record included through n tc= hops. */
  readonly depth: number;
}

export interface TermcapRecord {
  readonly names: readonly string[];
  /** The fields as written, `tc=` not expanded. */
  readonly fields: readonly TermcapField[];
  /** 1-based line of the record's first character. */
  readonly line: number;
  /** Characters in the logical record (continuations removed). */
  readonly length: number;
}

/** What a numeric field reads as, with the oddities of KAME's tgetnum noted. */
export interface TermcapNumber {
  readonly value: number;
  readonly field: TermcapField;
  /**
   * 'octal': a leading 0 made it octal (`#010` is 8); 'octal-digit': 8 or 9 inside an octal
   * number (KAME multiplies them in anyway); 'hex': `0x...` read as 0; 'trailing': reading
   * stopped at a non-digit; 'empty': no digit at all (reads as 0).
   */
  readonly quirk?: 'octal' | 'octal-digit' | 'hex' | 'trailing' | 'empty';
}

/** KAME tgetnum over the text after `#`: decimal, leading 0 => octal, stops at the first non-digit. */
export function readTermcapNumber(text: string): { value: number; quirk?: TermcapNumber['quirk'] } {
  const base = text.startsWith('0') ? 8 : 10;
  let value = 0;
  let i = 0;
  let octalDigit = false;
  for (; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c < 48 || c > 57) break;
    const d = c - 48;
    if (base === 8 && d > 7) octalDigit = true;
    value = value * base + d;
  }
  if (i === 0) return { value: 0, quirk: 'empty' };
  if (i < text.length) {
    const c = text[i];
    return { value, quirk: text.startsWith('0') && i === 1 && (c === 'x' || c === 'X') ? 'hex' : 'trailing' };
  }
  if (octalDigit) return { value, quirk: 'octal-digit' };
  if (base === 8 && text.length > 1) return { value, quirk: 'octal' };
  return { value };
}

const ESCAPES: Readonly<Record<string, string>> = {
  E: '\x1b',
  '^': '^',
  '\\': '\\',
  ':': ':',
  n: '\n',
  r: '\r',
  t: '\t',
  b: '\b',
  f: '\f',
  '"': '"',
};

/**
 * Scans a string value starting at `pos` (just after `=`), tdecode-style: a value starting
 * with `"` runs to the closing quote, after which another quoted part or plain text up to
 * `:` may follow; `\` escapes and `^X` control characters consume the next character.
 * Returns the decoded value and the index of the terminating `:` (or the end).
 */
function scanString(
  rec: string,
  pos: number,
): { value: string; end: number } | { error: string; at: number } {
  let out = '';
  let i = pos;
  const unit = (): void => {
    const c = rec[i]!;
    if (c === '^') {
      i++;
      if (i < rec.length) out += String.fromCharCode(rec.charCodeAt(i) & 0x1f);
      i++;
      return;
    }
    if (c === '\\') {
      i++;
      if (i >= rec.length) return; // a lone trailing backslash: nothing to escape
      const e = rec[i]!;
      const mapped = ESCAPES[e];
      if (mapped !== undefined) {
        out += mapped;
        i++;
        return;
      }
      if (e >= '0' && e <= '7') {
        let v = 0;
        let n = 0;
        while (n < 3 && i < rec.length && rec[i]! >= '0' && rec[i]! <= '7') {
          v = (v << 3) | (rec.charCodeAt(i) - 48);
          i++;
          n++;
        }
        out += String.fromCharCode(v & 0xff);
        return;
      }
      out += e; // unknown escape: the character itself (KAME)
      i++;
      return;
    }
    out += c;
    i++;
  };
  // Quoted parts may open the value or follow a closing quote; elsewhere `"` is plain text.
  while (rec[i] === '"') {
    const open = i;
    i++;
    while (i < rec.length && rec[i] !== '"') unit();
    if (i >= rec.length) return { error: 'unterminated quoted string', at: open };
    i++; // the closing quote
  }
  while (i < rec.length && rec[i] !== ':') unit();
  // C string semantics: a decoded NUL (\000, ^@) ends the value.
  const nul = out.indexOf('\0');
  return { value: nul >= 0 ? out.slice(0, nul) : out, end: i };
}

/**
 * Splits rtadvd.conf text into records. Throws ConfigError for a record longer than BUFSIZ,
 * an unterminated quote, or a text over TERMCAP_MAX_FILE.
 */
export function parseTermcap(text: string, file: string): TermcapRecord[] {
  if (text.length > TERMCAP_MAX_FILE) {
    throw new ConfigError(
      file,
      0,
      '-',
      '(file)',
      `${text.length} characters is too big (at most ${TERMCAP_MAX_FILE})`,
    );
  }
  const lines = text.replace(/\r\n/g, '\n').split('\n');
  const records: TermcapRecord[] = [];
  let i = 0;
  while (i < lines.length) {
    const startLine = i + 1;
    let rec = '';
    const lineAt: number[] = []; // physical line of every character of `rec`
    for (;;) {
      const l = lines[i] ?? '';
      i++;
      const cont = l.endsWith('\\') && i < lines.length;
      const part = cont ? l.slice(0, -1) : l;
      rec += part;
      for (let k = 0; k < part.length; k++) lineAt.push(i);
      if (!cont) break;
    }
    if (rec.startsWith('#') || rec.trim() === '') continue;
    const firstColon = rec.indexOf(':');
    const names = (firstColon < 0 ? rec : rec.slice(0, firstColon)).split('|');
    const primary = names[0] ?? '';
    if (rec.length > TERMCAP_BUFSIZ) {
      throw new ConfigError(
        file,
        startLine,
        primary,
        '(record)',
        `entry too long: ${rec.length} characters (at most ${TERMCAP_BUFSIZ}, KAME BUFSIZ)`,
      );
    }
    const fields: TermcapField[] = [];
    let pos = firstColon < 0 ? rec.length : firstColon + 1;
    while (pos < rec.length) {
      const start = pos;
      let j = pos;
      while (j < rec.length && rec[j] !== ':' && rec[j] !== '#' && rec[j] !== '=' && rec[j] !== '@') j++;
      const name = rec.slice(start, j);
      const sep = rec[j];
      let kind: TermcapFieldKind;
      let value = '';
      let end: number;
      if (sep === '=') {
        const s = scanString(rec, j + 1);
        if ('error' in s) {
          throw new ConfigError(file, lineAt[s.at] ?? startLine, primary, name, s.error);
        }
        kind = 'str';
        value = s.value;
        end = s.end;
      } else {
        end = rec.indexOf(':', j);
        if (end < 0) end = rec.length;
        if (sep === '#') {
          kind = 'num';
          value = rec.slice(j + 1, end);
        } else {
          kind = sep === '@' ? 'cancel' : 'bool';
        }
      }
      fields.push({
        name,
        kind,
        value,
        text: rec.slice(start, end),
        line: lineAt[start] ?? startLine,
        record: primary,
        depth: 0,
      });
      pos = end + 1;
    }
    records.push({ names, fields, line: startLine, length: rec.length });
  }
  return records;
}

/** One entry with its tc= includes expanded, and KAME's first-match lookups. */
export class TermcapEntry {
  /** Fields whose value some lookup returned (or whose cancel it hit). */
  private readonly used = new Set<TermcapField>();

  constructor(
    readonly name: string,
    readonly line: number,
    readonly fields: readonly TermcapField[],
  ) {}

  private find(id: string, kind: TermcapFieldKind): TermcapField | undefined {
    for (const f of this.fields) {
      if (f.name !== id) continue;
      if (f.kind === 'cancel') {
        this.used.add(f);
        return undefined;
      }
      if (f.kind === kind) {
        this.used.add(f);
        return f;
      }
    }
    return undefined;
  }

  /** agetnum: the first `id#n` unless an `id@` comes first; undefined means "use the default". */
  num(id: string): TermcapNumber | undefined {
    const f = this.find(id, 'num');
    if (!f) return undefined;
    const n = readTermcapNumber(f.value);
    return n.quirk ? { value: n.value, field: f, quirk: n.quirk } : { value: n.value, field: f };
  }

  /** agetstr: the decoded value of the first `id=...` unless an `id@` comes first. */
  str(id: string): { value: string; field: TermcapField } | undefined {
    const f = this.find(id, 'str');
    return f ? { value: f.value, field: f } : undefined;
  }

  /** agetflag: true for a bare `id` field, false when absent or cancelled first. */
  flag(id: string): TermcapField | undefined {
    return this.find(id, 'bool');
  }

  /** Fields that no lookup has consumed so far (for "unknown"/"ignored" warnings). */
  unused(): TermcapField[] {
    return this.fields.filter((f) => !this.used.has(f));
  }
}

/** A parsed rtadvd.conf: records by name, and entries with tc= expanded. */
export class TermcapDb {
  readonly records: readonly TermcapRecord[];

  private constructor(
    records: TermcapRecord[],
    readonly file: string,
  ) {
    this.records = records;
  }

  static parse(text: string, file: string): TermcapDb {
    return new TermcapDb(parseTermcap(text, file), file);
  }

  /** The first record carrying `name` among its `|`-separated names (tgetent order). */
  record(name: string): TermcapRecord | undefined {
    return this.records.find((r) => r.names.includes(name));
  }

  /** The entry `name` with every `tc=` replaced by the fields of the named entry, or undefined. */
  entry(name: string): TermcapEntry | undefined {
    const rec = this.record(name);
    if (!rec) return undefined;
    const fields = this.expand(rec, name, [rec], 0);
    const length = (rec.names.join('|').length + 1 + fields.reduce((n, f) => n + f.text.length + 1, 0)) | 0;
    if (length > TERMCAP_BUFSIZ) {
      throw new ConfigError(
        this.file,
        rec.line,
        name,
        'tc',
        `entry too long after tc= expansion: ${length} characters (at most ${TERMCAP_BUFSIZ}, KAME BUFSIZ)`,
      );
    }
    return new TermcapEntry(name, rec.line, fields);
  }

  private expand(rec: TermcapRecord, top: string, chain: TermcapRecord[], depth: number): TermcapField[] {
    const out: TermcapField[] = [];
    for (const f of rec.fields) {
      if (!(f.name === 'tc' && f.kind === 'str')) {
        out.push(depth === 0 ? f : { ...f, depth });
        continue;
      }
      const target = f.value;
      const inc = this.record(target);
      if (!inc) {
        throw new ConfigError(this.file, f.line, top, 'tc', `tc=${target}: no entry named '${target}'`);
      }
      if (chain.includes(inc)) {
        const path = [...chain.map((r) => r.names[0] ?? ''), target].join(' -> ');
        throw new ConfigError(
          this.file,
          f.line,
          top,
          'tc',
          `tc= loop: ${path} (at most ${TERMCAP_MAXHOP} hops, no cycles)`,
        );
      }
      if (depth + 1 > TERMCAP_MAXHOP) {
        throw new ConfigError(
          this.file,
          f.line,
          top,
          'tc',
          `tc=${target}: more than ${TERMCAP_MAXHOP} tc= hops (KAME MAXHOP)`,
        );
      }
      out.push(...this.expand(inc, top, [...chain, inc], depth + 1));
    }
    return out;
  }
}
