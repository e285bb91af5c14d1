import { Ipv6Address } from '@kame/addr';
import { isV4Mapped, MappedAddressPolicy } from './mapped-address-policy';

describe('MappedAddressPolicy (IMPLEMENTATION 1.12)', () => {
  it('follows the sysctl value on configurable platforms and pins the others', () => {
    expect(new MappedAddressPolicy('netbsd').initialV6only(0)).toBe(false);
    expect(new MappedAddressPolicy('netbsd').initialV6only()).toBe(true);
    expect(new MappedAddressPolicy('freebsd3x').initialV6only()).toBe(false);
    expect(new MappedAddressPolicy('openbsd').initialV6only(0)).toBe(true);
    expect(new MappedAddressPolicy('bsdi4').checkSetV6only(true)).toBe('EINVAL');
  });

  it('recognises ::ffff:0:0/96 only', () => {
    expect(isV4Mapped(Ipv6Address.parse('::ffff:10.1.1.1'))).toBe(true);
    expect(isV4Mapped(Ipv6Address.parse('::10.1.1.1'))).toBe(false);
    expect(isV4Mapped(Ipv6Address.parse('64:ff9b::10.1.1.1'))).toBe(false);
  });
});
