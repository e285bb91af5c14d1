import { Ipv6Address } from '@kame/addr';
import { sec2str, scopedText, table } from './format';

const ifs = [
  { index: 1, name: 'lo0' },
  { index: 2, name: 'em0' },
];
const b = (s: string) => Ipv6Address.parse(s).bytes;

describe('format', () => {
  it('sec2str: KAME ndp expiry text (days, hours, minutes only when reached)', () => {
    expect(sec2str(0)).toBe('0s');
    expect(sec2str(59)).toBe('59s');
    expect(sec2str(60)).toBe('1m0s');
    expect(sec2str(3600)).toBe('1h0m0s');
    expect(sec2str(86399)).toBe('23h59m59s');
    expect(sec2str(2592000)).toBe('30d0h0m0s');
    expect(sec2str(0.2)).toBe('1s'); // rounds up: an entry that has not expired is never "0s"
  });

  it('scopedText: IMPLEMENTATION 1.3.1 kernel form fe80:2::1 reads fe80::1%em0; plain + ifindex too', () => {
    expect(scopedText(b('fe80:2::1'), ifs)).toBe('fe80::1%em0');
    expect(scopedText(b('fe80::1'), ifs, 2)).toBe('fe80::1%em0');
    expect(scopedText(b('fe80::1'), ifs)).toBe('fe80::1');
    expect(scopedText(b('ff02:1::1'), ifs)).toBe('ff02::1%lo0');
    expect(scopedText(b('2001:db8::1'), ifs, 2)).toBe('2001:db8::1');
    expect(scopedText(b('fe80:7::1'), ifs)).toBe('fe80::1%7'); // an index no interface has
    expect(scopedText(new Uint8Array(3), ifs)).toBe('?');
  });

  it('table: columns one space apart, right-aligned where asked, no trailing blanks', () => {
    expect(
      table(
        [
          ['Name', 'Mtu', 'X'],
          ['lo0', '16384', ''],
          ['em0', '1500', 'y'],
        ],
        [1],
      ),
    ).toBe('Name   Mtu X\nlo0  16384\nem0   1500 y\n');
  });
});
