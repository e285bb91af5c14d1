/*
 * The flag bits the ABI carries (Interface.flags, InterfaceAddress.flags,
 * Route.flags / RtMsg.flags): BSD's values, so clients test them with the
 * names they know. The kernel (@kame/stack) keeps its own copies; the kernel
 * server's tests hold the two sets equal.
 */

/** net/if.h IFF_* (Interface.flags, RTM_IFINFO). */
export const IFF_UP = 0x1;
export const IFF_BROADCAST = 0x2;
export const IFF_DEBUG = 0x4;
export const IFF_LOOPBACK = 0x8;
export const IFF_POINTOPOINT = 0x10;
export const IFF_RUNNING = 0x40;
export const IFF_NOARP = 0x80;
export const IFF_PROMISC = 0x100;
export const IFF_SIMPLEX = 0x800;
export const IFF_MULTICAST = 0x8000;

/** netinet6/in6_var.h IN6_IFF_* (InterfaceAddress.flags, RTM_NEWADDR). */
export const IN6_IFF_ANYCAST = 0x01;
export const IN6_IFF_TENTATIVE = 0x02;
export const IN6_IFF_DUPLICATED = 0x04;
export const IN6_IFF_DETACHED = 0x08;
export const IN6_IFF_DEPRECATED = 0x10;
export const IN6_IFF_AUTOCONF = 0x40;

/** net/route.h RTF_* (Route.flags, RtMsg.flags of route messages). */
export const RTF_UP = 0x1;
export const RTF_GATEWAY = 0x2;
export const RTF_HOST = 0x4;
export const RTF_REJECT = 0x8;
export const RTF_DYNAMIC = 0x10;
export const RTF_MODIFIED = 0x20;
export const RTF_DONE = 0x40;
export const RTF_CLONING = 0x100;
export const RTF_XRESOLVE = 0x200;
export const RTF_LLINFO = 0x400;
export const RTF_STATIC = 0x800;
export const RTF_BLACKHOLE = 0x1000;
