import { newRip6Stat } from '../socket/rip6stat';
import { newIcmp6Stat, renderIcmp6Stat } from './icmp6stat';
import { newIp6Stat, renderIp6Stat } from './ip6stat';
import { statToJson } from './json';
import { renderRip6Stat, renderStatJson, statFromJson } from './render-json';

describe('netstat -s from the JSON form (what the kernel API carries)', () => {
  it('statFromJson inverts statToJson, histograms included', () => {
    const s = newIp6Stat();
    s.ip6s_total = 7;
    s.ip6s_nxhist[58] = 3;
    s.ip6s_sources_sameif[2] = 1;
    expect(statFromJson(newIp6Stat(), statToJson(s))).toEqual(s);
  });

  it('renders each group exactly as the struct renderer does', () => {
    const icmp = newIcmp6Stat();
    icmp.icp6s_outhist[128] = 2;
    icmp.icp6s_inhist[129] = 2;
    expect(renderStatJson('icmp6', statToJson(icmp))).toBe(renderIcmp6Stat(icmp));
    const ip = newIp6Stat();
    ip.ip6s_delivered = 4;
    expect(renderStatJson('ip6', statToJson(ip))).toBe(renderIp6Stat(ip));
    expect(renderStatJson('nd6', {})).toBeUndefined();
  });

  it('rip6: KAME wording, delivered = received minus drops', () => {
    const r = newRip6Stat();
    r.rip6s_ipackets = 5;
    r.rip6s_nosock = 2;
    r.rip6s_opackets = 1;
    expect(renderRip6Stat(r)).toBe(
      [
        'rip6:',
        '\t5 messages received',
        '\t0 checksum calculations on inbound',
        '\t0 messages with bad checksum',
        '\t2 messages dropped due to no socket',
        '\t0 multicast messages dropped due to no socket',
        '\t0 messages dropped due to full socket buffers',
        '\t3 delivered',
        '\t1 datagram output',
        '',
      ].join('\n'),
    );
  });
});
