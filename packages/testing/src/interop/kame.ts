import { randomBytes } from 'node:crypto';
import { Ipv6Address } from '@kame/addr';
import { IN6_IFF_DUPLICATED, IN6_IFF_TENTATIVE, KernelNode } from '@kame/stack';
import { RealClock, SeededRandom } from '@kame/time';

/** A kame KernelNode on the host's clock, logging into `log` (printed when a test fails). */
export function realNode(
  name: string,
  sysctl: Record<string, number> = {},
): { node: KernelNode; log: string[] } {
  const log: string[] = [];
  const clock = new RealClock();
  const node = new KernelNode({
    name,
    clock,
    random: new SeededRandom(randomBytes(4).readUInt32BE(0)),
    sysctl: { initial: sysctl },
    log: (level, message) => {
      log.push(`${Math.round(clock.now())} ${level} ${message}`);
      if (log.length > 500) log.shift();
    },
  });
  return { node, log };
}

/** Flags of `address` on `ifname`, or undefined if it is not there. */
export function addrFlags(node: KernelNode, ifname: string, address: string): number | undefined {
  const a = Ipv6Address.parse(address);
  return node.mustIfnet(ifname).addresses.find((x) => x.address.equals(a))?.flags;
}

/** True when every address on `ifname` has finished DAD (none tentative). */
export function dadDone(node: KernelNode, ifname: string): boolean {
  const addrs = node.mustIfnet(ifname).addresses;
  return addrs.length > 0 && addrs.every((a) => (a.flags & IN6_IFF_TENTATIVE) === 0);
}

export function isDuplicated(node: KernelNode, ifname: string, address: string): boolean {
  return ((addrFlags(node, ifname, address) ?? 0) & IN6_IFF_DUPLICATED) !== 0;
}

/** Random integer in [lo, hi]. */
export function randInt(lo: number, hi: number): number {
  return lo + (randomBytes(4).readUInt32BE(0) % (hi - lo + 1));
}

/** "N received" from ping(8)'s summary, or -1. */
export function received(pingOutput: string): number {
  const m = /(\d+) received/.exec(pingOutput);
  return m ? Number(m[1]) : -1;
}

/** The `ip -6 addr show` line of `addrWithLen` ("2001:db8::1/64"), flags included, or undefined. */
export function addrLine(ipAddrOutput: string, addrWithLen: string): string | undefined {
  return ipAddrOutput.split('\n').find((l) => l.trim().startsWith(`inet6 ${addrWithLen} `));
}
