import { newNd6Stat, renderNd6Stat } from './nd6stat';
import { newUdp6Stat, renderUdp6Stat, udp6Delivered } from './udp6stat';

describe('udp6stat and netstat -s -p udp6', () => {
  it('renders received, drops, computed delivered and output (-s)', () => {
    const s = newUdp6Stat();
    s.udp6s_ipackets = 10;
    s.udp6s_badsum = 1;
    s.udp6s_noport = 2;
    s.udp6s_opackets = 1;
    expect(udp6Delivered(s)).toBe(7);
    expect(renderUdp6Stat(s)).toBe(
      'udp6:\n' +
        '\t10 datagrams received\n' +
        '\t0 with incomplete header\n' +
        '\t0 with bad data length field\n' +
        '\t1 with bad checksum\n' +
        '\t0 with no checksum\n' +
        '\t2 dropped due to no socket\n' +
        '\t0 multicast datagrams dropped due to no socket\n' +
        '\t0 dropped due to full socket buffers\n' +
        '\t7 delivered\n' +
        '\t1 datagram output\n',
    );
  });

  it('nd6 drop counters render in the same shape', () => {
    const s = newNd6Stat();
    s.nd6s_holdqdrop = 2;
    expect(renderNd6Stat(s, { suppressZero: true })).toBe(
      'nd6:\n\t2 packets dropped from the address resolution queue\n',
    );
  });
});
