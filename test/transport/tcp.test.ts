import net from 'node:net';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ConnectionException,
  ConnectionRefusedException,
  DisconnectedException,
  StreamException,
  TimedOutException,
} from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';
import { createTransport, type Transport } from '../../runtime/transport/transport.js';
import { TcpTransport, preferFamilyLookup } from '../../runtime/transport/tcp.js';
import { parseUri } from '../../runtime/transport/uri.js';
import { encodeFrame, encodeSowBatch } from '../../runtime/wire/tcp-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';
import { bytes, freePort, once, rawFrame, startTcpPeer, text, type StreamPeer } from './helpers.js';
import { until } from '../support/until.js';

let peer: StreamPeer;
const transports: Transport[] = [];

function open(uri: string, options = {}): Transport {
  const t = createTransport(uri, options);
  transports.push(t);
  return t;
}

function collect(t: Transport): InboundMessage[] {
  const got: InboundMessage[] = [];
  t.onMessage((m) => got.push(m));
  return got;
}


const server = (h: Header, body?: Uint8Array | string) => encodeFrame(h, body, { server: true });

beforeEach(async () => {
  peer = await startTcpPeer();
});

afterEach(async () => {
  vi.restoreAllMocks();
  await Promise.all(transports.splice(0).map((t) => t.close()));
  await peer.close();
});

describe('tcp transport', () => {
  it('createTransport picks TcpTransport and validates the URI synchronously', () => {
    expect(createTransport(`tcp://127.0.0.1:${peer.port}/amps/json`)).toBeInstanceOf(TcpTransport);
    expect(() => createTransport('tcp://127.0.0.1/amps/json')).toThrow();
  });

  it('sends frames the peer decodes, and receives frames both ways', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    expect(t.connected).toBe(true);
    const c = await conn;

    t.send({ command: 'logon', commandId: 'auto0', ackType: 'processed', userId: 'alice', password: 'secret' });
    t.send({ command: 'publish', topic: 'orders' }, '{"id":1,"symbol":"ROL"}');
    t.send({ command: 'publish', topic: 'bin' }, new Uint8Array([0, 1, 2, 255]));
    const [logon, pub, bin] = await c.waitForMessages(3);
    expect(logon.header).toMatchObject({ command: 'logon', commandId: 'auto0', userId: 'alice' });
    expect(pub.header).toMatchObject({ command: 'publish', topic: 'orders' });
    expect(text(pub.body)).toBe('{"id":1,"symbol":"ROL"}');
    expect([...bin.body]).toEqual([0, 1, 2, 255]);

    c.socket.write(server({ command: 'ack', commandId: 'auto0', ackType: 'processed', status: 'success' }));
    c.socket.write(server({ command: 'publish', topic: 'orders', subscriptionIds: 's1', bookmark: '1|2|' }, '{"a":1}'));
    c.socket.write(
      encodeSowBatch(
        { command: 'sow', topic: 'orders', queryId: 'q1' },
        [
          { header: { sowKey: '11' }, body: bytes('{"r":1}') },
          { header: { sowKey: '33' }, body: bytes('{"r":22}') },
        ],
        { server: true },
      ),
    );
    await until(() => got.length >= 4);
    expect(got[0].header).toMatchObject({ command: 'ack', status: 'success' });
    expect(got[1].header).toMatchObject({ command: 'publish', subscriptionIds: 's1' });
    expect(text(got[1].body)).toBe('{"a":1}');
    expect(got[2].header).toMatchObject({ command: 'sow', queryId: 'q1', sowKey: '11' });
    expect(text(got[2].body)).toBe('{"r":1}');
    expect(got[3].header).toMatchObject({ command: 'sow', sowKey: '33' });
    expect(text(got[3].body)).toBe('{"r":22}');
  });

  it('keeps 64-bit sequence numbers exact both ways', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    t.send({ command: 'publish', topic: 't', sequence: 1795494787122000001n, ackType: 'persisted' }, 'x');
    const [m] = await c.waitForMessages(1);
    expect(m.header.sequence).toBe(1795494787122000001n);
    c.socket.write(server({ command: 'ack', ackType: 'persisted', sequence: 1795494787122000003n, status: 'success' }));
    await until(() => got.length === 1);
    expect(got[0].header.sequence).toBe(1795494787122000003n);
  });

  it('delivers a storm of frames split at arbitrary chunk boundaries, in order', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const N = 5000;
    const frames: Uint8Array[] = [];
    for (let i = 0; i < N; i++) {
      frames.push(server({ command: 'publish', topic: 'storm', subscriptionIds: 's', sowKey: String(i) }, `{"i":${i}}`));
    }
    // Include one large frame in the middle.
    const big = new Uint8Array(3 * 1024 * 1024).fill(0x61);
    frames.splice(2500, 0, server({ command: 'publish', topic: 'big', subscriptionIds: 's' }, big));
    const all = Buffer.concat(frames);
    // Write in odd slices: 1 byte, 3 bytes, 7 bytes, ... so prefixes and headers straddle chunks.
    let at = 0;
    let step = 1;
    while (at < all.length) {
      const n = Math.min(step, all.length - at);
      c.socket.write(all.subarray(at, at + n));
      at += n;
      step = step >= 65536 ? 1 : step * 3 + 1;
    }
    await until(() => got.length >= N + 1);
    expect(got).toHaveLength(N + 1);
    expect(got[2500].header.topic).toBe('big');
    expect(got[2500].body.length).toBe(big.length);
    const storm = got.filter((m) => m.header.topic === 'storm');
    expect(storm.map((m) => m.header.sowKey)).toEqual(Array.from({ length: N }, (_, i) => String(i)));
    expect(text(storm[4999].body)).toBe('{"i":4999}');
  });

  it('batches all sends of one event-loop turn into one socket write', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const clientPort = c.socket.remotePort;
    const writes: number[] = [];
    const original = net.Socket.prototype.write;
    vi.spyOn(net.Socket.prototype, 'write').mockImplementation(function (this: net.Socket, ...args: unknown[]) {
      if (this.localPort === clientPort) writes.push((args[0] as Uint8Array).length);
      return (original as (...a: unknown[]) => boolean).apply(this, args);
    });
    const outgoing: number[] = [];
    t.setRawFilter((b, out) => {
      if (out) outgoing.push(b.length);
    });

    // Turn 1: 1000 publishes in a loop.
    for (let i = 0; i < 1000; i++) t.send({ command: 'publish', topic: 'loop' }, `{"n":${i}}`);
    expect(t.bufferedAmount).toBeGreaterThan(0);
    await c.waitForMessages(1000);
    expect(writes).toHaveLength(1);
    expect(writes[0]).toBe(outgoing.reduce((a, b) => a + b, 0));

    // Turn 2: another burst → exactly one more write.
    for (let i = 0; i < 10; i++) t.send({ command: 'publish', topic: 'loop' }, 'x');
    await c.waitForMessages(1010);
    expect(writes).toHaveLength(2);
    expect(c.messages.map((m) => m.header.topic).every((x) => x === 'loop')).toBe(true);
    expect(text(c.messages[999].body)).toBe('{"n":999}');
    await t.whenDrained();
    expect(t.bufferedAmount).toBe(0);
  });

  it('outgoing storm: 20000 commands in one turn arrive complete and in order', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    for (let i = 0; i < 20000; i++) t.send({ command: 'publish', topic: 'storm', correlationId: String(i) }, `{"i":${i}}`);
    const got = await c.waitForMessages(20000);
    expect(got.every((m, i) => m.header.correlationId === String(i) && text(m.body) === `{"i":${i}}`)).toBe(true);
  });

  it('backpressure: bufferedAmount grows while the peer does not read, whenDrained resolves once it does', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    c.socket.pause();
    const body = new Uint8Array(1024 * 1024);
    for (let turn = 0; turn < 32; turn++) {
      t.send({ command: 'publish', topic: 'bp' }, body);
      await new Promise((r) => setImmediate(r));
    }
    expect(t.bufferedAmount).toBeGreaterThan(0);
    const drained = t.whenDrained();
    let done = false;
    void drained.then(() => (done = true));
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    c.socket.resume();
    await drained;
    expect(t.bufferedAmount).toBe(0);
    await c.waitForMessages(32);
  });

  it('writes a batch above the merge limit corked, still in order', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const body = new Uint8Array(1024 * 1024).fill(0x62);
    for (let i = 0; i < 6; i++) t.send({ command: 'publish', topic: `big${i}` }, body);
    const got = await c.waitForMessages(6);
    expect(got.map((m) => m.header.topic)).toEqual(['big0', 'big1', 'big2', 'big3', 'big4', 'big5']);
    expect(got.every((m) => m.body.length === body.length)).toBe(true);
  });

  it('raw filter sees outgoing frames and incoming bytes', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const seen: { out: boolean; data: string }[] = [];
    t.setRawFilter((b, out) => seen.push({ out, data: Buffer.from(b as Uint8Array).toString('latin1') }));
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const got = collect(t);
    t.send({ command: 'heartbeat', options: 'beat' });
    await c.waitForMessages(1);
    const frame = server({ command: 'heartbeat' });
    c.socket.write(frame);
    await until(() => got.length === 1);
    const outFrames = seen.filter((s) => s.out);
    expect(outFrames).toHaveLength(1);
    expect(outFrames[0].data.slice(4)).toBe('{"c":"heartbeat","o":"beat"}');
    expect(outFrames[0].data.charCodeAt(3)).toBe(outFrames[0].data.length - 4);
    const incoming = seen.filter((s) => !s.out).map((s) => s.data).join('');
    expect(incoming).toBe(Buffer.from(frame).toString('latin1'));
    t.setRawFilter(undefined);
    t.send({ command: 'heartbeat', options: 'beat' });
    await c.waitForMessages(2);
    expect(seen.filter((s) => s.out)).toHaveLength(1);
  });

  it('an oversized frame closes the connection with StreamException', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`, { maxFrameBytes: 1024 });
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.socket.write(server({ command: 'heartbeat' }));
    c.socket.write(rawFrame(new Uint8Array(2048)));
    const err = await closed;
    expect(err).toBeInstanceOf(StreamException);
    expect(got).toHaveLength(1);
    expect(t.connected).toBe(false);
    await c.closed; // the peer sees the connection go away
    expect(() => t.send({ command: 'heartbeat' })).toThrow(DisconnectedException);
  });

  it('a corrupt header closes the connection with StreamException, and frames after it are not delivered', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closes: (Error | undefined)[] = [];
    t.onClose((e) => closes.push(e));
    c.socket.write(
      Buffer.concat([
        server({ command: 'heartbeat' }),
        rawFrame('{"c":"p","t":"x",'), // truncated JSON header
        server({ command: 'heartbeat' }),
      ]),
    );
    await c.closed;
    await until(() => closes.length === 1);
    expect(closes[0]).toBeInstanceOf(StreamException);
    expect(got).toHaveLength(1);
    // Still exactly one close notification.
    await new Promise((r) => setTimeout(r, 20));
    expect(closes).toHaveLength(1);
  });

  it('a sow batch with a bad record length is a StreamException', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.socket.write(rawFrame('{"c":"sow","t":"x","query_id":"q","bs":1}{"k":"1","l":500}abc'));
    expect(await closed).toBeInstanceOf(StreamException);
  });

  it('peer close → DisconnectedException on onClose; our close → no error', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.socket.end();
    const err = await closed;
    expect(err).toBeInstanceOf(DisconnectedException);
    expect(err?.message).not.toMatch(/undefined/);

    const t2 = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    const conn2 = peer.nextConnection();
    await t2.connect();
    const c2 = await conn2;
    const closed2 = once<Error | undefined>((cb) => t2.onClose(cb));
    t2.send({ command: 'heartbeat', options: 'beat' }); // flushed by close()
    await t2.close();
    expect(await closed2).toBeUndefined();
    await c2.closed;
    expect(c2.messages).toHaveLength(1);
    await t2.close(); // idempotent
    await expect(t2.connect()).rejects.toBeInstanceOf(ConnectionException);
  });

  it('tcp_linger=0 resets the connection on close', async () => {
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json?tcp_linger=0`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    await t.close();
    const r = await c.closed;
    expect(r.error && (r.error as NodeJS.ErrnoException).code).toBe('ECONNRESET');
  });

  it('ECONNREFUSED → ConnectionRefusedException', async () => {
    const port = await freePort();
    const t = open(`tcp://127.0.0.1:${port}/amps/json`);
    const closes: unknown[] = [];
    t.onClose((e) => closes.push(e));
    const err = await t.connect().then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toBeInstanceOf(ConnectionRefusedException);
    expect((err as Error).cause).toBeDefined();
    expect(closes).toHaveLength(0);
    expect(() => t.send({ command: 'heartbeat' })).toThrow(DisconnectedException);
  });

  it('connect timeout → TimedOutException (TLS handshake to a silent peer)', async () => {
    const t = open(`tcps://127.0.0.1:${peer.port}/amps/json`, { connectTimeoutMs: 200 });
    await expect(t.connect()).rejects.toBeInstanceOf(TimedOutException);
  });

  it('close() while connecting rejects connect() and resolves', async () => {
    const t = open(`tcps://127.0.0.1:${peer.port}/amps/json`, { connectTimeoutMs: 5000 });
    const p = t.connect();
    await peer.nextConnection();
    await t.close();
    await expect(p).rejects.toBeInstanceOf(DisconnectedException);
  });

  it('a throwing listener does not disturb the stream', async () => {
    const errors: unknown[] = [];
    const t = open(`tcp://127.0.0.1:${peer.port}/amps/json`, { onListenerError: (e: unknown) => errors.push(e) });
    const got: InboundMessage[] = [];
    t.onMessage(() => {
      throw new Error('boom');
    });
    t.onMessage((m) => got.push(m));
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    c.socket.write(Buffer.concat([server({ command: 'heartbeat' }), server({ command: 'heartbeat' })]));
    await until(() => got.length === 2);
    expect(errors).toHaveLength(2);
    expect(t.connected).toBe(true);
  });

  it('applies tcp_nodelay, tcp_keepalive and bind', async () => {
    const localPort = await freePort();
    const noDelay = vi.spyOn(net.Socket.prototype, 'setNoDelay');
    const keepAlive = vi.spyOn(net.Socket.prototype, 'setKeepAlive');
    const t = open(
      `tcp://127.0.0.1:${peer.port}/amps/json?tcp_nodelay=true&tcp_keepalive=false&bind=127.0.0.1:${localPort}&tcp_sndbuf=32768&tcp_rcvbuf=32768`,
    );
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    expect(c.socket.remotePort).toBe(localPort);
    expect(noDelay).toHaveBeenCalledWith(true);
    expect(keepAlive).toHaveBeenCalledWith(false);
    expect((t as TcpTransport).advisoryOptions).toEqual(['tcp_sndbuf', 'tcp_rcvbuf']);

    noDelay.mockClear();
    keepAlive.mockClear();
    const t2 = open(`tcp://127.0.0.1:${peer.port}/amps/json`);
    await t2.connect();
    expect(noDelay).toHaveBeenCalledWith(false); // official default: off
    expect(keepAlive).toHaveBeenCalledWith(true); // official default: on
  });

  it('resolves a host name with ip_protocol_prefer, falling back to the other family', async () => {
    for (const prefer of ['ipv4', 'ipv6']) {
      const t = open(`tcp://localhost:${peer.port}/amps/json?ip_protocol_prefer=${prefer}`);
      const conn = peer.nextConnection();
      await t.connect(); // the peer listens on 127.0.0.1 only
      await conn;
      expect(t.connected).toBe(true);
    }
  });

  it('preferFamilyLookup orders addresses preferred family first', async () => {
    const fake = [
      { address: '::1', family: 6 },
      { address: '127.0.0.1', family: 4 },
    ];
    const base = (_h: string, _o: unknown, cb: (e: null, a: typeof fake) => void) => cb(null, fake);
    const v4 = await preferFamilyLookup(4, base);
    const v6 = await preferFamilyLookup(6, base);
    const all = (lookup: typeof v4) =>
      new Promise<unknown>((resolve) => lookup('x', { all: true }, (_e, a) => resolve(a)));
    const one = (lookup: typeof v4) =>
      new Promise<unknown>((resolve) => lookup('x', {}, (_e, a, f) => resolve([a, f])));
    expect(await all(v4)).toEqual([fake[1], fake[0]]);
    expect(await all(v6)).toEqual(fake);
    expect(await one(v4)).toEqual(['127.0.0.1', 4]);
    expect(await one(v6)).toEqual(['::1', 6]);
  });

  it('a Transport made from a ParsedUri keeps the password out of its messages', async () => {
    const port = await freePort();
    const t = open(parseUri(`tcp://alice:hunter2@127.0.0.1:${port}/amps/json`) as never);
    const err = (await t.connect().catch((e: unknown) => e)) as Error;
    expect(err.message).not.toContain('hunter2');
    expect(String(t.uri)).not.toContain('hunter2');
  });
});
