// WebSocket transport against a real `ws` WebSocketServer on loopback (ws:// and wss://).

import https from 'node:https';
import type { AddressInfo } from 'node:net';
import { WebSocket as NodeWebSocket, WebSocketServer, type WebSocket as WsSocket } from 'ws';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  ConnectionException,
  ConnectionRefusedException,
  DisconnectedException,
  StreamException,
  TimedOutException,
} from '../../generated/errors.js';
import { createTransport, type Transport, type WebSocketConstructor } from '../../runtime/transport/transport.js';
import { WebSocketTransport, basicAuthorization, closeCodeReason, webSocketUrl } from '../../runtime/transport/ws.js';
import { parseUri } from '../../runtime/transport/uri.js';
import { encodeWsServerMessage, encodeWsSowBatch, WsCommandAssembler } from '../../runtime/wire/ws-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';
import { bytes, freePort, makeSelfSignedCert, once, text, type TestCert } from './helpers.js';
import { until } from '../support/until.js';

interface Frame {
  readonly data: string | Uint8Array;
  readonly binary: boolean;
}

interface WsPeerConnection {
  readonly socket: WsSocket;
  readonly path: string;
  readonly headers: Record<string, string | string[] | undefined>;
  readonly frames: Frame[];
  waitForFrames(n: number): Promise<Frame[]>;
  readonly closed: Promise<{ code: number; reason: string }>;
  /** Sends server frames: strings as text frames, bytes as binary frames. */
  send(frames: (string | Uint8Array)[]): void;
}

interface WsPeer {
  readonly port: number;
  nextConnection(): Promise<WsPeerConnection>;
  close(): Promise<void>;
}

async function startWsPeer(cert?: TestCert): Promise<WsPeer> {
  const httpsServer = cert ? https.createServer({ key: cert.key, cert: cert.cert }) : undefined;
  const wss = httpsServer
    ? new WebSocketServer({ server: httpsServer })
    : new WebSocketServer({ host: '127.0.0.1', port: 0 });
  if (httpsServer) await new Promise<void>((r) => httpsServer.listen(0, '127.0.0.1', () => r()));
  else await new Promise<void>((r) => wss.once('listening', () => r()));
  const pending: WsPeerConnection[] = [];
  const takers: ((c: WsPeerConnection) => void)[] = [];
  wss.on('connection', (socket, req) => {
    const frames: Frame[] = [];
    let waiters: { n: number; resolve: (f: Frame[]) => void }[] = [];
    socket.on('message', (data, isBinary) => {
      const buf = Buffer.isBuffer(data) ? data : Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data);
      frames.push({ data: isBinary ? new Uint8Array(buf) : buf.toString('utf8'), binary: isBinary });
      waiters = waiters.filter((w) => (frames.length >= w.n ? (w.resolve(frames.slice(0, w.n)), false) : true));
    });
    const closed = new Promise<{ code: number; reason: string }>((resolve) =>
      socket.on('close', (code, reason) => resolve({ code, reason: reason.toString() })),
    );
    const c: WsPeerConnection = {
      socket,
      path: req.url ?? '',
      headers: req.headers,
      frames,
      closed,
      waitForFrames: (n) =>
        frames.length >= n ? Promise.resolve(frames.slice(0, n)) : new Promise((resolve) => waiters.push({ n, resolve })),
      send: (out) => {
        for (const f of out) socket.send(f, { binary: typeof f !== 'string' });
      },
    };
    const take = takers.shift();
    if (take) take(c);
    else pending.push(c);
  });
  const address = (httpsServer ? httpsServer.address() : wss.address()) as AddressInfo;
  return {
    port: address.port,
    nextConnection: () => {
      const c = pending.shift();
      return c ? Promise.resolve(c) : new Promise((resolve) => takers.push(resolve));
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const client of wss.clients) client.terminate();
        wss.close(() => (httpsServer ? httpsServer.close(() => resolve()) : resolve()));
      }),
  };
}


function collect(t: Transport): InboundMessage[] {
  const got: InboundMessage[] = [];
  t.onMessage((m) => got.push(m));
  return got;
}

const hex = (d: string | Uint8Array) => (typeof d === 'string' ? `text:${d}` : Buffer.from(d).toString('hex'));

/**
 * Frames the official JS client 5.3.4 sent, copied from the recorded vectors
 * (/work/shared/reference/vectors/js-client-ws-frames.json: steps `upgrade`, `connect+logon` preamble,
 * `publish string`, `subscribe with filter`), inlined so the test does not depend on a path outside the repo.
 */
const vectors = [
  { step: 'upgrade', path: '/amps/json', headers: { authorization: 'Basic YWxpY2U6c2VjcmV0' } },
  { step: 'connect+logon', preamble: { text: 'text' } },
  {
    step: 'publish string',
    frames: [{ countFrameHex: '02000000', count: 2 }, { text: '{"c":"publish","t":"orders"}' }, { text: '{"id":1,"symbol":"ROL"}' }],
  },
  {
    step: 'subscribe with filter',
    frames: [
      { countFrameHex: '01000000', count: 1 },
      { text: '{"c":"subscribe","t":"messages","filter":"/sender = \'mom\'","cid":"auto2","sub_id":"auto2","a":"processed"}' },
    ],
  },
] as { step: string; headers?: Record<string, string>; path?: string; preamble?: { text: string }; frames?: { countFrameHex?: string; count?: number; text?: string }[] }[];

describe('ws transport against a real WebSocketServer', () => {
  let peer: WsPeer;
  const transports: Transport[] = [];
  const open = (uri: string, options = {}) => {
    const t = createTransport(uri, options);
    transports.push(t);
    return t;
  };

  beforeAll(async () => {
    peer = await startWsPeer();
  });
  afterEach(async () => {
    await Promise.all(transports.splice(0).map((t) => t.close()));
  });
  afterAll(async () => {
    await peer.close();
  });

  it('upgrade matches the official client: path without query, Basic authorization, `text` preamble', async () => {
    const t = open(`ws://alice:secret@127.0.0.1:${peer.port}/amps/json?pretty=true`);
    expect(t).toBeInstanceOf(WebSocketTransport);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const upgrade = vectors.find((v) => v.step === 'upgrade')!;
    expect(c.path).toBe(upgrade.path);
    expect(c.headers.authorization).toBe(upgrade.headers!.authorization);
    const [preamble] = await c.waitForFrames(1);
    expect(preamble).toEqual({ data: vectors.find((v) => v.preamble)!.preamble!.text, binary: false });
  });

  it('each command is [LE count frame][header text][body], as the recorded vectors', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    t.send({ command: 'publish', topic: 'orders' }, '{"id":1,"symbol":"ROL"}');
    t.send({
      command: 'subscribe',
      topic: 'messages',
      filter: "/sender = 'mom'",
      commandId: 'auto2',
      subscriptionId: 'auto2',
      ackType: 'processed',
    });
    t.send({ command: 'publish', topic: 'bin' }, new Uint8Array([1, 2, 3]));
    const frames = await c.waitForFrames(1 + 3 + 2 + 3);
    const publish = vectors.find((v) => v.step === 'publish string')!.frames!;
    const subscribe = vectors.find((v) => v.step === 'subscribe with filter')!.frames!;
    expect(frames.slice(1, 4).map((f) => hex(f.data))).toEqual([
      publish[0].countFrameHex,
      `text:${publish[1].text}`,
      `text:${publish[2].text}`,
    ]);
    expect(frames[1].binary).toBe(true);
    expect(frames.slice(4, 6).map((f) => hex(f.data))).toEqual([subscribe[0].countFrameHex, `text:${subscribe[1].text}`]);
    expect(frames[6].data).toEqual(new Uint8Array([2, 0, 0, 0]));
    expect(frames[8]).toEqual({ data: new Uint8Array([1, 2, 3]), binary: true });

    // And the mock server's assembler understands all of it.
    const asm = new WsCommandAssembler();
    const cmds = frames.map((f) => asm.push(f.data)).filter((m) => m !== undefined);
    expect(asm.bodyType).toBe('text');
    expect(cmds.map((m) => m!.header.command)).toEqual(['publish', 'subscribe', 'publish']);
  });

  it('sends `binary` as the preamble for other message types', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/prefix/amps/nvfix`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    expect(c.path).toBe('/prefix/amps/nvfix');
    expect(c.headers.authorization).toBeUndefined();
    expect((await c.waitForFrames(1))[0]).toEqual({ data: 'binary', binary: false });
  });

  it('receives acks, publishes (with and without body), oof and sow batches', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    c.send(encodeWsServerMessage({ command: 'ack', commandId: 'auto0', ackType: 'processed', status: 'success' }, undefined, 'text'));
    c.send(encodeWsServerMessage({ command: 'publish', topic: 'orders', subscriptionIds: 's1', sequence: 1795494787122000001n, bookmark: '1|5|' }, '{"a":1}', 'text'));
    c.send(encodeWsServerMessage({ command: 'publish', topic: 'orders', subscriptionIds: 's1' }, new Uint8Array([7, 8]), 'binary'));
    c.send(encodeWsServerMessage({ command: 'oof', topic: 'orders', subscriptionIds: 's1', reason: 'deleted' }, undefined, 'text'));
    c.send(
      encodeWsSowBatch(
        { command: 'sow', topic: 'orders', queryId: 'q' },
        [
          { header: { sowKey: '1' }, body: bytes('{"r":1}') },
          { header: { sowKey: '2' }, body: bytes('{"r":2}') },
        ],
        'text',
      ),
    );
    c.send(encodeWsServerMessage({ command: 'heartbeat' }, undefined, 'text'));
    await until(() => got.length >= 7);
    expect(got.map((m) => m.header.command)).toEqual(['ack', 'publish', 'publish', 'oof', 'sow', 'sow', 'heartbeat']);
    expect(got[1].header.sequence).toBe(1795494787122000001n);
    expect(text(got[1].body)).toBe('{"a":1}');
    expect([...got[2].body]).toEqual([7, 8]);
    expect(got[3].body.length).toBe(0);
    expect(got[4].header).toMatchObject({ queryId: 'q', sowKey: '1' });
    expect(text(got[5].body)).toBe('{"r":2}');
  });

  it('raw filter sees frames both ways', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const seen: { out: boolean; data: string }[] = [];
    t.setRawFilter((b, out) => seen.push({ out, data: hex(b) }));
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    t.send({ command: 'heartbeat', options: 'beat' });
    await c.waitForFrames(3);
    c.send(['{"c":"heartbeat"}']);
    await until(() => got.length === 1);
    expect(seen).toEqual([
      { out: true, data: 'text:text' },
      { out: true, data: '01000000' },
      { out: true, data: 'text:{"c":"heartbeat","o":"beat"}' },
      { out: false, data: 'text:{"c":"heartbeat"}' },
    ]);
  });

  it('a corrupt header frame → StreamException and the connection closes', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.send(['{"c":"heartbeat"}', 'this is not json', '{"c":"heartbeat"}']);
    expect(await closed).toBeInstanceOf(StreamException);
    await c.closed;
    expect(got).toHaveLength(1);
    expect(t.connected).toBe(false);
    expect(() => t.send({ command: 'heartbeat' })).toThrow(DisconnectedException);
  });

  it('server close codes become readable DisconnectedException reasons', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    c.socket.close(1003, 'nope');
    const err = await closed;
    expect(err).toBeInstanceOf(DisconnectedException);
    expect(err!.message).toContain('1003');
    expect(err!.message).toContain('AMPS received data of a type it cannot accept');
    expect(closeCodeReason(1006)).toMatch(/abnormal/);
  });

  it('close() sends a normal close (1000) and reports no error', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    await t.close();
    expect(await closed).toBeUndefined();
    expect((await c.closed).code).toBe(1000);
  });

  it('many sends in one turn are corked into few socket writes and arrive in order', async () => {
    const t = open(`ws://127.0.0.1:${peer.port}/amps/json`);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    for (let i = 0; i < 500; i++) t.send({ command: 'publish', topic: 'loop' }, `{"n":${i}}`);
    const frames = await c.waitForFrames(1 + 500 * 3);
    expect(frames[frames.length - 1].data).toBe('{"n":499}');
    await t.whenDrained();
  });

  it('ECONNREFUSED → ConnectionRefusedException; credentials never in messages', async () => {
    const port = await freePort();
    const t = open(`ws://alice:hunter2@127.0.0.1:${port}/amps/json`);
    const err = (await t.connect().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConnectionRefusedException);
    expect(err.message).not.toContain('hunter2');
  });

  it('a failed upgrade (HTTP 404) → ConnectionException', async () => {
    const http = await import('node:http');
    const h = http.createServer((_req, res) => {
      res.statusCode = 404;
      res.end();
    });
    await new Promise<void>((r) => h.listen(0, '127.0.0.1', () => r()));
    try {
      const t = open(`ws://127.0.0.1:${(h.address() as AddressInfo).port}/amps/json`);
      const err = (await t.connect().catch((e: unknown) => e)) as Error;
      expect(err).toBeInstanceOf(ConnectionException);
      expect(err.message).toContain('404');
    } finally {
      h.closeAllConnections();
      await new Promise<void>((r) => h.close(() => r()));
    }
  });

  it('an upgrade that never completes → TimedOutException', async () => {
    const net = await import('node:net');
    const accepted: import('node:net').Socket[] = [];
    const silent = net.createServer((s) => {
      accepted.push(s); // accept and say nothing
    });
    await new Promise<void>((r) => silent.listen(0, '127.0.0.1', () => r()));
    try {
      const t = open(`ws://127.0.0.1:${(silent.address() as AddressInfo).port}/amps/json`, { connectTimeoutMs: 200 });
      await expect(t.connect()).rejects.toBeInstanceOf(TimedOutException);
    } finally {
      for (const s of accepted) s.destroy();
      await new Promise<void>((r) => silent.close(() => r()));
    }
  });

  it('helpers: URL without query or credentials; Basic header from decoded credentials', () => {
    const u = parseUri('wss://al%20ice:p%40ss@[::1]:9443/x/amps/json?pretty=true');
    expect(webSocketUrl(u)).toBe('wss://[::1]:9443/x/amps/json');
    expect(webSocketUrl(u, true)).toBe('wss://al%20ice:p%40ss@[::1]:9443/x/amps/json');
    expect(basicAuthorization(u)).toBe(`Basic ${Buffer.from('al ice:p@ss').toString('base64')}`);
    expect(basicAuthorization(parseUri('ws://h/amps/json'))).toBeUndefined();
    expect(basicAuthorization(parseUri('ws://bob@h/amps/json'))).toBe(`Basic ${Buffer.from('bob:').toString('base64')}`);
  });
});

describe('wss transport', () => {
  let cert: TestCert;
  let peer: WsPeer;

  beforeAll(async () => {
    cert = makeSelfSignedCert();
    peer = await startWsPeer(cert);
  });
  afterAll(async () => {
    await peer.close();
    cert.cleanup();
  });

  it('connects with the CA trusted and exchanges frames', async () => {
    const t = createTransport(`wss://alice:secret@localhost:${peer.port}/amps/json`, { tls: { ca: cert.cert } });
    const got = collect(t);
    const conn = peer.nextConnection();
    await t.connect();
    const c = await conn;
    expect(c.headers.authorization).toBe('Basic YWxpY2U6c2VjcmV0');
    t.send({ command: 'publish', topic: 't' }, 'x');
    expect((await c.waitForFrames(4)).map((f) => hex(f.data))).toEqual([
      'text:text',
      '02000000',
      'text:{"c":"publish","t":"t"}',
      'text:x',
    ]);
    c.send(['{"c":"publish","t":"t","sids":"s","l":1}', 'y']);
    await until(() => got.length === 1);
    expect(text(got[0].body)).toBe('y');
    await t.close();
  });

  it('rejects an untrusted certificate with ConnectionException (TLS cause)', async () => {
    const t = createTransport(`wss://localhost:${peer.port}/amps/json`, { tls: {} });
    const err = (await t.connect().catch((e: unknown) => e)) as Error;
    expect(err).toBeInstanceOf(ConnectionException);
    expect(err.cause).toBeInstanceOf(Error);
  });
});

describe('ws frame size limit', () => {
  it('a frame above maxFrameBytes → StreamException', async () => {
    const peer = await startWsPeer();
    try {
      // 'ws': enforced by the ws package (maxPayload); a plain constructor: enforced by the transport itself.
      for (const webSocket of ['ws', NodeWebSocket as unknown as WebSocketConstructor] as const) {
        const t = createTransport(`ws://127.0.0.1:${peer.port}/amps/json`, { maxFrameBytes: 100, webSocket });
        const conn = peer.nextConnection();
        await t.connect();
        const c = await conn;
        const closed = once<Error | undefined>((cb) => t.onClose(cb));
        c.send([`{"c":"p","t":"x","sids":"s","pad":"${'x'.repeat(200)}"}`]);
        expect(await closed).toBeInstanceOf(StreamException);
      }
    } finally {
      await peer.close();
    }
  });
});
