import * as addr from './index';

describe('@kame/addr public API', () => {
  it.each([
    'AddrParseError',
    'Ipv4Address',
    'Ipv6Address',
    'MacAddress',
    'formatIpv6',
    'parseIpv6Into',
    'parseDottedQuad',
    'Ipv6Prefix',
    'Ipv4Prefix',
    'commonPrefixLength',
    'maskAddress',
    'Scope',
    'scopeOf',
    'scopeName',
    'multicastFlags',
    'ScopedAddress',
    'parseZone',
    'checkZone',
    'embedScope',
    'extractScope',
    'needsScope',
    'eui64FromMac',
    'addressFromInterfaceId',
    'linkLocalFromMac',
    'solicitedNodeMulticast',
    'isSolicitedNodeMulticast',
    'multicastMac',
    'ipv4MulticastMac',
    'IPV6_SPECIAL_PURPOSE',
    'IPV4_SPECIAL_PURPOSE',
    'specialPurpose',
    'isInvalidOnWire',
    'parseHostPort',
    'formatHostPort',
  ])('public API exports %s', (name) => {
    expect((addr as Record<string, unknown>)[name]).toBeDefined();
  });
});
