// With a data directory, the SOW survives a restart as AMPS keeps it: deleted records stay deleted (by filter, by
// keys, by data, by expiration), expiring records keep their deadline, records whose deadline passed while the
// server was down are gone, and bookmark replay still delivers the original publishes (never the deletes).
// Real files in a temp dir, real loopback sockets, the engine's manual clock for expiry.

import { appendFileSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Header } from '../../generated/header-fields.js';
import { MockServer } from '../../mock-server/index.js';
import { Doc, ManualClock } from '../../mock-server/engine/index.js';
import { crc32 } from '../../mock-server/engine/txlog.js';
import { RawTcpClient } from './raw-clients.js';

const H = (h: Record<string, unknown>) => h as unknown as Header;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

function dataDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'mockdur-'));
  cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

function config(dir: string) {
  return {
    dataDirectory: dir,
    transports: [{ type: 'tcp' as const, port: 0 }],
    sow: [
      { topic: 'orders', key: ['/id'] },
      { topic: 'orders_eu', key: ['/id'] },
      { topic: 'userkeys', key: [] as string[] },
      { topic: 'exp', key: ['/id'], expiration: 3600 },
    ],
    transactionLog: { topics: ['.*'] },
  };
}

/** A server that is closed (releasing its log file) at the end of the test unless the test closed it. */
async function start(dir: string, clock: ManualClock): Promise<MockServer> {
  const s = await MockServer.start(config(dir), { clock });
  cleanup.push(() => s.close());
  return s;
}

async function client(server: MockServer, name: string): Promise<RawTcpClient> {
  const c = await RawTcpClient.connect(server.port('tcp'));
  cleanup.push(() => c.close());
  await c.logon(name);
  return c;
}

let queryCount = 0;
/** The SOW of a topic as the bodies a `sow` query returns, sorted. */
async function sowOf(server: MockServer, topic: string): Promise<string[]> {
  const c = await client(server, `query-${++queryCount}`);
  await c.request(H({ command: 'sow', topic, batchSize: 100, ackType: 'completed' }), undefined, 'completed');
  const out = c.received.filter((m) => m.header.command === 'sow').map((m) => m.text);
  c.close();
  return out.sort();
}

const keyOf = (server: MockServer, topic: string, body: string) =>
  server.broker.sow.computeKey(topic, new Doc(new TextEncoder().encode(body), 'json'))!;

describe('SOW durability across restarts (data directory)', () => {
  it('deletes by filter, by keys, by data, on a regex topic and on a user-key topic stay deleted', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const first = await start(dir, clock);
    const p = await client(first, 'pub');
    for (let i = 1; i <= 6; i++) p.send(H({ command: 'p', topic: 'orders' }), `{"id":${i}}`);
    for (let i = 1; i <= 3; i++) p.send(H({ command: 'p', topic: 'orders_eu' }), `{"id":${i},"eu":true}`);
    p.send(H({ command: 'p', topic: 'userkeys', sowKey: 'K1' }), '{"u":1}');
    p.send(H({ command: 'p', topic: 'userkeys', sowKey: 'K2' }), '{"u":2}');
    await p.request(H({ command: 'flush' }));

    const stats = async (h: Record<string, unknown>, body?: string) =>
      Number((await p.request(H({ command: 'sow_delete', ...h }), body, 'stats')).header.recordsDeleted);
    expect(await stats({ topic: 'orders', filter: '/id <= 2' })).toBe(2);
    expect(await stats({ topic: 'orders', sowKeys: keyOf(first, 'orders', '{"id":3}') })).toBe(1);
    expect(await stats({ topic: 'orders' }, '{"id":4}')).toBe(1);
    expect(await stats({ topic: 'orders_.*', filter: '/id = 1' })).toBe(1);
    expect(await stats({ topic: 'userkeys', sowKeys: 'K1' })).toBe(1);

    const expected = {
      orders: ['{"id":5}', '{"id":6}'],
      orders_eu: ['{"id":2,"eu":true}', '{"id":3,"eu":true}'],
      userkeys: ['{"u":2}'],
    };
    for (const [topic, bodies] of Object.entries(expected)) expect(await sowOf(first, topic)).toEqual(bodies);
    await first.close();

    // A new server on the same directory (a new process, as far as the data goes), twice.
    for (let round = 0; round < 2; round++) {
      const next = await start(dir, clock);
      for (const [topic, bodies] of Object.entries(expected)) expect(await sowOf(next, topic)).toEqual(bodies);
      await next.close();
    }
  });

  it('a record deleted and then published again is back (only what was deleted stays deleted)', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const first = await start(dir, clock);
    const p = await client(first, 'pub');
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":1,"v":"a"}');
    await p.request(H({ command: 'sow_delete', topic: 'orders', filter: '/id = 1' }));
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":1,"v":"b"}');
    p.send(H({ command: 'delta_publish', topic: 'orders' }), '{"id":1,"w":2}');
    await p.request(H({ command: 'flush' }));
    await first.close();
    const second = await start(dir, clock);
    expect(await sowOf(second, 'orders')).toEqual(['{"id":1,"v":"b","w":2}']);
  });

  it('an expiring record keeps its deadline; one whose deadline passed while down is gone', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const t0 = clock.now();
    const first = await start(dir, clock);
    const p = await client(first, 'pub');
    p.send(H({ command: 'p', topic: 'exp' }), '{"id":1}'); // topic default: 1 h
    p.send(H({ command: 'p', topic: 'exp', expiration: 10 }), '{"id":2}'); // 10 s
    p.send(H({ command: 'p', topic: 'exp', expiration: 0 }), '{"id":3}'); // never
    p.send(H({ command: 'p', topic: 'exp', expiration: 60 }), '{"id":4}');
    await p.request(H({ command: 'flush' }));
    clock.advance(5_000);
    p.send(H({ command: 'p', topic: 'exp', expiration: 60 }), '{"id":4,"v":2}'); // a write resets the deadline
    await p.request(H({ command: 'flush' }));
    await first.close();

    clock.advance(15_000); // down for 15 s: id 2 (deadline t0 + 10 s) expired meanwhile
    const second = await start(dir, clock);
    expect(await sowOf(second, 'exp')).toEqual(['{"id":1}', '{"id":3}', '{"id":4,"v":2}']);
    const deadline = (body: string) => second.broker.sow.get('exp', keyOf(second, 'exp', body))?.expiresAt;
    expect(deadline('{"id":1}')).toBe(t0 + 3_600_000);
    expect(deadline('{"id":3}')).toBeUndefined();
    expect(deadline('{"id":4}')).toBe(t0 + 5_000 + 60_000);
    await second.close();

    clock.set(t0 + 5_000 + 60_000); // id 4's deadline, while down again
    const third = await start(dir, clock);
    expect(await sowOf(third, 'exp')).toEqual(['{"id":1}', '{"id":3}']);
    await third.close();

    // Restarting again does not log the same expirations again (the log does not grow while nothing happens).
    const fourth = await start(dir, clock);
    const size = fourth.broker.txlog.size;
    await fourth.close();
    const fifth = await start(dir, clock);
    expect(fifth.broker.txlog.size).toBe(size);
    expect(await sowOf(fifth, 'exp')).toEqual(['{"id":1}', '{"id":3}']);
  });

  it('a removal by the expiration timer stays removed, even if the clock is behind the deadline at restart', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const t0 = clock.now();
    const first = await start(dir, clock);
    const sub = await client(first, 'sub');
    await sub.request(H({ command: 'subscribe', topic: 'exp', subscriptionId: 'x', options: 'oof' }));
    const p = await client(first, 'pub');
    p.send(H({ command: 'p', topic: 'exp', expiration: 1 }), '{"id":1}');
    await p.request(H({ command: 'flush' }));
    await sub.nextOf('publish');
    clock.advance(2_000); // the timer (1 s of real time) finds the record past its deadline
    const oof = await sub.nextOf('oof');
    expect(oof.header.reason).toBe('expired');
    await first.close();

    clock.set(t0); // the removal is in the log: it does not depend on the clock being past the deadline
    const second = await start(dir, clock);
    expect(await sowOf(second, 'exp')).toEqual([]);
  });

  it('restart() keeps deletes and drops records that expired while stopped', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const s = await start(dir, clock);
    const p = await client(s, 'pub');
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":1}');
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":2}');
    p.send(H({ command: 'p', topic: 'exp', expiration: 10 }), '{"id":1}');
    p.send(H({ command: 'p', topic: 'exp' }), '{"id":2}');
    await p.request(H({ command: 'sow_delete', topic: 'orders' }), '{"id":1}');
    await s.stop();
    clock.advance(20_000);
    await s.restart();
    expect(await sowOf(s, 'orders')).toEqual(['{"id":2}']);
    expect(await sowOf(s, 'exp')).toEqual(['{"id":2}']);
  });

  it('bookmark replay after a restart delivers every original publish and none of the deletes', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const first = await start(dir, clock);
    const p = await client(first, 'pub');
    for (let i = 1; i <= 4; i++) p.send(H({ command: 'p', topic: 'orders', sequence: BigInt(i) }), `{"id":${i}}`);
    p.send(H({ command: 'p', topic: 'exp', expiration: 10, sequence: 5n }), '{"id":9}');
    await p.request(H({ command: 'sow_delete', topic: 'orders', filter: '/id > 2' }));
    await p.request(H({ command: 'sow_delete', topic: 'orders' }), '{"id":1}');
    await p.request(H({ command: 'flush' }));
    await first.close();
    clock.advance(60_000); // exp id 9 expires while down (its removal is logged at start)

    const second = await start(dir, clock);
    const c = await RawTcpClient.connect(second.port('tcp'));
    cleanup.push(() => c.close());
    expect((await c.logon('pub')).header.sequence).toBe(5n); // publisher sequences are on disk too
    await c.request(H({ command: 'subscribe', topic: 'orders|exp', subscriptionId: 'r', bookmark: '0', options: 'oof', ackType: 'completed' }), undefined, 'completed');
    const got = c.pending().filter((m) => m.header.subscriptionIds === 'r');
    await c.take(got.length, (m) => m.header.subscriptionIds === 'r');
    expect(got.map((m) => m.header.command)).toEqual(['publish', 'publish', 'publish', 'publish', 'publish']);
    expect(got.map((m) => m.text)).toEqual(['{"id":1}', '{"id":2}', '{"id":3}', '{"id":4}', '{"id":9}']);
    expect(new Set(got.map((m) => m.header.bookmark)).size).toBe(5);
    // ... and live: a new publish comes through, a delete does not come through as a message.
    const q = await client(second, 'pub2');
    await q.request(H({ command: 'sow_delete', topic: 'orders', filter: '/id = 2' }));
    q.send(H({ command: 'p', topic: 'orders' }), '{"id":7}');
    const live = await c.next((m) => m.header.subscriptionIds === 'r' && m.header.command === 'publish');
    expect(live.text).toBe('{"id":7}');
    expect(c.received.filter((m) => m.header.command === 'oof').map((m) => [m.header.reason, m.text])).toEqual([['deleted', '{"id":2}']]);
    expect(c.pending().filter((m) => m.header.subscriptionIds === 'r' && m.header.command === 'publish')).toEqual([]);
    expect(await sowOf(second, 'orders')).toEqual(['{"id":7}']);
  });

  it('a torn tail record is dropped at start and the state before it is intact', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const first = await start(dir, clock);
    const p = await client(first, 'pub');
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":1}');
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":2}');
    await p.request(H({ command: 'sow_delete', topic: 'orders', filter: '/id = 1' }));
    await first.close();
    appendFileSync(join(dir, 'txlog.dat'), Buffer.from([200, 0, 0, 0, 1, 2, 3, 4, 5]));
    const second = await start(dir, clock);
    expect(second.broker.txlog.truncatedBytes).toBe(9);
    expect(await sowOf(second, 'orders')).toEqual(['{"id":2}']);
  });

  it('a log written before deadlines were recorded still loads; expiry counts from each entry\'s own time', async () => {
    const dir = dataDir();
    const ts = Date.UTC(2026, 0, 1, 12, 0, 0);
    const record = (meta: Record<string, unknown>, body: string) => {
      const m = Buffer.from(JSON.stringify(meta));
      const b = Buffer.from(body);
      const buf = Buffer.alloc(12 + m.length + b.length);
      buf.writeUInt32LE(4 + m.length + b.length, 0);
      buf.writeUInt32LE(m.length, 8);
      m.copy(buf, 12);
      b.copy(buf, 12 + m.length);
      buf.writeUInt32LE(crc32(buf, 8, buf.length), 4);
      return buf;
    };
    writeFileSync(
      join(dir, 'txlog.dat'),
      Buffer.concat([
        record({ c: 'publish', t: 'exp', n: 'old', q: '1', s: '1', ts, e: 10 }, '{"id":1}'),
        record({ c: 'publish', t: 'exp', n: 'old', q: '2', s: '2', ts }, '{"id":2}'),
        record({ c: 'publish', t: 'orders', n: 'old', q: '3', s: '3', ts }, '{"id":3}'),
        record({ c: 'publish', t: 'orders', n: 'old', q: '4', s: '4', ts }, '{"id":4}'),
        record({ c: 'sow_delete', t: 'orders', n: 'AMPS-sow-delete', q: '1', ts: ts + 1 }, '{"id":3}'),
      ]),
    );
    const clock = new ManualClock(ts + 20_000);
    const s = await start(dir, clock);
    expect(await sowOf(s, 'exp')).toEqual(['{"id":2}']);
    expect(s.broker.sow.get('exp', keyOf(s, 'exp', '{"id":2}'))?.expiresAt).toBe(ts + 3_600_000);
    expect(await sowOf(s, 'orders')).toEqual(['{"id":4}']);
    const c = await RawTcpClient.connect(s.port('tcp'));
    cleanup.push(() => c.close());
    expect((await c.logon('old')).header.sequence).toBe(4n);
  });

  it('SOW topics outside the transaction log are durable too (puts, deltas, deletes, expiry), in file order', async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const cfg = (logged: string[]) => ({
      dataDirectory: dir,
      transports: [{ type: 'tcp' as const, port: 0 }],
      sow: [
        { topic: 'orders', key: ['/id'] },
        { topic: 'pos', key: ['/id'], expiration: 3600 },
      ],
      transactionLog: { topics: logged },
    });
    const first = await MockServer.start(cfg(['orders']), { clock });
    cleanup.push(() => first.close());
    const p = await client(first, 'pub');
    for (let i = 1; i <= 4; i++) p.send(H({ command: 'p', topic: 'pos' }), `{"id":${i},"q":${i}}`);
    p.send(H({ command: 'delta_publish', topic: 'pos' }), '{"id":1,"q":10}');
    p.send(H({ command: 'p', topic: 'pos', expiration: 10 }), '{"id":5}');
    p.send(H({ command: 'p', topic: 'orders' }), '{"id":1}');
    await p.request(H({ command: 'sow_delete', topic: 'pos', filter: '/id = 2' }));
    await p.request(H({ command: 'sow_delete', topic: 'pos' }), '{"id":3}');
    await p.request(H({ command: 'flush' }));
    await first.close();
    clock.advance(20_000); // id 5 expires while down

    // Now every topic is logged: the old journal and the new log entries apply in the order they were written.
    const second = await MockServer.start(cfg(['.*']), { clock });
    cleanup.push(() => second.close());
    expect(await sowOf(second, 'pos')).toEqual(['{"id":1,"q":10}', '{"id":4,"q":4}']);
    const q = await client(second, 'pub2');
    await q.request(H({ command: 'sow_delete', topic: 'pos', filter: '/id = 4' }));
    q.send(H({ command: 'p', topic: 'pos' }), '{"id":6}');
    await q.request(H({ command: 'flush' }));
    await second.close();

    const third = await MockServer.start(cfg(['orders']), { clock });
    cleanup.push(() => third.close());
    expect(await sowOf(third, 'pos')).toEqual(['{"id":1,"q":10}', '{"id":6}']);
    expect(await sowOf(third, 'orders')).toEqual(['{"id":1}']);
    expect(third.broker.sow.get('pos', keyOf(third, 'pos', '{"id":1}'))?.expiresAt).toBe(clock.now() - 20_000 + 3_600_000);
  });

  it("a sow_delete's client sequence is persisted: the logon ack covers it and a resend is a duplicate", async () => {
    const dir = dataDir();
    const clock = new ManualClock();
    const first = await start(dir, clock);
    const p = await client(first, 'pub');
    p.send(H({ command: 'p', topic: 'orders', sequence: 1n }), '{"id":1}');
    p.send(H({ command: 'p', topic: 'orders', sequence: 2n }), '{"id":2}');
    await p.request(H({ command: 'sow_delete', topic: 'orders', sequence: 3n }), '{"id":1}');
    await first.close();

    const second = await start(dir, clock);
    const other = await client(second, 'other');
    other.send(H({ command: 'p', topic: 'orders' }), '{"id":1,"again":true}');
    await other.request(H({ command: 'flush' }));
    const c = await RawTcpClient.connect(second.port('tcp'));
    cleanup.push(() => c.close());
    expect((await c.logon('pub')).header.sequence).toBe(3n);
    // A publish store resending the delete after the restart does not delete the record published since.
    const stats = await c.request(H({ command: 'sow_delete', topic: 'orders', sequence: 3n }), '{"id":1}', 'stats');
    expect(Number(stats.header.recordsDeleted ?? 0)).toBe(0);
    expect(await sowOf(second, 'orders')).toEqual(['{"id":1,"again":true}', '{"id":2}']);
  });
});
