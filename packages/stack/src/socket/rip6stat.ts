/** Raw IPv6 socket statistics, KAME rip6stat field names (netstat -s -p rip6). */
export interface Rip6Stat {
  /** total input packets offered to raw sockets */
  rip6s_ipackets: number;
  /** input packets whose checksum (IPV6_CHECKSUM) was verified */
  rip6s_isum: number;
  /** input packets dropped on a bad IPV6_CHECKSUM checksum */
  rip6s_badsum: number;
  /** unicast packets no raw socket wanted */
  rip6s_nosock: number;
  /** multicast packets no raw socket wanted */
  rip6s_nosockmcast: number;
  /** copies dropped because a receive buffer was full */
  rip6s_fullsock: number;
  /** packets sent */
  rip6s_opackets: number;
}

export function newRip6Stat(): Rip6Stat {
  return {
    rip6s_ipackets: 0,
    rip6s_isum: 0,
    rip6s_badsum: 0,
    rip6s_nosock: 0,
    rip6s_nosockmcast: 0,
    rip6s_fullsock: 0,
    rip6s_opackets: 0,
  };
}
