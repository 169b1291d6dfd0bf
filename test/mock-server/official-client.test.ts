// Mandatory proof: the official `amps` npm client (5.3.4, WebSocket) works against the mock server.
// It is used strictly as a black box.

import { createRequire } from 'node:module';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type * as Amps from 'amps';
import { MockServer } from '../../mock-server/index.js';

const amps = createRequire(import.meta.url)('amps') as typeof Amps;

type Msg = Amps.Message;

function waitFor<T>(get: () => T | undefined, what: string, timeoutMs = 5000): Promise<T> {
  return new Promise((resolve, reject) => {
    const start = Date.now();
    const poll = () => {
      const v = get();
      if (v !== undefined) return resolve(v);
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting for ${what}`));
      setTimeout(poll, 10);
    };
    poll();
  });
}

describe('official amps npm client over WebSocket', () => {
  let server: MockServer;
  const clients: Amps.Client[] = [];

  async function client(name: string, uri = server.uri('ws')): Promise<Amps.Client> {
    const c = new amps.Client(name);
    await c.connect(uri);
    clients.push(c);
    return c;
  }

  beforeAll(async () => {
    server = await MockServer.start({
      transports: [{ type: 'websocket', port: 0 }, { type: 'tcp', port: 0 }],
      sow: [{ topic: 'orders', key: ['/id'] }],
      transactionLog: { topics: ['.*'] },
      queues: [{ name: 'work', maxPerSubscriptionBacklog: 5, leasePeriod: '30s' }],
    });
  });

  afterAll(async () => {
    await Promise.all(clients.map((c) => c.disconnect().catch(() => undefined)));
    await server.close();
  });

  it('logs on and reports the server version', async () => {
    const c = await client('official-logon');
    expect(String(c.serverVersion())).toBe('5.3.4.0');
    expect(server.connections.some((x) => x.clientName === 'official-logon' && x.transport === 'ws')).toBe(true);
  });

  it('publishes and subscribes with a content filter', async () => {
    const pub = await client('official-pub');
    const sub = await client('official-sub');
    const got: unknown[] = [];
    await sub.subscribe((m: Msg) => got.push(m.data), 'messages', '/n > 1');
    for (let n = 0; n < 4; n++) pub.publish('messages', { n });
    await waitFor(() => (got.length >= 2 ? got : undefined), 'deliveries');
    expect(got).toEqual([{ n: 2 }, { n: 3 }]);
  });

  it('runs a sow query in batches', async () => {
    const pub = await client('official-sow-pub');
    for (let id = 1; id <= 5; id++) pub.publish('orders', { id, qty: id * 10 });
    await pub.flush();
    const sub = await client('official-sow');
    const events: [string, unknown][] = [];
    await sub.sow((m: Msg) => events.push([m.header.command(), m.data]), 'orders', '/qty >= 20', { batchSize: 2 });
    await waitFor(() => events.find((e) => e[0] === 'group_end'), 'group_end');
    expect(events[0][0]).toBe('group_begin');
    const records = events.filter((e) => e[0] === 'sow').map((e) => e[1] as { id: number });
    expect(records.map((r) => r.id).sort()).toEqual([2, 3, 4, 5]);
  });

  it('sow_and_subscribe: query results, then live updates and oof', async () => {
    const pub = await client('official-sas-pub');
    pub.publish('orders', { id: 100, qty: 1000 });
    await pub.flush();
    const sub = await client('official-sas');
    const events: [string, unknown, string | undefined][] = [];
    await sub.sowAndSubscribe(
      (m: Msg) => events.push([m.header.command(), m.data, m.header.reason?.()]),
      'orders',
      '/qty >= 1000',
      { options: 'oof' },
    );
    pub.publish('orders', { id: 101, qty: 2000 });
    pub.publish('orders', { id: 100, qty: 1 }); // leaves the filter → oof match
    await waitFor(() => events.find((e) => e[0] === 'oof'), 'oof');
    const kinds = events.map((e) => e[0]);
    expect(kinds.slice(0, 3)).toEqual(['group_begin', 'sow', 'group_end']);
    expect(events[1][1]).toEqual({ id: 100, qty: 1000 });
    expect(events.find((e) => e[0] === 'p')?.[1]).toEqual({ id: 101, qty: 2000 });
    expect(events.find((e) => e[0] === 'oof')?.[2]).toBe('match');
  });

  it('sow_delete by filter, keys and data returns stats', async () => {
    const c = await client('official-del');
    for (let id = 200; id < 206; id++) c.publish('orders', { id, qty: 5 });
    await c.flush();
    const byFilter = await c.sowDelete('orders', '/id >= 200 AND /id < 202');
    expect(byFilter.header.ackType()).toBe('stats');
    expect(byFilter.header.matches()).toBe(2);
    expect(byFilter.header.recordsDeleted()).toBe(2);
    const byData = await c.sowDeleteByData('orders', { id: 202, qty: 5 });
    expect(byData.header.recordsDeleted()).toBe(1);
    // Keys: find the key of id 203 with a sow query.
    let key: string | undefined;
    await c.sow((m: Msg) => {
      if (m.header.command() === 'sow') key = m.header.sowKey();
    }, 'orders', '/id = 203');
    const k = await waitFor(() => key, 'sow key');
    const byKeys = await c.sowDeleteByKeys('orders', k);
    expect(byKeys.header.recordsDeleted()).toBe(1);
  });

  it('replays a bookmark subscription from EPOCH and then goes live', async () => {
    const pub = await client('official-bm-pub');
    pub.publish('replay', { n: 1 });
    pub.publish('replay', { n: 2 });
    await pub.flush();
    const sub = await client('official-bm-sub');
    const events: [string, unknown, string][] = [];
    const cmd = new amps.Command('subscribe').topic('replay').bookmark(amps.Client.Bookmarks.EPOCH).ackType('completed');
    await sub.execute(cmd, (m: Msg) => events.push([m.header.command(), m.data, m.header.bookmark() ?? '']));
    await waitFor(() => events.find((e) => e[0] === 'ack'), 'completed ack');
    pub.publish('replay', { n: 3 });
    await waitFor(() => (events.length >= 4 ? events : undefined), 'live message');
    expect(events.map((e) => e[0])).toEqual(['p', 'p', 'ack', 'p']);
    expect(events.filter((e) => e[0] === 'p').map((e) => e[1])).toEqual([{ n: 1 }, { n: 2 }, { n: 3 }]);
    for (const e of events) expect(e[2]).toMatch(/^\d+\|\d+\|$/);
  });

  it('consumes a queue with acks and a granted backlog', async () => {
    const pub = await client('official-q-pub');
    const sub = await client('official-q-sub');
    const got: Msg[] = [];
    await sub.subscribe((m: Msg) => got.push(m), 'work', undefined, { options: 'max_backlog=3' });
    for (let n = 0; n < 5; n++) pub.publish('work', { job: n });
    await waitFor(() => (got.length >= 3 ? got : undefined), 'three leased messages');
    expect(got[0].header.leasePeriod()).toBeTruthy();
    for (const m of got.slice(0, 3)) sub.ack(m);
    await waitFor(() => (got.length >= 5 ? got : undefined), 'the rest after acks');
    expect(got.map((m) => (m.data as { job: number }).job)).toEqual([0, 1, 2, 3, 4]);
  });

  it('keeps idle heartbeating connections alive (many clients, 1 s interval)', async () => {
    // The official client answers a server beat only when more than one interval has passed since its own, and
    // its absence timer is re-armed only when it sends: the server's half-interval beats keep it from racing.
    const errors: unknown[] = [];
    const hb: Amps.Client[] = [];
    for (let i = 0; i < 12; i++) {
      const c = new amps.Client(`official-hb-${i}`);
      c.heartbeat(1);
      c.errorHandler((e: unknown) => errors.push(e));
      await c.connect(server.uri('ws'));
      clients.push(c);
      hb.push(c);
    }
    await new Promise((r) => setTimeout(r, 4500));
    expect(errors).toEqual([]);
    const got: unknown[] = [];
    await hb[0].subscribe((m: Msg) => got.push(m.data), 'hb-topic');
    hb[11].publish('hb-topic', { alive: true });
    await waitFor(() => (got.length > 0 ? got : undefined), 'delivery after heartbeats');
  });

  it('connects with credentials to a server with users, and is refused with bad ones', async () => {
    const secure = await MockServer.start({
      transports: [{ type: 'websocket', port: 0 }],
      authentication: { users: [{ user: 'alice', password: 'secret' }] },
    });
    try {
      const ok = new amps.Client('official-auth');
      await ok.connect(secure.uri('ws', 'json', { user: 'alice', password: 'secret' }));
      await ok.disconnect();
      const bad = new amps.Client('official-auth-bad');
      await expect(bad.connect(secure.uri('ws', 'json', { user: 'alice', password: 'nope' }))).rejects.toBeTruthy();
    } finally {
      await secure.close();
    }
  });
});
