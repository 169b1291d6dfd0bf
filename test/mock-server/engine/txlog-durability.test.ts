// Durability of the on-disk transaction log for the SOW: expiry deadlines and removals survive a reload, files
// written before the deadline field existed still load, a torn tail is still tolerated.

import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { EPOCH } from '../../../runtime/wire/bookmark.js';
import { ManualClock, SowStore, TransactionLog } from '../../../mock-server/engine/index.js';
import { crc32 } from '../../../mock-server/engine/txlog.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const dirs: string[] = [];
const tmp = () => {
  const d = fs.mkdtempSync(path.join(os.tmpdir(), 'txdur-'));
  dirs.push(d);
  return d;
};
afterEach(() => {
  for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
});

/** One record in the on-disk layout every version has used: u32 len | u32 crc32 | u32 metaLen | meta | body. */
function oldRecord(meta: Record<string, unknown>, body: Uint8Array): Buffer {
  const m = Buffer.from(JSON.stringify(meta));
  const buf = Buffer.alloc(12 + m.length + body.length);
  buf.writeUInt32LE(4 + m.length + body.length, 0);
  buf.writeUInt32LE(m.length, 8);
  m.copy(buf, 12);
  buf.set(body, 12 + m.length);
  buf.writeUInt32LE(crc32(buf, 8, buf.length), 4);
  return buf;
}

describe('transaction log: SOW expiry deadlines on disk', () => {
  it('an entry keeps its absolute expiry deadline (0 = never) across a reload; entries without one have none', () => {
    const dir = tmp();
    const clock = new ManualClock();
    const t0 = clock.now();
    const a = new TransactionLog({ clock, dataDir: dir });
    a.append({ clientName: 'p', topic: 'exp', data: enc({ id: 1 }), sowKey: '1', expiration: 30, expiresAt: t0 + 30_000 });
    a.append({ clientName: 'p', topic: 'exp', data: enc({ id: 2 }), sowKey: '2', expiration: 0, expiresAt: 0 });
    a.append({ clientName: 'p', topic: 'plain', data: enc({ id: 3 }), sowKey: '3' });
    a.close();
    clock.advance(60_000);
    const b = new TransactionLog({ clock, dataDir: dir });
    expect(b.size).toBe(3);
    expect(b.at(0)!.expiresAt).toBe(t0 + 30_000);
    expect(b.at(0)!.expiration).toBe(30);
    expect(b.at(1)!.expiresAt).toBe(0);
    expect(b.at(2)!.expiresAt).toBeUndefined();
    b.close();
  });

  it('loads a file written before the deadline field existed (backward compatible), and appends after it', () => {
    const dir = tmp();
    const file = path.join(dir, 'txlog.dat');
    const ts = Date.UTC(2026, 0, 1, 12, 0, 0);
    fs.writeFileSync(
      file,
      Buffer.concat([
        oldRecord({ c: 'publish', t: 'exp', n: 'old', q: '1', ts, s: '1', k: '11', e: 10 }, enc({ id: 1 })),
        oldRecord({ c: 'sow_delete', t: 'exp', n: 'AMPS-sow-delete', q: '1', ts: ts + 1, k: '11' }, enc({ id: 1 })),
      ]),
    );
    const clock = new ManualClock(ts + 5);
    const log = new TransactionLog({ clock, dataDir: dir });
    expect(log.size).toBe(2);
    expect(log.truncatedBytes).toBe(0);
    expect(log.at(0)!.expiration).toBe(10);
    expect(log.at(0)!.expiresAt).toBeUndefined();
    expect(log.lastSequence('old')).toBe(1n);
    // Deletes are not publishes: replay never delivers them.
    expect(log.replay(EPOCH).messages.map((e) => e.command)).toEqual(['publish']);
    log.append({ clientName: 'old', topic: 'exp', data: enc({ id: 2 }), sequence: 2n, sowKey: '12', expiresAt: ts + 99 });
    log.close();
    const again = new TransactionLog({ clock, dataDir: dir });
    expect(again.size).toBe(3);
    expect(again.at(2)!.expiresAt).toBe(ts + 99);
    again.close();
  });

  it('a torn tail after records with deadlines is truncated and the earlier deadlines are intact', () => {
    const dir = tmp();
    const clock = new ManualClock();
    const t0 = clock.now();
    const a = new TransactionLog({ clock, dataDir: dir });
    for (let i = 1; i <= 3; i++) a.append({ clientName: 'p', topic: 'exp', data: enc({ id: i }), sowKey: String(i), expiresAt: t0 + i * 1000 });
    a.append({ clientName: 'AMPS-sow-delete', topic: 'exp', data: enc({ id: 1 }), sowKey: '1', command: 'sow_delete' });
    a.close();
    const file = path.join(dir, 'txlog.dat');
    fs.truncateSync(file, fs.statSync(file).size - 3);
    const b = new TransactionLog({ clock, dataDir: dir });
    expect(b.size).toBe(3);
    expect(b.truncatedBytes).toBeGreaterThan(0);
    expect([0, 1, 2].map((i) => b.at(i)!.expiresAt)).toEqual([t0 + 1000, t0 + 2000, t0 + 3000]);
    b.close();
  });
});

describe('SOW store: writes with an explicit time and deadline (rebuild from disk)', () => {
  const topics = [
    { topic: 'exp', keys: ['/id'], expiration: 60 },
    { topic: 'plain', keys: ['/id'] },
  ];

  it('expiresAt overrides the relative expiration; 0 = never; ignored where expiration is disabled', () => {
    const clock = new ManualClock();
    const now = clock.now();
    const sow = new SowStore({ clock, topics });
    sow.publish({ topic: 'exp', data: enc({ id: 1 }), expiresAt: now + 5_000, expiration: 1000 });
    sow.publish({ topic: 'exp', data: enc({ id: 2 }), expiresAt: 0 });
    sow.publish({ topic: 'exp', data: enc({ id: 3 }) });
    sow.publish({ topic: 'plain', data: enc({ id: 4 }), expiresAt: now + 5_000 });
    const rec = (topic: string, id: number) => sow.query(topic).records.find((r) => JSON.parse(new TextDecoder().decode(r.doc.data)).id === id);
    expect(rec('exp', 1)!.expiresAt).toBe(now + 5_000);
    expect(rec('exp', 2)!.expiresAt).toBeUndefined();
    expect(rec('exp', 3)!.expiresAt).toBe(now + 60_000);
    expect(rec('plain', 4)!.expiresAt).toBeUndefined();
    expect(sow.expire(now + 5_000).map((r) => r.topic)).toEqual(['exp']);
    expect(sow.size('exp')).toBe(2);
  });

  it('timestamp sets the write time and a relative expiration counts from it', () => {
    const clock = new ManualClock();
    const then = clock.now() - 50_000;
    const sow = new SowStore({ clock, topics });
    const r = sow.publish({ topic: 'exp', data: enc({ id: 1 }), timestamp: then, expiration: 30 });
    if (r.kind !== 'inserted') throw new Error(r.kind);
    expect(r.record.timestamp).toBe(then);
    expect(r.record.expiresAt).toBe(then + 30_000);
    expect(sow.query('exp').records).toHaveLength(0); // already past its deadline
    expect(sow.expire()).toHaveLength(1);
  });
});

describe('transaction log: SOW journal (SOW topics outside the log)', () => {
  it('journal records survive a reload in file order with their position, and are not log entries', () => {
    const dir = tmp();
    const clock = new ManualClock();
    const t0 = clock.now();
    const a = new TransactionLog({ clock, dataDir: dir });
    a.journal({ kind: 'sow_put', topic: 'pos', sowKey: 'A', data: enc({ id: 'A' }), expiresAt: t0 + 1000, correlationId: 'cx' });
    a.append({ clientName: 'p', topic: 'orders', data: enc({ id: 1 }) });
    clock.advance(5);
    a.journal({ kind: 'sow_remove', topic: 'pos', sowKey: 'A', data: enc({ id: 'A' }) });
    a.close();
    const b = new TransactionLog({ clock, dataDir: dir });
    expect(b.size).toBe(1);
    expect(b.replay(EPOCH).messages.map((e) => e.topic)).toEqual(['orders']);
    const j = b.takeSowJournal();
    expect(j.map((r) => [r.kind, r.topic, r.sowKey, r.position, r.timestamp - t0])).toEqual([
      ['sow_put', 'pos', 'A', 0, 0],
      ['sow_remove', 'pos', 'A', 1, 5],
    ]);
    expect(j[0]!.expiresAt).toBe(t0 + 1000);
    expect(j[0]!.correlationId).toBe('cx');
    expect(new TextDecoder().decode(j[0]!.doc.data)).toBe('{"id":"A"}');
    expect(b.takeSowJournal()).toEqual([]); // handed over once
    b.close();
  });

  it('a memory-only log keeps no journal; a torn journal record at the tail is truncated', () => {
    const mem = new TransactionLog();
    mem.journal({ kind: 'sow_put', topic: 'pos', sowKey: 'A', data: enc({}) });
    expect(mem.takeSowJournal()).toEqual([]);
    const dir = tmp();
    const a = new TransactionLog({ dataDir: dir });
    a.journal({ kind: 'sow_put', topic: 'pos', sowKey: 'A', data: enc({ id: 1 }) });
    a.journal({ kind: 'sow_put', topic: 'pos', sowKey: 'B', data: enc({ id: 2 }) });
    a.close();
    const file = path.join(dir, 'txlog.dat');
    fs.truncateSync(file, fs.statSync(file).size - 4);
    const b = new TransactionLog({ dataDir: dir });
    expect(b.truncatedBytes).toBeGreaterThan(0);
    expect(b.takeSowJournal().map((r) => r.sowKey)).toEqual(['A']);
    b.close();
  });
});

describe('transaction log: client sequences of commands that are not entries (sow_delete)', () => {
  it('noteClientSequence raises lastSequence, survives a reload, never lowers it, and is not an entry', () => {
    const dir = tmp();
    const a = new TransactionLog({ dataDir: dir });
    a.append({ clientName: 'pub', topic: 'orders', data: enc({ id: 1 }), sequence: 1n });
    a.noteClientSequence('pub', 2n);
    a.noteClientSequence('pub', 1n);
    a.noteClientSequence('other', 7n);
    expect(a.lastSequence('pub')).toBe(2n);
    expect(a.isDuplicate('pub', 2n)).toBe(true);
    a.close();
    const b = new TransactionLog({ dataDir: dir });
    expect(b.size).toBe(1);
    expect(b.lastSequence('pub')).toBe(2n);
    expect(b.lastSequence('other')).toBe(7n);
    expect(b.lastBookmark('other')).toBeUndefined();
    const next = b.append({ clientName: 'pub', topic: 'orders', data: enc({ id: 2 }), sequence: 3n });
    expect(next.duplicate).toBe(false);
    b.close();
  });
});
