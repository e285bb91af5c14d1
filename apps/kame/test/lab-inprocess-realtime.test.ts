import { existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Ipv6Prefix } from '@kame/addr';
import { hostClientClock } from '@kame/daemon';
import { connectUnix, KernelClient } from '@kame/kernel-api';
import { parseLab, resolveLab } from '@kame/lab';
import { IN6_IFF_AUTOCONF } from '@kame/stack';
import { startInProcessLab, type InProcessLab } from '../src/lab/inprocess';

jest.setTimeout(60_000);

const SMALL = `
name: small
nodes:
  r1:
    role: router
    interfaces:
      em0: { addresses: [2001:db8:1::1/64] }
    daemons:
      - argv: rtadvd -c rtadvd.conf em0
        files:
          rtadvd.conf: |
            em0:\\
            \t:addr="2001:db8:1::":prefixlen#64:
  h1:
    role: host
    daemons: ['rtsold em0']
links:
  - segment: lan
    endpoints: [r1:em0, h1:em0]
checks:
  - { from: r1, ping: h1, within: 20s }
`;

describe('kame lab in in-process mode on the real clock (issue 8)', () => {
  let rundir: string;
  let lab: InProcessLab | undefined;

  beforeEach(() => {
    rundir = mkdtempSync(join(tmpdir(), 'kame-lab-rt-'));
  });

  afterEach(async () => {
    await lab?.down();
    lab = undefined;
    rmSync(rundir, { recursive: true, force: true });
  });

  it('RFC 4862 5.5.3: the host autoconfigures from rtadvd within 5 s; the node socket serves the kernel API', async () => {
    const wall0 = performance.now();
    lab = await startInProcessLab(resolveLab(parseLab(SMALL, 'small.yaml')), {
      mode: 'in-process',
      seed: 3,
      rundir,
      progress: () => undefined,
      serveSockets: true,
    });
    const h1 = lab.kernel('h1').ifnet('em0')!;
    const lan = Ipv6Prefix.parse('2001:db8:1::/64');
    const configured = (): boolean =>
      h1.addresses.some((a) => (a.flags & IN6_IFF_AUTOCONF) !== 0 && lan.contains(a.address));
    expect(await lab.runUntil(configured, lab.now() + 5_000)).toBe(true);
    expect(performance.now() - wall0).toBeLessThan(10_000);

    // The deferred check target (h1's SLAAC address) is found at check time.
    const [check] = await lab.runChecks();
    expect(check!.ok).toBe(true);

    // `kame --node <rundir>/lab-small/r1.sock ...` from another shell: the same kernel.
    const sock = join(rundir, 'lab-small', 'r1.sock');
    const st = await lab.status();
    expect(st.nodes.find((n) => n.name === 'r1')!.endpoint).toBe(sock);
    const client = await KernelClient.connect({
      channelFactory: () => connectUnix(sock),
      name: 'test',
      clock: hostClientClock,
      reconnect: false,
    });
    expect(client.welcome.node).toBe('r1');
    expect(client.interface('em0')?.mtu).toBe(1500);
    const addrs = await client.addressList('em0');
    expect(addrs.length).toBeGreaterThanOrEqual(2);
    client.close();

    await lab.down();
    lab = undefined;
    expect(existsSync(sock)).toBe(false);
    expect(readdirSync(rundir)).toEqual([]);
  });
});
