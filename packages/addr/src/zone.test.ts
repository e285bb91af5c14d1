import { checkZone, parseZone } from './zone';

describe('parseZone / checkZone (RFC 4007 11.2)', () => {
  it.each([
    ['eth0', 'eth0'],
    ['br-lan', 'br-lan'],
    ['eth0.100', 'eth0.100'],
    ['ne0', 'ne0'],
    ['abcdefghijklmno', 'abcdefghijklmno'],
    ['2', 2],
    ['0', 0],
    ['4294967295', 4294967295],
  ])('RFC 4007 11.2: %j is a valid zone', (text, zone) => {
    expect(parseZone(text, 0, text.length)).toEqual({ zone });
  });

  it.each([
    ['', 0, /empty zone/],
    ['eth/0', 3, /'\/'/],
    ['eth 0', 3, /white space/],
    ['eth\t0', 3, /white space/],
    ['eth%0', 3, /'%'/],
    ['abcdefghijklmnop', 0, /16 bytes, max 15/],
    ['ééééééééé', 0, /18 bytes/],
    ['4294967296', 0, /zone index/],
  ])('RFC 4007 11.2: %j is rejected at %d', (text, position, reason) => {
    const r = parseZone(text, 0, text.length);
    expect(r).toMatchObject({ position });
    expect('reason' in r && r.reason).toMatch(reason);
  });

  it('RFC 4007 11.2: checkZone validates values given in code', () => {
    expect(() => checkZone('eth0')).not.toThrow();
    expect(() => checkZone(3)).not.toThrow();
    expect(() => checkZone(-1)).toThrow(RangeError);
    expect(() => checkZone(1.5)).toThrow(RangeError);
    expect(() => checkZone('')).toThrow(RangeError);
    expect(() => checkZone('12')).toThrow(/pass it as a number/);
  });
});
