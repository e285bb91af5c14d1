/**
 * ICMPv6 message types and codes (RFC 4443 2.1, 3, 4; RFC 4861 4; RFC 2710 3;
 * RFC 3810 5; RFC 2894 3.1; RFC 4620 4), named as in KAME's netinet/icmp6.h.
 */

export const ICMPV6_NEXT_HEADER = 58;

// RFC 4443 error messages (type < 128).
export const ICMP6_DST_UNREACH = 1;
export const ICMP6_PACKET_TOO_BIG = 2;
export const ICMP6_TIME_EXCEEDED = 3;
export const ICMP6_PARAM_PROB = 4;

// Informational messages (type >= 128).
export const ICMP6_ECHO_REQUEST = 128;
export const ICMP6_ECHO_REPLY = 129;
export const MLD_LISTENER_QUERY = 130;
export const MLD_LISTENER_REPORT = 131;
export const MLD_LISTENER_DONE = 132;
export const ND_ROUTER_SOLICIT = 133;
export const ND_ROUTER_ADVERT = 134;
export const ND_NEIGHBOR_SOLICIT = 135;
export const ND_NEIGHBOR_ADVERT = 136;
export const ND_REDIRECT = 137;
export const ICMP6_ROUTER_RENUMBERING = 138;
export const ICMP6_NI_QUERY = 139;
export const ICMP6_NI_REPLY = 140;
export const MLDV2_LISTENER_REPORT = 143;

/** Informational types have the high bit set (RFC 4443 2.1). */
export const ICMP6_INFOMSG_MASK = 0x80;

// Destination Unreachable codes, RFC 4443 3.1.
export const ICMP6_DST_UNREACH_NOROUTE = 0;
export const ICMP6_DST_UNREACH_ADMIN = 1;
export const ICMP6_DST_UNREACH_BEYONDSCOPE = 2;
export const ICMP6_DST_UNREACH_ADDR = 3;
export const ICMP6_DST_UNREACH_NOPORT = 4;
export const ICMP6_DST_UNREACH_POLICY = 5;
export const ICMP6_DST_UNREACH_REJECT = 6;

// Time Exceeded codes, RFC 4443 3.3.
export const ICMP6_TIME_EXCEED_TRANSIT = 0;
export const ICMP6_TIME_EXCEED_REASSEMBLY = 1;

// Parameter Problem codes, RFC 4443 3.4.
export const ICMP6_PARAMPROB_HEADER = 0;
export const ICMP6_PARAMPROB_NEXTHEADER = 1;
export const ICMP6_PARAMPROB_OPTION = 2;

// Router Renumbering codes, RFC 2894 3.1.
export const ICMP6_ROUTER_RENUMBERING_COMMAND = 0;
export const ICMP6_ROUTER_RENUMBERING_RESULT = 1;
export const ICMP6_ROUTER_RENUMBERING_SEQNUM_RESET = 255;

// Node Information codes, RFC 4620 4.
export const ICMP6_NI_SUBJ_IPV6 = 0;
export const ICMP6_NI_SUBJ_FQDN = 1;
export const ICMP6_NI_SUBJ_IPV4 = 2;
export const ICMP6_NI_SUCCESS = 0;
export const ICMP6_NI_REFUSED = 1;
export const ICMP6_NI_UNKNOWN = 2;
