import { TermcapDb, parseTermcap, readTermcapNumber, TERMCAP_BUFSIZ, TERMCAP_MAXHOP } from './termcap';
import { ConfigError } from './types';

function entry(text: string, name = 'e') {
  const e = TermcapDb.parse(text, 't.conf').entry(name);
  if (!e) throw new Error(`no entry ${name}`);
  return e;
}

function configError(f: () => unknown): ConfigError {
  try {
    f();
  } catch (err) {
    if (err instanceof ConfigError) return err;
    throw err;
  }
  throw new Error('expected a ConfigError');
}

describe('IMPLEMENTATION 1.3 termcap records', () => {
  it('1.3: a backslash-newline joins physical lines into one record', () => {
    const recs = parseTermcap('e:\\\n\t:a#1:\\\n\t:b#2:\nf:c#3:\n', 't.conf');
    expect(recs.map((r) => r.names[0])).toEqual(['e', 'f']);
    expect(recs[0]!.fields.filter((f) => f.name.trim() !== '').map((f) => f.text)).toEqual(['a#1', 'b#2']);
    expect(recs[1]!.line).toBe(4);
  });

  it('1.3: every field keeps the physical line it starts on', () => {
    const e = entry('# c\n\ne:\\\n\t:a#1:\\\n\t:b=x:\\\n\t:c:\n');
    expect(e.line).toBe(3);
    expect(e.num('a')!.field.line).toBe(4);
    expect(e.str('b')!.field.line).toBe(5);
    expect(e.flag('c')!.line).toBe(6);
  });

  it('1.3: a record starting with # is a comment, continuation lines included', () => {
    const db = TermcapDb.parse('#e:a#1:\\\ne:a#2:\ne:a#3:\n', 't.conf');
    expect(db.records).toHaveLength(1);
    expect(db.entry('e')!.num('a')!.value).toBe(3);
  });

  it('1.3: names a|b|c before the first colon all find the entry; the first record wins', () => {
    const db = TermcapDb.parse('em0|lan|long description:x#1:\nlan:x#2:\n', 't.conf');
    expect(db.entry('em0')!.num('x')!.value).toBe(1);
    expect(db.entry('lan')!.num('x')!.value).toBe(1);
    expect(db.entry('long description')!.num('x')!.value).toBe(1);
    expect(db.entry('em')).toBeUndefined();
    expect(db.entry('x#1')).toBeUndefined();
  });

  it('1.3: CRLF line ends read like LF', () => {
    expect(entry('e:\\\r\n\t:a#7:\r\n').num('a')!.value).toBe(7);
  });

  it(`1.3: a record longer than BUFSIZ (${TERMCAP_BUFSIZ}) is an "entry too long" error`, () => {
    const ok = 'e:' + 'x'.repeat(TERMCAP_BUFSIZ - 2);
    expect(() => parseTermcap(ok, 't.conf')).not.toThrow();
    const err = configError(() => parseTermcap(`# c\n${ok}y\n`, 't.conf'));
    expect(err.file).toBe('t.conf');
    expect(err.line).toBe(2);
    expect(err.entry).toBe('e');
    expect(err.reason).toContain('entry too long: 1025 characters (at most 1024');
  });

  it('1.3: the length limit counts the joined record, not the physical lines', () => {
    const long =
      'e:\\\n' + Array.from({ length: 20 }, () => `\t:${'k'.repeat(60)}:\\\n`).join('') + '\t:z:\n';
    expect(() => parseTermcap(long, 't.conf')).toThrow(/entry too long/);
  });
});

describe('IMPLEMENTATION 1.3 fields', () => {
  it('1.3: name#num, name=str, name bool are read by type; the name must match exactly', () => {
    const e = entry('e:rtime#5:rtimex#6:s=abc:b:');
    expect(e.num('rtime')!.value).toBe(5);
    expect(e.num('rtimex')!.value).toBe(6);
    expect(e.num('rtim')).toBeUndefined();
    expect(e.str('s')!.value).toBe('abc');
    expect(e.flag('b')).toBeDefined();
    expect(e.flag('s')).toBeUndefined();
    expect(e.num('s')).toBeUndefined();
    expect(e.str('rtime')).toBeUndefined();
  });

  it('1.3: lookups take the first field of the wanted type, skipping other types', () => {
    const e = entry('e:k=str:k#4:k#5:k:');
    expect(e.num('k')!.value).toBe(4);
    expect(e.str('k')!.value).toBe('str');
    expect(e.flag('k')).toBeDefined();
  });

  it('1.3: name@ cancels a later value of any type', () => {
    const e = entry('e:k@:k#4:k=s:k:');
    expect(e.num('k')).toBeUndefined();
    expect(e.str('k')).toBeUndefined();
    expect(e.flag('k')).toBeUndefined();
  });

  it('1.3: name@ after the value does not cancel it', () => {
    expect(entry('e:k#4:k@:').num('k')!.value).toBe(4);
  });

  it('1.3: leading whitespace belongs to the name (KAME does not trim)', () => {
    const e = entry('e:\\\n  chlim#64:');
    expect(e.num('chlim')).toBeUndefined();
    expect(e.num('  chlim')!.value).toBe(64);
  });

  it('1.3: unused() lists the fields no lookup consumed', () => {
    const e = entry('e:a#1:b#2:c:');
    e.num('a');
    e.flag('c');
    expect(e.unused().map((f) => f.text)).toEqual(['b#2']);
  });
});

describe('IMPLEMENTATION 1.3 tgetnum', () => {
  it('1.3: decimal', () => {
    expect(readTermcapNumber('600')).toEqual({ value: 600 });
    expect(readTermcapNumber('0')).toEqual({ value: 0 });
  });

  it('1.3: a leading 0 means octal (#010 is 8, #0777 is 511)', () => {
    expect(readTermcapNumber('010')).toEqual({ value: 8, quirk: 'octal' });
    expect(readTermcapNumber('0777')).toEqual({ value: 511, quirk: 'octal' });
  });

  it('1.3: no hex: #0x80 reads as 0', () => {
    expect(readTermcapNumber('0x80')).toEqual({ value: 0, quirk: 'hex' });
    expect(entry('e:raflags#0x80:').num('raflags')!.value).toBe(0);
  });

  it('1.3: reading stops at the first non-digit', () => {
    expect(readTermcapNumber('12ab')).toEqual({ value: 12, quirk: 'trailing' });
    expect(readTermcapNumber('-5')).toEqual({ value: 0, quirk: 'empty' });
    expect(readTermcapNumber('')).toEqual({ value: 0, quirk: 'empty' });
  });

  it('1.3: 8 and 9 inside an octal number are multiplied in anyway (tgetnum isdigit)', () => {
    expect(readTermcapNumber('09')).toEqual({ value: 9, quirk: 'octal-digit' });
    expect(readTermcapNumber('019')).toEqual({ value: 17, quirk: 'octal-digit' });
  });
});

describe('IMPLEMENTATION 1.3 tdecode', () => {
  const s = (v: string): string => entry(`e:k=${v}:next#1:`).str('k')!.value;

  it('1.3: plain strings end at the colon', () => {
    expect(s('abc')).toBe('abc');
    expect(entry('e:k=abc:next#1:').num('next')!.value).toBe(1);
  });

  it('1.3: "..." quoting keeps colons inside the value', () => {
    expect(s('"3ffe:501:ffff:1000::"')).toBe('3ffe:501:ffff:1000::');
    const e = entry('e:addr="2001:db8::":prefixlen#48:');
    expect(e.str('addr')!.value).toBe('2001:db8::');
    expect(e.num('prefixlen')!.value).toBe(48);
    // the colons inside the quotes did not make fields
    expect(e.fields.map((f) => f.text)).toEqual(['addr="2001:db8::"', 'prefixlen#48']);
  });

  it('1.3: after a closing quote, another quoted part or plain text continues the value', () => {
    expect(s('"a:"b')).toBe('a:b');
    expect(s('"a:""b:"c')).toBe('a:b:c');
  });

  it('1.3: a quote inside plain text is an ordinary character', () => {
    expect(s('a"b')).toBe('a"b');
    expect(s('a""')).toBe('a""');
  });

  it('1.3: escapes \\E \\^ \\\\ \\: \\n \\r \\t \\b \\f \\"', () => {
    expect(s('\\E\\^\\\\\\:\\n\\r\\t\\b\\f\\"')).toBe('\x1b^\\:\n\r\t\b\f"');
    expect(s('"a\\"b:c"')).toBe('a"b:c');
  });

  it('1.3: \\ooo octal escapes and ^X control characters', () => {
    expect(s('\\101\\1012')).toBe('AA2');
    expect(s('^A^[')).toBe('\x01\x1b');
    expect(s('a^:b')).toBe('a\x1ab'); // ^ takes the next character, even a colon
  });

  it('1.3: an escaped colon does not end a plain value; an unknown escape is the character', () => {
    expect(s('a\\:b')).toBe('a:b');
    expect(s('\\q')).toBe('q');
  });

  it('1.3: a decoded NUL ends the value (C string)', () => {
    expect(s('ab\\000cd')).toBe('ab');
  });

  it('1.3: an unterminated quote is an error at its line', () => {
    const err = configError(() => parseTermcap('e:\\\n\t:addr="2001:db8::\n', 't.conf'));
    expect(err.line).toBe(2);
    expect(err.entry).toBe('e');
    expect(err.key).toBe('addr');
    expect(err.reason).toBe('unterminated quoted string');
  });
});

describe('IMPLEMENTATION 1.3 tc= includes', () => {
  it('1.3: tc=name includes the named entry; the own fields come first and win', () => {
    const db = TermcapDb.parse('base:a#1:b#2:\ne:b#3:tc=base:\n', 't.conf');
    const e = db.entry('e')!;
    expect(e.num('a')!.value).toBe(1);
    expect(e.num('b')!.value).toBe(3);
    expect(e.fields.map((f) => [f.text, f.record, f.depth])).toEqual([
      ['b#3', 'e', 0],
      ['a#1', 'base', 1],
      ['b#2', 'base', 1],
    ]);
  });

  it('1.3: name@ before tc= cancels an included value', () => {
    const db = TermcapDb.parse('base:a#1:\ne:a@:tc=base:\n', 't.conf');
    expect(db.entry('e')!.num('a')).toBeUndefined();
  });

  it('1.3: tc= nests, and fields of the included entry keep their own lines', () => {
    const db = TermcapDb.parse('x:c#3:\ny:b#2:tc=x:\ne:a#1:tc=y:\n', 't.conf');
    const e = db.entry('e')!;
    expect([e.num('a')!.value, e.num('b')!.value, e.num('c')!.value]).toEqual([1, 2, 3]);
    expect(e.num('c')!.field.line).toBe(1);
  });

  it('1.3: a tc= loop is an error naming the chain', () => {
    const db = TermcapDb.parse('a:tc=b:\nb:\\\n\t:tc=a:\ne:tc=a:\n', 't.conf');
    const err = configError(() => db.entry('e'));
    expect(err.line).toBe(3);
    expect(err.entry).toBe('e');
    expect(err.key).toBe('tc');
    expect(err.reason).toContain('tc= loop: e -> a -> b -> a');
  });

  it('1.3: a self-include through an alias is a loop too', () => {
    const db = TermcapDb.parse('e|f:tc=f:\n', 't.conf');
    expect(() => db.entry('e')).toThrow(/tc= loop/);
  });

  it(`1.3: at most MAXHOP (${TERMCAP_MAXHOP}) nested tc= hops`, () => {
    const chain = (n: number): string =>
      Array.from({ length: n }, (_, i) => `e${i}:tc=e${i + 1}:`).join('\n') + `\ne${n}:k#${n}:\n`;
    expect(TermcapDb.parse(chain(TERMCAP_MAXHOP), 't.conf').entry('e0')!.num('k')!.value).toBe(
      TERMCAP_MAXHOP,
    );
    const err = configError(() => TermcapDb.parse(chain(TERMCAP_MAXHOP + 1), 't.conf').entry('e0'));
    expect(err.key).toBe('tc');
    expect(err.reason).toContain('more than 32 tc= hops');
  });

  it('1.3: tc= to a missing entry is an error', () => {
    const err = configError(() => TermcapDb.parse('e:a#1:\\\n\t:tc=nosuch:\n', 't.conf').entry('e'));
    expect(err.line).toBe(2);
    expect(err.reason).toBe("tc=nosuch: no entry named 'nosuch'");
  });

  it('1.3: an entry longer than BUFSIZ after tc= expansion is an error', () => {
    const big = (n: string): string =>
      `${n}:` + Array.from({ length: 10 }, (_, i) => `${n}k${i}#${'1'.repeat(40)}:`).join('');
    const db = TermcapDb.parse(`${big('a')}\n${big('b')}\n${big('c')}\ne:tc=a:tc=b:tc=c:\n`, 't.conf');
    expect(db.entry('a')).toBeDefined();
    const err = configError(() => db.entry('e'));
    expect(err.reason).toContain('entry too long after tc= expansion');
  });
});
