import { Ipv6Address } from '@kame/addr';
import { icmp6Send, type KernelNode } from '@kame/stack';
import type { Icmpv6Repr } from '@kame/wire';

export interface PingOptions {
  /** Outgoing interface (needed for link-local and multicast destinations). */
  ifname?: string;
  src?: Ipv6Address | string;
  hopLimit?: number;
  /** Echo data length in bytes (default 56, as ping(8)); ignored when `data` is given. */
  size?: number;
  data?: Uint8Array;
  identifier?: number;
  sequence?: number;
  /** Clock time to wait for the reply (default 2000 ms). */
  timeoutMs?: number;
}

/** An Echo Reply that matched the request. */
export interface PingReply {
  from: Ipv6Address;
  hopLimit: number;
  /** Echo data length of the reply. */
  bytes: number;
  /** True when the reply carried exactly the data sent. */
  dataMatches: boolean;
  rttMs: number;
  ifname: string;
}

/** A ping that failed: output error (errno), an ICMPv6 error about the request, or no reply in time. */
export class PingError extends Error {
  constructor(
    message: string,
    readonly reason: 'errno' | 'icmp6' | 'timeout',
    readonly errno?: string,
    readonly icmp?: Icmpv6Repr,
    readonly from?: Ipv6Address,
  ) {
    super(message);
    this.name = 'PingError';
  }
}

/** A ping in flight. */
export interface PendingPing {
  readonly identifier: number;
  readonly sequence: number;
  /** Resolves on the matching Echo Reply; rejects with a PingError. */
  readonly result: Promise<PingReply>;
  /** Set as soon as the reply arrived (useful in virtual time, before awaiting). */
  readonly reply: PingReply | undefined;
  /** True once `result` is settled (reply, error or timeout). */
  readonly settled: boolean;
  /** Stops waiting (rejects `result` with a timeout). */
  cancel(): void;
}

const nextIdentifier = new WeakMap<KernelNode, number>();

const addr = (a: Ipv6Address | string): Ipv6Address => (typeof a === 'string' ? Ipv6Address.parse(a) : a);

/**
 * Sends one ICMPv6 Echo Request from `node` with icmp6Send and watches the
 * node's ICMPv6 input (tapIcmp6) for the matching Echo Reply, or for an ICMPv6
 * error quoting the request (Packet Too Big, Destination Unreachable, ...).
 */
export function sendPing(node: KernelNode, dst: Ipv6Address | string, opts: PingOptions = {}): PendingPing {
  const destination = addr(dst);
  const identifier = opts.identifier ?? takeIdentifier(node);
  const sequence = opts.sequence ?? 1;
  const data = opts.data ?? patternData(opts.size ?? 56);
  const ifp = opts.ifname !== undefined ? node.mustIfnet(opts.ifname) : undefined;
  const started = node.clock.now();
  let reply: PingReply | undefined;
  let settle: { resolve: (r: PingReply) => void; reject: (e: PingError) => void } | undefined;
  const result = new Promise<PingReply>((resolve, reject) => (settle = { resolve, reject }));
  // A caller that only looks at `.reply` must not trigger an unhandled rejection.
  result.catch(() => undefined);
  let done = false;
  const finish = (r: PingReply | PingError) => {
    if (done) return;
    done = true;
    untap();
    timer.cancel();
    if (r instanceof PingError) settle!.reject(r);
    else {
      reply = r;
      settle!.resolve(r);
    }
  };
  const untap = node.tapIcmp6((ctx, m) => {
    if (m.kind === 'echoReply') {
      if (m.identifier !== identifier || m.sequence !== sequence) return;
      finish({
        from: ctx.hdr.src,
        hopLimit: ctx.hdr.hopLimit,
        bytes: m.data.length,
        dataMatches: sameBytes(m.data, data),
        rttMs: node.clock.now() - started,
        ifname: ctx.ifp.name,
      });
      return;
    }
    if (
      (m.kind === 'destUnreach' ||
        m.kind === 'timeExceeded' ||
        m.kind === 'packetTooBig' ||
        m.kind === 'paramProblem') &&
      quotesEcho(m.invoking, identifier, sequence)
    ) {
      const extra = m.kind === 'packetTooBig' ? ` mtu=${m.mtu}` : ` code=${m.code}`;
      finish(new PingError(`${m.kind}${extra} from ${ctx.hdr.src}`, 'icmp6', undefined, m, ctx.hdr.src));
    }
  });
  const timeoutMs = opts.timeoutMs ?? 2000;
  const timer = node.clock.setTimer(timeoutMs, () =>
    finish(new PingError(`no reply from ${destination} within ${timeoutMs} ms`, 'timeout')),
  );
  const err = icmp6Send(node, {
    ...(opts.src !== undefined ? { src: addr(opts.src) } : {}),
    dst: destination,
    ...(ifp ? { ifindex: ifp.index } : {}),
    ...(opts.hopLimit !== undefined ? { hopLimit: opts.hopLimit } : {}),
    message: { kind: 'echoRequest', code: 0, identifier, sequence, data },
  });
  if (err) finish(new PingError(`ping ${destination}: ${err}`, 'errno', err));
  return {
    identifier,
    sequence,
    result,
    get reply() {
      return reply;
    },
    get settled() {
      return done;
    },
    cancel() {
      finish(new PingError(`ping ${destination} cancelled`, 'timeout'));
    },
  };
}

/** sendPing(...).result: resolves with the Echo Reply, rejects with a PingError. */
export function ping(
  node: KernelNode,
  dst: Ipv6Address | string,
  opts: PingOptions = {},
): Promise<PingReply> {
  return sendPing(node, dst, opts).result;
}

function takeIdentifier(node: KernelNode): number {
  const id = nextIdentifier.get(node) ?? 0x4b00;
  nextIdentifier.set(node, (id + 1) & 0xffff);
  return id;
}

/** ping(8)'s payload pattern: bytes counting up from 0. */
export function patternData(size: number): Uint8Array {
  const d = new Uint8Array(size);
  for (let i = 0; i < size; i++) d[i] = i & 0xff;
  return d;
}

function sameBytes(a: Uint8Array, b: Uint8Array): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) if (a[i] !== b[i]) return false;
  return true;
}

/**
 * Whether an ICMPv6 error's invoking packet is our Echo Request: the IPv6
 * header, at most one Fragment header (offset 0), then type 128 with our id/seq.
 */
function quotesEcho(invoking: Uint8Array, identifier: number, sequence: number): boolean {
  if (invoking.length < 48 || invoking[0]! >> 4 !== 6) return false;
  let next = invoking[6]!;
  let off = 40;
  if (next === 44) {
    if (invoking.length < off + 16) return false;
    const fragOffset = ((invoking[off + 2]! << 8) | invoking[off + 3]!) >> 3;
    if (fragOffset !== 0) return false;
    next = invoking[off]!;
    off += 8;
  }
  if (next !== 58 || invoking.length < off + 8 || invoking[off] !== 128) return false;
  const id = (invoking[off + 4]! << 8) | invoking[off + 5]!;
  const seq = (invoking[off + 6]! << 8) | invoking[off + 7]!;
  return id === identifier && seq === sequence;
}
