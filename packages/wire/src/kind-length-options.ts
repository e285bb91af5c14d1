import { DecodeError } from './decode-error';

/**
 * The option list shared by the IPv4 header (RFC 791 3.1) and the TCP header
 * (RFC 9293 3.2): each option is a single octet of option-kind, or an
 * option-kind octet, an option-length octet (counting both) and
 * option-length - 2 octets of data. Kind 0 (End of Option List) ends the list;
 * kind 1 (No-Operation) is a lone octet. The list is padded to a multiple of
 * 4 octets.
 */
export const KL_OPT_EOL = 0;
export const KL_OPT_NOP = 1;

/** The options every kind/length list has besides its protocol's own. */
export type KindLengthCommonOption =
  /** End of Option List; parsing stops here (the rest of the header is padding). */
  | { kind: 'eol' }
  | { kind: 'nop' }
  /** Any other option, raw; `data` excludes the kind and length octets. */
  | { kind: 'unknown'; type: number; data: Uint8Array };

type UnknownOption = Extract<KindLengthCommonOption, { kind: 'unknown' }>;

export interface KindLengthSyntax<O> {
  /** For DecodeError: 'IPv4' or 'TCP'. */
  readonly protocol: string;
  /** What the protocol calls the first octet in its reasons: 'type' (RFC 791) or 'kind' (RFC 9293). */
  readonly kindWord: string;
  /**
   * Decodes an option this protocol knows, already checked to fit with a
   * length of at least 2 (at is its kind octet); undefined keeps it raw.
   */
  known(kind: number, bytes: Uint8Array, at: number, len: number): O | undefined;
}

/** Walks bytes[start, end) as a kind/length option list; throws DecodeError on a malformed one. */
export function parseKindLengthOptions<O>(
  bytes: Uint8Array,
  start: number,
  end: number,
  syntax: KindLengthSyntax<O>,
): Array<O | KindLengthCommonOption> {
  const { protocol } = syntax;
  const options: Array<O | KindLengthCommonOption> = [];
  let i = start;
  while (i < end) {
    const kind = bytes[i]!;
    if (kind === KL_OPT_EOL) {
      options.push({ kind: 'eol' });
      break;
    }
    if (kind === KL_OPT_NOP) {
      options.push({ kind: 'nop' });
      i++;
      continue;
    }
    if (i + 2 > end) {
      throw new DecodeError(protocol, 'option length', i, `option ${syntax.kindWord} without a length octet`);
    }
    const len = bytes[i + 1]!;
    if (len < 2) throw new DecodeError(protocol, 'option length', i + 1, `${len} (minimum 2)`);
    if (i + len > end)
      throw new DecodeError(protocol, 'option length', i + 1, `${len} runs past the header end`);
    options.push(
      syntax.known(kind, bytes, i, len) ?? {
        kind: 'unknown',
        type: kind,
        data: bytes.subarray(i + 2, i + len),
      },
    );
    i += len;
  }
  return options;
}

/** Octets one option takes: 1 for EOL and NOP, 2 + data for a raw one, ownSize for the protocol's own. */
export function kindLengthOptionSize<O extends { kind: string }>(
  o: O | KindLengthCommonOption,
  ownSize: (o: O) => number,
): number {
  switch (o.kind) {
    case 'eol':
    case 'nop':
      return 1;
    case 'unknown':
      return 2 + (o as UnknownOption).data.length;
    default:
      return ownSize(o as O);
  }
}

/** Octets of the options once padded to a multiple of 4. */
export function kindLengthOptionsLen<O>(opts: readonly O[], size: (o: O) => number): number {
  let n = 0;
  for (let k = 0; k < opts.length; k++) n += size(opts[k]!);
  return (n + 3) & ~3;
}

/**
 * Writes the options from buf[start] and returns where they end (before padding);
 * emitKnown writes one of the protocol's own options at i and returns its size.
 */
export function emitKindLengthOptions<O extends { kind: string }>(
  opts: ReadonlyArray<O | KindLengthCommonOption>,
  buf: Uint8Array,
  start: number,
  emitKnown: (o: O, buf: Uint8Array, i: number) => number,
): number {
  let i = start;
  for (let k = 0; k < opts.length; k++) {
    const o = opts[k]!;
    switch (o.kind) {
      case 'eol':
        buf[i++] = KL_OPT_EOL;
        break;
      case 'nop':
        buf[i++] = KL_OPT_NOP;
        break;
      case 'unknown': {
        const u = o as UnknownOption;
        buf[i] = u.type;
        buf[i + 1] = 2 + u.data.length;
        buf.set(u.data, i + 2);
        i += 2 + u.data.length;
        break;
      }
      default:
        i += emitKnown(o as O, buf, i);
    }
  }
  return i;
}
