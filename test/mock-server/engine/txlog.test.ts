import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { clientNameHash, EPOCH, millisToTimestampBookmark, NOW } from '../../../runtime/wire/bookmark.js';
import {
  compileFilter,
  compileTopic,
  EngineError,
  ManualClock,
  TransactionLog,
  type TxEntry,
} from '../../../mock-server/engine/index.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const ids = (es: TxEntry[]) => es.map((e) => (e.doc.root as { id: number }).id);

/** Log with 5 messages on `orders` (ids 1..5, 1 s apart) and one on `trades` (id 100) between 2 and 3. */
function sample() {
  const clock = new ManualClock(Date.UTC(2026, 0, 1, 12, 0, 0));
  const log = new TransactionLog({ clock });
  const entries: TxEntry[] = [];
  const add = (topic: string, id: number, name = 'pub') => {
    const r = log.append({ clientName: name, topic, data: enc({ id }) });
    if (r.duplicate) throw new Error('dup');
    entries.push(r.entry);
    clock.advance(1000);
    return r.entry;
  };
  add('orders', 1);
  add('orders', 2);
  add('trades', 100, 'other');
  add('orders', 3);
  add('orders', 4);
  add('orders', 5);
  return { clock, log, entries, add };
}

describe('transaction log: append, bookmarks, duplicates', () => {
  it('bookmark = <clientNameHash>|<seq>| with client s, or server-assigned increasing seq', () => {
    const log = new TransactionLog({ clock: new ManualClock() });
    const a = log.append({ clientName: 'Test', topic: 't', data: enc({}) });
    const b = log.append({ clientName: 'Test', topic: 't', data: enc({}) });
    if (a.duplicate || b.duplicate) throw new Error();
    expect(a.entry.bookmark).toBe(`${clientNameHash('Test')}|1|`);
    expect(b.entry.bookmark).toBe(`${clientNameHash('Test')}|2|`);
    const c = log.append({ clientName: 'P', topic: 't', data: enc({}), sequence: 1490901822670001000n });
    if (c.duplicate) throw new Error();
    expect(c.entry.bookmark).toBe(`${clientNameHash('P')}|1490901822670001000|`);
    expect(log.find(c.entry.bookmark)).toBe(c.entry);
    expect(log.lastLogBookmark).toBe(c.entry.bookmark);
  });
  it('duplicate (client name, s) is dropped; highest s per name remembered', () => {
    const log = new TransactionLog({ clock: new ManualClock() });
    expect(log.lastSequence('pub')).toBe(0n);
    for (const s of [1n, 2n, 3n]) expect(log.append({ clientName: 'pub', topic: 't', data: enc({ s: Number(s) }), sequence: s }).duplicate).toBe(false);
    expect(log.isDuplicate('pub', 2n)).toBe(true);
    expect(log.isDuplicate('pub', 4n)).toBe(false);
    expect(log.isDuplicate('other', 1n)).toBe(false);
    const d = log.append({ clientName: 'pub', topic: 't', data: enc({}), sequence: 2n });
    expect(d).toEqual({ duplicate: true, lastSequence: 3n });
    expect(log.size).toBe(3);
    expect(log.lastSequence('pub')).toBe(3n);
    expect(log.lastBookmark('pub')).toBe(`${clientNameHash('pub')}|3|`);
    // another client name has its own sequence space
    expect(log.append({ clientName: 'other', topic: 't', data: enc({}), sequence: 1n }).duplicate).toBe(false);
  });
  it('per-message timestamps never go backwards', () => {
    const clock = new ManualClock(1_000_000);
    const log = new TransactionLog({ clock });
    const a = log.append({ clientName: 'p', topic: 't', data: enc({}) });
    clock.set(500_000);
    const b = log.append({ clientName: 'p', topic: 't', data: enc({}) });
    if (a.duplicate || b.duplicate) throw new Error();
    expect(b.entry.timestamp).toBe(a.entry.timestamp);
  });
});

describe('transaction log: replay', () => {
  const orders = { topic: 'orders' };
  it('EPOCH replays everything (topic-filtered)', () => {
    const { log } = sample();
    const p = log.replay(EPOCH, orders);
    expect(ids(p.messages)).toEqual([1, 2, 3, 4, 5]);
    expect(p.completed).toBe(false);
    expect(p.notFound).toBe(false);
    expect(ids(log.replay(EPOCH).messages)).toEqual([1, 2, 100, 3, 4, 5]);
  });
  it('NOW replays nothing and goes live', () => {
    const { log, add } = sample();
    const p = log.replay(NOW, orders);
    expect(p.messages).toEqual([]);
    expect(p.startIndex).toBe(log.size);
    expect(p.live(add('orders', 6))).toBe('deliver');
  });
  it('a bookmark is exclusive: replay starts after it', () => {
    const { log, entries } = sample();
    expect(ids(log.replay(entries[1]!.bookmark, orders).messages)).toEqual([3, 4, 5]);
    expect(ids(log.replay(entries[5]!.bookmark, orders).messages)).toEqual([]);
  });
  it('unknown bookmark → NOW (or per bookmark_not_found)', () => {
    const { log } = sample();
    const p = log.replay('123|456|', orders);
    expect(p.notFound).toBe(true);
    expect(p.messages).toEqual([]);
    expect(p.startIndex).toBe(log.size);
    expect(ids(log.replay('garbage', { ...orders, notFound: 'epoch' }).messages)).toEqual([1, 2, 3, 4, 5]);
    expect(() => log.replay('123|456|', { notFound: 'fail' })).toThrow(EngineError);
    try {
      log.replay('123|456|', { notFound: 'fail' });
    } catch (e) {
      expect((e as EngineError).reason).toBe('invalid bookmark');
    }
  });
  it('a bookmark of a known publisher that is not logged verbatim resumes after its last sequence ≤ it (inferred)', () => {
    const { log, entries } = sample();
    const pub = entries[0]!.publisher;
    // pub's bookmarks have sequences 1,2,3,4,5 (server-assigned); ask for 2.5 → not representable, use 2 vs 3
    expect(ids(log.replay(`${pub}|2|`, orders).messages)).toEqual([3, 4, 5]);
    const sparse = new TransactionLog({ clock: new ManualClock() });
    for (const s of [10n, 20n, 30n]) sparse.append({ clientName: 'p', topic: 'orders', data: enc({ id: Number(s) }), sequence: s });
    const hash = sparse.at(0)!.publisher;
    expect(ids(sparse.replay(`${hash}|25|`, orders).messages)).toEqual([30]);
    expect(ids(sparse.replay(`${hash}|5|`, orders).messages)).toEqual([10, 20, 30]);
    expect(sparse.replay(`${hash}|99|`, orders).messages).toEqual([]);
    expect(sparse.replay(`${hash}|99|`, orders).notFound).toBe(true); // beyond the publisher's newest: unknown
  });
  it('a comma list starts at the earliest bookmark found', () => {
    const { log, entries } = sample();
    const list = [entries[4]!.bookmark, '999|1|', entries[1]!.bookmark].join(',');
    expect(ids(log.replay(list, orders).messages)).toEqual([3, 4, 5]);
    expect(ids(log.replay(`${entries[3]!.bookmark},${entries[2]!.bookmark}`).messages)).toEqual([3, 4, 5]);
  });
  it('a timestamp starts at the first message at/after it', () => {
    const { log, entries } = sample();
    const ts = millisToTimestampBookmark(entries[3]!.timestamp);
    expect(ids(log.replay(ts, orders).messages)).toEqual([3, 4, 5]);
    expect(ids(log.replay('20000101T000000Z', orders).messages)).toEqual([1, 2, 3, 4, 5]);
    expect(log.replay('20990101T000000Z', orders).messages).toEqual([]);
  });
  it('ranges: bookmark and timestamp ends complete the replay', () => {
    const { log, entries } = sample();
    const [b1, b2, , b3, b4] = entries.map((e) => e.bookmark);
    const r1 = log.replay(`[${b1}:${b4}]`, orders);
    expect(ids(r1.messages)).toEqual([1, 2, 3, 4]);
    expect(r1.completed).toBe(true);
    expect(ids(log.replay(`(${b1}:${b4})`, orders).messages)).toEqual([2, 3]);
    expect(ids(log.replay(`(${b2}:${b3}]`, orders).messages)).toEqual([3]);
    const t = (i: number) => millisToTimestampBookmark(entries[i]!.timestamp);
    const r2 = log.replay(`[${t(1)}:${t(4)}]`, orders);
    expect(ids(r2.messages)).toEqual([2, 3, 4]);
    expect(r2.completed).toBe(true);
    expect(ids(log.replay(`[${t(1)}:${t(4)})`, orders).messages)).toEqual([2, 3]);
    expect(ids(log.replay(`[${EPOCH}:${b2}]`, orders).messages)).toEqual([1, 2]);
  });
  it('range with a future end: live entries until the end, then complete', () => {
    const { log, clock, add, entries } = sample();
    const end = millisToTimestampBookmark(clock.now() + 2000);
    const p = log.replay(`[${entries[4]!.bookmark}:${end}]`, orders);
    expect(ids(p.messages)).toEqual([4, 5]);
    expect(p.completed).toBe(false);
    expect(p.endTime).toBeDefined();
    expect(p.live(add('orders', 6))).toBe('deliver');
    expect(p.live(add('orders', 7))).toBe('deliver');
    expect(p.live(add('orders', 8))).toBe('deliver'); // exactly at the (inclusive) end
    expect(p.live(add('orders', 9))).toBe('complete');
    expect(p.inRange(log.at(log.size - 1)!)).toBe(false);
  });
  it('range ending on a bookmark not yet logged completes when it arrives', () => {
    const { log, add } = sample();
    const p = log.replay(`[0:${clientNameHash('pub')}|7|]`, orders);
    expect(p.completed).toBe(false);
    expect(p.live(add('orders', 6))).toBe('deliver');
    expect(p.live(add('orders', 7))).toBe('deliver-and-complete');
  });
  it('filter and regex topic apply during replay', () => {
    const { log } = sample();
    expect(ids(log.replay(EPOCH, { topic: compileTopic('orders|trades'), filter: compileFilter('/id >= 3') }).messages)).toEqual([
      100, 3, 4, 5,
    ]);
  });
  it('sow_delete entries are not replayed as publishes', () => {
    const log = new TransactionLog({ clock: new ManualClock() });
    log.append({ clientName: 'p', topic: 't', data: enc({ id: 1 }) });
    log.append({ clientName: 'p', topic: 't', data: enc({ id: 1 }), command: 'sow_delete' });
    expect(ids(log.replay(EPOCH).messages)).toEqual([1]);
  });
});

describe('transaction log: on-disk persistence', () => {
  const dirs: string[] = [];
  const tmp = () => {
    const d = fs.mkdtempSync(path.join(os.tmpdir(), 'amps-txlog-'));
    dirs.push(d);
    return d;
  };
  afterEach(() => {
    for (const d of dirs.splice(0)) fs.rmSync(d, { recursive: true, force: true });
  });

  it('reloads entries, bookmarks, sequences and timestamps', () => {
    const dir = tmp();
    const clock = new ManualClock();
    const a = new TransactionLog({ clock, dataDir: dir });
    a.append({ clientName: 'pub', topic: 'orders', data: enc({ id: 1 }), sequence: 5n, sowKey: '42', correlationId: 'c1', expiration: 9 });
    clock.advance(10);
    a.append({ clientName: 'pub', topic: 'orders', data: enc({ id: 2 }), sequence: 6n });
    a.append({ clientName: 'anon', topic: 'nv', data: new TextEncoder().encode('55=IBM\x01'), messageType: 'nvfix' });
    a.close();
    const b = new TransactionLog({ clock, dataDir: dir });
    expect(b.size).toBe(3);
    expect(b.truncatedBytes).toBe(0);
    expect(b.lastSequence('pub')).toBe(6n);
    expect(b.isDuplicate('pub', 6n)).toBe(true);
    const e0 = b.at(0)!;
    expect(e0.sowKey).toBe('42');
    expect(e0.correlationId).toBe('c1');
    expect(e0.expiration).toBe(9);
    expect(e0.clientSequence).toBe(5n);
    expect(b.at(1)!.timestamp - e0.timestamp).toBe(10);
    expect(b.at(2)!.doc.messageType).toBe('nvfix');
    expect(compileFilter("/55 = 'IBM'").matches(b.at(2)!.doc)).toBe(true);
    expect(ids(b.replay(b.at(0)!.bookmark, { topic: 'orders' }).messages)).toEqual([2]);
    // continues the sequence after reload
    const c = b.append({ clientName: 'anon', topic: 'x', data: enc({}) });
    if (c.duplicate) throw new Error();
    expect(c.entry.sequence).toBe(2n);
    b.close();
    expect(new TransactionLog({ dataDir: dir }).size).toBe(4);
  });

  it('tolerates a torn last record (truncates it) and keeps appending', () => {
    const dir = tmp();
    const a = new TransactionLog({ dataDir: dir });
    for (let i = 1; i <= 3; i++) a.append({ clientName: 'p', topic: 't', data: enc({ id: i }) });
    a.close();
    const file = path.join(dir, 'txlog.dat');
    const full = fs.statSync(file).size;
    fs.truncateSync(file, full - 5);
    const b = new TransactionLog({ dataDir: dir });
    expect(b.size).toBe(2);
    expect(b.truncatedBytes).toBeGreaterThan(0);
    b.append({ clientName: 'p', topic: 't', data: enc({ id: 4 }) });
    b.close();
    const c = new TransactionLog({ dataDir: dir });
    expect(ids(c.replay(EPOCH).messages)).toEqual([1, 2, 4]);
    c.close();
  });

  it('drops a record whose CRC does not match', () => {
    const dir = tmp();
    const a = new TransactionLog({ dataDir: dir });
    a.append({ clientName: 'p', topic: 't', data: enc({ id: 1 }) });
    a.append({ clientName: 'p', topic: 't', data: enc({ id: 2 }) });
    a.close();
    const file = path.join(dir, 'txlog.dat');
    const buf = fs.readFileSync(file);
    buf[buf.length - 2] ^= 0xff; // corrupt the last record's body
    fs.writeFileSync(file, buf);
    const b = new TransactionLog({ dataDir: dir });
    expect(ids(b.replay(EPOCH).messages)).toEqual([1]);
    b.close();
  });

  it('a torn header (fewer than 8 bytes) is dropped too', () => {
    const dir = tmp();
    const a = new TransactionLog({ dataDir: dir });
    a.append({ clientName: 'p', topic: 't', data: enc({ id: 1 }) });
    a.close();
    fs.appendFileSync(path.join(dir, 'txlog.dat'), Buffer.from([1, 2, 3]));
    const b = new TransactionLog({ dataDir: dir });
    expect(b.size).toBe(1);
    expect(b.truncatedBytes).toBe(3);
    b.close();
  });
});
