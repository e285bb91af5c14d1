import { Ipv6Address, solicitedNodeMulticast } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import { Sysctl } from '../sysctl/index';
import { DadEngine, MAX_RTR_SOLICITATION_DELAY, type DadCounters, type DadEngineOptions } from './dad-engine';

const ADDR = Ipv6Address.parse('2001:db8::211:22ff:fe33:4455');
const LL = Ipv6Address.parse('fe80::211:22ff:fe33:4455');

function setup(o: Partial<DadEngineOptions> = {}, seed = 7) {
  const clock = new VirtualClock();
  const sent: Array<{ at: number; target: string; dst: string; nonce: Uint8Array }> = [];
  const ok: Array<{ at: number; addr: string }> = [];
  const failed: Array<{ at: number; addr: string; c: DadCounters }> = [];
  const logs: Array<{ level: string; msg: string }> = [];
  const dad = new DadEngine({
    clock,
    random: new SeededRandom(seed),
    ifname: 'ne0',
    interfaceComingUp: false,
    retransTimer: 1000,
    port: {
      sendSolicitation: (target, dst, nonce) =>
        sent.push({ at: clock.now(), target: target.toString(), dst: dst.toString(), nonce }),
      dadSucceeded: (a) => ok.push({ at: clock.now(), addr: a.toString() }),
      dadFailed: (a, c) => failed.push({ at: clock.now(), addr: a.toString(), c }),
      log: (level, msg) => logs.push({ level, msg }),
    },
    ...o,
  });
  return { clock, dad, sent, ok, failed, logs };
}

describe('RFC 4862 5.4.2: sending probes', () => {
  it('RFC 4862 5.4.2: one NS to the solicited-node group, success RetransTimer later', () => {
    const { clock, dad, sent, ok } = setup();
    dad.start(ADDR);
    expect(sent).toHaveLength(1);
    expect(sent[0]).toMatchObject({
      at: 0,
      target: ADDR.toString(),
      dst: solicitedNodeMulticast(ADDR).toString(),
    });
    expect(sent[0]!.nonce).toHaveLength(6);
    expect(dad.isTentative(ADDR)).toBe(true);
    clock.advance(999);
    expect(ok).toHaveLength(0);
    clock.advance(1);
    expect(ok).toEqual([{ at: 1000, addr: ADDR.toString() }]);
    expect(dad.isTentative(ADDR)).toBe(false);
    expect(dad.stats).toMatchObject({ started: 1, succeeded: 1, solicitations: 1 });
  });

  it('RFC 4862 5.4: dad_count 0 (sysctl) means no DAD: success at once, nothing sent', () => {
    const sysctl = new Sysctl({ initial: { 'net.inet6.ip6.dad_count': 0 } });
    const { dad, sent, ok } = setup({ sysctl });
    dad.start(ADDR);
    expect(sent).toHaveLength(0);
    expect(ok).toEqual([{ at: 0, addr: ADDR.toString() }]);
  });

  it('RFC 4862 5.4.2: dad_count 3 sends 3 NS RetransTimer apart, then waits one more RetransTimer', () => {
    const sysctl = new Sysctl({ initial: { 'net.inet6.ip6.dad_count': 3 } });
    const { clock, dad, sent, ok } = setup({ sysctl });
    dad.start(ADDR);
    clock.advance(10_000);
    expect(sent.map((s) => s.at)).toEqual([0, 1000, 2000]);
    expect(ok).toEqual([{ at: 3000, addr: ADDR.toString() }]);
    // distinct nonces per probe (RFC 7527)
    expect(new Set(sent.map((s) => Buffer.from(s.nonce).toString('hex'))).size).toBe(3);
  });

  it('RFC 4862 5.4.2: RetransTimer comes from the interface ND params (getter)', () => {
    let retrans = 1000;
    const { clock, dad, sent, ok } = setup({ retransTimer: () => retrans, dadTransmits: 2 });
    retrans = 250;
    dad.start(ADDR);
    clock.advance(1000);
    expect(sent.map((s) => s.at)).toEqual([0, 250]);
    expect(ok[0]?.at).toBe(500);
  });

  it('RFC 4862 5.4.2: the first address of an interface coming up waits a random delay in [0, 1 s]', () => {
    const delays: number[] = [];
    for (let seed = 1; seed <= 200; seed++) {
      const { clock, dad, sent } = setup({ interfaceComingUp: true }, seed);
      dad.start(LL);
      expect(sent).toHaveLength(0);
      clock.runUntilTrue(() => sent.length > 0, 5000);
      delays.push(sent[0]!.at);
    }
    expect(Math.min(...delays)).toBeGreaterThanOrEqual(0);
    expect(Math.max(...delays)).toBeLessThanOrEqual(MAX_RTR_SOLICITATION_DELAY);
    expect(new Set(delays).size).toBeGreaterThan(50);
  });

  it('RFC 4862 5.4.2: only the first address after interfaceUp() is delayed', () => {
    const { dad, sent } = setup({ interfaceComingUp: true });
    dad.start(LL);
    dad.start(ADDR);
    expect(sent.map((s) => s.target)).toEqual([ADDR.toString()]);
    dad.interfaceUp();
    const other = Ipv6Address.parse('2001:db8::99');
    dad.start(other);
    expect(sent).toHaveLength(1);
  });
});

describe('RFC 4862 5.4.3 / 5.4.4: detecting duplicates', () => {
  it('RFC 4862 5.4.3: a DAD NS from another node marks the address duplicate and logs it', () => {
    const { clock, dad, failed, ok, logs } = setup();
    dad.start(ADDR);
    clock.advance(300);
    expect(dad.onNeighborSolicitation(ADDR, true, new Uint8Array([1, 2, 3, 4, 5, 6]))).toBe('duplicate');
    expect(failed).toEqual([{ at: 300, addr: ADDR.toString(), c: { nsIn: 1, nsOut: 1, naIn: 0 } }]);
    expect(logs).toContainEqual({
      level: 'err',
      msg: `ne0: DAD detected duplicate IPv6 address ${ADDR.toString()}: NS in/out=1/1, NA in=0`,
    });
    clock.advance(5000);
    expect(ok).toHaveLength(0);
    expect(dad.stats.failed).toBe(1);
  });

  it('RFC 4862 5.4.4: an NA for the tentative target marks it duplicate', () => {
    const { dad, failed, logs } = setup();
    dad.start(ADDR);
    expect(dad.onNeighborAdvertisement(ADDR)).toBe(true);
    expect(failed[0]?.c).toEqual({ nsIn: 0, nsOut: 1, naIn: 1 });
    expect(logs.some((l) => l.msg.endsWith('NS in/out=0/1, NA in=1'))).toBe(true);
  });

  it('RFC 7527: an NS carrying one of our own nonces is a loop-back and is ignored', () => {
    const { clock, dad, sent, ok, failed } = setup();
    dad.start(ADDR);
    expect(dad.onNeighborSolicitation(ADDR, true, sent[0]!.nonce)).toBe('looped-back');
    clock.advance(1000);
    expect(failed).toHaveLength(0);
    expect(ok).toHaveLength(1);
    expect(dad.stats.loopedBack).toBe(1);
  });

  it('RFC 4862 5.4.3: an NS with a unicast source (address resolution) is ignored', () => {
    const { clock, dad, ok } = setup();
    dad.start(ADDR);
    expect(dad.onNeighborSolicitation(ADDR, false)).toBe('ignored');
    clock.advance(1000);
    expect(ok).toHaveLength(1);
  });

  it('RFC 4862 5.4: NS/NA for an address not under DAD are not our business', () => {
    const { dad, failed } = setup();
    expect(dad.onNeighborSolicitation(ADDR, true)).toBe('not-tentative');
    expect(dad.onNeighborAdvertisement(ADDR)).toBe(false);
    expect(failed).toHaveLength(0);
  });

  it('RFC 4862 5.4: stop() abandons the run without any callback', () => {
    const { clock, dad, ok, failed } = setup();
    dad.start(ADDR);
    expect(dad.stop(ADDR)).toBe(true);
    expect(dad.stop(ADDR)).toBe(false);
    clock.advance(10_000);
    expect(ok).toHaveLength(0);
    expect(failed).toHaveLength(0);
    expect(clock.pendingTimers).toBe(0);
  });

  it('RFC 4862 5.4: entries() lists runs in progress with counters', () => {
    const { dad } = setup({ dadTransmits: 2 });
    dad.start(ADDR);
    expect(dad.entries()).toEqual([
      { address: ADDR, state: 'PROBING', transmits: 2, expire: 1000, nsIn: 0, nsOut: 1, naIn: 0 },
    ]);
  });
});
