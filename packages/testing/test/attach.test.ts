import { MacAddress, linkLocalFromMac } from '@kame/addr';
import { Hub, newEndpointStats, type FrameListener, type LinkEndpoint } from '@kame/link';
import { KernelNode } from '@kame/stack';
import { SeededRandom, VirtualClock } from '@kame/time';
import { attachNode, sendPing } from '../src/index';

/** A hand-driven endpoint: records sends, injects frames and carrier changes. */
class FakeEndpoint implements LinkEndpoint {
  readonly name = 'fake';
  readonly stats = newEndpointStats();
  readonly sent: Uint8Array[] = [];
  carrier = true;
  closed = false;
  private readonly rx = new Set<FrameListener>();
  private readonly cl = new Set<(up: boolean) => void>();
  send(frame: Uint8Array): void {
    this.sent.push(frame);
  }
  onReceive(l: FrameListener): () => void {
    this.rx.add(l);
    return () => this.rx.delete(l);
  }
  onCarrier(l: (up: boolean) => void): () => void {
    this.cl.add(l);
    return () => this.cl.delete(l);
  }
  close(): void {
    this.closed = true;
  }
  inject(frame: Uint8Array): void {
    for (const l of this.rx) l(frame);
  }
  setCarrier(up: boolean): void {
    this.carrier = up;
    for (const l of this.cl) l(up);
  }
  get listeners(): number {
    return this.rx.size + this.cl.size;
  }
}

const newNode = (clock: VirtualClock, name: string, seed: number) =>
  new KernelNode({ name, clock, random: new SeededRandom(seed) });

describe('attachNode', () => {
  it('brings the interface up with its EUI-64 link-local and sends what the driver outputs to the endpoint', () => {
    const clock = new VirtualClock();
    const node = newNode(clock, 'a', 1);
    const ep = new FakeEndpoint();
    const port = attachNode(node, 'em0', '02:00:00:00:00:0a', ep, { mtu: 1400 });
    expect(port.ifp.running).toBe(true);
    expect(port.ifp.mtu).toBe(1400);
    expect(port.ifp.addresses.map((a) => a.address.toString())).toEqual(['fe80::ff:fe00:a']);
    clock.advance(5000); // DAD probe and MLD reports leave through the driver
    expect(ep.sent.length).toBeGreaterThan(0);
    expect(ep.sent.every((f) => f[12] === 0x86 && f[13] === 0xdd)).toBe(true);
    expect(node.mustIfnet('em0').counters.opackets).toBeGreaterThanOrEqual(0);
  });

  it('follows carrier: down on loss, up again when it returns; up: false waits for up()', () => {
    const clock = new VirtualClock();
    const node = newNode(clock, 'a', 1);
    const ep = new FakeEndpoint();
    const port = attachNode(node, 'em0', MacAddress.parse('02:00:00:00:00:0a'), ep, { up: false });
    expect(port.ifp.up).toBe(false);
    port.up();
    expect(port.ifp.running).toBe(true);
    ep.setCarrier(false);
    expect(port.ifp.running).toBe(false);
    ep.setCarrier(true);
    expect(port.ifp.running).toBe(true);
    port.down();
    ep.setCarrier(true);
    expect(port.ifp.up).toBe(false);
  });

  it('an interface attached while the endpoint has no carrier stays down until carrier comes', () => {
    const node = newNode(new VirtualClock(), 'a', 1);
    const ep = new FakeEndpoint();
    ep.carrier = false;
    const port = attachNode(node, 'em0', '02:00:00:00:00:0a', ep);
    expect(port.ifp.running).toBe(false);
    ep.setCarrier(true);
    expect(port.ifp.running).toBe(true);
  });

  it('feeds received frames to node.input and stops after detach (closing the endpoint when asked)', () => {
    const clock = new VirtualClock();
    const node = newNode(clock, 'a', 1);
    const ep = new FakeEndpoint();
    const port = attachNode(node, 'em0', '02:00:00:00:00:0a', ep);
    const frame = new Uint8Array(62);
    frame.set([0x33, 0x33, 0, 0, 0, 1, 2, 0, 0, 0, 0, 0x99, 0x86, 0xdd]);
    const before = port.ifp.counters.ipackets;
    ep.inject(frame);
    expect(port.ifp.counters.ipackets).toBe(before + 1);
    port.detach({ closeEndpoint: true });
    expect(ep.closed).toBe(true);
    expect(ep.listeners).toBe(0);
    expect(port.ifp.up).toBe(false);
    ep.inject(frame);
    expect(port.ifp.counters.ipackets).toBe(before + 1);
  });

  it('two nodes on an in-memory hub resolve each other and answer a link-local ping', async () => {
    const clock = new VirtualClock();
    const hub = new Hub('lan', { clock });
    const a = newNode(clock, 'a', 1);
    const b = newNode(clock, 'b', 2);
    attachNode(a, 'em0', '02:00:00:00:00:0a', hub.attach('a:em0'));
    attachNode(b, 'em0', '02:00:00:00:00:0b', hub.attach('b:em0'));
    clock.advance(5000);
    const bLL = linkLocalFromMac(MacAddress.parse('02:00:00:00:00:0b'));
    const p = sendPing(a, bLL, { ifname: 'em0' });
    clock.advance(100);
    const r = await p.result;
    expect(r.from.equals(bLL)).toBe(true);
    expect(r.ifname).toBe('em0');
    expect(r.dataMatches).toBe(true);
    expect(r.bytes).toBe(56);
  });
});
