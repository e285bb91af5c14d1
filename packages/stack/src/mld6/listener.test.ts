import { Ipv6Address } from '@kame/addr';
import { SeededRandom, VirtualClock } from '@kame/time';
import {
  MLD_CHANGE_TO_EXCLUDE_MODE,
  MLD_CHANGE_TO_INCLUDE_MODE,
  MLD_MODE_IS_EXCLUDE,
  MLD_MODE_IS_INCLUDE,
  type Icmpv6Repr,
} from '@kame/wire';
import { Mld6Listener, isMldReportableGroup } from './listener';
import type { Mld6Params } from './params';

const A = (s: string): Ipv6Address => Ipv6Address.parse(s);
const ROUTER = A('fe80::1');
const OTHER_HOST = A('fe80::99');
const G = A('ff05::1:3');
const H = A('ff0e::abcd');
const ANY = Ipv6Address.UNSPECIFIED;

interface Sent {
  readonly t: number;
  readonly msg: Icmpv6Repr;
  readonly dst: string;
}

function setup(params: Partial<Mld6Params> = {}, seed = 1) {
  const clock = new VirtualClock();
  const sent: Sent[] = [];
  const mld = new Mld6Listener({
    clock,
    random: new SeededRandom(seed),
    params,
    output: { send: (msg, dst) => sent.push({ t: clock.now(), msg, dst: dst.toString() }) },
  });
  return { clock, sent, mld };
}

const v1Query = (multicastAddress: Ipv6Address, maxResponseDelay = 10_000): Icmpv6Repr => ({
  kind: 'mldQuery',
  code: 0,
  maxResponseDelay,
  multicastAddress,
});
const v2Query = (
  multicastAddress: Ipv6Address,
  maxResponseDelay = 10_000,
  extra: { qrv?: number; qqi?: number; sources?: Ipv6Address[] } = {},
): Icmpv6Repr => ({
  kind: 'mldv2Query',
  code: 0,
  maxResponseDelay,
  multicastAddress,
  suppressRouterSide: false,
  qrv: extra.qrv ?? 2,
  qqi: extra.qqi ?? 125,
  sources: extra.sources ?? [],
});
const v1Report = (group: Ipv6Address): Icmpv6Repr => ({
  kind: 'mldReport',
  code: 0,
  maxResponseDelay: 0,
  multicastAddress: group,
});

/** "kind group -> dst" for each message, MLDv2 records as "type:group". */
function describeSent(s: Sent): string {
  if (s.msg.kind === 'mldv2Report') {
    return `v2 ${s.msg.records.map((r) => `${r.recordType}:${r.multicastAddress.toString()}`).join(',')} -> ${s.dst}`;
  }
  if (s.msg.kind === 'mldReport' || s.msg.kind === 'mldDone') {
    return `${s.msg.kind} ${s.msg.multicastAddress.toString()} -> ${s.dst}`;
  }
  return s.msg.kind;
}
const trace = (sent: readonly Sent[]): string[] => sent.map(describeSent);

describe('Mld6Listener, MLDv1 host (RFC 2710)', () => {
  it('RFC 2710 4: a join sends a Report at once and repeats it once within [Unsolicited Report Interval]', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    expect(trace(sent)).toEqual([`mldReport ${G.toString()} -> ${G.toString()}`]);
    expect(sent[0]!.t).toBe(0);
    clock.advance(10_000);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.t).toBeLessThanOrEqual(10_000);
    expect(describeSent(sent[1]!)).toBe(`mldReport ${G.toString()} -> ${G.toString()}`);
    clock.advance(600_000);
    expect(sent).toHaveLength(2);
    expect(mld.memberships().find((m) => m.group.equals(G))).toMatchObject({
      state: 'IDLE_LISTENER',
      lastReporter: true,
      timer: undefined,
    });
  });

  it('RFC 2710 4: a General Query is answered within its Maximum Response Delay, per group', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    mld.join(H);
    clock.advance(20_000);
    sent.length = 0;
    mld.input(v1Query(ANY, 3_000), ROUTER);
    for (const m of mld.memberships().filter((x) => x.reportable)) {
      expect(m.state).toBe('DELAYING_LISTENER');
      expect(m.timer).toBeLessThanOrEqual(3_000);
    }
    clock.advance(3_000);
    expect(trace(sent).sort()).toEqual(
      [`mldReport ${G.toString()} -> ${G.toString()}`, `mldReport ${H.toString()} -> ${H.toString()}`].sort(),
    );
    expect(sent.every((s) => s.t <= 3_000 + 20_000)).toBe(true);
  });

  it('RFC 2710 4: a Multicast-Address-Specific Query touches only its group; other groups ignore it', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    mld.join(H);
    clock.advance(20_000);
    sent.length = 0;
    mld.input(v1Query(G, 1_000), ROUTER);
    mld.input(v1Query(A('ff05::dead'), 1_000), ROUTER);
    clock.advance(1_000);
    expect(trace(sent)).toEqual([`mldReport ${G.toString()} -> ${G.toString()}`]);
    expect(mld.stats.queriesIgnored).toBe(1);
  });

  it('RFC 2710 4: a query with a smaller Maximum Response Delay shortens the running timer', () => {
    const { clock, sent, mld } = setup({ version: 1 }, 7);
    mld.join(G); // repeat timer up to 10 s
    const before = mld.memberships().find((m) => m.group.equals(G))!.timer!;
    mld.input(v1Query(G, 0), ROUTER);
    clock.advance(0);
    expect(sent).toHaveLength(2);
    expect(sent[1]!.t).toBe(0);
    expect(before).toBeGreaterThan(0);
  });

  it("RFC 2710 4: another host's Report while Delaying suppresses ours and clears the flag; leave sends no Done", () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    clock.advance(20_000);
    sent.length = 0;
    mld.input(v1Query(ANY, 10_000), ROUTER);
    mld.input(v1Report(G), OTHER_HOST);
    expect(mld.stats.reportsSuppressed).toBe(1);
    expect(mld.memberships().find((m) => m.group.equals(G))).toMatchObject({
      state: 'IDLE_LISTENER',
      lastReporter: false,
    });
    clock.advance(10_000);
    expect(sent).toHaveLength(0);
    mld.leave(G);
    expect(sent).toHaveLength(0);
  });

  it('RFC 2710 4: leaving sends Done to ff02::2 when this node sent the last Report', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    clock.advance(1_000);
    sent.length = 0;
    expect(mld.leave(G)).toBe(0);
    expect(trace(sent)).toEqual([`mldDone ${G.toString()} -> ff02::2`]);
    expect(mld.isMember(G)).toBe(false);
    clock.advance(60_000);
    expect(sent).toHaveLength(1); // the repeat timer died with the membership
    expect(mld.stats.donesSent).toBe(1);
  });

  it('RFC 2710 4: two joins and one leave keep the membership and send no Done', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    expect(mld.join(G)).toBe(1);
    expect(mld.join(G)).toBe(2);
    clock.advance(10_000);
    expect(sent).toHaveLength(2); // only the first join reports
    expect(mld.leave(G)).toBe(1);
    expect(sent).toHaveLength(2);
    expect(mld.memberships().find((m) => m.group.equals(G))?.refcount).toBe(1);
    expect(mld.leave(G)).toBe(0);
    expect(trace(sent).at(-1)).toBe(`mldDone ${G.toString()} -> ff02::2`);
  });

  it('RFC 2710 5: ff02::1 is joined with the interface and never reported, queried or left with Done', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    expect(mld.memberships()).toEqual([
      {
        group: A('ff02::1'),
        refcount: 1,
        state: 'IDLE_LISTENER',
        timer: undefined,
        lastReporter: false,
        reportable: false,
      },
    ]);
    mld.input(v1Query(ANY), ROUTER);
    mld.input(v1Query(A('ff02::1')), ROUTER);
    clock.advance(20_000);
    mld.leave(A('ff02::1'));
    expect(sent).toHaveLength(0);
  });

  it('RFC 2710 5: groups of scope 0 and 1 are never reported', () => {
    const { clock, sent, mld } = setup({ version: 2 });
    expect(isMldReportableGroup(A('ff01::1234'))).toBe(false);
    expect(isMldReportableGroup(A('ff00::1234'))).toBe(false);
    expect(isMldReportableGroup(A('ff02::2'))).toBe(true);
    mld.join(A('ff01::1234'));
    mld.join(A('ff00::1234'));
    mld.input(v2Query(ANY, 1_000), ROUTER);
    clock.advance(60_000);
    mld.leave(A('ff01::1234'));
    expect(sent).toHaveLength(0); // the general query had nothing to report
  });

  it('RFC 4861 7.2.1: solicited-node joins of two addresses sharing the low 24 bits share one group', () => {
    const { mld } = setup({ version: 1 });
    mld.joinSolicitedNode(A('fe80::201:2ff:fe01:6317'));
    mld.joinSolicitedNode(A('2001:db8::201:2ff:fe01:6317'));
    const sn = mld.memberships().find((m) => m.group.equals(A('ff02::1:ff01:6317')));
    expect(sn?.refcount).toBe(2);
    mld.leaveSolicitedNode(A('fe80::201:2ff:fe01:6317'));
    expect(mld.isMember(A('ff02::1:ff01:6317'))).toBe(true);
  });

  it('join rejects a unicast address; leave rejects a group not joined', () => {
    const { mld } = setup();
    expect(() => mld.join(A('2001:db8::1'))).toThrow(RangeError);
    expect(() => mld.leave(G)).toThrow(RangeError);
  });
});

describe('Mld6Listener, MLDv2 host (RFC 3810 6)', () => {
  it('RFC 3810 6.1: a join sends TO_EX({}) to ff02::16 at once, retransmitted [Robustness Variable]-1 times', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    expect(trace(sent)).toEqual([`v2 ${MLD_CHANGE_TO_EXCLUDE_MODE}:${G.toString()} -> ff02::16`]);
    expect(sent[0]!.t).toBe(0);
    clock.advance(1_000);
    expect(trace(sent)).toEqual([
      `v2 ${MLD_CHANGE_TO_EXCLUDE_MODE}:${G.toString()} -> ff02::16`,
      `v2 ${MLD_CHANGE_TO_EXCLUDE_MODE}:${G.toString()} -> ff02::16`,
    ]);
    expect(sent[1]!.t).toBeGreaterThan(0);
    clock.advance(600_000);
    expect(sent).toHaveLength(2);
    expect(mld.pendingStateChanges).toBe(0);
    expect(mld.stats.v2ReportsSent).toBe(2);
  });

  it('RFC 3810 6.1: a leave sends TO_IN({}) with retransmissions, never a Done', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    clock.advance(5_000);
    sent.length = 0;
    mld.leave(G);
    clock.advance(5_000);
    expect(trace(sent)).toEqual([
      `v2 ${MLD_CHANGE_TO_INCLUDE_MODE}:${G.toString()} -> ff02::16`,
      `v2 ${MLD_CHANGE_TO_INCLUDE_MODE}:${G.toString()} -> ff02::16`,
    ]);
    expect(mld.stats.donesSent).toBe(0);
  });

  it('RFC 3810 5.1.8 / 6.1: a QRV of 3 from the querier makes three transmissions', () => {
    const { clock, sent, mld } = setup();
    mld.input(v2Query(A('ff05::dead'), 1_000, { qrv: 3 }), ROUTER);
    expect(mld.robustness).toBe(3);
    mld.join(G);
    clock.advance(10_000);
    expect(sent).toHaveLength(3);
  });

  it('RFC 3810 6.1: a leave during the join retransmissions replaces the pending record', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    mld.leave(G);
    clock.advance(5_000);
    expect(trace(sent)).toEqual([
      `v2 ${MLD_CHANGE_TO_EXCLUDE_MODE}:${G.toString()} -> ff02::16`,
      `v2 ${MLD_CHANGE_TO_INCLUDE_MODE}:${G.toString()} -> ff02::16`,
      `v2 ${MLD_CHANGE_TO_INCLUDE_MODE}:${G.toString()} -> ff02::16`,
    ]);
  });

  it('RFC 3810 6.2 / 6.3: a General Query gets one Current State Report, IS_EX({}) per reportable group', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    mld.join(H);
    mld.joinSolicitedNode(A('fe80::201:2ff:fe01:6317'));
    clock.advance(5_000);
    sent.length = 0;
    mld.input(v2Query(ANY, 2_000), ROUTER);
    expect(mld.generalQueryResponse).toBeLessThanOrEqual(2_000);
    clock.advance(2_000);
    expect(sent).toHaveLength(1);
    const r = sent[0]!.msg;
    expect(sent[0]!.dst).toBe('ff02::16');
    expect(
      r.kind === 'mldv2Report' && r.records.map((x) => [x.recordType, x.multicastAddress.toString()]),
    ).toEqual([
      [MLD_MODE_IS_EXCLUDE, G.toString()],
      [MLD_MODE_IS_EXCLUDE, H.toString()],
      [MLD_MODE_IS_EXCLUDE, 'ff02::1:ff01:6317'],
    ]);
  });

  it('RFC 3810 6.2 rule 1: a group query is covered by a General Query answer due sooner', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    clock.advance(5_000);
    sent.length = 0;
    mld.input(v2Query(ANY, 0), ROUTER);
    mld.input(v2Query(G, 10_000), ROUTER);
    expect(mld.memberships().find((m) => m.group.equals(G))?.state).toBe('IDLE_LISTENER');
    clock.advance(10_000);
    expect(sent).toHaveLength(1);
  });

  it('RFC 3810 6.3: a group-and-source-specific query is answered IS_IN(queried sources)', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    clock.advance(5_000);
    sent.length = 0;
    const S1 = A('2001:db8::10');
    const S2 = A('2001:db8::20');
    mld.input(v2Query(G, 1_000, { sources: [S1] }), ROUTER);
    mld.input(v2Query(G, 1_000, { sources: [S2, S1] }), ROUTER);
    clock.advance(1_000);
    expect(sent).toHaveLength(1);
    const r = sent[0]!.msg;
    expect(r.kind === 'mldv2Report' && r.records[0]!.recordType).toBe(MLD_MODE_IS_INCLUDE);
    expect(r.kind === 'mldv2Report' && r.records[0]!.sources.map((s) => s.toString())).toEqual([
      '2001:db8::10',
      '2001:db8::20',
    ]);
  });

  it('RFC 3810 6: an MLDv2 host does not suppress its answer on hearing a Report', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    clock.advance(5_000);
    sent.length = 0;
    mld.input(v2Query(G, 1_000), ROUTER);
    mld.input(v1Report(G), OTHER_HOST);
    clock.advance(1_000);
    expect(trace(sent)).toEqual([`v2 ${MLD_MODE_IS_EXCLUDE}:${G.toString()} -> ff02::16`]);
    expect(mld.stats.reportsSuppressed).toBe(0);
  });

  it('RFC 3810 5.1.14: queries from a non-link-local source are ignored', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    clock.advance(5_000);
    sent.length = 0;
    mld.input(v2Query(ANY, 1_000), A('2001:db8::1'));
    mld.input(v1Query(ANY, 1_000), A('2001:db8::1'));
    clock.advance(5_000);
    expect(sent).toHaveLength(0);
    expect(mld.mode).toBe(2);
    expect(mld.stats.queriesIgnored).toBe(2);
  });

  it('RFC 3810 5.2.14: a large membership is split over reports', () => {
    const { clock, sent, mld } = setup({ maxRecordsPerReport: 2 });
    for (let i = 1; i <= 5; i++) mld.join(A(`ff05::${i}`));
    clock.advance(5_000);
    sent.length = 0;
    mld.input(v2Query(ANY, 0), ROUTER);
    clock.advance(0);
    expect(sent.map((s) => (s.msg.kind === 'mldv2Report' ? s.msg.records.length : -1))).toEqual([2, 2, 1]);
  });
});

describe('Mld6Listener, MLDv1 compatibility (RFC 3810 8.2)', () => {
  it('RFC 3810 8.2.1: an MLDv1 query switches to MLDv1 mode for RV*QI+QRI, then back to MLDv2', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    clock.advance(5_000);
    sent.length = 0;
    mld.input(v1Query(ANY, 1_000), ROUTER);
    expect(mld.mode).toBe(1);
    expect(mld.olderVersionQuerierPresent).toBe(2 * 125_000 + 10_000);
    clock.advance(1_000);
    expect(trace(sent)).toEqual([`mldReport ${G.toString()} -> ${G.toString()}`]);
    mld.join(H); // MLDv1 join: Report to the group, repeated
    mld.leave(G); // we were the last reporter: Done
    clock.advance(10_000);
    expect(trace(sent)).toEqual([
      `mldReport ${G.toString()} -> ${G.toString()}`,
      `mldReport ${H.toString()} -> ${H.toString()}`,
      `mldDone ${G.toString()} -> ff02::2`,
      `mldReport ${H.toString()} -> ${H.toString()}`,
    ]);
    clock.advance(260_000 - 11_000 - 1);
    expect(mld.mode).toBe(1);
    clock.advance(1);
    expect(mld.mode).toBe(2);
    expect(mld.olderVersionQuerierPresent).toBeUndefined();
    sent.length = 0;
    mld.leave(H);
    expect(trace(sent)).toEqual([`v2 ${MLD_CHANGE_TO_INCLUDE_MODE}:${H.toString()} -> ff02::16`]);
    expect(mld.stats.compatModeChanges).toBe(2);
  });

  it('RFC 3810 8.2.1 / 9.12: the timeout uses the Robustness Variable and Query Interval learned from queries', () => {
    const { mld } = setup();
    mld.input(v2Query(A('ff05::dead'), 1_000, { qrv: 3, qqi: 60 }), ROUTER);
    expect(mld.queryInterval).toBe(60_000);
    mld.input(v1Query(ANY), ROUTER);
    expect(mld.olderVersionQuerierPresent).toBe(3 * 60_000 + 10_000);
  });

  it('RFC 3810 8.2.1: each MLDv1 query restarts the Older Version Querier Present timer', () => {
    const { clock, mld } = setup();
    mld.input(v1Query(ANY), ROUTER);
    clock.advance(200_000);
    mld.input(v1Query(ANY), ROUTER);
    clock.advance(200_000);
    expect(mld.mode).toBe(1);
    clock.advance(60_000);
    expect(mld.mode).toBe(2);
  });

  it('RFC 3810 8.2.1: changing mode cancels pending responses and retransmissions', () => {
    const { clock, sent, mld } = setup();
    mld.join(G); // TO_EX now, one retransmission pending
    mld.input(v2Query(ANY, 10_000), ROUTER); // general answer pending
    mld.input(v1Query(A('ff05::dead')), ROUTER); // switch; that group is not ours
    expect(mld.pendingStateChanges).toBe(0);
    expect(mld.generalQueryResponse).toBeUndefined();
    clock.advance(20_000);
    expect(sent).toHaveLength(1);
  });

  it('RFC 3810 8.2.1: in MLDv1 mode an MLDv2 query is read as an MLDv1 query and other Reports suppress', () => {
    const { clock, sent, mld } = setup();
    mld.input(v1Query(A('ff05::dead')), ROUTER);
    mld.join(G);
    clock.advance(20_000);
    sent.length = 0;
    mld.input(v2Query(G, 5_000), ROUTER);
    mld.input(v1Report(G), OTHER_HOST);
    clock.advance(5_000);
    expect(sent).toHaveLength(0);
    mld.input(v2Query(G, 5_000), ROUTER);
    clock.advance(5_000);
    expect(trace(sent)).toEqual([`mldReport ${G.toString()} -> ${G.toString()}`]);
  });

  it('KAME mld6: version 1 stays MLDv1 whatever it hears', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    mld.input(v2Query(ANY, 1_000), ROUTER);
    clock.advance(1_000_000);
    expect(mld.mode).toBe(1);
    expect(mld.olderVersionQuerierPresent).toBeUndefined();
    expect(sent.every((s) => s.msg.kind === 'mldReport')).toBe(true);
    expect(mld.stats.v2ReportsSent).toBe(0);
  });
});

describe('Mld6Listener, determinism and housekeeping', () => {
  function scenario(seed: number): string[] {
    const { clock, sent, mld } = setup({}, seed);
    mld.join(G);
    mld.join(H);
    mld.input(v2Query(ANY, 10_000), ROUTER);
    clock.advance(3_000);
    mld.input(v1Query(ANY, 10_000), ROUTER);
    clock.advance(20_000);
    mld.leave(G);
    clock.advance(300_000);
    mld.leave(H);
    clock.advance(5_000);
    return sent.map((s) => `${s.t} ${describeSent(s)}`);
  }

  it('the same seed gives the same messages at the same times; another seed other times', () => {
    expect(scenario(42)).toEqual(scenario(42));
    expect(scenario(42)).not.toEqual(scenario(43));
  });

  it('memberships() shows refcount, state, timer and the last-reporter flag', () => {
    const { clock, mld } = setup({ version: 1 });
    mld.join(G);
    mld.join(G);
    const m = mld.memberships().find((x) => x.group.equals(G))!;
    expect(m.refcount).toBe(2);
    expect(m.state).toBe('DELAYING_LISTENER');
    expect(m.lastReporter).toBe(true);
    expect(m.timer).toBeGreaterThanOrEqual(0);
    expect(m.timer).toBeLessThanOrEqual(10_000);
    clock.advance(1);
    expect(mld.memberships().find((x) => x.group.equals(G))!.timer).toBe(Math.max(0, m.timer! - 1));
  });

  it('Done and MLDv2 Reports from others are ignored by a host', () => {
    const { clock, sent, mld } = setup({ version: 1 });
    mld.join(G);
    mld.input({ kind: 'mldDone', code: 0, maxResponseDelay: 0, multicastAddress: G }, OTHER_HOST);
    mld.input({ kind: 'mldv2Report', code: 0, records: [] }, OTHER_HOST);
    clock.advance(10_000);
    expect(sent).toHaveLength(2);
  });

  it('detach() cancels every timer and sends nothing', () => {
    const { clock, sent, mld } = setup();
    mld.join(G);
    mld.input(v2Query(ANY), ROUTER);
    mld.input(v1Query(ANY), ROUTER);
    mld.detach();
    clock.advance(1_000_000);
    expect(sent).toHaveLength(1);
    expect(mld.memberships()).toEqual([]);
    expect(clock.pendingTimers).toBe(0);
  });

  it('the output port may re-enter the listener: state is settled first', () => {
    const clock = new VirtualClock();
    const seen: number[] = [];
    const mld: Mld6Listener = new Mld6Listener({
      clock,
      random: new SeededRandom(1),
      params: { version: 1 },
      output: { send: () => seen.push(mld.memberships().find((m) => m.group.equals(G))?.refcount ?? -1) },
    });
    mld.join(G);
    expect(seen).toEqual([1]);
  });
});
