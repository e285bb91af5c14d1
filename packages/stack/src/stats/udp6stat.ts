import { NetstatWriter, type CounterLine, type NetstatOptions } from './netstat-format';

/** UDP over IPv6 statistics, KAME udp6stat field names. */
export interface Udp6Stat {
  udp6s_ipackets: number;
  udp6s_hdrops: number;
  udp6s_badsum: number;
  udp6s_nosum: number;
  udp6s_badlen: number;
  udp6s_noport: number;
  udp6s_noportmcast: number;
  udp6s_fullsock: number;
  udp6s_pcbcachemiss: number;
  udp6s_opackets: number;
}

/** A zero-initialised udp6stat. */
export function newUdp6Stat(): Udp6Stat {
  return {
    udp6s_ipackets: 0,
    udp6s_hdrops: 0,
    udp6s_badsum: 0,
    udp6s_nosum: 0,
    udp6s_badlen: 0,
    udp6s_noport: 0,
    udp6s_noportmcast: 0,
    udp6s_fullsock: 0,
    udp6s_pcbcachemiss: 0,
    udp6s_opackets: 0,
  };
}

/** Datagrams handed to sockets: received minus every input drop. */
export function udp6Delivered(s: Udp6Stat): number {
  return (
    s.udp6s_ipackets -
    s.udp6s_hdrops -
    s.udp6s_badlen -
    s.udp6s_badsum -
    s.udp6s_noport -
    s.udp6s_noportmcast -
    s.udp6s_fullsock
  );
}

const INPUT: readonly CounterLine<Udp6Stat>[] = [
  ['udp6s_ipackets', 'datagram%s received'],
  ['udp6s_hdrops', 'with incomplete header'],
  ['udp6s_badlen', 'with bad data length field'],
  ['udp6s_badsum', 'with bad checksum'],
  ['udp6s_nosum', 'with no checksum'],
  ['udp6s_noport', 'dropped due to no socket'],
  ['udp6s_noportmcast', 'multicast datagram%s dropped due to no socket'],
  ['udp6s_fullsock', 'dropped due to full socket buffers'],
];

/** `netstat -s -p udp6` text. See NetstatOptions for which zero lines appear. */
export function renderUdp6Stat(s: Udp6Stat, options: NetstatOptions = {}): string {
  const w = new NetstatWriter(options);
  w.header('udp6:');
  w.counters(s, INPUT);
  w.counter(udp6Delivered(s), 'delivered');
  w.counter(s.udp6s_opackets, 'datagram%s output');
  return w.text();
}
