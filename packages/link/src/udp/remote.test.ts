import { addressKey, familyOf, formatRemote, normalizeRemote, sameRemote } from './remote';

describe('remote helpers', () => {
  it('picks the socket family from the bind address', () => {
    expect(familyOf('127.0.0.1')).toBe('udp4');
    expect(familyOf('0.0.0.0')).toBe('udp4');
    expect(familyOf('::1')).toBe('udp6');
    expect(familyOf('fe80::1%lo')).toBe('udp6');
  });

  it('accepts IP literals only, of the socket family', () => {
    expect(normalizeRemote({ address: '10.0.0.1', port: 4789 }, 'udp4')).toEqual({
      address: '10.0.0.1',
      port: 4789,
    });
    expect(normalizeRemote({ address: '10.0.0.1', port: 4789 }, 'udp6').address).toBe('::ffff:10.0.0.1');
    expect(normalizeRemote({ address: 'FE80::1%lo', port: 1 }, 'udp6').address).toBe('fe80::1%lo');
    expect(() => normalizeRemote({ address: '::1', port: 4789 }, 'udp4')).toThrow(TypeError);
    expect(() => normalizeRemote({ address: 'localhost', port: 4789 }, 'udp4')).toThrow(TypeError);
    expect(() => normalizeRemote({ address: '10.0.0.1', port: 0 }, 'udp4')).toThrow(RangeError);
    expect(() => normalizeRemote({ address: '10.0.0.1', port: 65536 }, 'udp4')).toThrow(RangeError);
  });

  it('compares IPv4-mapped and plain IPv4 as the same address', () => {
    expect(addressKey('::FFFF:10.0.0.1')).toBe('10.0.0.1');
    expect(sameRemote({ address: '::ffff:10.0.0.1', port: 1 }, { address: '10.0.0.1', port: 1 })).toBe(true);
    expect(sameRemote({ address: '10.0.0.1', port: 1 }, { address: '10.0.0.1', port: 2 })).toBe(false);
    expect(formatRemote({ address: '::1', port: 5 })).toBe('[::1]:5');
    expect(formatRemote({ address: '10.0.0.1', port: 5 })).toBe('10.0.0.1:5');
  });
});
