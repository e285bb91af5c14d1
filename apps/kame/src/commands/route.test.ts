import { TypedEmitter, v1, type KernelClient, type KernelClientEvents } from '@kame/kernel-api';
import { formatRtMsg, routeMonitor } from './route';

const ifs = [
  { index: 1, name: 'lo0' },
  { index: 2, name: 'em0' },
];

/** Just what routeMonitor uses of a KernelClient: events, ifList, subscribe. */
class FakeClient extends TypedEmitter<KernelClientEvents> {
  subscribed: string[] = [];
  ifList() {
    return Promise.resolve(ifs);
  }
  subscribe(t: string) {
    this.subscribed.push(t);
    return Promise.resolve();
  }
  send<K extends keyof KernelClientEvents>(e: K, ...a: Parameters<KernelClientEvents[K]>) {
    this.emit(e, ...a);
  }
}

function monitor(count: number) {
  const fake = new FakeClient();
  let out = '';
  let ready!: () => void;
  const isReady = new Promise<void>((r) => (ready = r));
  const done = routeMonitor(fake as unknown as KernelClient, {
    count,
    json: false,
    write: (s) => (out += s),
    onInterrupt: () => () => undefined,
    onReady: ready,
  });
  return { fake, done, isReady, output: () => out };
}

describe('route monitor messages', () => {
  it('BSD route(4): RTM_DELETE with rtm_errno, the destination, gateway and netmask', () => {
    const o = formatRtMsg(
      {
        type: v1.RtmType.RTM_DELETE,
        pid: 42,
        seq: 7,
        errno: v1.Errno.ESRCH,
        flags: 0x1 | 0x2 | 0x800,
        dst: { addr: new Uint8Array([0x20, 0x01, 0x0d, 0xb8, ...new Array<number>(12).fill(0)]), length: 32 },
        gateway: { address: new Uint8Array([0xfe, 0x80, 0, 2, ...new Array<number>(11).fill(0), 1]) },
      },
      ifs,
    );
    expect(o.text).toBe(
      'RTM_DELETE: Delete Route: pid: 42, seq 7, errno ESRCH, flags:<UP,GATEWAY,STATIC>\n' +
        'sockaddrs: <DST,GATEWAY,NETMASK>\n 2001:db8:: fe80::1%em0 ffff:ffff::\n\n',
    );
    expect(o.json).toMatchObject({
      type: 'RTM_DELETE',
      destination: '2001:db8::/32',
      gateway: 'fe80::1%em0',
    });
  });

  it('hostile input: a message with truncated addresses and an unknown type is printed, not thrown', () => {
    const o = formatRtMsg({ type: 99 as v1.RtmType, dst: { addr: new Uint8Array(3), length: 200 } }, ifs);
    expect(o.text).toMatch(/^RTM_99: unknown message: /);
  });

  it('an IFACE arrival without a route-topic RTM_IFANNOUNCE is printed as one; with one, only once', async () => {
    const m = monitor(3);
    await m.isReady;
    expect(m.fake.subscribed).toEqual(['route']);
    // An older kernel: only the IFACE delta.
    m.fake.send('ifaceDelta', { kind: v1.DeltaKind.DELTA_ADD, iface: { index: 3, name: 'gif0' } });
    // A kernel that sends both: the rtm first, then the delta (not printed again).
    m.fake.send('rtm', { type: v1.RtmType.RTM_IFANNOUNCE, ifindex: 3, ifname: 'gif0', departure: true });
    m.fake.send('ifaceDelta', { kind: v1.DeltaKind.DELTA_DELETE, iface: { index: 3, name: 'gif0' } });
    m.fake.send('rtm', { type: v1.RtmType.RTM_MISS, dst: { addr: new Uint8Array(16), length: 0 } });
    expect(await m.done).toBe(0);
    expect(m.output()).toBe(
      'RTM_IFANNOUNCE: iface arrival/departure: if# 3, name: gif0, what: arrival\n\n' +
        'RTM_IFANNOUNCE: iface arrival/departure: if# 3, name: gif0, what: departure\n\n' +
        'RTM_MISS: Lookup failed on this address: pid: 0, seq 0, errno 0, flags:<>\n' +
        'sockaddrs: <DST,NETMASK>\n default default\n\n',
    );
  });

  it('a lost kernel connection ends the monitor with an error', async () => {
    const m = monitor(5);
    await m.isReady;
    m.fake.send('closed');
    await expect(m.done).rejects.toThrow('kernel connection closed');
  });
});
