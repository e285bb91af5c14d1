import { KernelApiError } from './errno';
import { v1 } from './proto';

/**
 * The ABI version this package speaks (proto AbiVersion.ABI_VERSION). Both
 * ends must agree exactly; additions within a version are compatible because
 * protobuf skips unknown fields, a change of meaning bumps the number.
 */
export const ABI_VERSION: number = v1.AbiVersion.ABI_VERSION;

/** What a server tells a client whose Hello it refuses (sent as an ErrorFrame, then close). */
export function checkHello(
  hello: v1.Hello.$Properties,
  serverVersion = ABI_VERSION,
): KernelApiError | undefined {
  const v = hello.abiVersion ?? 0;
  if (v === serverVersion) return undefined;
  return new KernelApiError(
    'EPROTO',
    `ABI version mismatch: client "${hello.name ?? ''}" speaks kame.kernel v${v}, this kernel speaks v${serverVersion}`,
  );
}

/** A client's check of the server's Welcome; throws the same clear error on a mismatch. */
export function checkWelcome(welcome: v1.Welcome.$Properties, clientVersion = ABI_VERSION): void {
  const v = welcome.abiVersion ?? 0;
  if (v !== clientVersion) {
    throw new KernelApiError(
      'EPROTO',
      `ABI version mismatch: kernel "${welcome.node ?? ''}" speaks kame.kernel v${v}, this client speaks v${clientVersion}`,
    );
  }
}
