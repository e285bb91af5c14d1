import {
  ABI_VERSION,
  checkHello,
  checkWelcome,
  errnoName,
  errorFrame,
  FrameError,
  helloFrame,
  KernelApiError,
  memoryPair,
  MemoryPump,
  requestFrame,
  welcomeFrame,
  type FrameChannel,
  type v1,
} from '../src';

/** Resolves with the next `n` frames a channel receives. */
function nextFrames(ch: FrameChannel, n: number): Promise<v1.Frame[]> {
  return new Promise((resolve) => {
    const got: v1.Frame[] = [];
    const off = ch.onFrame((f) => {
      got.push(f);
      if (got.length === n) {
        off();
        resolve(got);
      }
    });
  });
}

function closed(ch: FrameChannel): Promise<Error | undefined> {
  return new Promise((resolve) => ch.onClose(resolve));
}

/** A toy server: the handshake as the kernel will do it. */
function serve(ch: FrameChannel, node: string): void {
  let greeted = false;
  ch.onFrame((f) => {
    if (!greeted) {
      if (f.body !== 'hello') {
        ch.send(errorFrame('EPROTO', 'expected Hello'));
        ch.close();
        return;
      }
      const refused = checkHello(f.hello!);
      if (refused) {
        ch.send(errorFrame(refused.errno, refused.detail));
        ch.close();
        return;
      }
      greeted = true;
      ch.send(welcomeFrame({ node, capabilities: ['inet6', 'route'] }));
    }
  });
}

describe('memoryPair', () => {
  it('delivers asynchronously, in order', async () => {
    const [a, b] = memoryPair();
    const seen: number[] = [];
    b.onFrame((f) => seen.push(f.request!.id!));
    for (let i = 1; i <= 1000; i++) a.send(requestFrame(i, 'ifList', {}));
    expect(seen).toEqual([]); // nothing synchronously
    await new Promise((r) => setImmediate(r));
    await new Promise((r) => setImmediate(r));
    expect(seen).toEqual(Array.from({ length: 1000 }, (_, i) => i + 1));
  });

  it('keeps frames that arrive before a listener', async () => {
    const [a, b] = memoryPair();
    a.send(helloFrame({ name: 'rtsold', pid: 1 }));
    await new Promise((r) => setImmediate(r));
    const [f] = await nextFrames(b, 1);
    expect(f!.hello!.name).toBe('rtsold');
  });

  it('close reaches the peer after queued frames', async () => {
    const [a, b] = memoryPair();
    const got = nextFrames(b, 2);
    const end = closed(b);
    a.send(requestFrame(1, 'ifList', {}));
    a.send(requestFrame(2, 'ifList', {}));
    a.close();
    expect((await got).map((f) => f.request!.id)).toEqual([1, 2]);
    expect(await end).toBeUndefined();
    expect(b.closed).toBe(true);
    expect(() => a.send(requestFrame(3, 'ifList', {}))).toThrow(/closed/);
  });

  it('a frame above the maximum is refused at the sender', () => {
    const [a] = memoryPair({ maxFrameSize: 100 });
    expect(() => a.send(requestFrame(1, 'sockSendmsg', { fd: 3, data: new Uint8Array(200) }))).toThrow(
      FrameError,
    );
  });
});

describe('handshake (Hello -> Welcome, mismatch -> clear error)', () => {
  it('same ABI version: Welcome with node name and capabilities', async () => {
    const [client, server] = memoryPair();
    serve(server, 'r1');
    const reply = nextFrames(client, 1);
    client.send(helloFrame({ name: 'route6d', pid: 99 }));
    const [w] = await reply;
    expect(w!.body).toBe('welcome');
    expect(() => checkWelcome(w!.welcome!)).not.toThrow();
    expect(w!.welcome).toMatchObject({
      abiVersion: ABI_VERSION,
      node: 'r1',
      capabilities: ['inet6', 'route'],
    });
  });

  it('another ABI version: ErrorFrame EPROTO naming both versions, then close', async () => {
    const [client, server] = memoryPair();
    serve(server, 'r1');
    const reply = nextFrames(client, 1);
    const end = closed(client);
    client.send(helloFrame({ name: 'route6d', pid: 99, abiVersion: ABI_VERSION + 1 }));
    const [e] = await reply;
    expect(e!.body).toBe('error');
    expect(errnoName(e!.error!.errno!)).toBe('EPROTO');
    expect(e!.error!.message).toBe(
      `ABI version mismatch: client "route6d" speaks kame.kernel v${ABI_VERSION + 1}, this kernel speaks v${ABI_VERSION}`,
    );
    await end;
  });

  it('a client refuses a Welcome of another version', () => {
    expect(() => checkWelcome({ abiVersion: 7, node: 'r1' })).toThrow(
      new KernelApiError(
        'EPROTO',
        `ABI version mismatch: kernel "r1" speaks kame.kernel v7, this client speaks v${ABI_VERSION}`,
      ),
    );
  });
});

describe('MemoryPump (deterministic delivery for virtual-time labs)', () => {
  it('holds frames until flushed, then delivers them in order', () => {
    const pump = new MemoryPump();
    const [a, b] = memoryPair({ pump });
    const got: number[] = [];
    b.onFrame((f) => got.push(f.request?.id ?? -1));
    a.send({ request: { id: 1 } });
    a.send({ request: { id: 2 } });
    expect(got).toEqual([]);
    expect(pump.pending).toBe(1);
    expect(pump.flush()).toBe(1);
    expect(got).toEqual([1, 2]);
    expect(pump.pending).toBe(0);
  });

  it('settle() runs request/response ping-pong through promise continuations until quiet', async () => {
    const pump = new MemoryPump();
    const [a, b] = memoryPair({ pump });
    b.onFrame((f) => {
      const id = f.request?.id ?? 0;
      if (id < 5) b.send({ response: { id } });
    });
    const answered: number[] = [];
    a.onFrame((f) => {
      const id = f.response?.id ?? 0;
      answered.push(id);
      // The next request goes out from a promise continuation, as a client's would.
      void Promise.resolve().then(() => a.send({ request: { id: id + 1 } }));
    });
    a.send({ request: { id: 1 } });
    await pump.settle();
    expect(answered).toEqual([1, 2, 3, 4]);
    expect(pump.pending).toBe(0);
  });
});
