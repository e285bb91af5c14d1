import {
  RTF_BLACKHOLE,
  RTF_DYNAMIC,
  RTF_GATEWAY,
  RTF_HOST,
  RTF_LLINFO,
  RTF_MODIFIED,
  RTF_STATIC,
  RTF_UP,
  formatRtflags,
} from './rtflags';

describe('formatRtflags (netstat(1) -r Flags column)', () => {
  it.each([
    [RTF_UP | RTF_GATEWAY | RTF_STATIC, 'UGS'],
    [RTF_UP | RTF_HOST | RTF_LLINFO, 'UHL'],
    [RTF_UP | RTF_GATEWAY | RTF_HOST | RTF_DYNAMIC | RTF_MODIFIED, 'UGHDM'],
    [RTF_UP | RTF_BLACKHOLE | RTF_STATIC, 'USB'],
    [0, ''],
  ])('%i -> %s', (flags, text) => {
    expect(formatRtflags(flags)).toBe(text);
  });

  it('route(4) values: RTF_UP 0x1, RTF_GATEWAY 0x2, RTF_HOST 0x4, RTF_STATIC 0x800', () => {
    expect([RTF_UP, RTF_GATEWAY, RTF_HOST, RTF_STATIC]).toEqual([0x1, 0x2, 0x4, 0x800]);
  });
});
