/**
 * The one error type thrown by every address parser in this package.
 * It says what was wrong and where: `input` is the text given, `position` the
 * 0-based character offset of the problem, `reason` a short explanation.
 */
export class AddrParseError extends Error {
  override readonly name = 'AddrParseError';
  constructor(
    readonly kind: string,
    readonly input: string,
    readonly position: number,
    readonly reason: string,
  ) {
    super(`invalid ${kind} '${input}' at offset ${position}: ${reason}`);
  }
}
