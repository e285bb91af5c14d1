import fc from 'fast-check';
import {
  DEFAULT_MAX_FRAME_SIZE,
  encodeFrame,
  FrameDecoder,
  FrameError,
  helloFrame,
  requestFrame,
  v1,
  type FrameErrorKind,
} from '../src';

function frameN(i: number): v1.Frame.$Properties {
  return requestFrame(i, 'sockSendmsg', {
    fd: 3 + (i % 7),
    data: Uint8Array.from({ length: i % 50 }, (_, k) => (k * 31 + i) & 0xff),
  });
}

function concat(parts: readonly Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) {
    out.set(p, o);
    o += p.length;
  }
  return out;
}

function ids(frames: v1.Frame[]): number[] {
  return frames.map((f) => f.request?.id ?? -1);
}

function expectFrameError(fn: () => unknown, kind: FrameErrorKind): FrameError {
  try {
    fn();
  } catch (e) {
    expect(e).toBeInstanceOf(FrameError);
    expect((e as FrameError).kind).toBe(kind);
    return e as FrameError;
  }
  throw new Error(`expected FrameError ${kind}`);
}

describe('encodeFrame', () => {
  it('is a varint length prefix then the Frame', () => {
    const bytes = encodeFrame(helloFrame({ name: 'route6d', pid: 42 }));
    const body = v1.Frame.encode(helloFrame({ name: 'route6d', pid: 42 })).finish();
    expect(bytes[0]).toBe(body.length);
    expect(bytes.subarray(1)).toEqual(body);
    // The same bytes encodeDelimited gives (toolchain.md 5).
    expect(bytes).toEqual(v1.Frame.encodeDelimited(helloFrame({ name: 'route6d', pid: 42 })).finish());
  });

  it('uses a multi-byte prefix for 128+ byte bodies', () => {
    const bytes = encodeFrame(requestFrame(1, 'sockSendmsg', { fd: 3, data: new Uint8Array(300) }));
    expect(bytes[0]! & 0x80).toBe(0x80);
    expect(new FrameDecoder().push(bytes)).toHaveLength(1);
  });

  it('refuses a body above the maximum', () => {
    const big = requestFrame(1, 'sockSendmsg', { fd: 3, data: new Uint8Array(2000) });
    expectFrameError(() => encodeFrame(big, 1000), 'oversize');
  });
});

describe('FrameDecoder', () => {
  const frames = Array.from({ length: 40 }, (_, i) => frameN(i + 1));
  const stream = concat(frames.map((f) => encodeFrame(f)));

  it('reassembles frames fed one byte at a time', () => {
    const d = new FrameDecoder();
    const out: v1.Frame[] = [];
    for (let i = 0; i < stream.length; i++) out.push(...d.push(stream.subarray(i, i + 1)));
    expect(ids(out)).toEqual(frames.map((_, i) => i + 1));
    expect(d.pending).toBe(0);
    d.finish();
  });

  it('reassembles frames across random splits', () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: stream.length }), { maxLength: 30 }), (cuts) => {
        const points = [...new Set([0, ...cuts, stream.length])].sort((a, b) => a - b);
        const d = new FrameDecoder();
        const out: v1.Frame[] = [];
        for (let i = 0; i + 1 < points.length; i++)
          out.push(...d.push(stream.subarray(points[i], points[i + 1])));
        expect(ids(out)).toEqual(frames.map((_, i) => i + 1));
        const last = d.push(new Uint8Array(0));
        expect(last).toEqual([]);
      }),
      { numRuns: 200 },
    );
  });

  it('decodes 1,000 frames given in one chunk, in order', () => {
    const many = Array.from({ length: 1000 }, (_, i) => frameN(i + 1));
    const out = new FrameDecoder().push(concat(many.map((f) => encodeFrame(f))));
    expect(out).toHaveLength(1000);
    expect(ids(out)).toEqual(many.map((_, i) => i + 1));
    const d = out[999]!.request!.sockSendmsg!;
    expect(d.fd).toBe(3 + (1000 % 7));
    expect(Array.from(d.data!)).toEqual(Array.from(frameN(1000).request!.sockSendmsg!.data!));
  });

  it('keeps decoding after a frame whose body is empty (Frame with no body)', () => {
    const out = new FrameDecoder().push(concat([new Uint8Array([0]), encodeFrame(frameN(5))]));
    expect(out).toHaveLength(2);
    expect(out[0]!.body).toBeUndefined();
    expect(out[1]!.request?.id).toBe(5);
  });

  it('rejects a 100 MB length prefix as soon as the prefix is read, before buffering the body', () => {
    const d = new FrameDecoder();
    // varint(100_000_000) = 0x80 0xc2 0xd7 0x2f
    const prefix = new Uint8Array([0x80, 0xc2, 0xd7, 0x2f]);
    const err = expectFrameError(() => d.push(prefix), 'oversize');
    expect(err.message).toContain('100000000');
    expect(err.message).toContain(String(DEFAULT_MAX_FRAME_SIZE));
    expect(d.pending).toBeLessThanOrEqual(prefix.length);
    // Once failed, the stream is out of step: the decoder stays failed.
    expectFrameError(() => d.push(new Uint8Array([1, 2, 3])), 'oversize');
  });

  it('rejects an oversized prefix even when it arrives one byte at a time', () => {
    const d = new FrameDecoder({ maxFrameSize: 1000 });
    // varint(1001) = 0xe9 0x07
    expect(d.push(new Uint8Array([0xe9]))).toEqual([]);
    expectFrameError(() => d.push(new Uint8Array([0x07])), 'oversize');
  });

  it('accepts a frame of exactly the maximum size', () => {
    const f = requestFrame(1, 'sockSendmsg', { fd: 3, data: new Uint8Array(500) });
    const bytes = encodeFrame(f);
    const bodyLen = v1.Frame.encode(f).finish().length;
    expect(new FrameDecoder({ maxFrameSize: bodyLen }).push(bytes)).toHaveLength(1);
    expectFrameError(() => new FrameDecoder({ maxFrameSize: bodyLen - 1 }).push(bytes), 'oversize');
  });

  it('rejects a prefix longer than 5 bytes or above 32 bits', () => {
    expectFrameError(
      () =>
        new FrameDecoder({ maxFrameSize: 2 ** 33 }).push(
          new Uint8Array([0x80, 0x80, 0x80, 0x80, 0x80, 0x01]),
        ),
      'bad-length',
    );
    expectFrameError(
      () => new FrameDecoder({ maxFrameSize: 2 ** 40 }).push(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0x7f])),
      'bad-length',
    );
  });

  it('reports a body that is not a Frame as malformed, with its stream offset', () => {
    const good = encodeFrame(frameN(1));
    // Field 3 (request) with wire type 2 and a length running past the body.
    const bad = new Uint8Array([3, 0x1a, 0x7f, 0x00]);
    const err = expectFrameError(() => new FrameDecoder().push(concat([good, bad])), 'malformed');
    expect(err.offset).toBe(good.length);
  });

  it('finish() reports a stream cut inside a frame', () => {
    const d = new FrameDecoder();
    d.push(encodeFrame(frameN(9)).subarray(0, 5));
    expectFrameError(() => d.finish(), 'truncated');
  });

  it('random garbage gives frames or a FrameError, never another exception', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 512 }), fc.integer({ min: 1, max: 64 }), (junk, step) => {
        const d = new FrameDecoder({ maxFrameSize: 1 << 16 });
        try {
          for (let i = 0; i < junk.length; i += step) d.push(junk.subarray(i, i + step));
        } catch (e) {
          if (!(e instanceof FrameError)) throw e;
        }
      }),
      { numRuns: 2000 },
    );
  });

  it('garbage inside a valid prefix is malformed or decodes, never crashes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ minLength: 1, maxLength: 120 }), (body) => {
        const bytes = concat([new Uint8Array([body.length]), body]);
        try {
          const out = new FrameDecoder().push(bytes);
          expect(out).toHaveLength(1);
        } catch (e) {
          expect(e).toBeInstanceOf(FrameError);
          expect((e as FrameError).kind).toBe('malformed');
        }
      }),
      { numRuns: 2000 },
    );
  });
});
