import { encodeFrame, FrameDecoder } from './frame';
import { memoryPair } from './transport';
import { requestFrame } from './messages';
import type { v1 } from './proto';

describe('decoded frames own their bytes', () => {
  it('a decoded bytes field stays intact when later frames reuse the decoder buffer', async () => {
    const [a, b] = memoryPair();
    const got: v1.Frame[] = [];
    b.onFrame((f) => got.push(f));
    a.send(requestFrame(1, 'addrDelete', { address: new Uint8Array(16).fill(7) }));
    await new Promise((r) => setImmediate(r));
    a.send(requestFrame(2, 'sysctlGet', { name: 'x'.repeat(40) }));
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect([...got[0]!.request!.addrDelete!.address!]).toEqual(new Array(16).fill(7));
  });
});

describe('frames decoded in place from a whole chunk', () => {
  it('give plain Uint8Array bytes fields even from a Node Buffer chunk (Buffer#slice would alias)', () => {
    const bytes = Buffer.from(
      encodeFrame(requestFrame(1, 'addrDelete', { address: new Uint8Array(16).fill(9) })),
    );
    const [f] = new FrameDecoder().push(bytes);
    const address = f!.request!.addrDelete!.address!;
    expect(Buffer.isBuffer(address)).toBe(false);
    expect([...address]).toEqual(new Array(16).fill(9));
    // slice() is a copy, as for any Uint8Array.
    const copy = address.slice();
    copy[0] = 0;
    expect(address[0]).toBe(9);
  });
});
