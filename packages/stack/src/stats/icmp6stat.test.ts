import { countHistogram } from './histogram';
import { newIcmp6Stat, renderIcmp6Stat } from './icmp6stat';

describe('icmp6stat and netstat -s -p icmp6', () => {
  it('histograms: "Input histogram:" with "\\t\\techo request: 3" (-ss)', () => {
    const s = newIcmp6Stat();
    countHistogram(s.icp6s_inhist, 128, 3);
    countHistogram(s.icp6s_inhist, 135);
    countHistogram(s.icp6s_outhist, 129, 3);
    s.icp6s_reflect = 3;
    expect(renderIcmp6Stat(s, { suppressZero: true })).toBe(
      'icmp6:\n' +
        '\tOutput histogram:\n' +
        '\t\techo reply: 3\n' +
        '\tInput histogram:\n' +
        '\t\techo request: 3\n' +
        '\t\tneighbor solicitation: 1\n' +
        '\tHistogram of error messages to be generated:\n' +
        '\t3 message responses generated\n',
    );
  });

  it('IMPLEMENTATION 1.2: ND option overflow and bad ND messages', () => {
    const s = newIcmp6Stat();
    s.icp6s_nd_toomanyopt = 1;
    s.icp6s_badra = 2;
    s.icp6s_odst_unreach_noport = 1;
    s.icp6s_error = 1;
    expect(renderIcmp6Stat(s, { suppressZero: true })).toBe(
      'icmp6:\n' +
        '\t1 call to icmp6_error\n' +
        '\tHistogram of error messages to be generated:\n' +
        '\t\t1 port unreachable\n' +
        '\t1 message with too many ND options\n' +
        '\t2 bad router advertisement messages\n',
    );
  });

  it('single -s lists every scalar including the error-kind histogram', () => {
    const out = renderIcmp6Stat(newIcmp6Stat());
    expect(out).toContain('\t0 errors not generated because of rate limitation\n');
    expect(out).toContain('\t\t0 beyond scope\n');
    expect(out).toContain('\t0 bad checksums\n');
    expect(out).not.toContain('Input histogram');
    expect(out.split('\n')).toHaveLength(1 + 3 + 4 + 1 + 13 + 9 + 1);
  });

  it('unknown types render as #N', () => {
    const s = newIcmp6Stat();
    countHistogram(s.icp6s_inhist, 200, 2);
    expect(renderIcmp6Stat(s, { suppressZero: true })).toContain('\t\t#200: 2\n');
  });
});
