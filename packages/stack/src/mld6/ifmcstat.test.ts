import { Ipv6Address } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import { formatIfmcstat } from './ifmcstat';
import { Mld6Listener } from './listener';

const A = (s: string): Ipv6Address => Ipv6Address.parse(s);

describe('formatIfmcstat (KAME ifmcstat)', () => {
  it("prints each interface's addresses, groups and link-layer groups", () => {
    const mld = new Mld6Listener({
      clock: new VirtualClock(),
      random: new SeededRandom(1),
      output: { send: () => undefined },
    });
    const ll = A('fe80::201:2ff:fe01:6317');
    mld.joinSolicitedNode(ll);
    mld.joinSolicitedNode(A('2001:db8::201:2ff:fe01:6317'));
    expect(formatIfmcstat([{ name: 'em0', addresses: [ll], memberships: mld.memberships() }])).toBe(
      [
        'em0:',
        '\tinet6 fe80::201:2ff:fe01:6317%em0',
        '\tgroup ff02::1 refcnt 1',
        '\t\tmcast-macaddr 33:33:00:00:00:01 refcnt 1',
        '\tgroup ff02::1:ff01:6317 refcnt 2',
        '\t\tmcast-macaddr 33:33:ff:01:63:17 refcnt 1',
        '',
      ].join('\n'),
    );
  });

  it('RFC 2464 7: groups sharing an Ethernet group count on its refcnt', () => {
    const out = formatIfmcstat([
      {
        name: 'lo0',
        memberships: [
          { group: A('ff02::1:ff01:6317'), refcount: 1 },
          { group: A('ff05::1:ff01:6317'), refcount: 3 },
        ],
      },
      { name: 'em1', addresses: [A('2001:db8::1')], memberships: [] },
    ]);
    expect(out.split('\n')).toEqual([
      'lo0:',
      '\tgroup ff02::1:ff01:6317 refcnt 1',
      '\t\tmcast-macaddr 33:33:ff:01:63:17 refcnt 2',
      '\tgroup ff05::1:ff01:6317 refcnt 3',
      '\t\tmcast-macaddr 33:33:ff:01:63:17 refcnt 2',
      'em1:',
      '\tinet6 2001:db8::1',
      '',
    ]);
  });

  it('no interfaces print nothing', () => {
    expect(formatIfmcstat([])).toBe('');
  });
});
