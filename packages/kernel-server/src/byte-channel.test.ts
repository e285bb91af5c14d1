import { SeededRandom } from '@kame/time';
import { encodeFrame, errnoNumber, helloFrame, requestFrame } from '@kame/kernel-api';
import { connect, newNode, newServer, RawClient, until } from '../test/harness';

describe('framing errors are answered with an ErrorFrame, then the stream ends', () => {
  async function hostile(send: (c: RawClient) => void) {
    const { node } = newNode();
    const server = newServer(node);
    const other = await connect(server, { name: 'bystander' });
    const c = new RawClient(server);
    send(c);
    await until(() => c.ended);
    await until(() => c.frames.length > 0);
    // The server and a second client are unaffected.
    expect(server.connectionCount).toBe(1);
    expect((await other.call('sysctlGet', { name: 'net.inet6.ip6.forwarding' })).value).toBe(0);
    return c.frames[0]?.error;
  }

  it('random bytes', async () => {
    const junk = new SeededRandom(3).bytes(new Uint8Array(512));
    junk[0] = 0x80; // a length prefix that never ends: bad-length
    junk[1] = 0x80;
    junk[2] = 0x80;
    junk[3] = 0x80;
    junk[4] = 0x80;
    const err = await hostile((c) => c.write(junk));
    expect(err?.errno).toBe(errnoNumber('EPROTO'));
  });

  it('a well-framed body that is not a Frame', async () => {
    const err = await hostile((c) => c.write(Uint8Array.of(4, 0xff, 0xff, 0xff, 0xff)));
    expect(err?.errno).toBe(errnoNumber('EPROTO'));
  });

  it('a truncated frame (the stream ends inside it)', async () => {
    const whole = encodeFrame(helloFrame({ name: 'cut', pid: 1 }));
    const err = await hostile((c) => {
      c.write(whole.subarray(0, whole.length - 3));
      c.end();
    });
    expect(err?.errno).toBe(errnoNumber('EPROTO'));
    expect(err?.message).toMatch(/truncated/);
  });

  it('a 100 MB length prefix is refused before any body is buffered', async () => {
    const n = 100 * 1024 * 1024;
    const prefix = Uint8Array.of(
      (n & 0x7f) | 0x80,
      ((n >>> 7) & 0x7f) | 0x80,
      ((n >>> 14) & 0x7f) | 0x80,
      n >>> 21,
    );
    const err = await hostile((c) => c.write(prefix));
    expect(err?.errno).toBe(errnoNumber('EMSGSIZE'));
  });

  it('a wrong ABI version', async () => {
    const err = await hostile((c) => c.frame(helloFrame({ name: 'old', pid: 1, abiVersion: 0 })));
    expect(err?.errno).toBe(errnoNumber('EPROTO'));
    expect(err?.message).toMatch(/ABI version mismatch/);
  });

  it('serves well-formed frames over the raw channel', async () => {
    const { node } = newNode();
    const c = new RawClient(newServer(node));
    c.frame(helloFrame({ name: 'raw', pid: 1 }));
    c.frame(requestFrame(5, 'routeList', { family: 6 }));
    await until(() => c.frames.length >= 2);
    expect(c.frames[0]?.welcome?.node).toBe('r1');
    expect(c.frames[1]?.response?.id).toBe(5);
    expect(c.frames[1]?.response?.routeList?.routes?.length).toBeGreaterThan(0);
  });
});
