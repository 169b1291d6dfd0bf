// Our Client against a hostile server (raw TCP and WebSocket peers that answer logon correctly and then
// misbehave): garbage, a frame announcing 2 GB, a sow batch cut mid-record, a corrupt sow record, closing mid-sow,
// acks for unknown command ids, publishes for unknown subscriptions. Asserts the Client surfaces typed exceptions
// (DisconnectedException, with the StreamException as its cause when the data was corrupt) to pending promises and
// streams, only AMPSExceptions reach the exception listener, nothing escapes as an uncaught exception or
// unhandled rejection, streams end, and connect() + logon() + sow work again afterwards.

import { createServer, type Server, type Socket } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  AMPSException,
  CommandException,
  DisconnectedException,
  StreamException,
  TimedOutException,
} from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';
import { Client, MemoryBookmarkStore, type Message, type MessageStream } from '../../runtime/index.js';
import { decodeHeader } from '../../runtime/wire/header-codec.js';
import { encodeFrame, encodeSowBatch, FrameDecoder, type SowRecord } from '../../runtime/wire/tcp-framing.js';
import { encodeWsServerMessage, encodeWsSowBatch, WsCommandAssembler, type WsFrame } from '../../runtime/wire/ws-framing.js';
import { lengthPrefixed, Rng, SEED, sleep, utf8, waitFor } from './fuzz-util.js';
import { H } from './raw.js';

const escaped: unknown[] = [];
const onUncaught = (e: unknown) => escaped.push(e);
beforeAll(() => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
});
afterAll(() => {
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

// ---------------------------------------------------------------------------------------------------------------
// A scripted server, TCP or WebSocket, one connection at a time.

interface Conn {
  readonly kind: 'tcp' | 'ws';
  send(header: Header, body?: string): void;
  sowBatch(batch: Header, records: SowRecord[]): void;
  /** TCP: raw bytes. WS: one raw frame. */
  raw(x: Uint8Array | string): void;
  close(): void;
}

/** Set by a test: when true, a `sow` on topic `sow-t` stops after group_begin and one batch (the hostile stage). */
interface Script {
  holdSow: boolean;
  /** Topics whose subscribe is never acknowledged (a pending command). */
  holdTopics: Set<string>;
  /** How the next logon is answered. */
  logon: 'ok' | 'silent' | 'garbage' | 'close' | 'failure';
}

class HostileServer {
  conn: Conn | undefined;
  readonly commands: Header[] = [];
  readonly script: Script = { holdSow: true, holdTopics: new Set(['held']), logon: 'ok' };
  private tcp?: Server;
  private wss?: WebSocketServer;
  private sockets: (Socket | WebSocket)[] = [];
  port = 0;

  static async start(kind: 'tcp' | 'ws'): Promise<HostileServer> {
    const s = new HostileServer();
    if (kind === 'tcp') {
      s.tcp = createServer((sock) => s.acceptTcp(sock));
      await new Promise<void>((r) => s.tcp!.listen(0, '127.0.0.1', r));
      s.port = (s.tcp.address() as { port: number }).port;
    } else {
      s.wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
      await new Promise<void>((r) => s.wss!.once('listening', r));
      s.port = (s.wss.address() as { port: number }).port;
      s.wss.on('connection', (w) => s.acceptWs(w));
    }
    return s;
  }

  uri(kind: 'tcp' | 'ws'): string {
    return `${kind}://127.0.0.1:${this.port}/amps/json`;
  }

  private acceptTcp(sock: Socket): void {
    this.sockets.push(sock);
    sock.on('error', () => undefined);
    const conn: Conn = {
      kind: 'tcp',
      send: (h, b) => sock.write(encodeFrame(h, b, { server: true })),
      sowBatch: (h, r) => sock.write(encodeSowBatch(h, r, { server: true })),
      raw: (x) => sock.write(typeof x === 'string' ? utf8(x) : x),
      close: () => sock.destroy(),
    };
    this.conn = conn;
    const decoder = new FrameDecoder((payload) => this.onCommand(conn, decodeHeader(payload, 0, payload.length).header));
    sock.on('data', (d) => {
      try {
        decoder.push(d);
      } catch {
        sock.destroy();
      }
    });
  }

  private acceptWs(w: WebSocket): void {
    this.sockets.push(w);
    w.on('error', () => undefined);
    const send = (fs: WsFrame[]) => {
      for (const f of fs) if (w.readyState === 1) w.send(f, { binary: typeof f !== 'string' });
    };
    const conn: Conn = {
      kind: 'ws',
      send: (h, b) => send(encodeWsServerMessage(h, b, 'text')),
      sowBatch: (h, r) => send(encodeWsSowBatch(h, r, 'text')),
      raw: (x) => send([x]),
      close: () => w.terminate(),
    };
    this.conn = conn;
    const asm = new WsCommandAssembler();
    w.on('message', (data, isBinary) => {
      try {
        const m = asm.push(isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8'));
        if (m) this.onCommand(conn, m.header);
      } catch {
        w.terminate();
      }
    });
  }

  private onCommand(c: Conn, h: Header): void {
    this.commands.push(h);
    const acks = String(h.ackType ?? '').split(',');
    const ack = (type: string, extra: Record<string, unknown> = {}) =>
      c.send(H({ command: 'ack', commandId: h.commandId, ackType: type, status: 'success', ...extra }));
    switch (h.command) {
      case 'logon':
        if (this.script.logon === 'silent') return;
        if (this.script.logon === 'garbage') return c.raw(kindOf(c) === 'tcp' ? lengthPrefixed('{"c":"ack",') : '{"c":"ack",');
        if (this.script.logon === 'close') return c.close();
        if (this.script.logon === 'failure') {
          return c.send(H({ command: 'ack', commandId: h.commandId, ackType: 'processed', status: 'failure', reason: 'some reason nobody knows' }));
        }
        c.send(H({ command: 'ack', commandId: h.commandId, ackType: 'processed', status: 'success', sequence: 0n, clientName: h.clientName, bookmark: '1|0|', version: '5.3.4.0' }));
        return;
      case 'sow': {
        const qid = (h.queryId ?? h.commandId) as string;
        if (acks.includes('processed')) ack('processed', { queryId: qid });
        c.send(H({ command: 'group_begin', queryId: qid }));
        const rec = (k: string): SowRecord => ({ header: H({ sowKey: k }), body: utf8(`{"id":"${k}"}`) });
        c.sowBatch(H({ command: 'sow', topic: h.topic, queryId: qid }), [rec('1'), rec('2')]);
        if (this.script.holdSow && h.topic === 'sow-t') return;
        c.send(H({ command: 'group_end', queryId: qid }));
        if (acks.includes('completed')) ack('completed', { queryId: qid });
        return;
      }
      default:
        if (typeof h.topic === 'string' && this.script.holdTopics.has(h.topic)) return;
        if (acks.includes('processed')) ack('processed', h.subscriptionId !== undefined ? { subscriptionId: h.subscriptionId } : {});
        if (acks.includes('completed')) ack('completed');
    }
  }

  async close(): Promise<void> {
    for (const s of this.sockets) 'destroy' in s ? s.destroy() : s.terminate();
    await new Promise<void>((r) => (this.tcp ? this.tcp.close(() => r()) : this.wss!.close(() => r())));
  }
}

const kindOf = (c: Conn) => c.kind;

// ---------------------------------------------------------------------------------------------------------------

/** Drains a stream in the background: the messages read and how it ended. */
function drain(stream: MessageStream): Promise<{ messages: Message[]; error: unknown; ended: boolean }> {
  return (async () => {
    const messages: Message[] = [];
    try {
      for await (const m of stream) messages.push(m);
      return { messages, error: undefined, ended: true };
    } catch (e) {
      return { messages, error: e, ended: true };
    }
  })();
}

interface Fatal {
  name: string;
  /** Whether the client must see corrupt data (StreamException as the cause of the DisconnectedException). */
  corrupt: boolean;
  act(c: Conn, ids: { sowQueryId: string }, rng: Rng): void | Promise<void>;
}

const TCP_FATAL: Fatal[] = [
  { name: 'random garbage after logon', corrupt: true, act: (c, _, rng) => c.raw(Uint8Array.from([0xf0, ...rng.bytes(60)])) },
  { name: 'a frame without a JSON header', corrupt: true, act: (c) => c.raw(lengthPrefixed('this is not an AMPS header')) },
  { name: 'a frame announcing 2 GB', corrupt: true, act: (c) => c.raw(Uint8Array.from([0x80, 0, 0, 0, 0x7b, 0x22])) },
  {
    name: 'a sow record whose length runs past the frame',
    corrupt: true,
    act: (c, ids) => c.raw(lengthPrefixed(`{"c":"sow","query_id":"${ids.sowQueryId}","bs":1}{"l":999,"k":"9"}x`)),
  },
  {
    name: 'a sow batch cut mid-record, then close',
    corrupt: false,
    act: async (c, ids) => {
      const full = encodeSowBatch(H({ command: 'sow', topic: 'sow-t', queryId: ids.sowQueryId }), [
        { header: H({ sowKey: '3' }), body: utf8('{"id":"3","pad":"' + 'x'.repeat(200) + '"}') },
        { header: H({ sowKey: '4' }), body: utf8('{"id":"4"}') },
      ], { server: true });
      c.raw(full.subarray(0, Math.floor(full.length / 2)));
      await sleep(20);
      c.close();
    },
  },
  { name: 'close mid-sow', corrupt: false, act: (c) => c.close() },
];

const WS_FATAL: Fatal[] = [
  { name: 'a binary garbage header frame', corrupt: true, act: (c) => c.raw(Uint8Array.from([0xff, 0xfe, 0x00, 0x01])) },
  { name: 'a text frame that is not JSON', corrupt: true, act: (c) => c.raw('definitely not json') },
  { name: 'a JSON array header', corrupt: true, act: (c) => c.raw('[{"c":"ack"}]') },
  {
    name: 'a sow header announcing 3 records, one record, then close',
    corrupt: false,
    act: async (c, ids) => {
      c.raw(`{"c":"sow","query_id":"${ids.sowQueryId}","bs":3}`);
      c.raw('{"k":"7","l":10}');
      c.raw('{"id":"7"}');
      await sleep(20);
      c.close();
    },
  },
  { name: 'close mid-sow', corrupt: false, act: (c) => c.close() },
];

for (const kind of ['tcp', 'ws'] as const) {
  describe(`Client under a hostile ${kind} server (seed ${SEED})`, () => {
    let server: HostileServer;
    let client: Client;
    const listenerErrors: unknown[] = [];
    const lastChance: Message[] = [];

    beforeAll(async () => {
      server = await HostileServer.start(kind);
      client = new Client(`victim-${kind}`);
      client.setDefaultTimeout(8000);
      client.setExceptionListener((e) => listenerErrors.push(e));
      client.setLastChanceMessageHandler((m) => lastChance.push(m));
    });

    afterAll(async () => {
      await client.disconnect().catch(() => undefined);
      await server.close();
    });

    async function setUp(): Promise<{ sub: ReturnType<typeof drain>; sow: ReturnType<typeof drain>; held: Promise<unknown>; sowQueryId: string; subId: string }> {
      server.script.holdSow = true;
      await client.connect(server.uri(kind));
      await client.logon();
      const subStream = await client.subscribe('sub-t');
      const sowStream = await client.sow('sow-t');
      // A command whose ack never comes: it must reject, not hang, when the connection dies.
      const held = client.subscribe(() => undefined, 'held').then(
        () => new Error('held subscribe resolved'),
        (e: unknown) => e,
      );
      return { sub: drain(subStream), sow: drain(sowStream), held, sowQueryId: sowStream.queryId as string, subId: subStream.subscriptionId as string };
    }

    /** After the damage: reconnecting works and the server's answers are understood again. */
    async function recovers(): Promise<void> {
      await waitFor(() => !client.isConnected, 8000, 'the client to notice the broken connection');
      server.script.holdSow = false;
      await client.connect(server.uri(kind));
      await client.logon();
      const records = await (await client.sow('after')).toArray();
      expect(records.filter((m) => m.header.command === 'sow').map((m) => m.data)).toEqual(['{"id":"1"}', '{"id":"2"}']);
      await client.disconnect();
    }

    async function recovers2(): Promise<void> {
      server.script.holdSow = false;
      await client.connect(server.uri(kind));
      await client.logon();
      const records = await (await client.sow('after-logon')).toArray();
      expect(records.filter((m) => m.header.command === 'sow')).toHaveLength(2);
      await client.disconnect();
    }

    function checkQuiet(): void {
      for (const e of listenerErrors) expect(e, `exception listener got ${String(e)}`).toBeInstanceOf(AMPSException);
      if (escaped.length > 0) expect.fail(`escaped: ${escaped.map((e) => (e as Error)?.stack ?? String(e)).join('\n')}`);
    }

    for (const f of kind === 'tcp' ? TCP_FATAL : WS_FATAL) {
      it(`fatal: ${f.name}`, async () => {
        const rng = new Rng(SEED);
        const { sub, sow, held, sowQueryId } = await setUp();
        await f.act(server.conn!, { sowQueryId }, rng);
        const [s, q, h] = await Promise.all([sub, sow, held]);
        for (const [what, e] of [['subscription stream', s.error], ['sow stream', q.error], ['pending subscribe', h]] as const) {
          expect(e, `${what} after '${f.name}'`).toBeInstanceOf(DisconnectedException);
          if (f.corrupt) {
            expect((e as Error).cause, `${what} cause after '${f.name}'`).toBeInstanceOf(StreamException);
          }
        }
        // The sow stream delivered what arrived intact before the damage (group_begin and the first batch, and over
        // WebSocket any whole record after it).
        expect(q.messages.filter((m) => m.header.command === 'sow').map((m) => m.data).slice(0, 2)).toEqual(['{"id":"1"}', '{"id":"2"}']);
        checkQuiet();
        await recovers();
        checkQuiet();
      });
    }

    it('fuzz: well-framed server messages with random kinds, fields and values never break the client', async () => {
      const rng = new Rng(SEED ^ 0xabcd);
      const { sub, sow, sowQueryId, subId } = await setUp();
      const c = server.conn!;
      const kinds = ['p', 'publish', 'ack', 'sow', 'oof', 'group_begin', 'group_end', 'heartbeat', 'delta', 'bogus', ''];
      const keys = ['cid', 'a', 'status', 'reason', 't', 'sub_id', 'sids', 'query_id', 'bm', 's', 'k', 'l', 'bs', 'ts', 'lp', 'version', 'opts', 'x', 'zzz'];
      const vals: unknown[] = ['', 'x', subId, sowQueryId, `${subId},${subId}`, 'processed', 'completed', 'persisted', 'stats', 'failure', 'success',
        'retry', 'bad filter', -1, 0, 1.5, 1e300, '99999999999999999999999999', '1|1|', null, true, { nested: [1] }, [1, 2]];
      const sent: string[] = [];
      for (let i = 0; i < 300; i++) {
        const h: Record<string, unknown> = { c: rng.pick(kinds) };
        for (let k = rng.int(6); k > 0; k--) h[rng.pick(keys)] = rng.pick(vals);
        // `bs` on WebSocket makes the parser wait for records (legitimately); keep it an honest 0/1 there.
        if (kind === 'ws' && h.c === 'sow') h.bs = 0;
        if (kind === 'ws' && 'l' in h) delete h.l;
        const text = JSON.stringify(h);
        sent.push(text);
        const body = rng.chance(0.5) ? '{"fuzz":1}' : '';
        if (kind === 'tcp') {
          // A TCP sow frame holds records; give it an honest (possibly empty) record list.
          c.raw(lengthPrefixed(h.c === 'sow' ? text : text + body));
        } else {
          c.raw(text);
          if ((h.c === 'p' || h.c === 'publish' || h.c === 'oof') && body !== '') c.raw(body);
          else if (h.c === 'p' || h.c === 'publish' || h.c === 'oof') c.raw('{}');
        }
      }
      // Then a clean finish: the real subscription gets a message, the sow completes.
      c.send(H({ command: 'publish', topic: 'sub-t', subscriptionIds: subId }), '{"real":2}');
      c.send(H({ command: 'group_end', queryId: sowQueryId }));
      c.send(H({ command: 'ack', commandId: sowQueryId, queryId: sowQueryId, ackType: 'completed', status: 'success' }));
      await sleep(200);
      const input = `seed ${SEED ^ 0xabcd}; last frames: ${sent.slice(-5).join(' ')}`;
      for (const e of listenerErrors) {
        if (!(e instanceof AMPSException)) expect.fail(`exception listener got a non-AMPS error ${(e as Error)?.stack ?? String(e)}\n${input}`);
      }
      if (escaped.length > 0) expect.fail(`escaped: ${escaped.map((e) => (e as Error)?.stack ?? String(e)).join('\n')}\n${input}`);
      if (client.isConnected) {
        const after = await (await client.sow('after3')).toArray();
        expect(after.filter((m) => m.header.command === 'sow'), input).toHaveLength(2);
        await client.disconnect();
      } else {
        await recovers();
      }
      await Promise.all([sub, sow]);
    });

    it('logon abuse: never answered, answered with a torn frame, connection closed, unknown failure reason', async () => {
      const expectations: [Script['logon'], (e: unknown) => void][] = [
        ['silent', (e) => expect(e).toBeInstanceOf(TimedOutException)],
        ['garbage', (e) => expect(e).toBeInstanceOf(AMPSException)],
        ['close', (e) => expect(e).toBeInstanceOf(DisconnectedException)],
        ['failure', (e) => expect((e as Error).constructor).toBe(CommandException)],
      ];
      for (const [mode, check] of expectations) {
        server.script.logon = mode;
        await client.connect(server.uri(kind));
        const e = await client.logon({ timeout: 500 }).then(
          () => new Error(`logon resolved with mode ${mode}`),
          (x: unknown) => x,
        );
        check(e);
        // A failed logon leaves the client disconnected (or lets us disconnect), never wedged.
        await client.disconnect();
        expect(client.isConnected, mode).toBe(false);
        checkQuiet();
      }
      server.script.logon = 'ok';
      await recovers2();
    });

    it('fuzz: hostile bookmarks on a bookmark subscription with a bookmark store never break the client', async () => {
      const rng = new Rng(SEED ^ 0xb00c);
      const store = new MemoryBookmarkStore();
      client.setBookmarkStore(store);
      try {
        server.script.holdSow = false;
        await client.connect(server.uri(kind));
        await client.logon();
        const got: Message[] = [];
        const subId = await client.bookmarkSubscribe((m) => {
          got.push(m);
          if (rng.chance(0.7)) m.discard();
        }, 'bm-t', '0');
        const c = server.conn!;
        const bms = ['', '|', '||', '1|', '|1|', '1|1|', '1|1|', '1|2|', '2|1|', 'abc', '1|-5|', '1|1.5|', '18446744073709551616|1|',
          '1|99999999999999999999999999999|', '20260101T000000Z', '0', '0|1|', 'recent', '[1|1|:2|2|]', '1|1|,2|2|', '\u0000', '😀|1|'];
        const sent: string[] = [];
        for (let i = 0; i < 300; i++) {
          const bm = rng.chance(0.5) ? rng.pick(bms) : `${rng.int(3)}|${rng.int(50)}|`;
          sent.push(bm);
          c.send(H({ command: 'publish', topic: 'bm-t', subscriptionIds: subId, bookmark: bm }), `{"i":${i}}`);
          if (rng.chance(0.1)) c.send(H({ command: 'ack', ackType: 'persisted', subscriptionId: subId, bookmark: rng.pick(bms), status: 'success' }));
        }
        c.send(H({ command: 'publish', topic: 'bm-t', subscriptionIds: subId, bookmark: '7|1000|' }), '{"i":"last"}');
        await waitFor(() => got.some((m) => m.data === '{"i":"last"}'), 5000, 'the last delivery');
        const input = `seed ${SEED ^ 0xb00c}; bookmarks: ${sent.slice(-20).join(' ')}`;
        for (const e of listenerErrors) {
          if (!(e instanceof AMPSException)) expect.fail(`exception listener got a non-AMPS error ${(e as Error)?.stack ?? String(e)}\n${input}`);
        }
        if (escaped.length > 0) expect.fail(`escaped: ${escaped.map((e) => (e as Error)?.stack ?? String(e)).join('\n')}\n${input}`);
        expect(typeof store.getMostRecent(subId), input).toBe('string');
        expect(client.isConnected).toBe(true);
        await client.disconnect();
      } finally {
        client.setBookmarkStore(undefined);
      }
    });

    it('non-fatal: acks for unknown command ids and publishes for unknown subscriptions go to the last-chance handler', async () => {
      const { sub, sow, sowQueryId, subId } = await setUp();
      const c = server.conn!;
      lastChance.length = 0;
      c.send(H({ command: 'ack', commandId: 'no-such-cid', ackType: 'processed', status: 'success' }));
      c.send(H({ command: 'ack', commandId: 'no-such-cid-2', ackType: 'processed', status: 'failure', reason: 'bad filter' }));
      c.send(H({ command: 'ack', commandId: 'x', ackType: 'bogus-ack-type', status: 'weird' }));
      c.send(H({ command: 'publish', topic: 'sub-t', subscriptionIds: 'no-such-sub' }), '{"stray":1}');
      c.send(H({ command: 'publish', topic: 'sub-t', subscriptionIds: 'no-such-a,no-such-b' }), '{"stray":2}');
      c.send(H({ command: 'oof', topic: 'sub-t', subscriptionId: 'ghost', reason: 'deleted' }), '{"stray":3}');
      c.send(H({ command: 'group_end', queryId: 'ghost-query' }));
      c.send(H({ command: 'mystery_command' }));
      // The real subscription still gets its messages and the held sow still completes.
      c.send(H({ command: 'publish', topic: 'sub-t', subscriptionIds: subId }), '{"real":1}');
      c.send(H({ command: 'group_end', queryId: sowQueryId }));
      c.send(H({ command: 'ack', commandId: sowQueryId, queryId: sowQueryId, ackType: 'completed', status: 'success' }));
      const q = await sow;
      expect(q.error).toBeUndefined();
      expect(q.messages.map((m) => m.header.command)).toEqual(['group_begin', 'sow', 'sow', 'group_end']);
      await waitFor(() => lastChance.some((m) => m.data === '{"stray":2}'), 5000, 'stray publishes on the last-chance handler');
      expect(lastChance.map((m) => m.data)).toEqual(expect.arrayContaining(['{"stray":1}', '{"stray":2}']));
      expect(client.isConnected).toBe(true);
      // The connection still works: a round trip.
      const after = await (await client.sow('after2')).toArray();
      expect(after.filter((m) => m.header.command === 'sow')).toHaveLength(2);
      checkQuiet();
      await client.disconnect();
      const s = await sub;
      expect(s.messages.map((m) => m.data)).toContain('{"real":1}');
      checkQuiet();
    });
  });

  if (kind === 'ws') {
    // BUG (runtime/wire/ws-framing.ts WsInboundParser.onHeader + header-codec.ts coerce() accepting non-integer
    // 'integer' fields; see codec-fuzz.test.ts): a server sow header with `"bs":1.5` leaves the parser in
    // sow-record mode forever, so the group_end and the completed ack that follow are swallowed as "records" and
    // the sow stream never completes (nor fails): the command hangs silently on a live connection.
    it('a sow header with a fractional bs does not hang the sow stream', async () => {
      const server = await HostileServer.start('ws');
      const client = new Client('victim-bs');
      try {
        server.script.holdSow = true;
        await client.connect(server.uri('ws'));
        await client.logon();
        const stream = await client.sow('sow-t');
        const qid = stream.queryId as string;
        const c = server.conn!;
        c.raw(`{"c":"sow","query_id":"${qid}","bs":1.5}`);
        c.raw('{"k":"5","l":10}');
        c.raw('{"id":"5"}');
        c.send(H({ command: 'group_end', queryId: qid }));
        c.send(H({ command: 'ack', commandId: qid, queryId: qid, ackType: 'completed', status: 'success' }));
        const done = drain(stream);
        // Liveness bound only: the answer is already on the wire.
        const outcome = await Promise.race([done.then(() => 'ended'), sleep(3000).then(() => 'hung')]);
        expect(outcome).toBe('ended');
      } finally {
        await client.disconnect().catch(() => undefined);
        await server.close();
      }
    });
  }
}
