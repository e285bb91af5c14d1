import type { Ipv6Address } from '@kame/addr';
import { icmp6Send, type KernelNode } from '@kame/stack';
import type { Clock } from '@kame/time';

/** The outcome of one Echo Request. */
export type EchoOutcome =
  | { readonly ok: true; readonly rttMs: number; readonly from: Ipv6Address }
  | { readonly ok: false; readonly reason: string };

const PAYLOAD = Uint8Array.from({ length: 56 }, (_, i) => i & 0xff);
const IDENTS = new WeakMap<KernelNode, number>();

/**
 * One ICMPv6 Echo Request from `node` to `dst` (RFC 4443 4.1) through the
 * node's own output path, answered by the matching Echo Reply (4.2) within
 * `timeoutMs` on `clock`. Never rejects.
 */
export function echo(
  node: KernelNode,
  dst: Ipv6Address,
  clock: Clock,
  timeoutMs: number,
): Promise<EchoOutcome> {
  const identifier = IDENTS.get(node) ?? 0x6b00;
  IDENTS.set(node, (identifier + 1) & 0xffff);
  const sequence = 1;
  const started = clock.now();
  return new Promise<EchoOutcome>((resolve) => {
    let done = false;
    const finish = (o: EchoOutcome): void => {
      if (done) return;
      done = true;
      untap();
      timer.cancel();
      resolve(o);
    };
    const untap = node.tapIcmp6((ctx, m) => {
      if (m.kind === 'echoReply' && m.identifier === identifier && m.sequence === sequence) {
        finish({ ok: true, rttMs: clock.now() - started, from: ctx.hdr.src });
      } else if (m.kind === 'destUnreach' || m.kind === 'timeExceeded' || m.kind === 'packetTooBig') {
        const inv = m.invoking;
        // The quoted packet: IPv6 header, then our Echo Request (type 128) with our identifier.
        if (
          inv.length >= 48 &&
          inv[6] === 58 &&
          inv[40] === 128 &&
          ((inv[44]! << 8) | inv[45]!) === identifier
        )
          finish({ ok: false, reason: `${m.kind} from ${ctx.hdr.src.toString()}` });
      }
    });
    const timer = clock.setTimer(timeoutMs, () =>
      finish({ ok: false, reason: `no reply within ${timeoutMs} ms` }),
    );
    const err = icmp6Send(node, {
      dst,
      message: { kind: 'echoRequest', code: 0, identifier, sequence, data: PAYLOAD },
    });
    if (err) finish({ ok: false, reason: `sendto: ${err}` });
  });
}
