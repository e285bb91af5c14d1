// mld6: the MLD host part (RFC 2710, RFC 3810 6 and 8.2) and ifmcstat.
export * from './params';
export * from './listener-state';
export * from './listener';
export * from './ifmcstat';
