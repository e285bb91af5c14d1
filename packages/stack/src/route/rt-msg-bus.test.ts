import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { RtMessageBus } from './rt-msg-bus';
import type { RtMessage } from './rt-msg';
import { RTM_CODE } from './rt-msg';

describe('RtMessageBus', () => {
  const dst = Ipv6Prefix.parse('2001:db8::/32');

  it('route(4): every listener sees every message, in order, with kernel sequence numbers', () => {
    const bus = new RtMessageBus();
    const a: RtMessage[] = [];
    const b: RtMessage[] = [];
    bus.subscribe((m) => a.push(m));
    bus.subscribe((m) => b.push(m));
    bus.publish({ type: 'RTM_ADD', pid: 0, owner: 'kernel', flags: 1, dst, ifindex: 1 });
    bus.publish({
      type: 'RTM_NEWADDR',
      pid: 0,
      owner: 'kernel',
      ifindex: 1,
      address: Ipv6Address.parse('2001:db8::1'),
      prefixLength: 64,
      flags: 0,
      metric: 0,
    });
    bus.publish({ type: 'RTM_IFINFO', pid: 0, owner: 'kernel', ifindex: 1, flags: 0x1, seq: 77 });
    expect(a.map((m) => [m.type, m.seq])).toEqual([
      ['RTM_ADD', 1],
      ['RTM_NEWADDR', 2],
      ['RTM_IFINFO', 77],
    ]);
    expect(b).toEqual(a);
  });

  it('unsubscribe stops delivery, also when called from inside a listener', () => {
    const bus = new RtMessageBus();
    const got: string[] = [];
    const off = bus.subscribe((m) => {
      got.push(m.type);
      off();
    });
    bus.publish({ type: 'RTM_MISS', pid: 0, owner: 'kernel', flags: 0, dst, ifindex: 0 });
    bus.publish({ type: 'RTM_MISS', pid: 0, owner: 'kernel', flags: 0, dst, ifindex: 0 });
    expect(got).toEqual(['RTM_MISS']);
    expect(bus.listenerCount).toBe(0);
  });

  it('route(4) type codes: RTM_ADD 1, RTM_DELETE 2, RTM_CHANGE 3, RTM_REDIRECT 6, RTM_MISS 7, RTM_NEWADDR 0xc, RTM_DELADDR 0xd, RTM_IFINFO 0xe', () => {
    expect(RTM_CODE).toMatchObject({
      RTM_ADD: 1,
      RTM_DELETE: 2,
      RTM_CHANGE: 3,
      RTM_REDIRECT: 6,
      RTM_MISS: 7,
      RTM_NEWADDR: 0xc,
      RTM_DELADDR: 0xd,
      RTM_IFINFO: 0xe,
    });
  });
});
