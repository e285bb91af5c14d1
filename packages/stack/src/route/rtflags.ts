/**
 * Route flags (rt_flags / rtm_flags), with the values of BSD <net/route.h>
 * as route(4) lists them: the routing socket is our ABI (ARCHITECTURE
 * "Contracts" 3), so a KAME program reading rtm_flags sees the numbers it knows.
 */
export const RTF_UP = 0x1; // route usable
export const RTF_GATEWAY = 0x2; // destination is reached through a gateway
export const RTF_HOST = 0x4; // host entry (full-length mask), else net
export const RTF_REJECT = 0x8; // host or net unreachable: answer with an ICMP error
export const RTF_DYNAMIC = 0x10; // created dynamically (by redirect)
export const RTF_MODIFIED = 0x20; // modified dynamically (by redirect)
export const RTF_DONE = 0x40; // message confirmed (set on routing-socket replies only)
export const RTF_CLONING = 0x100; // generate new host routes on use (connected prefix, ND)
export const RTF_XRESOLVE = 0x200; // external daemon resolves name
export const RTF_LLINFO = 0x400; // carries link-layer info (a neighbor-cache entry)
export const RTF_STATIC = 0x800; // manually added (route(8))
export const RTF_BLACKHOLE = 0x1000; // discard silently
export const RTF_PROTO2 = 0x4000; // protocol-specific
export const RTF_PROTO1 = 0x8000; // protocol-specific

/** netstat(1) -r flag letters, in the order netstat prints them. */
const LETTERS: readonly (readonly [number, string])[] = [
  [RTF_UP, 'U'],
  [RTF_GATEWAY, 'G'],
  [RTF_HOST, 'H'],
  [RTF_REJECT, 'R'],
  [RTF_DYNAMIC, 'D'],
  [RTF_MODIFIED, 'M'],
  [RTF_DONE, 'd'],
  [RTF_CLONING, 'C'],
  [RTF_XRESOLVE, 'X'],
  [RTF_LLINFO, 'L'],
  [RTF_STATIC, 'S'],
  [RTF_PROTO1, '1'],
  [RTF_PROTO2, '2'],
  [RTF_BLACKHOLE, 'B'],
];

/** The Flags column of `netstat -rn`, e.g. "UGS" for a static gateway route. */
export function formatRtflags(flags: number): string {
  let s = '';
  for (const [bit, letter] of LETTERS) if ((flags & bit) !== 0) s += letter;
  return s;
}
