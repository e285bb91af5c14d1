import { Sysctl } from './sysctl';
import { SysctlError, type SysctlErrno } from './sysctl-error';
import { SYSCTL_VARIABLES } from './variables';

function errnoOf(fn: () => unknown): SysctlErrno | undefined {
  try {
    fn();
  } catch (e) {
    if (e instanceof SysctlError) return e.errno;
    throw e;
  }
  return undefined;
}

describe('Sysctl defaults (inet6(4), IMPLEMENTATION 1.2/1.4.2/1.6)', () => {
  const expected: [string, number][] = [
    ['net.inet.ip.forwarding', 0],
    ['net.inet.ip.ttl', 64],
    ['net.inet6.ip6.forwarding', 0],
    ['net.inet6.ip6.redirect', 1],
    ['net.inet6.ip6.hlim', 64],
    ['net.inet6.ip6.maxfragpackets', 256],
    ['net.inet6.ip6.accept_rtadv', 0],
    ['net.inet6.ip6.keepfaith', 0],
    ['net.inet6.ip6.log_interval', 5],
    ['net.inet6.ip6.hdrnestlimit', 50],
    ['net.inet6.ip6.dad_count', 1],
    ['net.inet6.ip6.auto_flowlabel', 1],
    ['net.inet6.ip6.defmcasthlim', 1],
    ['net.inet6.ip6.use_deprecated', 1],
    ['net.inet6.ip6.rr_prune', 5],
    ['net.inet6.ip6.v6only', 0],
    ['net.inet6.ip6.use_tempaddr', 0],
    ['net.inet6.ip6.temppltime', 86400],
    ['net.inet6.ip6.tempvltime', 604800],
    ['net.inet6.ip6.auto_linklocal', 1],
    ['net.inet6.icmp6.rediraccept', 1],
    ['net.inet6.icmp6.redirtimeout', 600],
    ['net.inet6.icmp6.nd6_prune', 1],
    ['net.inet6.icmp6.nd6_delay', 5],
    ['net.inet6.icmp6.nd6_umaxtries', 3],
    ['net.inet6.icmp6.nd6_mmaxtries', 3],
    ['net.inet6.icmp6.nd6_useloopback', 1],
    ['net.inet6.icmp6.nodeinfo', 3],
    ['net.inet6.icmp6.errppslimit', 100],
    ['net.inet6.icmp6.nd6_maxnudhint', 0],
    ['net.inet6.icmp6.nd6_maxqueuelen', 1],
    ['net.inet6.icmp6.nd6_maxndopt', 10],
  ];

  it.each(expected)('%s defaults to %d', (name, value) => {
    expect(new Sysctl().get(name)).toBe(value);
  });

  it('registry covers exactly the tested variables', () => {
    expect(SYSCTL_VARIABLES.map((v) => v.name).sort()).toEqual(expected.map(([n]) => n).sort());
  });

  it('every default lies inside its own range', () => {
    for (const v of SYSCTL_VARIABLES) {
      expect(v.defaultValue).toBeGreaterThanOrEqual(v.min);
      expect(v.defaultValue).toBeLessThanOrEqual(v.max);
      if (v.type === 'boolean') expect([v.min, v.max]).toEqual([0, 1]);
    }
  });
});

describe('Sysctl errors (sysctl(3) errno)', () => {
  it('ENOENT for an unknown name, on get, set, watch and list', () => {
    const s = new Sysctl();
    expect(errnoOf(() => s.get('net.inet6.ip6.nosuch'))).toBe('ENOENT');
    expect(errnoOf(() => s.set('net.inet6.ip6.nosuch', 1))).toBe('ENOENT');
    expect(errnoOf(() => s.watch('net.inet6.nosuch', () => undefined))).toBe('ENOENT');
    expect(errnoOf(() => s.list('net.inet7'))).toBe('ENOENT');
    // prefixes match whole components only
    expect(errnoOf(() => s.list('net.inet6.ip'))).toBe('ENOENT');
  });

  it.each([
    ['net.inet6.ip6.forwarding', 2],
    ['net.inet6.ip6.forwarding', -1],
    ['net.inet6.ip6.accept_rtadv', 2],
    ['net.inet6.ip6.use_deprecated', 7],
    ['net.inet6.ip6.hlim', 0],
    ['net.inet6.ip6.hlim', 256],
    ['net.inet.ip.ttl', 0],
    ['net.inet6.ip6.defmcasthlim', 256],
    ['net.inet6.ip6.maxfragpackets', -2],
    ['net.inet6.ip6.dad_count', -1],
    ['net.inet6.icmp6.nd6_delay', -1],
    ['net.inet6.icmp6.nd6_maxqueuelen', 0],
    ['net.inet6.icmp6.nodeinfo', 8],
    ['net.inet6.icmp6.errppslimit', 2 ** 31],
  ])('EINVAL: %s = %d is out of range', (name, value) => {
    const s = new Sysctl();
    const before = s.get(name);
    expect(errnoOf(() => s.set(name, value))).toBe('EINVAL');
    expect(s.get(name)).toBe(before);
  });

  it.each<[unknown]>([[1.5], [NaN], ['yes'], [''], ['1e2'], [true]])('EINVAL: wrong type %p', (value) => {
    const s = new Sysctl();
    expect(errnoOf(() => s.set('net.inet6.ip6.hlim', value as number))).toBe('EINVAL');
  });

  it('EPERM: nd6_maxndopt is read-only (IMPLEMENTATION 1.2, no knob in KAME)', () => {
    const s = new Sysctl();
    expect(errnoOf(() => s.set('net.inet6.icmp6.nd6_maxndopt', 20))).toBe('EPERM');
    expect(errnoOf(() => s.set('net.inet6.icmp6.nd6_maxndopt', 10))).toBe('EPERM');
    expect(s.describe('net.inet6.icmp6.nd6_maxndopt').writable).toBe(false);
  });

  it('EINVAL: temppltime may not exceed tempvltime (RFC 3041)', () => {
    const s = new Sysctl();
    expect(errnoOf(() => s.set('net.inet6.ip6.temppltime', 604801))).toBe('EINVAL');
    expect(errnoOf(() => s.set('net.inet6.ip6.tempvltime', 86399))).toBe('EINVAL');
    s.set('net.inet6.ip6.tempvltime', 90000);
    expect(errnoOf(() => s.set('net.inet6.ip6.temppltime', 90001))).toBe('EINVAL');
  });

  it('accepts decimal strings like sysctl(8) name=value, and negative errppslimit', () => {
    const s = new Sysctl();
    expect(s.set('net.inet6.ip6.hlim', '128')).toBe(64);
    expect(s.get('net.inet6.ip6.hlim')).toBe(128);
    s.set('net.inet6.icmp6.errppslimit', -1);
    expect(s.get('net.inet6.icmp6.errppslimit')).toBe(-1);
  });

  it('boot-time initial values are validated', () => {
    expect(new Sysctl({ initial: { 'net.inet6.ip6.forwarding': 1 } }).get('net.inet6.ip6.forwarding')).toBe(
      1,
    );
    expect(errnoOf(() => new Sysctl({ initial: { 'net.inet6.ip6.forwarding': 3 } }))).toBe('EINVAL');
    expect(errnoOf(() => new Sysctl({ initial: { 'net.bogus': 3 } }))).toBe('ENOENT');
  });
});

describe('Sysctl v6only/bindv6only per platform (IMPLEMENTATION 1.12)', () => {
  it('bindv6only is an alias of v6only', () => {
    const s = new Sysctl({ platform: 'freebsd3x' });
    s.set('net.inet6.ip6.bindv6only', 1);
    expect(s.get('net.inet6.ip6.v6only')).toBe(1);
  });

  it('FreeBSD3x defaults to mapped addresses enabled (v6only 0), NetBSD disabled (1.12.3.1)', () => {
    expect(new Sysctl({ platform: 'freebsd3x' }).get('net.inet6.ip6.v6only')).toBe(0);
    expect(new Sysctl({ platform: 'netbsd' }).get('net.inet6.ip6.bindv6only')).toBe(1);
  });

  it('platforms without the knob reject writes with EPERM (1.12.1, 1.12.4, 1.12.5)', () => {
    expect(errnoOf(() => new Sysctl({ platform: 'openbsd' }).set('net.inet6.ip6.v6only', 0))).toBe('EPERM');
    expect(new Sysctl({ platform: 'openbsd' }).get('net.inet6.ip6.v6only')).toBe(1);
    expect(new Sysctl({ platform: 'bsdi4' }).get('net.inet6.ip6.v6only')).toBe(0);
    expect(new Sysctl({ platform: 'bsdi4' }).describe('net.inet6.ip6.v6only').writable).toBe(false);
  });
});

describe('Sysctl list (sysctl -a format and MIB order)', () => {
  it('prints "name: value" lines for a subtree', () => {
    const s = new Sysctl();
    s.set('net.inet6.ip6.forwarding', 1);
    expect(s.list('net.inet6.ip6').slice(0, 4)).toEqual([
      'net.inet6.ip6.forwarding: 1',
      'net.inet6.ip6.redirect: 1',
      'net.inet6.ip6.hlim: 64',
      'net.inet6.ip6.maxfragpackets: 256',
    ]);
    expect(s.list('net.inet6.ip6.forwarding')).toEqual(['net.inet6.ip6.forwarding: 1']);
  });

  it('sysctl -a walks net.inet before net.inet6, ip6 before icmp6', () => {
    const names = new Sysctl().entries().map(([n]) => n);
    expect(names[0]).toBe('net.inet.ip.forwarding');
    expect(names[1]).toBe('net.inet.ip.ttl');
    expect(names.indexOf('net.inet6.ip6.auto_linklocal')).toBeLessThan(
      names.indexOf('net.inet6.icmp6.rediraccept'),
    );
    expect(names.at(-1)).toBe('net.inet6.icmp6.nd6_maxndopt');
    expect(new Sysctl().list().length).toBe(SYSCTL_VARIABLES.length);
  });

  it('snapshot is the JSON form', () => {
    const snap = new Sysctl().snapshot();
    expect(snap['net.inet6.icmp6.nd6_delay']).toBe(5);
    expect(Object.keys(snap)).toHaveLength(SYSCTL_VARIABLES.length);
  });
});

describe('Sysctl change listeners (stack reacts, IMPLEMENTATION 1.4.2)', () => {
  it('forwarding flip is reported to onChange and watch, and changes the role', () => {
    const s = new Sysctl();
    const all: string[] = [];
    const fwd: [number, number][] = [];
    s.onChange((name, v, old) => all.push(`${name}:${old}->${v}`));
    const stop = s.watch('net.inet6.ip6.forwarding', (_n, v, old) => fwd.push([old, v]));
    expect(s.nodeRole().role).toBe('host');
    s.set('net.inet6.ip6.forwarding', 1);
    expect(s.nodeRole().role).toBe('router');
    s.set('net.inet6.ip6.forwarding', 1); // same value: no event
    s.set('net.inet6.ip6.hlim', 30);
    stop();
    s.set('net.inet6.ip6.forwarding', 0);
    expect(fwd).toEqual([[0, 1]]);
    expect(all).toEqual([
      'net.inet6.ip6.forwarding:0->1',
      'net.inet6.ip6.hlim:64->30',
      'net.inet6.ip6.forwarding:1->0',
    ]);
  });

  it('a failed set does not notify', () => {
    const s = new Sysctl();
    const seen = jest.fn();
    s.onChange(seen);
    expect(errnoOf(() => s.set('net.inet6.ip6.forwarding', 5))).toBe('EINVAL');
    expect(seen).not.toHaveBeenCalled();
  });
});
