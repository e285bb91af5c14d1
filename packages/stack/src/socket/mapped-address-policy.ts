import type { Ipv6Address } from '@kame/addr';
import {
  defaultV6only,
  mappedAddressBehaviour,
  type KamePlatform,
  type MappedAddressBehaviour,
} from '../sysctl/platform';
import type { SocketErrno } from './socket-errno';

/**
 * What an AF_INET6 socket may do with IPv4-mapped addresses (RFC 4291
 * 2.5.5.2, RFC 3493 3.7 and 5.3 IPV6_V6ONLY) on one KAME platform
 * (IMPLEMENTATION 1.12 table and 1.12.1-1.12.5).
 *
 * This socket layer has no IPv4 transport, so where a platform would carry
 * IPv4 through a mapped address the request is refused with EAFNOSUPPORT (a
 * stub standing for the missing IPv4 stack), and where the platform forbids it
 * (unsupported, or the socket is v6only) with EINVAL. IPv4 datagrams are
 * never delivered to AF_INET6 sockets. The BSDI4 shared port space (1.12
 * footnote) is not modelled: IPv6 ports are always a space of their own.
 */
export class MappedAddressPolicy {
  readonly behaviour: MappedAddressBehaviour;

  constructor(readonly platform: KamePlatform) {
    this.behaviour = mappedAddressBehaviour(platform);
  }

  /**
   * IPV6_V6ONLY of a new socket: copied from net.inet6.ip6.v6only at
   * creation time (1.12.3.1: later sysctl changes do not affect open sockets),
   * or the platform default when no sysctl value is given.
   */
  initialV6only(sysctlValue?: number): boolean {
    const fixed = this.fixedV6only();
    if (fixed !== undefined) return fixed;
    return (sysctlValue ?? defaultV6only(this.platform)) !== 0;
  }

  /** The value IPV6_V6ONLY is pinned to on platforms where it is not configurable. */
  fixedV6only(): boolean | undefined {
    switch (this.behaviour.listening) {
      case 'not-supported':
        return true; // 1.12.1, 1.12.5: families fully separate
      case 'enabled':
        return false; // 1.12.4: the wildcard socket always grabs IPv4
      case 'configurable':
        return undefined;
    }
  }

  /** setsockopt(IPV6_V6ONLY): EINVAL when the platform pins another value. */
  checkSetV6only(value: boolean): SocketErrno | undefined {
    const fixed = this.fixedV6only();
    return fixed === undefined || fixed === value ? undefined : 'EINVAL';
  }

  /** bind(2) to ::ffff:a.b.c.d (listening side). */
  checkMappedBind(v6only: boolean): SocketErrno {
    return v6only || this.behaviour.listening === 'not-supported' ? 'EINVAL' : 'EAFNOSUPPORT';
  }

  /** connect(2)/sendto(2) to ::ffff:a.b.c.d (initiating side). */
  checkMappedDestination(v6only: boolean): SocketErrno {
    return v6only || !this.behaviour.initiating ? 'EINVAL' : 'EAFNOSUPPORT';
  }
}

/** RFC 4291 2.5.5.2: ::ffff:0:0/96. */
export function isV4Mapped(a: Ipv6Address): boolean {
  const b = a.bytes;
  for (let i = 0; i < 10; i++) if (b[i] !== 0) return false;
  return b[10] === 0xff && b[11] === 0xff;
}
