/**
 * A JSON parser for tshark's `-T json` output, which repeats keys inside one
 * object (several "ipv6.opt" in a Hop-by-Hop layer, two "eth" layers in a
 * VXLAN frame). JSON.parse keeps only the last; this keeps every value, in
 * order, under its key. Arrays (as `--no-duplicate-keys` writes them) are
 * flattened by the accessors, so both output styles read the same way.
 */
export type TsValue = string | number | boolean | null | TsValue[] | TsObject;

export class TsObject {
  readonly fields = new Map<string, TsValue[]>();

  add(key: string, v: TsValue): void {
    const list = this.fields.get(key);
    if (list) list.push(v);
    else this.fields.set(key, [v]);
  }

  /** Every value under `key`, duplicates and array elements flattened, in order. */
  all(key: string): TsValue[] {
    const out: TsValue[] = [];
    for (const v of this.fields.get(key) ?? []) {
      if (Array.isArray(v)) out.push(...v);
      else out.push(v);
    }
    return out;
  }

  has(key: string): boolean {
    return this.fields.has(key);
  }

  /** The first string under `key`; throws when it is missing. */
  str(key: string): string {
    const v = this.all(key)[0];
    if (typeof v !== 'string')
      throw new Error(`tshark JSON: no string field ${key} (have ${[...this.fields.keys()].join(', ')})`);
    return v;
  }

  /** The first string under `key`, or undefined. */
  opt(key: string): string | undefined {
    const v = this.all(key)[0];
    return typeof v === 'string' ? v : undefined;
  }

  /** `str(key)` as a number (decimal or 0x-hex). */
  num(key: string): number {
    return Number(this.str(key));
  }

  /** Every string value under `key`. */
  strs(key: string): string[] {
    return this.all(key).filter((v): v is string => typeof v === 'string');
  }

  /** Every object under `key`. */
  objs(key: string): TsObject[] {
    return this.all(key).filter((v): v is TsObject => v instanceof TsObject);
  }

  /** The first object under `key`; throws when it is missing. */
  obj(key: string): TsObject {
    const o = this.objs(key)[0];
    if (!o) throw new Error(`tshark JSON: no object ${key} (have ${[...this.fields.keys()].join(', ')})`);
    return o;
  }

  /** Every value under `key` anywhere below this object (depth-first, document order). */
  deep(key: string): TsValue[] {
    const out: TsValue[] = [];
    const stack: TsValue[] = [this];
    // Iterative walk in document order: push children reversed.
    while (stack.length > 0) {
      const v = stack.pop()!;
      if (Array.isArray(v)) {
        for (let i = v.length - 1; i >= 0; i--) stack.push(v[i]!);
      } else if (v instanceof TsObject) {
        const entries = [...v.fields.entries()];
        const children: TsValue[] = [];
        for (const [k, vals] of entries) {
          for (const x of vals) {
            if (k === key) out.push(x);
            children.push(x);
          }
        }
        for (let i = children.length - 1; i >= 0; i--) stack.push(children[i]!);
      }
    }
    return out;
  }
}

class Parser {
  private i = 0;
  constructor(private readonly s: string) {}

  parseDocument(): TsValue {
    const v = this.value();
    this.ws();
    if (this.i !== this.s.length) this.fail('trailing characters');
    return v;
  }

  private fail(msg: string): never {
    throw new SyntaxError(`tshark JSON at ${this.i}: ${msg}`);
  }

  private ws(): void {
    const s = this.s;
    while (this.i < s.length) {
      const c = s.charCodeAt(this.i);
      if (c === 0x20 || c === 0x0a || c === 0x0d || c === 0x09) this.i++;
      else break;
    }
  }

  private value(): TsValue {
    this.ws();
    const c = this.s[this.i];
    if (c === '{') return this.object();
    if (c === '[') return this.array();
    if (c === '"') return this.string();
    if (this.s.startsWith('true', this.i)) return ((this.i += 4), true);
    if (this.s.startsWith('false', this.i)) return ((this.i += 5), false);
    if (this.s.startsWith('null', this.i)) return ((this.i += 4), null);
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(this.s.slice(this.i, this.i + 40));
    if (!m) this.fail(`unexpected ${JSON.stringify(c)}`);
    this.i += m[0].length;
    return Number(m[0]);
  }

  private object(): TsObject {
    const o = new TsObject();
    this.i++; // {
    this.ws();
    if (this.s[this.i] === '}') return (this.i++, o);
    for (;;) {
      this.ws();
      if (this.s[this.i] !== '"') this.fail('expected a key');
      const k = this.string();
      this.ws();
      if (this.s[this.i] !== ':') this.fail('expected :');
      this.i++;
      o.add(k, this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === '}') return o;
      if (c !== ',') this.fail('expected , or }');
    }
  }

  private array(): TsValue[] {
    const a: TsValue[] = [];
    this.i++; // [
    this.ws();
    if (this.s[this.i] === ']') return (this.i++, a);
    for (;;) {
      a.push(this.value());
      this.ws();
      const c = this.s[this.i++];
      if (c === ']') return a;
      if (c !== ',') this.fail('expected , or ]');
    }
  }

  private string(): string {
    // Find the closing quote, skipping escapes, then let JSON.parse decode it.
    const start = this.i;
    let j = start + 1;
    const s = this.s;
    while (j < s.length && s[j] !== '"') j += s[j] === '\\' ? 2 : 1;
    if (j >= s.length) this.fail('unterminated string');
    this.i = j + 1;
    return JSON.parse(s.slice(start, j + 1)) as string;
  }
}

/** Parses JSON keeping duplicate keys (see TsObject). */
export function parseTsharkJson(text: string): TsValue {
  return new Parser(text).parseDocument();
}

/** The `_source.layers` object of every packet in a `tshark -T json` document. */
export function tsharkPackets(text: string): TsObject[] {
  const doc = parseTsharkJson(text);
  if (!Array.isArray(doc)) throw new Error('tshark JSON: top level is not an array');
  return doc.map((p, i) => {
    if (!(p instanceof TsObject)) throw new Error(`tshark JSON: packet ${i} is not an object`);
    return p.obj('_source').obj('layers');
  });
}
