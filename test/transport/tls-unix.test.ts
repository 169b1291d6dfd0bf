import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionException,
  ConnectionRefusedException,
  DisconnectedException,
  StreamException,
} from '../../generated/errors.js';
import { createTransport, type Transport } from '../../runtime/transport/transport.js';
import { TlsTransport } from '../../runtime/transport/tls.js';
import { UnixTransport } from '../../runtime/transport/unix.js';
import { encodeFrame } from '../../runtime/wire/tcp-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';
import {
  makeSelfSignedCert,
  once,
  rawFrame,
  startTlsPeer,
  startUnixPeer,
  tempDir,
  text,
  type StreamPeer,
  type TestCert,
} from './helpers.js';
import { until } from '../support/until.js';


function collect(t: Transport): InboundMessage[] {
  const got: InboundMessage[] = [];
  t.onMessage((m) => got.push(m));
  return got;
}

describe('tcps transport', () => {
  let cert: TestCert;
  let other: TestCert;
  let peer: StreamPeer;

  beforeAll(async () => {
    cert = makeSelfSignedCert();
    other = makeSelfSignedCert();
    peer = await startTlsPeer(cert);
  });

  afterAll(async () => {
    await peer.close();
    cert.cleanup();
    other.cleanup();
  });

  it('connects with the CA trusted and exchanges frames', async () => {
    for (const host of ['localhost', '127.0.0.1']) {
      const t = createTransport(`tcps://${host}:${peer.port}/amps/json?tcp_nodelay=true`, { tls: { ca: cert.cert } });
      expect(t).toBeInstanceOf(TlsTransport);
      const got = collect(t);
      const conn = peer.nextConnection();
      await t.connect();
      const c = await conn;
      for (let i = 0; i < 100; i++) t.send({ command: 'publish', topic: 'secure' }, `{"i":${i}}`);
      const msgs = await c.waitForMessages(100);
      expect(text(msgs[99].body)).toBe('{"i":99}');
      c.socket.write(encodeFrame({ command: 'publish', topic: 'secure', subscriptionIds: 's' }, 'hello', { server: true }));
      await until(() => got.length === 1);
      expect(text(got[0].body)).toBe('hello');
      const closed = once<Error | undefined>((cb) => t.onClose(cb));
      await t.close();
      expect(await closed).toBeUndefined();
    }
  });

  it('rejects a server whose CA is not trusted: ConnectionException with the TLS cause', async () => {
    for (const tls of [undefined, { ca: other.cert }]) {
      const t = createTransport(`tcps://localhost:${peer.port}/amps/json`, tls ? { tls } : {});
      const err = (await t.connect().catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(ConnectionException);
      expect(err).not.toBeInstanceOf(ConnectionRefusedException);
      expect(err.cause).toBeInstanceOf(Error);
      expect(err.message).toMatch(/TLS/);
      expect(t.connected).toBe(false);
    }
  });

  it('rejects a certificate for another name', async () => {
    const t = createTransport(`tcps://127.0.0.1:${peer.port}/amps/json`, {
      tls: { ca: cert.cert, servername: 'amps.example.com' },
    });
    const err = (await t.connect().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConnectionException);
    expect(err.cause).toBeDefined();
  });

  it('connects without verification when rejectUnauthorized is false', async () => {
    const t = createTransport(`tcps://localhost:${peer.port}/amps/json`, { tls: { rejectUnauthorized: false } });
    const conn = peer.nextConnection();
    await t.connect();
    await conn;
    expect(t.connected).toBe(true);
    await t.close();
  });

  it('mutual TLS: presents the client certificate and key', async () => {
    const client = makeSelfSignedCert();
    const mtls = await startTlsPeer(cert, { requestCert: true, rejectUnauthorized: true, ca: client.cert });
    try {
      const t = createTransport(`tcps://localhost:${mtls.port}/amps/json`, {
        tls: { ca: cert.cert, cert: client.cert, key: client.key },
      });
      const conn = mtls.nextConnection();
      await t.connect();
      const c = await conn;
      expect((c.socket as import('node:tls').TLSSocket).authorized).toBe(true);
      t.send({ command: 'heartbeat', options: 'beat' });
      await c.waitForMessages(1);
      await t.close();

      // Without a client certificate the server refuses the handshake: connect() fails or the connection drops.
      const anon = createTransport(`tcps://localhost:${mtls.port}/amps/json`, { tls: { ca: cert.cert } });
      const outcome = await anon.connect().then(
        () => once<Error | undefined>((cb) => anon.onClose(cb)),
        (e: unknown) => e as Error,
      );
      expect(outcome).toBeInstanceOf(ConnectionException);
    } finally {
      await mtls.close();
      client.cleanup();
    }
  });

  it('an unparsable key → ConnectionException', async () => {
    const t = createTransport(`tcps://localhost:${peer.port}/amps/json`, {
      tls: { ca: cert.cert, cert: cert.cert, key: 'not a key' },
    });
    await expect(t.connect()).rejects.toBeInstanceOf(ConnectionException);
  });

  it('corrupt data over TLS → StreamException, clean close', async () => {
    const t = createTransport(`tcps://localhost:${peer.port}/amps/json`, { tls: { ca: cert.cert }, maxFrameBytes: 64 });
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.socket.write(rawFrame('x'.repeat(100)));
    expect(await closed).toBeInstanceOf(StreamException);
    await c.closed;
  });
});

describe('unix transport', () => {
  let dir: { dir: string; cleanup(): void };
  let peer: StreamPeer;
  let socketPath: string;

  beforeAll(async () => {
    dir = tempDir('amps-ts-unix-');
    socketPath = join(dir.dir, 'amps.sock');
    peer = await startUnixPeer(socketPath);
  });

  afterAll(async () => {
    await peer.close();
    dir.cleanup();
  });

  it('connects to the path, ignoring host and port, and exchanges frames', async () => {
    const t = createTransport(`unix://ignored:0/amps/json?path=${encodeURIComponent(socketPath)}`);
    expect(t).toBeInstanceOf(UnixTransport);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    t.send({ command: 'logon', commandId: 'l1', ackType: 'processed' });
    t.send({ command: 'publish', topic: 'u' }, 'data');
    const [logon, pub] = await c.waitForMessages(2);
    expect(logon.header.command).toBe('logon');
    expect(text(pub.body)).toBe('data');
    expect(c.chunks).toHaveLength(1); // both frames in one write
    c.socket.write(encodeFrame({ command: 'ack', commandId: 'l1', ackType: 'processed', status: 'success' }, undefined, { server: true }));
    await until(() => got.length === 1);
    expect(got[0].header.status).toBe('success');
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.socket.destroy();
    expect(await closed).toBeInstanceOf(DisconnectedException);
  });

  it('a missing socket file → ConnectionRefusedException', async () => {
    const t = createTransport(`unix://localhost:0/amps/json?path=${encodeURIComponent(join(dir.dir, 'nope.sock'))}`);
    await expect(t.connect()).rejects.toBeInstanceOf(ConnectionRefusedException);
  });
});
