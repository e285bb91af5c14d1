import { Ipv6Address, Ipv6Prefix } from '@kame/addr';
import { response, rte, started } from './support/solo';

describe('SIGUSR1 dump (KAME ifdump/rtdump format, reference 3.5)', () => {
  it('interfaces with flags, addresses and filters; routes with gateway, metric, age and tag', () => {
    const { f, x } = started({
      noUse: ['eth1'],
      aggregates: [{ prefix: Ipv6Prefix.parse('2001:db8::/32'), ifnames: ['eth0'] }],
      routeTag: 0x2a,
    });
    f.run(5_000);
    x.inject('eth0', { data: response(rte('2001:db9:77::/48', 3, 0x10)) });
    f.run(17_000);
    expect(x.engine.dump()).toBe(
      [
        '12:00:22: Interface Table Dump',
        '  Number of interfaces: 4',
        '  advertising interfaces:',
        '    stub0: index(2) flags(UP,BROADCAST,RUNNING,MULTICAST) addr(fe80::1:2) mtu(1500) metric(0)',
        '\t2001:db8:1::1/64',
        '    eth0: index(3) flags(UP,BROADCAST,RUNNING,MULTICAST) addr(fe80::1:3) mtu(1500) metric(0)',
        '\tFilter: Aggregate(2001:db8::/32)',
        '  non-advertising interfaces:',
        '    lo0: index(1) flags(UP,LOOPBACK,RUNNING,MULTICAST) addr(fe80::1) mtu(16384) metric(0)',
        '\t::1/128',
        '    eth1: index(4) flags(UP,BROADCAST,RUNNING,MULTICAST) addr(fe80::1:4) mtu(1500) metric(0)',
        '\tFilter: No-use',
        '',
        '12:00:22: Routing Table Dump',
        '    2001:db8::/32 if(1:lo0) gw(::1) [1] age(0) tag(0x002a)',
        '    2001:db8:1::/64 if(2:stub0) gw(::) [1] age(0) tag(0x002a)',
        '    2001:db9:77::/48 if(3:eth0) gw(fe80::99%eth0) [4] age(17) tag(0x0010)',
        '',
      ].join('\n'),
    );
  });
});

describe('-R route log (KAME addroute/delroute format, reference 3.5)', () => {
  it('ADD with metric-1 and interface address, DEL with gateway; changes log DEL then ADD', () => {
    const { f, x } = started();
    f.run(3_000);
    x.inject('eth0', { data: response(rte('2001:db9:77::/48', 3)) });
    f.run(1_000);
    x.inject('eth1', {
      src: Ipv6Address.parse('fe80::a'),
      data: response(rte('2001:db9:77::/48', 1)),
    });
    f.run(1_000);
    x.inject('eth1', {
      src: Ipv6Address.parse('fe80::a'),
      data: response(rte('2001:db9:77::/48', 16)),
    });
    expect(x.routeLogLines).toEqual([
      '12:00:03: ADD: 2001:db9:77::/48 gw fe80::99 [3] ifa fe80::1:3\n',
      '12:00:04: DEL: 2001:db9:77::/48 gw fe80::99\n',
      '12:00:04: ADD: 2001:db9:77::/48 gw fe80::a [1] ifa fe80::1:4\n',
      '12:00:05: DEL: 2001:db9:77::/48 gw fe80::a\n',
    ]);
  });
});
