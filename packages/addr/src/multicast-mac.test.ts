import { Ipv4Address } from './ipv4';
import { Ipv6Address } from './ipv6';
import { ipv4MulticastMac, multicastMac } from './multicast-mac';

describe('multicast MAC mapping', () => {
  it.each([
    ['ff02::1', '33:33:00:00:00:01'],
    ['ff02::1:ff01:6317', '33:33:ff:01:63:17'],
    ['ff0e::1:2:3:4', '33:33:00:03:00:04'],
  ])('RFC 2464 7: %s goes to %s', (a, mac) => {
    expect(multicastMac(Ipv6Address.parse(a)).toString()).toBe(mac);
  });

  it.each([
    ['224.0.0.1', '01:00:5e:00:00:01'],
    ['239.255.255.250', '01:00:5e:7f:ff:fa'],
    ['224.128.0.1', '01:00:5e:00:00:01'],
  ])('RFC 1112 6.4: %s goes to %s (low 23 bits)', (a, mac) => {
    expect(ipv4MulticastMac(Ipv4Address.parse(a)).toString()).toBe(mac);
  });

  it('RFC 2464 7 / RFC 1112 6.4: unicast has no multicast MAC', () => {
    expect(() => multicastMac(Ipv6Address.parse('2001:db8::1'))).toThrow(RangeError);
    expect(() => ipv4MulticastMac(Ipv4Address.parse('10.0.0.1'))).toThrow(RangeError);
  });
});
