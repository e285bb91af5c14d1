/**
 * Shared pieces of the `netstat -s` text form (BSD shape): a "proto:" header,
 * one counter per line indented by a tab, "%s" in a phrase becomes the plural
 * suffix, histograms indent their entries by two tabs.
 *
 * Zero lines: with a single -s BSD prints every scalar counter, zero or not;
 * repeating the flag (-ss) suppresses the zero ones. Histogram entries (and a
 * histogram's header when all its entries are zero) are never printed for
 * zero, whatever the flag. `suppressZero: true` selects the -ss behaviour;
 * the default is the single -s one.
 */
export interface NetstatOptions {
  /** -ss: leave out scalar counters that are zero (default false, i.e. -s). */
  suppressZero?: boolean;
}

/** A scalar counter line: the field and its phrase ("%s" = plural suffix). */
export type CounterLine<T> = readonly [field: keyof T & string, phrase: string];

export function plural(n: number): string {
  return n === 1 ? '' : 's';
}

export function phrase(n: number, text: string): string {
  return `${n} ${text.replace('%s', plural(n))}`;
}

/** Collects output lines, honouring suppressZero. */
export class NetstatWriter {
  private readonly lines: string[] = [];
  constructor(private readonly options: NetstatOptions = {}) {}

  header(text: string): void {
    this.lines.push(text);
  }

  counter(n: number, text: string, depth = 1): void {
    if (n === 0 && this.options.suppressZero === true) return;
    this.lines.push(`${'\t'.repeat(depth)}${phrase(n, text)}`);
  }

  counters<T extends object>(stat: T, table: readonly CounterLine<T>[], depth = 1): void {
    for (const [field, text] of table) this.counter(stat[field] as number, text, depth);
  }

  /** "title:" then "\t\tname: n" for the non-zero entries; nothing if all are zero. */
  histogram(title: string, hist: readonly number[], name: (index: number) => string): void {
    const rows: string[] = [];
    hist.forEach((n, i) => {
      if (n !== 0) rows.push(`\t\t${name(i)}: ${n}`);
    });
    if (rows.length === 0) return;
    this.lines.push(`\t${title}:`, ...rows);
  }

  text(): string {
    return `${this.lines.join('\n')}\n`;
  }
}
