// The mock server's protocol over real TCP loopback sockets, driven by raw clients built on runtime/wire.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import type { Header } from '../../generated/header-fields.js';
import { clientNameHash } from '../../runtime/wire/bookmark.js';
import { MockServer } from '../../mock-server/index.js';
import { RawTcpClient, SERVER_KEYS, headerKeys, type Received } from './raw-clients.js';

const H = (h: Record<string, unknown>) => h as unknown as Header;

let server: MockServer;
const open: RawTcpClient[] = [];

async function connect(name?: string): Promise<RawTcpClient> {
  const c = await RawTcpClient.connect(server.port('tcp'));
  open.push(c);
  if (name !== undefined) await c.logon(name);
  return c;
}

/** Round trip that guarantees every earlier command of `c` was processed. */
async function sync(c: RawTcpClient): Promise<void> {
  await c.request(H({ command: 'flush' }));
}

function expectServerKeysOnly(m: Received): void {
  const keys = headerKeys(m.raw);
  for (const k of keys) expect(SERVER_KEYS.has(k), `unexpected key ${k} in ${m.raw}`).toBe(true);
  if (keys.includes('s')) expect(keys[keys.length - 1]).not.toBe('s');
}

beforeAll(async () => {
  server = await MockServer.start({
    transports: [{ type: 'tcp', port: 0 }],
    sow: [
      { topic: 'orders', key: ['/id'] },
      { topic: 'expiring', key: ['/id'], expiration: '1h' },
      { topic: 'userkeys' },
    ],
    transactionLog: { topics: ['orders', 'replay.*', 'work', 'q2', 'pubs'] },
    queues: [
      { name: 'work', maxPerSubscriptionBacklog: 2, leasePeriod: '30s' },
      { name: 'q2', maxPerSubscriptionBacklog: 10, leasePeriod: '30s' },
    ],
    authentication: { users: [] },
  });
});

afterEach(() => {
  for (const c of open.splice(0)) c.close();
});

afterAll(async () => {
  await server.close();
});

describe('logon', () => {
  it('acks exactly per the template: s second, bm = name hash | last seq |, version, client_name', async () => {
    const c = await connect();
    const ack = await c.request(H({ command: 'logon', commandId: 'auto1', clientName: 'me', userId: '', version: '5.3.4.0:test' }));
    expect(ack.raw).toBe(
      `{"c":"ack","s":0,"a":"processed","cid":"auto1","client_name":"me","bm":"${clientNameHash('me')}|0|","version":"5.3.4.0","status":"success"}`,
    );
    expectServerKeysOnly(ack);
  });

  it('reports the last sequence seen for the client name on the next logon', async () => {
    const a = await connect('seq-pub');
    a.send(H({ command: 'p', topic: 'pubs', sequence: 41n }), '{"a":1}');
    a.send(H({ command: 'p', topic: 'pubs', sequence: 42n }), '{"a":2}');
    await sync(a);
    a.close();
    await a.whenClosed();
    // wait until the server released the name
    for (let i = 0; i < 100 && server.connections.some((x) => x.clientName === 'seq-pub'); i++) await new Promise((r) => setTimeout(r, 10));
    const b = await connect();
    const ack = await b.logon('seq-pub');
    expect(ack.header.sequence).toBe(42n);
    expect(ack.header.bookmark).toBe(`${clientNameHash('seq-pub')}|42|`);
  });

  it('keeps 64-bit sequences exact', async () => {
    const a = await connect('big-seq');
    const s = 1795494787122000001n;
    a.send(H({ command: 'p', topic: 'pubs', sequence: s, ackType: 'persisted' }), '{"x":1}');
    const ack = await a.nextOf('ack', 'persisted');
    expect(ack.raw).toBe(`{"c":"ack","s":${s},"a":"persisted","status":"success"}`);
    expect(ack.header.sequence).toBe(s);
  });

  it('rejects a second live connection with the same client name (name in use)', async () => {
    await connect('unique-name');
    const b = await connect();
    const ack = await b.logon('unique-name');
    expect(ack.header.status).toBe('failure');
    expect(ack.header.reason).toBe('name in use');
    await b.whenClosed();
  });

  it('rejects a second logon on the same connection', async () => {
    const a = await connect('twice');
    const ack = await a.logon('twice');
    expect(ack.header.status).toBe('failure');
    expect(ack.header.reason).toBe('duplicate logon attempt');
  });
});

describe('publish and subscribe', () => {
  it('delivers to exact and regex subscriptions, with a filter, sids, l and k', async () => {
    const sub = await connect('s1');
    const pub = await connect('p1');
    const ack = await sub.request(H({ command: 'subscribe', topic: 'orders', subscriptionId: 'x', filter: '/qty > 10' }));
    expect(ack.raw).toBe('{"c":"ack","a":"processed","cid":"c2","sub_id":"x","status":"success"}');
    await sub.request(H({ command: 'subscribe', topic: '^ord.*', subscriptionId: 'rx' }));
    pub.send(H({ command: 'p', topic: 'orders' }), '{"id":1,"qty":5}');
    pub.send(H({ command: 'publish', topic: 'orders' }), '{"id":2,"qty":50}');
    const [m1, m2] = await sub.take(2, (m) => m.header.command === 'publish');
    // The first matches only the regex subscription; the second both (one delivery, both sids).
    expect(m1.header.subscriptionIds).toBe('rx');
    expect(m1.text).toBe('{"id":1,"qty":5}');
    expect(m2.header.subscriptionIds?.split(',').sort()).toEqual(['rx', 'x']);
    expect(m2.header.messageLength).toBe(17);
    expect(m2.header.sowKey).toMatch(/^\d+$/);
    expect(m2.raw.startsWith('{"c":"p",')).toBe(true);
    expectServerKeysOnly(m2);
  });

  it('replaces the filter of a live subscription', async () => {
    const sub = await connect('rep-sub');
    const pub = await connect('rep-pub');
    await sub.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 'r', filter: '/n = 1' }));
    pub.send(H({ command: 'p', topic: 'messages' }), '{"n":1}');
    expect((await sub.nextOf('publish')).text).toBe('{"n":1}');
    await sub.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 'r', filter: '/n = 2', options: 'replace' }));
    pub.send(H({ command: 'p', topic: 'messages' }), '{"n":1}');
    pub.send(H({ command: 'p', topic: 'messages' }), '{"n":2}');
    expect((await sub.nextOf('publish')).text).toBe('{"n":2}');
  });

  it('rejects a reused subscription id without replace, and a bad filter', async () => {
    const sub = await connect('dup-sub');
    await sub.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 'd' }));
    const again = await sub.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 'd' }));
    expect(again.header.reason).toBe('subscription already exists');
    const bad = await sub.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 'e', filter: '/a = = 1' }));
    expect(bad.header.status).toBe('failure');
    expect(bad.header.reason).toBe('bad filter');
  });

  it('unsubscribes by id, by comma list and all', async () => {
    const sub = await connect('unsub');
    const pub = await connect('unsub-pub');
    for (const id of ['a', 'b', 'c', 'd']) await sub.request(H({ command: 'subscribe', topic: `u-${id}`, subscriptionId: id }));
    await sub.request(H({ command: 'unsubscribe', subscriptionId: 'a' }));
    await sub.request(H({ command: 'unsubscribe', subscriptionId: 'b,c' }));
    for (const id of ['a', 'b', 'c', 'd']) pub.send(H({ command: 'p', topic: `u-${id}` }), `{"t":"${id}"}`);
    const m = await sub.nextOf('publish');
    expect(m.header.subscriptionIds).toBe('d');
    await sub.request(H({ command: 'unsubscribe', subscriptionId: 'all' }));
    pub.send(H({ command: 'p', topic: 'u-d' }), '{"t":"d"}');
    await sync(pub);
    await sync(sub);
    expect(sub.pending().filter((x) => x.header.command === 'publish')).toEqual([]);
  });

  it('sends only the acks requested, in protocol order', async () => {
    const c = await connect('acks');
    c.send(H({ command: 'subscribe', topic: 'messages', commandId: 'k1', subscriptionId: 'k1', ackType: 'received,processed' }));
    const [r, p] = await c.take(2);
    expect([r.header.ackType, p.header.ackType]).toEqual(['received', 'processed']);
    c.send(H({ command: 'p', topic: 'messages', commandId: 'k2' }), '{}');
    c.send(H({ command: 'subscribe', topic: 'messages', commandId: 'k3', subscriptionId: 'k3' }));
    await sync(c);
    expect(c.pending().filter((m) => m.header.command === 'ack')).toEqual([]);
  });
});

describe('sow', () => {
  it('processed → group_begin → batches of bs → group_end → completed → stats', async () => {
    const c = await connect('sow1');
    for (let id = 1; id <= 5; id++) c.send(H({ command: 'p', topic: 'orders' }), `{"id":${id},"qty":${id * 100}}`);
    c.send(H({ command: 'sow', topic: 'orders', commandId: 'q', queryId: 'q', batchSize: 2, filter: '/qty >= 200', orderBy: '/id', ackType: 'processed,completed,stats' }));
    const seq: Received[] = [];
    for (;;) {
      const m = await c.next();
      seq.push(m);
      if (m.header.ackType === 'stats') break;
    }
    const kinds = seq.map((m) => (m.header.command === 'ack' ? `ack:${m.header.ackType}` : m.header.command));
    expect(kinds).toEqual(['ack:processed', 'group_begin', 'sow', 'sow', 'sow', 'sow', 'group_end', 'ack:completed', 'ack:stats']);
    const records = seq.filter((m) => m.header.command === 'sow');
    expect(records.map((m) => JSON.parse(m.text).id)).toEqual([2, 3, 4, 5]);
    expect(records.map((m) => m.header.batchSize)).toEqual([2, 2, 2, 2]);
    expect(records[0].raw).toBe('{"c":"sow","t":"orders","query_id":"q","bs":2}');
    for (const m of seq) {
      expect(m.header.queryId).toBe('q');
      expectServerKeysOnly(m);
    }
    const stats = seq[seq.length - 1];
    expect([stats.header.matches, stats.header.topicMatches, stats.header.recordsReturned]).toEqual([4, 5, 4]);
  });

  it('honours top_n and sow_keys; fails on a topic without a SOW', async () => {
    const c = await connect('sow2');
    const done = await c.request(H({ command: 'sow', topic: 'orders', queryId: 't', topN: 2, orderBy: '/id DESC', batchSize: 10, ackType: 'processed,completed' }), undefined, 'completed');
    void done;
    const recs = c.pending().filter((m) => m.header.command === 'sow');
    expect(recs.length).toBe(2);
    const bad = await c.request(H({ command: 'sow', topic: 'no-such-sow' }));
    expect(bad.header.status).toBe('failure');
    expect(bad.header.reason).toBe('invalid topic');
  });

  it('sow_and_subscribe: results then live, no gap and no duplicate under concurrent publishing', async () => {
    const pub = await connect('sas-pub');
    const sub = await connect('sas-sub');
    const N = 400;
    let i = 0;
    // Publish continuously while the query is placed.
    const pump = setInterval(() => {
      for (let k = 0; k < 20 && i < N; k++, i++) pub.send(H({ command: 'p', topic: 'orders' }), `{"id":${10_000 + i},"n":${i}}`);
      if (i >= N) clearInterval(pump);
    }, 1);
    await new Promise((r) => setTimeout(r, 5));
    sub.send(H({ command: 'sow_and_subscribe', topic: 'orders', commandId: 'sas', subscriptionId: 'sas', queryId: 'sas', batchSize: 7, filter: '/id >= 10000', ackType: 'processed' }));
    const seen = new Set<number>();
    let dup = 0;
    let liveStarted = false;
    let sowAfterLive = false;
    while (seen.size < N) {
      const m = await sub.next();
      if (m.header.command === 'sow' || m.header.command === 'publish') {
        if (m.header.command === 'publish') liveStarted = true;
        else if (liveStarted) sowAfterLive = true;
        const n = JSON.parse(m.text).n as number;
        if (seen.has(n)) dup++;
        seen.add(n);
      }
    }
    expect(dup).toBe(0);
    expect(sowAfterLive).toBe(false);
    expect(seen.size).toBe(N);
  });

  it('replace on sow_and_subscribe sends only new records, and oof for those that left', async () => {
    const c = await connect('sas-replace');
    for (let id = 300; id < 306; id++) c.send(H({ command: 'p', topic: 'orders' }), `{"id":${id},"g":${id % 3}}`);
    await sync(c);
    await c.request(H({ command: 'sow_and_subscribe', topic: 'orders', subscriptionId: 'r', queryId: 'r', filter: '/id >= 300 AND /id < 304', options: 'oof', batchSize: 10 }));
    const first = await c.take(4, (m) => m.header.command === 'sow');
    expect(first.map((m) => JSON.parse(m.text).id).sort()).toEqual([300, 301, 302, 303]);
    await c.request(H({ command: 'sow_and_subscribe', topic: 'orders', subscriptionId: 'r', queryId: 'r2', filter: '/id >= 302 AND /id < 306', options: 'oof,replace', batchSize: 10 }));
    await c.nextOf('group_end');
    await sync(c);
    const after = c.pending();
    expect(after.filter((m) => m.header.command === 'sow').map((m) => JSON.parse(m.text).id).sort()).toEqual([304, 305]);
    expect(after.filter((m) => m.header.command === 'oof').map((m) => JSON.parse(m.text).id).sort()).toEqual([300, 301]);
  });

  it('sow_delete by filter, keys and data, with matches and records_deleted, and oof deleted', async () => {
    const c = await connect('del');
    const watcher = await connect('del-watch');
    for (let id = 50; id < 56; id++) c.send(H({ command: 'p', topic: 'orders' }), `{"id":${id},"v":1}`);
    await sync(c);
    await watcher.request(H({ command: 'sow_and_subscribe', topic: 'orders', subscriptionId: 'w', queryId: 'w', filter: '/id >= 50 AND /id < 56', options: 'oof' }));
    const f = await c.request(H({ command: 'sow_delete', topic: 'orders', filter: '/id < 52 AND /id >= 50', ackType: 'processed,stats' }), undefined, 'stats');
    expect([f.header.matches, f.header.recordsDeleted]).toEqual([2, 2]);
    expectServerKeysOnly(f);
    const oof = await watcher.nextOf('oof');
    expect(oof.header.reason).toBe('deleted');
    expect(oof.header.subscriptionIds).toBe('w');
    expect(oof.header.sowKey).toMatch(/^\d+$/);
    const d = await c.request(H({ command: 'sow_delete', topic: 'orders', ackType: 'stats' }), '{"id":52,"v":9}', 'stats');
    expect(d.header.recordsDeleted).toBe(1);
    const key = watcher.received.find((m) => m.header.command === 'sow' && JSON.parse(m.text).id === 53)?.header.sowKey;
    expect(key).toBeTruthy();
    const k = await c.request(H({ command: 'sow_delete', topic: 'orders', sowKeys: key, ackType: 'stats' }), undefined, 'stats');
    expect(k.header.recordsDeleted).toBe(1);
    const both = await c.request(H({ command: 'sow_delete', topic: 'orders', filter: '/id = 54', sowKeys: key, ackType: 'processed' }));
    expect(both.header.reason).toBe('sow_delete command only supports one of: filter, sow_keys, bookmark, or data');
  });

  it('oof match when an update leaves the filter; expired when a record expires', async () => {
    const c = await connect('oof');
    await c.request(H({ command: 'sow_and_subscribe', topic: 'expiring', subscriptionId: 'o', queryId: 'o', filter: '/v > 0', options: 'oof' }));
    c.send(H({ command: 'p', topic: 'expiring' }), '{"id":1,"v":1}');
    c.send(H({ command: 'p', topic: 'expiring' }), '{"id":1,"v":0}');
    expect((await c.nextOf('publish')).text).toBe('{"id":1,"v":1}');
    const oof = await c.nextOf('oof');
    expect(oof.header.reason).toBe('match');
    expect(oof.text).toBe('{"id":1,"v":0}');
    c.send(H({ command: 'p', topic: 'expiring', expiration: 1 }), '{"id":2,"v":5}');
    expect((await c.nextOf('publish')).text).toBe('{"id":2,"v":5}');
    const exp = await c.nextOf('oof', undefined, 5000);
    expect(exp.header.reason).toBe('expired');
  });

  it('delta publish merges; delta subscribe receives only changes', async () => {
    const c = await connect('delta');
    c.send(H({ command: 'p', topic: 'orders' }), '{"id":77,"a":1,"b":2}');
    await c.request(H({ command: 'delta_subscribe', topic: 'orders', subscriptionId: 'ds', filter: '/id = 77' }));
    c.send(H({ command: 'delta_publish', topic: 'orders' }), '{"id":77,"b":3}');
    const m = await c.nextOf('publish');
    expect(JSON.parse(m.text)).toEqual({ id: 77, b: 3 });
    await c.request(H({ command: 'sow', topic: 'orders', filter: '/id = 77', ackType: 'completed' }), undefined, 'completed');
    const rec = c.received.filter((x) => x.header.command === 'sow').pop();
    expect(JSON.parse(rec!.text)).toEqual({ id: 77, a: 1, b: 3 });
  });
});

describe('bookmarks and persistence', () => {
  async function publishLog(topic: string, n: number): Promise<string[]> {
    const p = await connect();
    await p.logon(`log-${topic}`);
    for (let i = 1; i <= n; i++) p.send(H({ command: 'p', topic }), `{"i":${i}}`);
    await sync(p);
    const s = await connect(`log-reader-${topic}`);
    await s.request(H({ command: 'subscribe', topic, subscriptionId: 'all', bookmark: '0', ackType: 'completed' }), undefined, 'completed');
    return s.received.filter((m) => m.header.command === 'publish').map((m) => m.header.bookmark as string);
  }

  it('replays from EPOCH, a bookmark, a list, NOW, a timestamp; completed ack at the end of replay', async () => {
    const bms = await publishLog('replay1', 5);
    expect(bms.length).toBe(5);
    const c = await connect('bm-sub');
    const texts = (m: Received[]) => m.filter((x) => x.header.command === 'publish').map((x) => JSON.parse(x.text).i as number);

    c.send(H({ command: 'subscribe', topic: 'replay1', commandId: 'b1', subscriptionId: 'b1', bookmark: bms[1], ackType: 'processed,completed' }));
    const after = await collectUntilCompleted(c, 'b1');
    expect(texts(after)).toEqual([3, 4, 5]);
    const completed = after[after.length - 1];
    expect(completed.header.bookmark).toBe(bms[4]);

    c.send(H({ command: 'subscribe', topic: 'replay1', commandId: 'b2', subscriptionId: 'b2', bookmark: `${bms[3]},${bms[2]}`, ackType: 'completed' }));
    expect(texts(await collectUntilCompleted(c, 'b2'))).toEqual([4, 5]);

    c.send(H({ command: 'subscribe', topic: 'replay1', commandId: 'b3', subscriptionId: 'b3', bookmark: '0|1|', ackType: 'completed' }));
    expect(texts(await collectUntilCompleted(c, 'b3'))).toEqual([]);

    c.send(H({ command: 'subscribe', topic: 'replay1', commandId: 'b4', subscriptionId: 'b4', bookmark: '20000101T000000Z', ackType: 'completed' }));
    expect(texts(await collectUntilCompleted(c, 'b4'))).toEqual([1, 2, 3, 4, 5]);

    // Live after replay, with bm: one delivery listing every matching subscription of the connection.
    const p = await connect('live-pub');
    p.send(H({ command: 'p', topic: 'replay1' }), '{"i":6}');
    const live = await c.next((m) => m.header.command === 'publish' && JSON.parse(m.text).i === 6);
    expect(live.header.subscriptionIds?.split(',').sort()).toEqual(['b1', 'b2', 'b3', 'b4']);
    expect(live.header.bookmark).toMatch(/^\d+\|\d+\|$/);
  });

  it('pause holds a bookmark subscription; resume replays what was logged meanwhile, then live', async () => {
    const c = await connect('pauser');
    const p = await connect('pause-pub');
    await c.request(H({ command: 'subscribe', topic: 'replay-pause', subscriptionId: 'ps', bookmark: '0|1|' }));
    p.send(H({ command: 'p', topic: 'replay-pause' }), '{"i":1}');
    expect((await c.nextOf('publish')).text).toBe('{"i":1}');
    await c.request(H({ command: 'subscribe', subscriptionId: 'ps', options: 'pause' }));
    p.send(H({ command: 'p', topic: 'replay-pause' }), '{"i":2}');
    p.send(H({ command: 'p', topic: 'replay-pause' }), '{"i":3}');
    await sync(p);
    await sync(c);
    expect(c.pending().filter((m) => m.header.command === 'publish')).toEqual([]);
    await c.request(H({ command: 'subscribe', subscriptionId: 'ps', options: 'resume' }));
    p.send(H({ command: 'p', topic: 'replay-pause' }), '{"i":4}');
    const got = await c.take(3, (m) => m.header.command === 'publish');
    expect(got.map((m) => m.text)).toEqual(['{"i":2}', '{"i":3}', '{"i":4}']);
  });

  it('fails a bookmark subscription on a topic outside the transaction log', async () => {
    const c = await connect('bm-bad');
    const ack = await c.request(H({ command: 'subscribe', topic: 'not-logged', subscriptionId: 'n', bookmark: '0' }));
    expect(ack.header.reason).toBe('invalid topic');
  });

  it('sends periodic persisted acks with bm to bookmark subscriptions that ask', async () => {
    await publishLog('replay2', 2);
    const c = await connect('bm-persist');
    c.send(H({ command: 'subscribe', topic: 'replay2', commandId: 'pp', subscriptionId: 'pp', bookmark: '0', ackType: 'processed,persisted' }));
    const ack = await c.nextOf('ack', 'persisted', 4000);
    expect(ack.header.subscriptionId).toBe('pp');
    expect(ack.header.bookmark).toMatch(/^\d+\|\d+\|$/);
  });

  it('conflates persisted publish acks (s = highest) and drops duplicates', async () => {
    const a = await connect('durable');
    const sub = await connect('durable-sub');
    await sub.request(H({ command: 'subscribe', topic: 'pubs', subscriptionId: 'd' }));
    for (let s = 1n; s <= 5n; s++) a.send(H({ command: 'p', topic: 'pubs', sequence: s, ackType: 'persisted' }), `{"s":${s}}`);
    const ack = await a.nextOf('ack', 'persisted');
    expect(ack.header.sequence).toBe(5n);
    expectServerKeysOnly(ack);
    // A replay of 3..6 after a reconnect: 3..5 are duplicates, only 6 is delivered.
    for (let s = 3n; s <= 6n; s++) a.send(H({ command: 'p', topic: 'pubs', sequence: s, ackType: 'persisted' }), `{"s":${s}}`);
    const ack2 = await a.nextOf('ack', 'persisted');
    expect(ack2.header.sequence).toBe(6n);
    const got = await sub.take(6, (m) => m.header.command === 'publish');
    expect(got.map((m) => JSON.parse(m.text).s)).toEqual([1, 2, 3, 4, 5, 6]);
    await sync(sub);
    expect(sub.pending().filter((m) => m.header.command === 'publish')).toEqual([]);
  });

  it('flush acks after earlier commands (and after pending persisted acks)', async () => {
    const a = await connect('flusher');
    a.send(H({ command: 'p', topic: 'pubs', sequence: 100n, ackType: 'persisted' }), '{}');
    a.send(H({ command: 'flush', commandId: 'f', ackType: 'persisted' }));
    const [first, second] = await a.take(2);
    expect(first.header.ackType).toBe('persisted');
    expect(first.header.sequence).toBe(100n);
    expect(second.header.commandId).toBe('f');
  });
});

describe('queues', () => {
  it('delivers with bm and lp up to the granted backlog; acks release the next', async () => {
    const pub = await connect('q-pub');
    const c = await connect('q-sub');
    const ack = await c.request(H({ command: 'subscribe', topic: 'work', subscriptionId: 'q', options: 'max_backlog=5' }));
    expect(ack.header.options).toBe('max_backlog=2');
    expect(ack.raw).toContain('"opts":"max_backlog=2"');
    for (let j = 0; j < 4; j++) pub.send(H({ command: 'p', topic: 'work' }), `{"j":${j}}`);
    const first = await c.take(2, (m) => m.header.command === 'publish');
    expect(first.map((m) => JSON.parse(m.text).j)).toEqual([0, 1]);
    for (const m of first) {
      expect(m.header.bookmark).toMatch(/^\d+\|\d+\|$/);
      expect(m.header.leasePeriod).toBeTruthy();
      expectServerKeysOnly(m);
    }
    await sync(pub);
    await sync(c);
    expect(c.pending().filter((m) => m.header.command === 'publish')).toEqual([]);
    // Ack both in one comma list (no ack requested), as the official clients do.
    c.send(H({ command: 'sow_delete', topic: 'work', commandId: 'AMPS-queue-ack', bookmark: `${first[0].header.bookmark},${first[1].header.bookmark}` }));
    const next = await c.take(2, (m) => m.header.command === 'publish');
    expect(next.map((m) => JSON.parse(m.text).j)).toEqual([2, 3]);
  });

  it('cancel returns a message for redelivery; stats count acked messages', async () => {
    const pub = await connect('q2-pub');
    const c = await connect('q2-sub');
    await c.request(H({ command: 'subscribe', topic: 'q2', subscriptionId: 'q', options: 'max_backlog=1' }));
    pub.send(H({ command: 'p', topic: 'q2' }), '{"j":1}');
    const m = await c.nextOf('publish');
    c.send(H({ command: 'sow_delete', topic: 'q2', bookmark: m.header.bookmark, options: 'cancel' }));
    const again = await c.nextOf('publish');
    expect(again.text).toBe('{"j":1}');
    const st = await c.request(H({ command: 'sow_delete', topic: 'q2', bookmark: again.header.bookmark, ackType: 'processed,stats' }), undefined, 'stats');
    expect(st.header.matches).toBe(1);
    expect(st.header.recordsDeleted).toBe(1);
  });

  it('returns leased messages when the consumer disconnects', async () => {
    const pub = await connect('q3-pub');
    const c1 = await connect('q3-a');
    await c1.request(H({ command: 'subscribe', topic: 'q2', subscriptionId: 'q' }));
    pub.send(H({ command: 'p', topic: 'q2' }), '{"j":"lost"}');
    await c1.nextOf('publish');
    const c2 = await connect('q3-b');
    await c2.request(H({ command: 'subscribe', topic: 'q2', subscriptionId: 'q' }));
    c1.close();
    expect((await c2.nextOf('publish')).text).toBe('{"j":"lost"}');
  });
});

describe('heartbeats and timers', () => {
  it('acks start with received (+processed), sends heartbeats when idle, closes after 2N of silence', async () => {
    const c = await connect('hb');
    c.send(H({ command: 'heartbeat', commandId: 'h', options: 'start,1', ackType: 'received,processed' }));
    const [r, p] = await c.take(2);
    expect([r.header.ackType, p.header.ackType]).toEqual(['received', 'processed']);
    const beat = await c.nextOf('heartbeat', undefined, 3000);
    expect(beat.raw).toBe('{"c":"heartbeat"}');
    await c.whenClosed(6000);
  });

  it('accepts the Python client form (no cid, no ack) and stays up while the client beats', async () => {
    const c = await connect('hb-py');
    c.send(H({ command: 'heartbeat', options: 'start,1' }));
    for (let i = 0; i < 3; i++) {
      await c.nextOf('heartbeat', undefined, 3000);
      c.send(H({ command: 'heartbeat', options: 'beat' }));
    }
    expect(c.closed).toBe(false);
    // Only the logon was acked.
    expect(c.received.filter((m) => m.header.command === 'ack').length).toBe(1);
  });

  it('keeps a busy connection alive when the client only answers server heartbeats', async () => {
    const c = await connect('hb-busy');
    await c.request(H({ command: 'subscribe', topic: 'hb-busy', subscriptionId: 'b' }));
    c.send(H({ command: 'heartbeat', options: 'start,1' }));
    // The server is never idle towards this client (a message every 100 ms) for 3.5 s.
    const pump = setInterval(() => server.publish('hb-busy', '{}'), 100);
    try {
      const end = Date.now() + 3500;
      while (Date.now() < end) {
        await c.nextOf('heartbeat', undefined, 3000);
        c.send(H({ command: 'heartbeat', options: 'beat' }));
      }
    } finally {
      clearInterval(pump);
    }
    expect(c.closed).toBe(false);
  });

  it('acks start_timer and stop_timer', async () => {
    const c = await connect('timers');
    expect((await c.request(H({ command: 'start_timer' }))).header.status).toBe('success');
    expect((await c.request(H({ command: 'stop_timer' }))).header.status).toBe('success');
  });
});

async function collectUntilCompleted(c: RawTcpClient, cid: string): Promise<Received[]> {
  const out: Received[] = [];
  for (;;) {
    const m = await c.next((x) => x.header.commandId === cid || x.header.subscriptionIds === cid);
    out.push(m);
    if (m.header.command === 'ack' && m.header.ackType === 'completed') return out;
  }
}
