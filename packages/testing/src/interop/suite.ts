import { openPcapngFileTap, type LinkEndpoint, type PcapngFileTap, type VxlanTransport } from '@kame/link';
import type { KernelNode } from '@kame/stack';
import type { Clock } from '@kame/time';
import { join } from 'node:path';
import { describe, expect, it } from '@jest/globals';
import { interopSkipReason, wirecheck, type LinuxHost } from './host';

/*
 * Scaffolding every interop suite shares: the skip switch, the capture
 * setup on both sides, the tshark check of every capture, and teardown.
 */

/** `describe(title, body)`, or one skipped test naming the reason when interop cannot run here. */
export function describeInterop(title: string, body: () => void): void {
  const skip = interopSkipReason();
  if (skip) {
    console.log(`SKIP: ${skip}`);
    describe(title, () => {
      it.skip(`SKIP: ${skip}`, () => undefined);
    });
  } else {
    describe(title, body);
  }
}

/** Captures the underlay ('outer', UDP only) with both VXLAN ports, kernel `kport` and userland `uport`, decoded as VXLAN. */
export async function captureUnderlay(host: LinuxHost, kport: number, uport: number): Promise<void> {
  await host.capture(
    'outer',
    '',
    host.underlayLink,
    [`udp.port==${kport},vxlan`, `udp.port==${uport},vxlan`],
    ['udp'],
  );
}

function kameCaptureFile(host: LinuxHost): string {
  return join(host.workDir, 'kame.pcapng');
}

/** Kame-side capture of `endpoints` into the host's work directory (pcapng, wall-clock timestamps). */
export function tapKame(
  host: LinuxHost,
  endpoints: LinkEndpoint | readonly LinkEndpoint[],
  clock: Clock,
): PcapngFileTap {
  return openPcapngFileTap(kameCaptureFile(host), endpoints, clock, {
    epochOffsetMs: Date.now() - clock.now(),
  });
}

/** The Linux capture named `name` (file and decode-as arguments); throws if there is none. */
export function captureFile(
  host: LinuxHost,
  name: string,
): { name: string; file: string; decodeAs: string[] } {
  const c = host.captureFiles.find((f) => f.name === name);
  if (c === undefined) throw new Error(`no capture named ${name}`);
  return c;
}

/**
 * Stops the Linux captures and expects every capture, the kame one included,
 * to hold frames and no malformed ones. Close the kame tap first.
 */
export async function expectCleanCaptures(host: LinuxHost): Promise<void> {
  await host.stopCaptures();
  const files = [...host.captureFiles, { name: 'kame', file: kameCaptureFile(host), decodeAs: [] }];
  for (const c of files) {
    const w = await wirecheck(c.file, c.decodeAs);
    expect(`${c.name}: ${w.frames > 0 ? 'frames' : 'empty'}, bad: ${w.bad.join('; ')}`).toBe(
      `${c.name}: frames, bad: `,
    );
  }
}

/** Takes the kame interfaces down, closes the transport, removes the Linux side and expects nothing left over. */
export async function teardown(
  host: LinuxHost,
  node: KernelNode | undefined,
  transport: VxlanTransport | undefined,
): Promise<void> {
  if (node) for (const ifp of node.interfaces()) if (!ifp.isLoopback) node.ifDown(ifp.name);
  await transport?.close();
  await host.cleanup();
  expect(await host.leftovers()).toEqual([]);
}
