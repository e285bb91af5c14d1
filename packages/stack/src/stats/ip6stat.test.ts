import { countHistogram } from './histogram';
import { newIp6Stat, renderIp6Stat } from './ip6stat';
import { statToJson } from './json';

describe('ip6stat and netstat -s -p ip6', () => {
  it('zero-initialised factory, histograms of 256 and 16 buckets', () => {
    const s = newIp6Stat();
    expect(s.ip6s_total).toBe(0);
    expect(s.ip6s_nxhist).toHaveLength(256);
    expect(s.ip6s_sources_sameif).toHaveLength(16);
    expect(newIp6Stat().ip6s_nxhist).not.toBe(s.ip6s_nxhist);
  });

  it('IMPLEMENTATION 1.7: ip6s_tooshort renders as "with data size < data length" (-ss)', () => {
    const s = newIp6Stat();
    s.ip6s_total = 12;
    s.ip6s_tooshort = 1;
    s.ip6s_delivered = 11;
    countHistogram(s.ip6s_nxhist, 58, 10);
    countHistogram(s.ip6s_nxhist, 17);
    expect(renderIp6Stat(s, { suppressZero: true })).toBe(
      'ip6:\n' +
        '\t12 total packets received\n' +
        '\t1 with data size < data length\n' +
        '\t11 packets for this host\n' +
        '\tInput histogram:\n' +
        '\t\tUDP: 1\n' +
        '\t\tICMP6: 10\n',
    );
  });

  it('single -s prints zero scalars but never empty histograms; singular/plural', () => {
    const s = newIp6Stat();
    s.ip6s_total = 1;
    const out = renderIp6Stat(s);
    const lines = out.split('\n');
    expect(lines[0]).toBe('ip6:');
    expect(lines[1]).toBe('\t1 total packet received');
    expect(lines[2]).toBe('\t0 with size smaller than minimum');
    expect(out).toContain('\t0 packets not forwardable\n');
    expect(out).toContain("\t0 multicast packets which we don't join\n");
    expect(out).toContain('\t0 packets discarded because of too many headers\n');
    expect(out).not.toContain('Input histogram');
    expect(out).not.toContain('source addresses');
    expect(out.endsWith('\t0 failures of source address selection\n')).toBe(true);
  });

  it('source selection blocks print only non-zero scopes', () => {
    const s = newIp6Stat();
    countHistogram(s.ip6s_sources_sameif, 2, 3);
    countHistogram(s.ip6s_sources_otherscope, 14);
    expect(renderIp6Stat(s, { suppressZero: true })).toBe(
      'ip6:\n' +
        '\tsource addresses on an outgoing I/F\n' +
        '\t\t3 link-locals\n' +
        '\tsource addresses of a different scope\n' +
        '\t\t1 global\n',
    );
  });

  it('JSON form keeps scalars and sparse histograms', () => {
    const s = newIp6Stat();
    s.ip6s_fragments = 4;
    countHistogram(s.ip6s_nxhist, 44, 4);
    countHistogram(s.ip6s_nxhist, 999); // out of range: ignored
    const j = statToJson(s);
    expect(j['ip6s_fragments']).toBe(4);
    expect(j['ip6s_nxhist']).toEqual({ '44': 4 });
    expect(j['ip6s_sources_sameif']).toEqual({});
    expect(JSON.parse(JSON.stringify(j))).toEqual(j);
  });
});
