import { VirtualClock } from '@kame/time';
import { ether, FakeKernel, global6, ifaddr, INFINITE, ll, settle } from '../../test/fake-kernel';
import { v1 } from '../proto';
import { KernelClient } from './kernel-client';
import { InterfaceMirror, type MirrorChange } from './mirror';

function summary(c: MirrorChange): string {
  return c.kind === 'interface'
    ? `${c.op} if ${c.iface.name}`
    : `${c.op} addr ${c.address.address.toString()}/${c.address.prefixLength}%${c.address.ifindex}`;
}

function dump(): v1.Interface.$Properties[] {
  const ne0 = ether(1, 'ne0');
  ne0.addresses = [ifaddr(1, ll(1), 64, 0x20), ifaddr(1, global6(1))];
  const ne1 = ether(2, 'ne1', 0x8802);
  ne1.addresses = [ifaddr(2, ll(2))];
  return [ne1, ne0];
}

describe('InterfaceMirror', () => {
  it('loads a full dump: interfaces by index and name, addresses per interface', () => {
    const m = new InterfaceMirror(() => 5);
    const seen: string[] = [];
    m.on('change', (c) => seen.push(summary(c)));
    m.applyDump(dump());
    expect(m.interfaces().map((i) => i.name)).toEqual(['ne0', 'ne1']);
    expect(m.interface('ne1')!.index).toBe(2);
    expect(m.interface(1)!.lladdr!.toString()).toBe('02:00:00:00:00:01');
    expect(m.interface(1)!.mtu).toBe(1500);
    expect(m.interface('nope')).toBeUndefined();
    expect(m.addresses('ne0').map((a) => a.address.toString())).toEqual(['fe80::1', '2001:db8::1']);
    const lla = m.addresses(1)[0]!;
    expect(lla).toMatchObject({
      prefixLength: 64,
      flags: 0x20,
      ifname: 'ne0',
      vltime: INFINITE,
      updatedAt: 5,
    });
    expect(m.addresses()).toHaveLength(3);
    expect(seen).toEqual([
      'add if ne0',
      'add addr fe80::1/64%1',
      'add addr 2001:db8::1/64%1',
      'add if ne1',
      'add addr fe80::2/64%2',
    ]);
  });

  it('applies interface and address deltas with change events', () => {
    const m = new InterfaceMirror();
    m.applyDump(dump());
    const seen: MirrorChange[] = [];
    m.on('change', (c) => seen.push(c));
    m.applyIfDelta({
      kind: v1.DeltaKind.DELTA_CHANGE,
      iface: { ...ether(2, 'ne1'), mtu: 1280, addresses: [] },
    });
    m.applyIfDelta({
      kind: v1.DeltaKind.DELTA_ADD,
      iface: { index: 3, name: 'gif0', type: v1.LinkType.LINK_GIF },
    });
    m.applyAddrDelta({ kind: v1.DeltaKind.DELTA_ADD, address: ifaddr(3, global6(3), 128) });
    m.applyAddrDelta({ kind: v1.DeltaKind.DELTA_CHANGE, address: ifaddr(1, ll(1), 64, 0) });
    m.applyAddrDelta({ kind: v1.DeltaKind.DELTA_DELETE, address: ifaddr(1, global6(1)) });
    expect(seen.map(summary)).toEqual([
      'change if ne1',
      'add if gif0',
      'add addr 2001:db8::3/128%3',
      'change addr fe80::1/64%1',
      'delete addr 2001:db8::1/64%1',
    ]);
    const ch = seen[0]!;
    expect(ch.kind === 'interface' && ch.op === 'change' && ch.previous.mtu).toBe(1500);
    expect(m.interface('ne1')!.mtu).toBe(1280);
    expect(m.interface('gif0')!.lladdr).toBeUndefined();
    expect(m.addresses('gif0')[0]!.ifname).toBe('gif0');
    expect(m.addresses('ne0').map((a) => [a.address.toString(), a.flags])).toEqual([['fe80::1', 0]]);
  });

  it('deleting an interface deletes its addresses first', () => {
    const m = new InterfaceMirror();
    m.applyDump(dump());
    const seen: string[] = [];
    m.on('change', (c) => seen.push(summary(c)));
    m.applyIfDelta({ kind: v1.DeltaKind.DELTA_DELETE, iface: { index: 1, name: 'ne0' } });
    expect(seen).toEqual(['delete addr fe80::1/64%1', 'delete addr 2001:db8::1/64%1', 'delete if ne0']);
    expect(m.interface('ne0')).toBeUndefined();
    expect(m.addresses()).toHaveLength(1);
  });

  it('a second dump emits only the differences', () => {
    const m = new InterfaceMirror();
    m.applyDump(dump());
    const seen: string[] = [];
    m.on('change', (c) => seen.push(summary(c)));
    const next = dump();
    next[0] = { ...next[0]!, flags: 0x8843 }; // ne1 up
    next[1]!.addresses = [{ ...ifaddr(1, ll(1), 64, 0x20), vltime: 100 }, ifaddr(1, global6(9))];
    next.push(ether(4, 'ne2'));
    m.applyDump(next);
    m.applyDump(next);
    expect(seen).toEqual([
      'delete addr 2001:db8::1/64%1',
      'change addr fe80::1/64%1', // infinite -> finite lifetime
      'add addr 2001:db8::9/64%1',
      'change if ne1',
      'add if ne2',
    ]);
  });
});

describe('KernelClient mirror', () => {
  it('loads the dump at connect and follows deltas', async () => {
    const kernel = new FakeKernel();
    kernel.interfaces = dump();
    const client = await KernelClient.connect({
      channelFactory: kernel.factory,
      name: 'rtadvd',
      clock: new VirtualClock(),
    });
    expect(client.interfaces().map((i) => i.name)).toEqual(['ne0', 'ne1']);
    expect(client.addresses('ne1').map((a) => a.address.toString())).toEqual(['fe80::2']);
    const seen: string[] = [];
    const raw: number[] = [];
    client.on('change', (c) => seen.push(summary(c)));
    client.on('addrDelta', (d) => raw.push(d.kind ?? 0));
    kernel.conn.event('addr', { kind: v1.DeltaKind.DELTA_ADD, address: ifaddr(2, global6(2)) });
    kernel.conn.event('iface', {
      kind: v1.DeltaKind.DELTA_CHANGE,
      iface: { ...ether(2, 'ne1'), flags: 0x8843 },
    });
    await settle();
    expect(seen).toEqual(['add addr 2001:db8::2/64%2', 'change if ne1']);
    expect(raw).toEqual([v1.DeltaKind.DELTA_ADD]);
    expect(client.addresses('ne1').map((a) => a.address.toString())).toEqual(['fe80::2', '2001:db8::2']);
    expect(client.interface(2)!.flags).toBe(0x8843);
    client.close();
  });
});
