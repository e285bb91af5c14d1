import type { RemoteInfo } from 'node:dgram';
import DgramAsPromised, { type SocketAsPromised } from 'dgram-as-promised';
import type { Clock } from '@kame/time';
import { DecodeError, VXLAN_HEADER_LEN, vxlan } from '@kame/wire';
import { type VxlanTransportCounters, newVxlanTransportCounters } from './counters';
import { type UdpFamily, type UdpRemote, familyOf } from './remote';
import {
  ETHERNET_HEADER_LEN,
  VxlanSegment,
  type VxlanSegmentHost,
  type VxlanSegmentOptions,
} from './segment';

/** Largest UDP payload over IPv4 (65535 - 20 - 8); the default bound on datagrams. */
export const DEFAULT_MAX_DATAGRAM = 65_507;

export interface VxlanTransportOptions {
  /** Local address (IP literal; an IPv6 one makes a udp6 socket) and port (0: any free port). */
  bind: { address: string; port: number };
  /** Time source for learned-entry aging (RealClock in live use). */
  clock: Clock;
  /** Datagrams longer than this are dropped on receive and refused on send (default 65,507). */
  maxDatagram?: number;
  /** SO_RCVBUF asked for (default 4 MiB; the kernel caps it at net.core.rmem_max). */
  recvBufferSize?: number;
  /** SO_SNDBUF asked for (default 1 MiB; capped at net.core.wmem_max). */
  sendBufferSize?: number;
  /** udp6 only: refuse IPv4-mapped traffic (default false). */
  ipv6Only?: boolean;
}

/**
 * Ethernet-in-UDP with the VXLAN header (RFC 7348): one UDP socket carrying
 * any number of segments, demultiplexed by VNI. The socket is created,
 * bound, written and closed through dgram-as-promised; datagrams are read
 * from the raw socket's 'message' event and dispatched synchronously (its
 * recv() drops datagrams that arrive while no recv() is pending).
 */
export class VxlanTransport {
  readonly counters: VxlanTransportCounters = newVxlanTransportCounters();
  private readonly segments = new Map<number, VxlanSegment>();
  private open = true;
  private closing: Promise<void> | undefined;
  private readonly host: VxlanSegmentHost;

  private constructor(
    private readonly sock: SocketAsPromised,
    readonly family: UdpFamily,
    readonly address: { address: string; port: number },
    readonly maxDatagram: number,
    readonly clock: Clock,
  ) {
    const onSendError = () => void this.counters.sendErrors++;
    this.host = {
      family,
      maxDatagram,
      clock,
      counters: this.counters,
      isOpen: () => this.open,
      transmit: (datagram: Uint8Array, remote: UdpRemote) => {
        if (!this.open) return;
        this.counters.datagramsOut++;
        this.sock.send(datagram, remote.port, remote.address).catch(onSendError);
      },
      detach: (segment: VxlanSegment) => {
        if (this.segments.get(segment.vni) === segment) this.segments.delete(segment.vni);
      },
    };
    sock.socket.on('message', (msg: Buffer, rinfo: RemoteInfo) => this.receive(msg, rinfo));
    sock.socket.on('error', () => void this.counters.socketErrors++);
    sock.socket.on('close', () => this.down());
  }

  /** Creates and binds the socket; resolves once it is listening. */
  static async open(options: VxlanTransportOptions): Promise<VxlanTransport> {
    const maxDatagram = options.maxDatagram ?? DEFAULT_MAX_DATAGRAM;
    if (!Number.isInteger(maxDatagram) || maxDatagram < VXLAN_HEADER_LEN + ETHERNET_HEADER_LEN) {
      throw new RangeError(`VxlanTransport: maxDatagram ${maxDatagram} is below 22`);
    }
    const family = familyOf(options.bind.address);
    const sock = DgramAsPromised.createSocket({
      type: family,
      recvBufferSize: options.recvBufferSize ?? 4 << 20,
      sendBufferSize: options.sendBufferSize ?? 1 << 20,
      ...(family === 'udp6' ? { ipv6Only: options.ipv6Only ?? false } : {}),
    });
    let info;
    try {
      info = await sock.bind({ address: options.bind.address, port: options.bind.port, exclusive: true });
    } catch (e) {
      sock.socket.close();
      throw e;
    }
    return new VxlanTransport(
      sock,
      family,
      { address: info.address, port: info.port },
      maxDatagram,
      options.clock,
    );
  }

  /** True from open() until close() (or the socket closing on its own). */
  get isOpen(): boolean {
    return this.open;
  }

  /** The socket's effective SO_RCVBUF (Linux reports twice the size asked for, capped by rmem_max). */
  get recvBufferSize(): number {
    return this.sock.socket.getRecvBufferSize();
  }

  /** The bound port (useful after binding port 0). */
  get port(): number {
    return this.address.port;
  }

  /**
   * Opens the local endpoint of segment `vni`, whose other members are `remotes`.
   * One endpoint per VNI: close it before opening the VNI again.
   */
  segment(vni: number, options: VxlanSegmentOptions = {}): VxlanSegment {
    if (!this.open) throw new Error('VxlanTransport: closed');
    if (this.segments.has(vni)) throw new Error(`VxlanTransport: VNI ${vni} is already open`);
    const seg = new VxlanSegment(vni, this.host, options);
    this.segments.set(vni, seg);
    return seg;
  }

  /** The open endpoint for `vni`, if any. */
  get(vni: number): VxlanSegment | undefined {
    return this.segments.get(vni);
  }

  /** VNIs with an open endpoint. */
  get vnis(): number[] {
    return [...this.segments.keys()];
  }

  /** Closes the socket; carrier goes down on every segment and later sends are dropped. */
  close(): Promise<void> {
    if (!this.closing) {
      this.down();
      this.closing = this.sock.close().catch(() => undefined);
    }
    return this.closing;
  }

  private down(): void {
    if (!this.open) return;
    this.open = false;
    for (const seg of this.segments.values()) seg.setCarrier(false);
  }

  /** The receive path: never throws; every drop is counted. */
  private receive(msg: Buffer, rinfo: RemoteInfo): void {
    this.counters.datagramsIn++;
    if (!this.open) return;
    if (msg.length > this.maxDatagram) {
      this.counters.oversized++;
      return;
    }
    // A plain Uint8Array view: listeners get Uint8Array semantics (slice copies), not Buffer's.
    const bytes = new Uint8Array(msg.buffer, msg.byteOffset, msg.length);
    let vni: number;
    let frame: Uint8Array;
    try {
      ({ vni, payload: frame } = vxlan.parse(bytes));
    } catch (e) {
      if (e instanceof DecodeError && e.field === 'flags') this.counters.badFlags++;
      else this.counters.tooShort++;
      return;
    }
    const seg = this.segments.get(vni);
    if (!seg) {
      this.counters.unknownVni++;
      return;
    }
    if (frame.length < ETHERNET_HEADER_LEN) {
      this.counters.runt++;
      return;
    }
    seg.deliver(frame, rinfo.address, rinfo.port);
  }
}
