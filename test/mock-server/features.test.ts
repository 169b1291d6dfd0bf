// Options and configuration switches not covered by protocol.test.ts.

import { afterEach, describe, expect, it } from 'vitest';
import type { Header } from '../../generated/header-fields.js';
import { MockServer, type MockServerConfig } from '../../mock-server/index.js';
import { millisToTimestampBookmark } from '../../runtime/wire/bookmark.js';
import { RawTcpClient, RawWsClient } from './raw-clients.js';

const H = (h: Record<string, unknown>) => h as unknown as Header;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function start(config: MockServerConfig = {}): Promise<MockServer> {
  const s = await MockServer.start({ transports: [{ type: 'tcp', port: 0 }, { type: 'websocket', port: 0 }], ...config });
  cleanup.push(() => s.close());
  return s;
}

async function tcp(s: MockServer, name?: string): Promise<RawTcpClient> {
  const c = await RawTcpClient.connect(s.port('tcp'));
  cleanup.push(() => c.close());
  if (name) await c.logon(name);
  return c;
}

describe('options', () => {
  it('timestamp adds ts, no_sowkey drops k, on deliveries and sow records', async () => {
    const s = await start({ sow: [{ topic: 'orders', key: ['/id'] }] });
    const c = await tcp(s, 'opts');
    c.send(H({ command: 'p', topic: 'orders' }), '{"id":1}');
    await c.request(H({ command: 'sow', topic: 'orders', options: 'timestamp', ackType: 'completed' }), undefined, 'completed');
    const rec = c.received.find((m) => m.header.command === 'sow');
    expect(rec?.header.timestamp).toMatch(/^\d{8}T\d{6}/);
    expect(rec?.header.sowKey).toBeTruthy();
    await c.request(H({ command: 'subscribe', topic: 'orders', subscriptionId: 'n', options: 'no_sowkey,timestamp' }));
    c.send(H({ command: 'p', topic: 'orders' }), '{"id":2}');
    const m = await c.nextOf('publish');
    expect(m.header.sowKey).toBeUndefined();
    expect(m.header.timestamp).toBeTruthy();
  });

  it('conflation=<interval> with conflation_key delivers the latest message per key each interval', async () => {
    const s = await start({});
    const c = await tcp(s, 'conflated-sub');
    await c.request(H({ command: 'subscribe', topic: 'ticks', subscriptionId: 'cf', options: 'conflation=300ms,conflation_key=[/sym]' }));
    for (let i = 1; i <= 5; i++) s.publish('ticks', `{"sym":"A","px":${i}}`);
    s.publish('ticks', '{"sym":"B","px":1}');
    s.publish('ticks', '{"sym":"B","px":2}');
    const got = await c.take(2, (m) => m.header.command === 'publish', 5000);
    expect(got.map((m) => JSON.parse(m.text))).toEqual([
      { sym: 'A', px: 5 },
      { sym: 'B', px: 2 },
    ]);
    expect(got[0].header.subscriptionIds).toBe('cf');
  });

  it('a bookmark range replays the range, sends completed and does not go live', async () => {
    const s = await start({ transactionLog: { topics: ['.*'] } });
    const p = await tcp(s, 'range-pub');
    for (let i = 1; i <= 5; i++) p.send(H({ command: 'p', topic: 'r' }), `{"i":${i}}`);
    await p.request(H({ command: 'flush' }));
    const c = await tcp(s, 'range-sub');
    await c.request(H({ command: 'subscribe', topic: 'r', subscriptionId: 'all', bookmark: '0', ackType: 'completed' }), undefined, 'completed');
    const bms = c.received.filter((m) => m.header.command === 'publish').map((m) => m.header.bookmark as string);
    await c.request(H({ command: 'subscribe', topic: 'r', subscriptionId: 'rg', bookmark: `[${bms[1]}:${bms[3]}]`, ackType: 'completed' }), undefined, 'completed');
    const inRange = c.received.filter((m) => m.header.subscriptionIds === 'rg').map((m) => JSON.parse(m.text).i);
    expect(inRange).toEqual([2, 3, 4]);
    p.send(H({ command: 'p', topic: 'r' }), '{"i":6}');
    const live = await c.nextOf('publish');
    expect(live.header.subscriptionIds).toBe('all');
  });

  it('a range ending in the future goes live and completes when its end is reached', async () => {
    const s = await start({ transactionLog: { topics: ['.*'] } });
    const p = await tcp(s, 'frange-pub');
    p.send(H({ command: 'p', topic: 'fr' }), '{"i":1}');
    await p.request(H({ command: 'flush' }));
    const c = await tcp(s, 'frange-sub');
    const end = millisToTimestampBookmark(Date.now() + 2000);
    c.send(H({ command: 'subscribe', topic: 'fr', commandId: 'rg', subscriptionId: 'rg', bookmark: `[0:${end}]`, ackType: 'processed,completed' }));
    await c.next((m) => m.header.commandId === 'rg' && m.header.ackType === 'processed');
    expect(JSON.parse((await c.nextOf('publish')).text).i).toBe(1);
    p.send(H({ command: 'p', topic: 'fr' }), '{"i":2}');
    expect(JSON.parse((await c.nextOf('publish')).text).i).toBe(2);
    expect(c.pending().filter((m) => m.header.ackType === 'completed')).toEqual([]);
    await new Promise((r) => setTimeout(r, 3100));
    p.send(H({ command: 'p', topic: 'fr' }), '{"i":3}');
    const done = await c.next((m) => m.header.commandId === 'rg' && m.header.ackType === 'completed');
    expect(done.header.status).toBe('success');
    await p.request(H({ command: 'flush' }));
    await c.request(H({ command: 'flush' }));
    expect(c.received.filter((m) => m.header.subscriptionIds === 'rg').map((m) => JSON.parse(m.text).i)).toEqual([1, 2]);
  });

  it('ack_conflation logon option conflates persisted acks over the interval', async () => {
    const s = await start({ transactionLog: { topics: ['.*'] } });
    const c = await tcp(s);
    await c.logon('conflated', { options: 'ack_conflation=200ms' } as Partial<Header>);
    for (let i = 1n; i <= 3n; i++) c.send(H({ command: 'p', topic: 't', sequence: i, ackType: 'persisted' }), '{}');
    await c.request(H({ command: 'start_timer' }));
    expect(c.pending().filter((m) => m.header.ackType === 'persisted')).toEqual([]);
    const ack = await c.nextOf('ack', 'persisted');
    expect(ack.header.sequence).toBe(3n);
  });

  it('queue expire removes a message; lease_extension keeps the lease', async () => {
    const s = await start({ transactionLog: { topics: ['.*'] }, queues: [{ name: 'q', leasePeriod: '30s', maxPerSubscriptionBacklog: 5 }] });
    const c = await tcp(s, 'qx');
    await c.request(H({ command: 'subscribe', topic: 'q', subscriptionId: 'q', options: 'max_backlog=5' }));
    c.send(H({ command: 'p', topic: 'q' }), '{"j":1}');
    c.send(H({ command: 'p', topic: 'q' }), '{"j":2}');
    const [a, b] = await c.take(2, (m) => m.header.command === 'publish');
    const ex = await c.request(H({ command: 'sow_delete', topic: 'q', bookmark: a.header.bookmark, options: 'expire', ackType: 'stats' }), undefined, 'stats');
    expect(ex.header.matches).toBe(1);
    const ext = await c.request(H({ command: 'sow_delete', topic: 'q', bookmark: b.header.bookmark, options: 'lease_extension=60s', ackType: 'processed' }));
    expect(ext.header.status).toBe('success');
    await c.request(H({ command: 'unsubscribe', subscriptionId: 'q' }));
    // b went back to the queue (its lease broke with the unsubscribe); a is gone for good.
    const d = await tcp(s, 'qx2');
    await d.request(H({ command: 'subscribe', topic: 'q', subscriptionId: 'q2', options: 'max_backlog=5' }));
    expect((await d.nextOf('publish')).text).toBe('{"j":2}');
  });

  it('an oversized WebSocket frame closes that connection', async () => {
    const s = await start({ maxFrameBytes: '16KB' });
    const c = await RawWsClient.connect(s.uri('ws'));
    cleanup.push(() => c.close());
    await c.logon('ws-big');
    c.send(H({ command: 'publish', topic: 'x' }), 'y'.repeat(32 * 1024));
    await c.whenClosed();
    expect(c.closeCode).toBe(1009);
  });
});

describe('historical SOW and queue expiration', () => {
  it('a bookmark on sow returns the state as of then (historical topics only); deletes are logged', async () => {
    const s = await start({
      transactionLog: { topics: ['.*'] },
      sow: [
        { topic: 'hist', key: ['/id'], historical: true },
        { topic: 'plain', key: ['/id'] },
      ],
    });
    const c = await tcp(s, 'hist');
    c.send(H({ command: 'p', topic: 'hist' }), '{"id":1,"v":"old"}');
    c.send(H({ command: 'p', topic: 'hist' }), '{"id":2,"v":"x"}');
    await c.request(H({ command: 'subscribe', topic: 'hist', subscriptionId: 'b', bookmark: '0', ackType: 'completed' }), undefined, 'completed');
    const point = c.received.filter((m) => m.header.command === 'publish').map((m) => m.header.bookmark as string)[1];
    c.send(H({ command: 'p', topic: 'hist' }), '{"id":1,"v":"new"}');
    await c.request(H({ command: 'sow_delete', topic: 'hist', filter: '/id = 2', ackType: 'stats' }), undefined, 'stats');
    const now = await c.request(H({ command: 'sow', topic: 'hist', commandId: 'now', queryId: 'now', ackType: 'completed' }), undefined, 'completed');
    void now;
    const texts = (q: string) => c.received.filter((m) => m.header.command === 'sow' && m.header.queryId === q).map((m) => m.text).sort();
    expect(texts('now')).toEqual(['{"id":1,"v":"new"}']);
    await c.request(H({ command: 'sow', topic: 'hist', commandId: 'then', queryId: 'then', bookmark: point, ackType: 'completed' }), undefined, 'completed');
    expect(texts('then')).toEqual(['{"id":1,"v":"old"}', '{"id":2,"v":"x"}']);
    // A topic without history ignores the bookmark.
    c.send(H({ command: 'p', topic: 'plain' }), '{"id":9}');
    await c.request(H({ command: 'sow', topic: 'plain', commandId: 'pl', queryId: 'pl', bookmark: point, ackType: 'completed' }), undefined, 'completed');
    expect(texts('pl')).toEqual(['{"id":9}']);
    // The rebuild of the SOW from the log honours the logged delete.
    const bad = await c.request(H({ command: 'sow', topic: 'hist', bookmark: '999|1|' }));
    expect(bad.header.reason).toBe('invalid bookmark');
  });

  it('queue expiration removes messages nobody consumed', async () => {
    const s = await start({ transactionLog: { topics: ['.*'] }, queues: [{ name: 'ttl', expiration: '300ms', maxPerSubscriptionBacklog: 5 }] });
    const c = await tcp(s, 'ttl');
    c.send(H({ command: 'p', topic: 'ttl' }), '{"old":true}');
    await c.request(H({ command: 'flush' }));
    await new Promise((r) => setTimeout(r, 700));
    await c.request(H({ command: 'subscribe', topic: 'ttl', subscriptionId: 't', options: 'max_backlog=5' }));
    c.send(H({ command: 'p', topic: 'ttl' }), '{"old":false}');
    expect((await c.nextOf('publish')).text).toBe('{"old":false}');
  });
});

describe('configuration switches', () => {
  it('nameInUse: replace drops the old connection', async () => {
    const s = await start({ transactionLog: { topics: ['.*'] }, logon: { nameInUse: 'replace' } });
    const old = await tcp(s, 'same');
    const next = await tcp(s);
    const ack = await next.logon('same');
    expect(ack.header.status).toBe('success');
    await old.whenClosed();
  });

  it('without a transaction log a client name may be used twice', async () => {
    const s = await start({});
    await tcp(s, 'twin');
    const b = await tcp(s);
    expect((await b.logon('twin')).header.status).toBe('success');
  });

  it('a logon with a message type the server does not serve fails', async () => {
    const s = await start({});
    const c = await tcp(s);
    const ack = await c.logon('mt', { messageType: 'fix' } as Partial<Header>);
    expect(ack.header.reason).toBe('invalid message type');
    const d = await tcp(s);
    expect((await d.logon('mt2', { messageType: 'json' } as Partial<Header>)).header.status).toBe('success');
  });

  it('authentication.reason selects the failure reason text', async () => {
    const s = await start({ authentication: { users: [{ user: 'u', password: 'p' }], reason: 'authentication failure' } });
    const c = await tcp(s);
    const ack = await c.logon('x', { userId: 'u', password: 'bad' } as Partial<Header>);
    expect(ack.header.reason).toBe('authentication failure');
  });

  it('stall also stops reading: commands sent during a stall are processed after it', async () => {
    const s = await start({});
    const c = await tcp(s, 'stalled');
    s.stall(1500);
    c.send(H({ command: 'flush', commandId: 'f', ackType: 'processed' }));
    await new Promise((r) => setTimeout(r, 100));
    expect(c.pending()).toEqual([]);
    const ack = await c.next((m) => m.header.commandId === 'f', 5000);
    expect(ack.header.status).toBe('success');
  });
});
