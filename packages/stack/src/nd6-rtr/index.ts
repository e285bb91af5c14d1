// nd6-rtr: host Router Advertisement processing, default router selection and SLAAC
// (RFC 4861 6.3.4-6.3.6, RFC 4191, RFC 4862 5.5.3-5.5.4): KAME nd6_rtr.c's role.
export * from './params';
export * from './lifetime';
export * from './router-selection';
export * from './nd6-rtr-engine';
