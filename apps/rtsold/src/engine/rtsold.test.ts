import { Ipv6Address, MacAddress } from '@kame/addr';
import { parseNdMessage } from '@kame/wire';
import { ether, FakeHost, flush, raBytes, raInput } from '../../test/support/fake-host';
import { Rtsold, RtsoldError, type RtsoldOptions } from './rtsold';

async function started(host: FakeHost, o: Partial<RtsoldOptions> = {}): Promise<Rtsold> {
  const r = new Rtsold(host, { interfaces: ['em0'], ...o });
  await r.start();
  return r;
}

describe('rtsold engine timeline (RFC 4861 6.3.7, reference 2.2)', () => {
  it('RFC 4861 6.3.7: first RS after a random delay of at most MAX_RTR_SOLICITATION_DELAY (1 s)', async () => {
    const delays = new Set<number>();
    for (let seed = 1; seed <= 40; seed++) {
      const host = new FakeHost(seed).add(ether('em0', 2));
      const r = await started(host);
      expect(r.vars('em0')?.state).toBe('DELAY');
      host.clock.runUntil(999.999);
      expect(host.sent).toHaveLength(1);
      expect(r.vars('em0')?.state).toBe('PROBE');
      delays.add(host.sent[0]!.time);
      r.stop();
    }
    // Random, not a constant: 40 seeds give many distinct delays, all in [0, 1000).
    expect(delays.size).toBeGreaterThan(30);
    for (const d of delays) expect(d).toBeLessThan(1000);
  });

  it('RFC 4861 6.3.7: RSs every RTR_SOLICITATION_INTERVAL (4 s), give up 1 s after the third', async () => {
    const host = new FakeHost(7).add(ether('em0', 2));
    const r = await started(host);
    host.clock.runAll();
    const t = host.rsTimes();
    expect(t).toHaveLength(3);
    // Microsecond delays make the times fractional ms: compare to a nanosecond.
    expect(t[0]!).toBeLessThan(1000);
    expect(t[1]! - t[0]!).toBeCloseTo(4000, 6);
    expect(t[2]! - t[1]!).toBeCloseTo(4000, 6);
    const giveUp = host.logs.filter((l) => l.message.includes('No answer'));
    expect(giveUp).toHaveLength(1);
    expect(giveUp[0]!.time - t[2]!).toBeCloseTo(1000, 6);
    expect(giveUp[0]!).toMatchObject({
      severity: 'info',
      message: '<rtsol_check_timer> No answer after sending 3 RSs',
    });
    expect(r.vars('em0')).toMatchObject({ state: 'IDLE', probes: 0, racnt: 0 });
    expect(r.timerArmed('em0')).toBe(false);
  });

  it('RFC 4861 4.1: the RS is type 133 code 0 with the Ethernet SLLA (decoded with @kame/wire)', async () => {
    const host = new FakeHost().add(ether('em0', 2, '02:00:00:00:00:0b'));
    await started(host);
    host.clock.advance(1000);
    const rs = host.sent[0]!;
    expect(rs.ifname).toBe('em0');
    expect(rs.bytes.length).toBe(16);
    expect([rs.bytes[0], rs.bytes[1], rs.bytes[4], rs.bytes[5], rs.bytes[6], rs.bytes[7]]).toEqual([
      133, 0, 0, 0, 0, 0,
    ]);
    const m = parseNdMessage(rs.bytes);
    expect(m.kind).toBe('routerSolicit');
    expect(m.code).toBe(0);
    expect(m.options).toHaveLength(1);
    const opt = m.options[0]!;
    expect(opt.kind).toBe('sourceLinkAddr');
    if (opt.kind !== 'sourceLinkAddr') throw new Error('unreachable');
    expect((opt.linkAddr as MacAddress).equals(MacAddress.parse('02:00:00:00:00:0b'))).toBe(true);
  });

  it('reference 2.3: no SLLA option on a non-Ethernet interface', async () => {
    const gif = { ...ether('gif0', 5), isEthernet: false, lladdr: undefined };
    const host = new FakeHost().add(gif);
    await started(host, { interfaces: ['gif0'] });
    host.clock.advance(1000);
    const m = parseNdMessage(host.sent[0]!.bytes);
    expect(host.sent[0]!.bytes.length).toBe(8);
    expect(m.options).toEqual([]);
  });

  it('RFC 4861 6.3.7: an RA stops the solicitations (PROBE -> IDLE)', async () => {
    const host = new FakeHost(3).add(ether('em0', 2));
    const r = await started(host);
    host.clock.advance(1000);
    expect(host.sent).toHaveLength(1);
    host.clock.advance(2000);
    r.receive(raInput(2));
    expect(r.vars('em0')).toMatchObject({ state: 'IDLE', probes: 0, racnt: 1 });
    host.clock.advance(60_000);
    expect(host.sent).toHaveLength(1);
    expect(r.stats.raValid).toBe(1);
  });

  it('reference 2.2: DAD retry path: TENTATIVE checked every 1 s, 60 s after 10 tries, then DELAY when ready', async () => {
    const host = new FakeHost().add({ ...ether('em0', 2), linkLocal: 'tentative' });
    const r = await started(host);
    expect(r.vars('em0')).toMatchObject({ state: 'TENTATIVE', dadcount: 1 });
    const checks: number[] = [];
    const states: string[] = [];
    for (let i = 0; i < 12; i++) {
      const next = host.clock.nextDeadline()!;
      host.clock.runUntil(next);
      checks.push(next);
      states.push(`${r.vars('em0')!.state}/${r.vars('em0')!.dadcount}`);
    }
    expect(checks).toEqual([1000, 2000, 3000, 4000, 5000, 6000, 7000, 8000, 9000, 10_000, 70_000, 71_000]);
    expect(states.slice(8, 12)).toEqual(['TENTATIVE/10', 'TENTATIVE/0', 'TENTATIVE/1', 'TENTATIVE/2']);
    expect(host.sent).toHaveLength(0);
    host.get('em0').linkLocal = 'ready';
    host.clock.advance(1000);
    expect(r.vars('em0')!.state).toBe('DELAY');
    host.clock.advance(1000);
    expect(host.sent).toHaveLength(1);
  });

  it('reference 2.2: an interface that is not up is set IFF_UP, waits out DAD, then solicits', async () => {
    const host = new FakeHost().add({ ...ether('em0', 2), up: false, linkLocal: 'none' });
    const r = await started(host);
    expect(host.setUps).toEqual(['em0']);
    expect(r.vars('em0')!.state).toBe('DOWN');
    await flush();
    host.clock.advance(1000);
    expect(r.vars('em0')!.state).toBe('TENTATIVE');
    host.get('em0').linkLocal = 'ready';
    host.clock.advance(1000);
    expect(r.vars('em0')!.state).toBe('DELAY');
    host.clock.advance(1000);
    expect(host.sent).toHaveLength(1);
  });

  it('reference 2.2: a duplicated link-local keeps the interface DOWN (no RS)', async () => {
    const host = new FakeHost().add({ ...ether('em0', 2), linkLocal: 'duplicated' });
    const r = await started(host);
    host.clock.advance(200_000);
    expect(r.vars('em0')!.state).toBe('DOWN');
    expect(host.sent).toHaveLength(0);
    expect(host.messages('warning')).toContain('<interface_up> em0: link-local address is duplicated');
  });

  it('RTM_IFANNOUNCE: a departed interface goes DOWN and comes back when it reappears', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host);
    host.clock.advance(1000);
    r.receive(raInput(2));
    const em0 = host.ifs.splice(0, 1)[0]!;
    r.interfaceDeparted('em0');
    expect(r.vars('em0')!.state).toBe('DOWN');
    host.clock.advance(3000);
    expect(r.vars('em0')!.state).toBe('DOWN');
    host.add(em0);
    host.clock.advance(1000);
    expect(r.vars('em0')!.state).toBe('DELAY');
  });

  it('two interfaces run independent machines', async () => {
    const host = new FakeHost(11).add(ether('em0', 2), ether('em1', 3));
    const r = await started(host, { interfaces: ['em0', 'em1'] });
    host.clock.advance(1000);
    r.receive(raInput(3));
    host.clock.runAll();
    expect(host.rsTimes('em0')).toHaveLength(3);
    expect(host.rsTimes('em1')).toHaveLength(1);
    expect(r.vars('em1')).toMatchObject({ state: 'IDLE', racnt: 1 });
  });

  it('RS send errors: ENETDOWN is silent without -d, reported with it; both counted', async () => {
    for (const debug of [0, 1]) {
      const host = new FakeHost().add(ether('em0', 2));
      host.sendErrno = 'ENETDOWN';
      const r = await started(host, { debug });
      host.clock.advance(1000);
      await flush();
      expect(r.stats.rsErrors).toBe(1);
      expect(host.messages('err').length).toBe(debug);
      r.stop();
    }
    const host = new FakeHost().add(ether('em0', 2));
    host.sendErrno = 'EHOSTUNREACH';
    await started(host);
    host.clock.advance(1000);
    await flush();
    expect(host.messages('err')).toEqual(['<sendpacket> sendmsg on em0: EHOSTUNREACH: cannot send']);
  });
});

describe('rtsold RA acceptance (reference 2.3, RFC 4861 6.1.2)', () => {
  const cases: [string, Parameters<typeof raInput>[1], string][] = [
    ['no IPV6_PKTINFO', { dst: undefined }, 'noPktinfo'],
    ['no IPV6_HOPLIMIT', { hoplimit: undefined }, 'noHoplimit'],
    ['shorter than 16 bytes', { data: raBytes().subarray(0, 15) }, 'tooShort'],
    ['not type 134', { data: raBytes({ type: 133 }) }, 'notRa'],
    ['code not 0', { data: raBytes({ code: 1 }) }, 'badCode'],
    ['hop limit 254', { hoplimit: 254 }, 'badHoplimit'],
    ['global source', { src: Ipv6Address.parse('2001:db8::1') }, 'notLinkLocal'],
  ];

  it.each(cases)('drops an RA with %s and counts it', async (_what, o, reason) => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host);
    host.clock.advance(1000);
    r.receive(raInput(2, o));
    expect(r.stats.raDropped[reason as keyof typeof r.stats.raDropped]).toBe(1);
    expect(r.stats.raValid).toBe(0);
    expect(r.vars('em0')).toMatchObject({ state: 'PROBE', racnt: 0 });
  });

  it('drops an RA on an interface rtsold does not watch', async () => {
    const host = new FakeHost().add(ether('em0', 2), ether('em1', 3));
    const r = await started(host);
    r.receive(raInput(3));
    expect(r.stats.raDropped.unknownInterface).toBe(1);
    expect(r.vars('em0')!.racnt).toBe(0);
  });

  it('hostile input: random bytes never throw and are all counted', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host);
    for (let n = 0; n < 500; n++) {
      const data = host.random.bytes(new Uint8Array(host.random.int(0, 40)));
      expect(() =>
        r.receive(raInput(host.random.int(0, 4), { data, hoplimit: host.random.int(250, 255) })),
      ).not.toThrow();
    }
    const dropped = Object.values(r.stats.raDropped).reduce((a, b) => a + b, 0);
    expect(dropped + r.stats.raValid).toBe(500);
    expect(dropped).toBeGreaterThan(400);
  });

  it('a 16-byte RA without options is valid (options are not parsed)', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host);
    host.clock.advance(1000);
    r.receive(raInput(2, { data: raBytes() }));
    expect(r.stats.raValid).toBe(1);
  });
});

describe('rtsold -O other-config script (reference 2.3)', () => {
  it('RFC 4862 5.5.3: the O flag runs the script once with the interface name', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host, { otherconfScript: '/etc/rtsold-other.sh' });
    host.clock.advance(1000);
    r.receive(raInput(2, { flags: 0x40 }));
    r.receive(raInput(2, { flags: 0x40 }));
    await flush();
    expect(host.scripts).toEqual([{ time: 1000, script: '/etc/rtsold-other.sh', ifname: 'em0' }]);
    expect(r.vars('em0')!.otherconfig).toBe(true);
    expect(r.stats.scripts).toBe(1);
  });

  it('an RA without O runs no script; -O absent runs none even with O', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host, { otherconfScript: '/x.sh' });
    host.clock.advance(1000);
    r.receive(raInput(2, { flags: 0x80 }));
    expect(host.scripts).toHaveLength(0);
    const host2 = new FakeHost().add(ether('em0', 2));
    const r2 = await started(host2);
    host2.clock.advance(1000);
    r2.receive(raInput(2, { flags: 0x40 }));
    expect(host2.scripts).toHaveLength(0);
    expect(r2.vars('em0')!.otherconfig).toBe(true);
  });

  it('-m: a new probe run clears other config, so the next O flag runs the script again', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host, { otherconfScript: '/x.sh', mobility: true });
    host.clock.advance(1000);
    r.receive(raInput(2, { flags: 0x40 }));
    host.get('em0').carrier = 'down';
    host.clock.advance(3000);
    expect(r.vars('em0')).toMatchObject({ state: 'DELAY', otherconfig: false, active: false });
    host.get('em0').carrier = 'up';
    host.clock.advance(1000);
    r.receive(raInput(2, { flags: 0x40 }));
    expect(host.scripts.map((s) => s.ifname)).toEqual(['em0', 'em0']);
  });

  it('a failing script is logged and counted', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    host.runScript = () => Promise.reject(new Error('EACCES: not executable'));
    const r = await started(host, { otherconfScript: '/x.sh' });
    r.receive(raInput(2, { flags: 0x40 }));
    await flush();
    expect(r.stats.scriptErrors).toBe(1);
    expect(host.messages('err')).toEqual(['<call_script> /x.sh: EACCES: not executable']);
  });
});

describe('rtsol / rtsold -1 once mode (reference 2.1)', () => {
  it('finishes when every interface got an RA', async () => {
    const host = new FakeHost().add(ether('em0', 2), ether('em1', 3));
    const r = await started(host, { interfaces: ['em0', 'em1'], once: true });
    let end: string | undefined;
    void r.finished.then((e) => (end = e));
    host.clock.advance(1000);
    r.receive(raInput(2));
    await flush();
    expect(end).toBeUndefined();
    r.receive(raInput(3));
    await flush();
    expect(end).toBe('once');
    expect(host.clock.pendingTimers).toBe(0);
  });

  it('finishes when no timer is left (3 RSs without an answer)', async () => {
    const host = new FakeHost(5).add(ether('em0', 2));
    const r = await started(host, { once: true });
    let end: string | undefined;
    void r.finished.then((e) => (end = e));
    host.clock.runAll();
    await flush();
    expect(end).toBe('once');
    expect(host.sent).toHaveLength(3);
    expect(host.clock.now() - host.sent[2]!.time).toBeCloseTo(1000, 6);
  });

  it('waits for the other-config script before finishing', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    host.holdScripts = true;
    const r = await started(host, { once: true, otherconfScript: '/x.sh' });
    let end: string | undefined;
    void r.finished.then((e) => (end = e));
    host.clock.advance(1000);
    r.receive(raInput(2, { flags: 0x40 }));
    await flush();
    expect(end).toBeUndefined();
    host.release();
    await flush();
    expect(end).toBe('once');
  });

  it('KAME quirk: with every interface DOWN the run ends at once (after setting IFF_UP)', async () => {
    const host = new FakeHost().add({ ...ether('em0', 2), up: false });
    const r = await started(host, { once: true });
    await expect(r.finished).resolves.toBe('once');
    expect(host.setUps).toEqual(['em0']);
  });

  it('without -1 the daemon keeps running after the RA', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    const r = await started(host, { mobility: true });
    let end: string | undefined;
    void r.finished.then((e) => (end = e));
    host.clock.advance(1000);
    r.receive(raInput(2));
    host.clock.advance(60_000);
    await flush();
    expect(end).toBeUndefined();
    r.stop();
    await flush();
    expect(end).toBe('stopped');
  });
});

describe('rtsold start-up (reference 2.1)', () => {
  it('-a picks interfaces that are up, multicast, not loopback or point-to-point, with IPv6', async () => {
    const host = new FakeHost().add(
      { ...ether('lo0', 1), loopback: true, isEthernet: false, lladdr: undefined },
      ether('em0', 2),
      { ...ether('em1', 3), up: false },
      { ...ether('gif0', 4), pointToPoint: true },
      { ...ether('em2', 5), multicast: false },
      { ...ether('em3', 6), hasInet6: false },
      ether('em4', 7),
    );
    const r = await started(host, { interfaces: [], autoprobe: true });
    expect(r.interfaceNames).toEqual(['em0', 'em4']);
  });

  it('-a with nothing eligible fails', async () => {
    const host = new FakeHost().add({ ...ether('em0', 2), up: false });
    await expect(started(host, { interfaces: [], autoprobe: true })).rejects.toThrow(RtsoldError);
  });

  it('an unknown interface name fails with "failed to initialize"', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    await expect(started(host, { interfaces: ['em9'] })).rejects.toThrow('failed to initialize em9');
  });

  it('-a together with interface names is refused', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    await expect(started(host, { interfaces: ['em0'], autoprobe: true })).rejects.toThrow(RtsoldError);
  });

  it('-F sets accept_rtadv=1 and forwarding=0', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    host.sysctls.set('net.inet6.ip6.accept_rtadv', 0);
    host.sysctls.set('net.inet6.ip6.forwarding', 1);
    await started(host, { setSysctls: true });
    expect(host.sysctlWrites).toEqual([
      ['net.inet6.ip6.accept_rtadv', 1],
      ['net.inet6.ip6.forwarding', 0],
    ]);
    expect(host.messages('warning')).toEqual([]);
  });

  it('without -F a router-configured kernel is only warned about', async () => {
    const host = new FakeHost().add(ether('em0', 2));
    host.sysctls.set('net.inet6.ip6.accept_rtadv', 0);
    host.sysctls.set('net.inet6.ip6.forwarding', 1);
    await started(host);
    expect(host.sysctlWrites).toEqual([]);
    expect(host.messages('warning')).toEqual([
      'kernel is configured not to accept RAs',
      'kernel is configured as a router, not a host',
    ]);
  });
});

describe('rtsold -m mobility (reference 2.1, 2.2)', () => {
  it('IDLE is polled every 3 s; a carrier change probes again and pokes the default routers', async () => {
    const host = new FakeHost(2).add(ether('em0', 2));
    const r = await started(host, { mobility: true });
    host.clock.advance(1000);
    r.receive(raInput(2));
    expect(r.timerArmed('em0')).toBe(true);
    host.clock.advance(9000);
    expect(host.sent).toHaveLength(1);
    host.get('em0').carrier = 'down';
    host.clock.advance(3000);
    expect(host.probes).toEqual(['em0']);
    expect(r.vars('em0')!.state).toBe('DELAY');
  });

  it('without carrier detection, IDLE probes every 60 s', async () => {
    const host = new FakeHost(2).add({ ...ether('em0', 2), carrier: 'unknown' });
    const r = await started(host, { mobility: true });
    host.clock.advance(1000);
    r.receive(raInput(2));
    const idleAt = host.clock.now();
    host.clock.runUntil(idleAt + 59_000);
    expect(r.vars('em0')!.state).toBe('IDLE');
    host.clock.runUntil(idleAt + 61_000);
    expect(r.vars('em0')!.state).toBe('PROBE');
    expect(r.vars('em0')!.probetimer).toBe(60);
  });
});

describe('rtsold dump (reference 2.4)', () => {
  it('golden: one IDLE and one PROBE interface', async () => {
    const host = new FakeHost(9, 1_000_000).add(ether('em0', 2), ether('em1', 3));
    const r = await started(host, { interfaces: ['em0', 'em1'], otherconfScript: '/x.sh' });
    host.clock.advance(1000);
    r.receive(raInput(2, { flags: 0x40 }));
    host.clock.advance(2500);
    expect(r.dump()).toBe(
      [
        'Interface em0',
        '  probe interval: infinity',
        '  no probe timer',
        '  interface status: active',
        '  other config: on',
        '  rtsold status: IDLE',
        '  carrier detection: available',
        '  probes: 0, dadcount = 0',
        '  no timer',
        '  number of valid RAs: 1',
        'Interface em1',
        '  probe interval: infinity',
        '  no probe timer',
        '  interface status: active',
        '  other config: off',
        '  rtsold status: PROBE',
        '  carrier detection: available',
        '  probes: 1, dadcount = 0',
        '  timer: interval=4:0, expire=1s',
        '  number of valid RAs: 0',
        '',
      ].join('\n'),
    );
  });

  it('golden: TENTATIVE with a 60 s wait, no carrier detection, -m', async () => {
    const host = new FakeHost(9).add({ ...ether('em0', 2), linkLocal: 'tentative', carrier: 'unknown' });
    const r = await started(host, { mobility: true });
    host.clock.advance(10_000);
    host.clock.advance(5_000);
    expect(r.dump()).toBe(
      [
        'Interface em0',
        '  probe interval: 60',
        '  probe timer: 60',
        '  interface status: active',
        '  other config: off',
        '  rtsold status: TENTATIVE',
        '  carrier detection: unavailable',
        '  probes: 0, dadcount = 0',
        '  timer: interval=60:0, expire=55s',
        '  number of valid RAs: 0',
        '',
      ].join('\n'),
    );
  });

  it('golden: DELAY shows the random interval with microseconds', async () => {
    const host = new FakeHost(4).add(ether('em0', 2));
    const r = await started(host);
    const deadline = host.clock.nextDeadline()!;
    const us = Math.round(deadline * 1000);
    expect(r.dump()).toContain(`  timer: interval=0:${us}, expire=0s\n`);
    expect(r.dump()).toContain('  rtsold status: DELAY\n');
  });
});
