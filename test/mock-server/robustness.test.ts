// Malformed input: the server answers with a failure ack or closes that one connection, never crashes, and
// other clients keep working.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Header } from '../../generated/header-fields.js';
import { MockServer, type LogEntry } from '../../mock-server/index.js';
import { RawTcpClient, RawWsClient } from './raw-clients.js';

const H = (h: Record<string, unknown>) => h as unknown as Header;

let server: MockServer;
const logs: LogEntry[] = [];
const open: (RawTcpClient | RawWsClient)[] = [];
let bystander: RawTcpClient;

function frame(payload: string | Uint8Array): Uint8Array {
  const body = typeof payload === 'string' ? new TextEncoder().encode(payload) : payload;
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, body.length);
  out.set(body, 4);
  return out;
}

async function tcp(name?: string): Promise<RawTcpClient> {
  const c = await RawTcpClient.connect(server.port('tcp'));
  open.push(c);
  if (name) await c.logon(name);
  return c;
}

/** The bystander still gets service: publish to itself and receive it. */
async function bystanderWorks(): Promise<void> {
  const n = Math.random();
  bystander.send(H({ command: 'p', topic: 'robust' }), `{"n":${n}}`);
  const m = await bystander.next((x) => x.header.command === 'publish' && x.text === `{"n":${n}}`);
  expect(m).toBeTruthy();
}

beforeAll(async () => {
  server = await MockServer.start(
    {
      transports: [{ type: 'tcp', port: 0 }, { type: 'websocket', port: 0 }],
      maxFrameBytes: '64KB',
      sow: [{ topic: 'orders', key: ['/id'] }],
    },
    { log: (e) => logs.push(e) },
  );
  bystander = await RawTcpClient.connect(server.port('tcp'));
  await bystander.logon('bystander');
  await bystander.request(H({ command: 'subscribe', topic: 'robust', subscriptionId: 'b' }));
});

afterEach(async () => {
  for (const c of open.splice(0)) c.close();
  await bystanderWorks();
});

afterAll(async () => {
  bystander.close();
  await server.close();
});

describe('malformed input over TCP', () => {
  it('garbage bytes: that connection is closed (or ignored), the server survives', async () => {
    const c = await tcp();
    c.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 1, 2, 3, 4, 5, 6, 7, 8]));
    await c.whenClosed();
    expect(logs.some((l) => l.level === 'error' && /exceeds the limit/.test(l.message))).toBe(true);
  });

  it('a frame without a JSON header is reported and the connection stays usable', async () => {
    const c = await tcp('nojson');
    c.sendRaw(frame('this is not json at all'));
    c.sendRaw(frame('{"c":"subscribe","t":'));
    c.sendRaw(frame('{"c": nope}'));
    const ack = await c.request(H({ command: 'subscribe', topic: 'x', subscriptionId: 's' }));
    expect(ack.header.status).toBe('success');
  });

  it('a huge length prefix closes only that connection', async () => {
    const c = await tcp('huge');
    const big = new Uint8Array(4);
    new DataView(big.buffer).setUint32(0, 0x7fffffff);
    c.sendRaw(big);
    await c.whenClosed();
  });

  it('an oversized frame (over maxFrameBytes) closes the connection', async () => {
    const c = await tcp('oversized');
    c.send(H({ command: 'p', topic: 'robust' }), 'x'.repeat(70 * 1024));
    await c.whenClosed();
  });

  it('unknown commands and server-only kinds get a failure ack', async () => {
    const c = await tcp('unknown');
    const a = await c.request(H({ command: 'explode' }));
    expect(a.header.status).toBe('failure');
    expect(a.header.reason).toBe('not supported');
    const b = await c.request(H({ command: 'ack' }));
    expect(b.header.status).toBe('failure');
    const noCommand = await c.request(H({ topic: 'x' }));
    expect(noCommand.header.status).toBe('failure');
  });

  it('missing required fields get a failure ack with the matching reason', async () => {
    const c = await tcp('missing');
    const sub = await c.request(H({ command: 'subscribe', subscriptionId: 'x' }));
    expect(sub.header.reason).toBe('no topic');
    const sow = await c.request(H({ command: 'sow' }));
    expect(sow.header.reason).toBe('no topic');
    const pub = await c.request(H({ command: 'publish' }), '{}');
    expect(pub.header.reason).toBe('no topic');
  });

  it('bad values: a bad regex topic, a bad order by, a bad bookmark list', async () => {
    const c = await tcp('badvalues');
    const re = await c.request(H({ command: 'subscribe', topic: 'a(b', subscriptionId: 'r' }));
    expect(re.header.reason).toBe('bad regex topic');
    const ob = await c.request(H({ command: 'sow', topic: 'orders', orderBy: '/a SIDEWAYS' }));
    expect(ob.header.status).toBe('failure');
    const bm = await c.request(H({ command: 'sow_delete', topic: 'orders', bookmark: 'junk' }));
    expect(bm.header.status).toBe('failure');
  });

  it('a client that disconnects mid-frame does not disturb anyone', async () => {
    const c = await tcp('midframe');
    const f = frame('{"c":"publish","t":"robust"}{"half":');
    c.sendRaw(f.subarray(0, f.length - 3));
    c.close();
    await c.whenClosed();
  });

  it('commands before logon are accepted on an anonymous server (implicit logon)', async () => {
    const c = await tcp();
    const ack = await c.request(H({ command: 'subscribe', topic: 'robust', subscriptionId: 'early' }));
    expect(ack.header.status).toBe('success');
  });
});

describe('malformed input over WebSocket', () => {
  it('bad count frames and bad headers are reported; the connection continues', async () => {
    const c = await RawWsClient.connect(server.uri('ws'));
    open.push(c);
    await c.logon('ws-bad');
    c.sendFrame(new Uint8Array([1, 2])); // not a 4-byte count
    c.sendFrame(new Uint8Array([1, 0, 0, 0]));
    c.sendFrame('{not json');
    const ack = await c.request(H({ command: 'subscribe', topic: 'robust', subscriptionId: 'w' }));
    expect(ack.header.status).toBe('success');
  });

  it('upgrade on a wrong path is refused', async () => {
    await expect(RawWsClient.connect(server.uri('ws').replace('/amps/json', '/nope'))).rejects.toThrow(/404/);
    await expect(RawWsClient.connect(server.uri('ws', 'xml'))).rejects.toThrow(/404/);
  });
});

describe('server with users', () => {
  it('auth failure closes the connection; logon required before other commands', async () => {
    const secure = await MockServer.start({
      transports: [{ type: 'tcp', port: 0 }],
      authentication: { users: [{ user: 'alice', password: 'secret' }] },
    });
    try {
      const bad = await RawTcpClient.connect(secure.port('tcp'));
      const ack = await bad.logon('x', { userId: 'alice', password: 'wrong' } as Partial<Header>);
      expect(ack.header.status).toBe('failure');
      expect(ack.header.reason).toBe('auth failure');
      await bad.whenClosed();
      const early = await RawTcpClient.connect(secure.port('tcp'));
      const e = await early.request(H({ command: 'subscribe', topic: 't', subscriptionId: 's' }));
      expect(e.header.reason).toBe('logon required');
      await early.whenClosed();
      const good = await RawTcpClient.connect(secure.port('tcp'));
      const ok = await good.logon('y', { userId: 'alice', password: 'secret' } as Partial<Header>);
      expect(ok.header.status).toBe('success');
      good.close();
    } finally {
      await secure.close();
    }
  });
});

describe('fuzzing and slow consumers', () => {
  it('survives a stream of random frames (valid length, random content)', async () => {
    const c = await tcp('fuzz');
    let seed = 42;
    const rnd = () => ((seed = (seed * 1103515245 + 12345) & 0x7fffffff) / 0x7fffffff);
    const pieces = ['{', '}', '"c"', ':', '"subscribe"', '"sow"', '"p"', ',', '"t"', '"a"', '"processed"', '"filter"', '"/x >"', '"bm"', '"0|1|"', '"s"', '99999999999999999999999', 'null', '[1]', '"\\u0000"', '"o"', '"start,0"'];
    for (let i = 0; i < 300; i++) {
      let text = '';
      const n = 1 + Math.floor(rnd() * 12);
      for (let k = 0; k < n; k++) text += pieces[Math.floor(rnd() * pieces.length)];
      if (rnd() < 0.2) text = `{"c":"${['sow', 'subscribe', 'p', 'sow_delete', 'heartbeat', 'unsubscribe'][i % 6]}","t":"robust","cid":"f${i}","a":"processed","filter":"${['/a >', '', '/x = 1'][i % 3]}"}`;
      c.sendRaw(frame(text));
    }
    const ack = await c.request(H({ command: 'flush' }));
    expect(ack.header.status).toBe('success');
  });

  it('disconnects a client that does not read (slow client) without affecting others', async () => {
    const s = await MockServer.start({ transports: [{ type: 'tcp', port: 0 }] }, { maxOutboundBytes: 256 * 1024 });
    try {
      const slow = await RawTcpClient.connect(s.port('tcp'));
      await slow.logon('slow');
      await slow.request(H({ command: 'subscribe', topic: 'flood', subscriptionId: 's' }));
      const fast = await RawTcpClient.connect(s.port('tcp'));
      await fast.logon('fast');
      await fast.request(H({ command: 'subscribe', topic: 'flood', subscriptionId: 'f' }));
      slow.socket.pause();
      const body = `{"pad":"${'x'.repeat(8 * 1024)}"}`;
      const pub = await RawTcpClient.connect(s.port('tcp'));
      await pub.logon('flooder');
      let received = 0;
      for (let round = 0; round < 40 && s.connections.some((c) => c.clientName === 'slow'); round++) {
        for (let i = 0; i < 50; i++) pub.send(H({ command: 'p', topic: 'flood' }), body);
        await pub.request(H({ command: 'flush' }));
        received += (await fast.take(50, (m) => m.header.command === 'publish', 10_000)).length;
      }
      expect(s.connections.some((c) => c.clientName === 'slow')).toBe(false);
      expect(received).toBeGreaterThan(0);
      expect(s.connections.map((c) => c.clientName).sort()).toEqual(['fast', 'flooder']);
      slow.close();
      fast.close();
      pub.close();
    } finally {
      await s.close();
    }
  });
});

describe('slow WebSocket consumer', () => {
  it('is disconnected when its unsent output passes the limit; others unaffected', async () => {
    const s = await MockServer.start({ transports: [{ type: 'tcp', port: 0 }, { type: 'websocket', port: 0 }] }, { maxOutboundBytes: 256 * 1024 });
    try {
      const slow = await RawWsClient.connect(s.uri('ws'));
      await slow.logon('ws-slow');
      await slow.request(H({ command: 'subscribe', topic: 'flood', subscriptionId: 's' }));
      const fast = await RawTcpClient.connect(s.port('tcp'));
      await fast.logon('fast');
      await fast.request(H({ command: 'subscribe', topic: 'flood', subscriptionId: 'f' }));
      (slow.ws as unknown as { _socket: { pause(): void } })._socket.pause();
      const body = `{"pad":"${'x'.repeat(8 * 1024)}"}`;
      // Bursts well under the limit per event-loop turn, so only the client that does not read falls behind.
      for (let round = 0; round < 400 && s.connections.some((c) => c.clientName === 'ws-slow'); round++) {
        for (let i = 0; i < 10; i++) s.publish('flood', body);
        await fast.take(10, (m) => m.header.command === 'publish', 10_000);
      }
      expect(s.connections.map((c) => c.clientName)).toEqual(['fast']);
      slow.close();
      fast.close();
    } finally {
      await s.close();
    }
  });
});

describe('churn', () => {
  it('many clients subscribing, querying and vanishing abruptly leave the server healthy', async () => {
    const s = await MockServer.start({
      transports: [{ type: 'tcp', port: 0 }, { type: 'websocket', port: 0 }],
      sow: [{ topic: 'churn', key: ['/id'] }],
      transactionLog: { topics: ['.*'] },
      queues: [{ name: 'churn-q', maxPerSubscriptionBacklog: 3 }],
    });
    try {
      const watcher = await RawTcpClient.connect(s.port('tcp'));
      await watcher.logon('watcher');
      await watcher.request(H({ command: 'subscribe', topic: 'churn', subscriptionId: 'w' }));
      for (let round = 0; round < 3; round++) {
        const clients = await Promise.all(
          Array.from({ length: 10 }, async (_, i) => {
            const c = i % 2 === 0 ? await RawTcpClient.connect(s.port('tcp')) : await RawWsClient.connect(s.uri('ws'));
            c.send(H({ command: 'logon', commandId: 'l', clientName: `churn-${round}-${i}`, ackType: 'processed' }));
            c.send(H({ command: 'sow_and_subscribe', topic: 'churn', subscriptionId: 's', queryId: 's', batchSize: 3, options: 'oof' }));
            c.send(H({ command: 'subscribe', topic: 'churn-q', subscriptionId: 'q', options: 'max_backlog=3' }));
            c.send(H({ command: 'subscribe', topic: 'churn', subscriptionId: 'b', bookmark: '0' }));
            c.send(H({ command: 'heartbeat', options: 'start,1' }));
            for (let k = 0; k < 5; k++) {
              c.send(H({ command: 'p', topic: 'churn' }), `{"id":${k},"r":${round}}`);
              c.send(H({ command: 'p', topic: 'churn-q' }), `{"k":${k}}`);
            }
            return c;
          }),
        );
        // Vanish without unsubscribing, half of them mid-stream.
        for (const c of clients) c.close();
      }
      for (let i = 0; i < 200 && s.connections.length > 1; i++) await new Promise((r) => setTimeout(r, 10));
      expect(s.connections.map((c) => c.clientName)).toEqual(['watcher']);
      // Queue messages leased by the vanished clients went back: a new consumer drains them.
      const q = await RawTcpClient.connect(s.port('tcp'));
      await q.logon('drain');
      await q.request(H({ command: 'subscribe', topic: 'churn-q', subscriptionId: 'd', options: 'max_backlog=3' }));
      const first = await q.nextOf('publish');
      expect(first.header.leasePeriod).toBeTruthy();
      s.publish('churn', '{"id":99}');
      await watcher.next((m) => m.header.command === 'publish' && m.text === '{"id":99}');
      watcher.close();
      q.close();
    } finally {
      await s.close();
    }
  });
});
