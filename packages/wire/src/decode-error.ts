/**
 * The only error a decoder in @kame/wire ever throws. It names the protocol,
 * the field, the byte offset (relative to the start of the buffer handed to
 * that decoder) and the reason, e.g. `ICMPv6 ND option length at 24: zero`.
 */
export class DecodeError extends Error {
  override readonly name = 'DecodeError';
  constructor(
    readonly protocol: string,
    readonly field: string,
    readonly offset: number,
    readonly reason: string,
  ) {
    super(`${protocol} ${field} at ${offset}: ${reason}`);
  }
}
