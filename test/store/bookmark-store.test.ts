import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  LOG_DUPLICATE,
  LOG_UNTRACKED,
  LoggedBookmarkStore,
  MemoryBookmarkStore,
  MemoryRecoveryPointAdapter,
  RecoveryPointBookmarkStore,
  bookmarkForResubscribe,
  bookmarkForSubscribe,
  type BookmarkStore,
  type RecoveryPoint,
  type RecoveryPointAdapter,
} from '../../runtime/store/index.js';
import { EPOCH, MOST_RECENT, NOW } from '../../runtime/wire/bookmark.js';

const A = '111';
const B = '222';
const bm = (pub: string, seq: number | bigint) => `${pub}|${seq}|`;

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amps-bm-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const kinds: Array<[string, () => BookmarkStore | Promise<BookmarkStore>]> = [
  ['MemoryBookmarkStore', () => new MemoryBookmarkStore()],
  ['LoggedBookmarkStore', () => new LoggedBookmarkStore(path.join(dir, `b-${Math.random()}.log`), { fsync: 'never' })],
  ['RecoveryPointBookmarkStore', () => RecoveryPointBookmarkStore.open(new MemoryRecoveryPointAdapter())],
];

describe.each(kinds)('%s', (_name, make) => {
  it('logs with increasing sequence numbers and flags duplicates', async () => {
    const s = await make();
    expect(s.log('s', bm(A, 1))).toBe(1);
    expect(s.log('s', bm(A, 2))).toBe(2);
    expect(s.log('s', bm(A, 2))).toBe(LOG_DUPLICATE);
    expect(s.log('s', bm(A, 1))).toBe(LOG_DUPLICATE); // older than the highest seen
    expect(s.isDuplicate('s', bm(A, 2))).toBe(true);
    expect(s.isDuplicate('s', bm(A, 3))).toBe(false);
    expect(s.isDuplicate('other', bm(A, 2))).toBe(false); // per subscription
    await s.close();
  });

  it('does not track EPOCH, NOW, timestamps or garbage; 0 and NOW count as discarded', async () => {
    const s = await make();
    for (const b of [EPOCH, NOW, '20240101T000000Z', 'junk', '']) {
      expect(s.log('s', b)).toBe(LOG_UNTRACKED);
      expect(s.isDuplicate('s', b)).toBe(false);
    }
    expect(s.isDiscarded('s', EPOCH)).toBe(true);
    expect(s.isDiscarded('s', NOW)).toBe(true);
    expect(s.isDiscarded('s', '20240101T000000Z')).toBe(false);
    expect(s.discard('s', EPOCH)).toBe(false);
    expect(s.getMostRecent('s')).toBe(EPOCH);
    await s.close();
  });

  it('dedupes per publisher: sequences interleave across publishers', async () => {
    const s = await make();
    expect(s.log('s', bm(A, 10))).toBe(1);
    expect(s.log('s', bm(B, 5))).toBe(2);
    expect(s.log('s', bm(A, 11))).toBe(3);
    expect(s.log('s', bm(B, 6))).toBe(4);
    // replay after a reconnect: all four are duplicates, new ones are not
    for (const b of [bm(A, 10), bm(B, 5), bm(A, 11), bm(B, 6)]) expect(s.log('s', b)).toBe(LOG_DUPLICATE);
    expect(s.log('s', bm(B, 7))).toBe(5);
    expect(s.log('s', bm(A, 12))).toBe(6);
    // a publisher whose sequences are lower than another's is not a duplicate
    expect(s.log('s', bm('333', 1))).toBe(7);
    await s.close();
  });

  it('EPOCH when nothing is known; the last discarded once everything is discarded', async () => {
    const s = await make();
    expect(s.getMostRecent('s')).toBe(EPOCH);
    s.log('s', bm(A, 1));
    expect(s.getMostRecent('s')).toBe(EPOCH); // delivered, not processed: replay it
    s.discard('s', bm(A, 1));
    expect(s.getMostRecent('s')).toBe(bm(A, 1));
    await s.close();
  });

  it('discard out of order: the recovery point only moves over a contiguous discarded prefix', async () => {
    const s = await make();
    for (let i = 1; i <= 5; i++) s.log('s', bm(A, i));
    expect(s.discard('s', bm(A, 1))).toBe(true);
    expect(s.discard('s', bm(A, 3))).toBe(true);
    expect(s.discard('s', bm(A, 5))).toBe(true);
    expect(s.discard('s', bm(A, 5))).toBe(false); // already
    expect(s.discard('s', bm(A, 9))).toBe(false); // unknown
    expect(s.getMostRecent('s')).toBe(bm(A, 1));
    expect(s.isDiscarded('s', bm(A, 3))).toBe(true);
    expect(s.isDiscarded('s', bm(A, 2))).toBe(false);
    expect(s.oldestBookmarkSeq('s')).toBe(2);
    expect(s.discard('s', bm(A, 2))).toBe(true);
    expect(s.getMostRecent('s')).toBe(bm(A, 3));
    expect(s.oldestBookmarkSeq('s')).toBe(4);
    expect(s.discardBySeqNo('s', 4)).toBe(true);
    expect(s.discardBySeqNo('s', 4)).toBe(false);
    expect(s.getMostRecent('s')).toBe(bm(A, 5));
    expect(s.oldestBookmarkSeq('s')).toBe(0);
    expect(s.isDiscarded('s', bm(A, 1))).toBe(true);
    await s.close();
  });

  it('several publishers: the point precedes every undiscarded message, one entry per publisher', async () => {
    const s = await make();
    // arrival order: A1 B1 A2 B2 A3
    s.log('s', bm(A, 1));
    s.log('s', bm(B, 1));
    s.log('s', bm(A, 2));
    s.log('s', bm(B, 2));
    s.log('s', bm(A, 3));
    s.discard('s', bm(B, 1));
    s.discard('s', bm(B, 2));
    s.discard('s', bm(A, 2));
    // A1 undiscarded and nothing before it: only EPOCH is safe
    expect(s.getMostRecent('s')).toBe(EPOCH);
    s.discard('s', bm(A, 1));
    // prefix A1 B1 A2 B2 discarded, A3 in flight: A's contiguous point is A2, the prefix ends at B2
    expect(s.getMostRecent('s').split(',').sort()).toEqual([bm(A, 2), bm(B, 2)].sort());
    s.discard('s', bm(A, 3));
    expect(s.getMostRecent('s')).toBe(bm(A, 3));
    await s.close();
  });

  it('a publisher with nothing in flight is not listed (its old bookmark would drag the replay back)', async () => {
    const s = await make();
    s.log('s', bm(B, 1));
    s.discard('s', bm(B, 1)); // B then goes quiet
    for (let i = 1; i <= 3; i++) s.log('s', bm(A, i));
    s.discard('s', bm(A, 1));
    s.discard('s', bm(A, 2));
    expect(s.getMostRecent('s')).toBe(bm(A, 2));
    await s.close();
  });

  it('combines the persisted ack: alone when nothing is in flight, otherwise listed (lower per publisher)', async () => {
    const s = await make();
    for (let i = 1; i <= 3; i++) s.log('s', bm(A, i));
    for (let i = 1; i <= 3; i++) s.discard('s', bm(A, i));
    s.persisted('s', bm(A, 2));
    expect(s.getMostRecent('s')).toBe(bm(A, 2));
    s.persisted('s', bm(A, 1)); // older: ignored
    expect(s.getMostRecent('s')).toBe(bm(A, 2));
    s.persisted('s', bm(A, 9)); // server processed further (filtered subscription)
    expect(s.getMostRecent('s')).toBe(bm(A, 9));
    s.log('s', bm(A, 10)); // in flight
    expect(s.getMostRecent('s')).toBe(bm(A, 3)); // same publisher: the lower wins
    s.persisted('s', bm(B, 4));
    expect(s.getMostRecent('s')).toBe(`${bm(A, 3)},${bm(B, 4)}`);
    s.persisted('s', EPOCH); // ignored
    s.persisted('s', NOW); // ignored
    expect(s.getMostRecent('s')).toBe(`${bm(A, 3)},${bm(B, 4)}`);
    await s.close();
  });

  it('purges one subscription or all', async () => {
    const s = await make();
    s.log('x', bm(A, 1));
    s.discard('x', bm(A, 1));
    s.log('y', bm(A, 1));
    s.discard('y', bm(A, 1));
    s.purge('x');
    expect(s.getMostRecent('x')).toBe(EPOCH);
    expect(s.log('x', bm(A, 1))).toBe(1);
    expect(s.getMostRecent('y')).toBe(bm(A, 1));
    s.purge();
    expect(s.getMostRecent('y')).toBe(EPOCH);
    await s.close();
  });
});

describe('bookmarkForSubscribe', () => {
  it('substitutes MOST_RECENT and resumes ranges after the recovery point', () => {
    const s = new MemoryBookmarkStore();
    expect(bookmarkForSubscribe(undefined, 's', MOST_RECENT)).toBe(EPOCH);
    expect(bookmarkForSubscribe(s, 's', MOST_RECENT)).toBe(EPOCH);
    expect(bookmarkForSubscribe(s, 's', '[20240101T000000Z:20240102T000000Z)')).toBe('[20240101T000000Z:20240102T000000Z)');
    s.log('s', bm(A, 4));
    s.discard('s', bm(A, 4));
    expect(bookmarkForSubscribe(s, 's', MOST_RECENT)).toBe(bm(A, 4));
    expect(bookmarkForSubscribe(s, 's', '[20240101T000000Z:20240102T000000Z)')).toBe(`(${bm(A, 4)}:20240102T000000Z)`);
    expect(bookmarkForSubscribe(s, 's', '[0:1|9|]')).toBe(`(${bm(A, 4)}:1|9|]`);
    expect(bookmarkForSubscribe(s, 's', NOW)).toBe(NOW);
  });
});

describe('resume point for an in-process resubscribe', () => {
  it('does not replay what the application still holds, and never falls back to EPOCH for it', () => {
    const s = new MemoryBookmarkStore();
    expect(s.getResumePoint('s')).toBeUndefined();
    expect(bookmarkForResubscribe(s, 's', NOW)).toBe(NOW);
    expect(bookmarkForResubscribe(s, 's', MOST_RECENT)).toBe(EPOCH);
    expect(bookmarkForResubscribe(s, 's', '20240101T000000Z')).toBe('20240101T000000Z');
    s.log('s', bm(A, 1)); // first message, still being processed when the connection drops
    expect(s.getMostRecent('s')).toBe(EPOCH); // crash-safe point: only EPOCH precedes it
    expect(s.getResumePoint('s')).toBe(bm(A, 1)); // but the app holds it: resume after it
    expect(bookmarkForResubscribe(s, 's', NOW)).toBe(bm(A, 1));
    s.log('s', bm(B, 1));
    s.log('s', bm(A, 2));
    s.discard('s', bm(B, 1));
    expect(s.getResumePoint('s')).toBe(bm(A, 2));
    s.persisted('s', bm(A, 1));
    expect(s.getResumePoint('s')).toBe(bm(A, 1)); // the persisted point is replicated: preferred when lower
    expect(bookmarkForResubscribe(s, 's', '[20240101T000000Z:20240102T000000Z)')).toBe(`(${bm(A, 1)}:20240102T000000Z)`);
  });

  it('after a restart, recovered messages not yet redelivered are replayed', async () => {
    const f = path.join(dir, 'resume.bm');
    const s = new LoggedBookmarkStore(f, { fsync: 'never' });
    for (let i = 1; i <= 4; i++) s.log('s', bm(A, i));
    s.discard('s', bm(A, 1));
    s.discard('s', bm(A, 2));
    s.log('t', bm(A, 1)); // never discarded, nothing before it
    await s.close();
    const r = new LoggedBookmarkStore(f, { fsync: 'never' });
    expect(r.getResumePoint('s')).toBe(bm(A, 2));
    expect(r.getResumePoint('t')).toBe(EPOCH);
    expect(bookmarkForResubscribe(r, 't', NOW)).toBe(EPOCH);
    expect(r.log('s', bm(A, 3))).toBe(3); // redelivered: now held by the application
    expect(r.getResumePoint('s')).toBe(bm(A, 3));
    expect(r.getMostRecent('s')).toBe(bm(A, 2));
    await r.close();
  });
});

describe('LoggedBookmarkStore persistence', () => {
  const file = () => path.join(dir, 'sub.bm');
  const open = (warnings: string[] = []) =>
    new LoggedBookmarkStore(file(), { fsync: 'never', logger: { warn: (m) => warnings.push(m) } });

  it('MOST_RECENT resumes after the last discarded message; undiscarded ones are redelivered once', async () => {
    const s = open();
    for (let i = 1; i <= 5; i++) s.log('s', bm(A, i));
    s.discard('s', bm(A, 1));
    s.discard('s', bm(A, 2));
    s.discard('s', bm(A, 4)); // out of order
    await s.close();

    const r = open();
    expect(r.getMostRecent('s')).toBe(bm(A, 2));
    expect(r.isDuplicate('s', bm(A, 2))).toBe(true);
    expect(r.isDuplicate('s', bm(A, 3))).toBe(false); // delivered before the restart, not processed
    expect(r.isDuplicate('s', bm(A, 4))).toBe(true); // processed before the restart
    expect(r.isDiscarded('s', bm(A, 4))).toBe(true);
    // the server replays from A2: A3 comes again with its old sequence number, A4 is dropped, A5 comes again
    expect(r.log('s', bm(A, 3))).toBe(3);
    expect(r.log('s', bm(A, 4))).toBe(LOG_DUPLICATE);
    expect(r.log('s', bm(A, 5))).toBe(5);
    expect(r.log('s', bm(A, 5))).toBe(LOG_DUPLICATE); // only once
    expect(r.log('s', bm(A, 6))).toBe(6);
    r.discard('s', bm(A, 3));
    expect(r.getMostRecent('s')).toBe(bm(A, 4));
    await r.close();

    const r2 = open();
    expect(r2.getMostRecent('s')).toBe(bm(A, 4));
    expect(r2.log('s', bm(A, 7))).toBe(7);
    await r2.close();
  });

  it('keeps persisted points, several subscriptions and purges across reopen', async () => {
    const s = open();
    s.log('x', bm(A, 1));
    s.discard('x', bm(A, 1));
    s.persisted('x', bm(B, 50));
    s.log('y', bm(A, 1));
    s.discard('y', bm(A, 1));
    s.log('z', bm(A, 1));
    s.purge('z');
    await s.close();
    const r = open();
    expect(r.getMostRecent('x')).toBe(bm(B, 50));
    expect(r.getMostRecent('y')).toBe(bm(A, 1));
    expect(r.getMostRecent('z')).toBe(EPOCH);
    expect(r.log('z', bm(A, 1))).toBe(1);
    r.purge();
    await r.close();
    const r2 = open();
    expect(r2.subscriptionIds()).toEqual([]);
    await r2.close();
  });

  it('prune shrinks the file and keeps the recovery point, dedupe state and sequence numbers', async () => {
    const s = open();
    for (let i = 1; i <= 500; i++) s.log('s', bm(A, i));
    s.log('s', bm(B, 1));
    for (let i = 1; i <= 500; i++) if (i !== 300) s.discard('s', bm(A, i));
    s.persisted('s', bm(A, 100));
    s.log('t', bm(A, 1));
    s.discard('t', bm(A, 1));
    const before = s.getMostRecent('s');
    // prefix A1..A299 discarded, A300 and B1 in flight, persisted A100 (same publisher, lower) wins
    expect(before).toBe(bm(A, 100));
    const size = s.fileBytes;
    s.prune();
    expect(s.fileBytes).toBeLessThan(size / 5);
    expect(s.getMostRecent('s')).toBe(before);
    await s.close();

    const r = open();
    expect(r.getMostRecent('s')).toBe(before);
    expect(r.getMostRecent('t')).toBe(bm(A, 1));
    expect(r.isDuplicate('s', bm(A, 450))).toBe(true);
    expect(r.isDiscarded('s', bm(A, 450))).toBe(true);
    expect(r.isDuplicate('s', bm(A, 300))).toBe(false); // recovered, not processed
    expect(r.log('s', bm(A, 300))).toBe(300);
    expect(r.log('s', bm(B, 1))).toBe(501);
    expect(r.log('s', bm(A, 501))).toBe(502);
    r.discard('s', bm(A, 300));
    r.discard('s', bm(B, 1));
    r.discard('s', bm(A, 501));
    expect(r.getMostRecent('s')).toBe(bm(A, 100)); // nothing in flight: the persisted point
    r.persisted('s', bm(A, 501));
    expect(r.getMostRecent('s')).toBe(bm(A, 501));
    r.prune();
    await r.close();
    const r2 = open();
    expect(r2.getMostRecent('s')).toBe(bm(A, 501));
    expect(r2.log('s', bm(A, 502))).toBe(503);
    await r2.close();
  });

  it('autoPruneBytes prunes as the log grows', async () => {
    const s = new LoggedBookmarkStore(file(), { fsync: 'never', autoPruneBytes: 4096 });
    for (let i = 1; i <= 2000; i++) {
      s.log('s', bm(A, i));
      s.discard('s', bm(A, i));
    }
    expect(s.fileBytes).toBeLessThan(3 * 4096);
    await s.close();
    const r = open();
    expect(r.getMostRecent('s')).toBe(bm(A, 2000));
    await r.close();
  });

  it('a torn last record at any byte offset loses only that record, with a warning', async () => {
    const s = open();
    s.log('s', bm(A, 1));
    s.log('s', bm(A, 2));
    s.discard('s', bm(A, 1));
    const beforeLast = s.fileBytes;
    s.discard('s', bm(A, 2));
    const total = s.fileBytes;
    await s.close();
    const bytes = fs.readFileSync(file());
    for (let cut = beforeLast + 1; cut < total; cut++) {
      const f = path.join(dir, `cut-${cut}.bm`);
      fs.writeFileSync(f, bytes.subarray(0, cut));
      const warnings: string[] = [];
      const r = new LoggedBookmarkStore(f, { logger: { warn: (m) => warnings.push(m) } });
      expect(warnings).toHaveLength(1);
      expect(r.getMostRecent('s')).toBe(bm(A, 1));
      expect(r.isDuplicate('s', bm(A, 2))).toBe(false); // its discard was lost: it will be redelivered
      expect(r.log('s', bm(A, 2))).toBe(2);
      r.discard('s', bm(A, 2));
      await r.close();
      const r2 = new LoggedBookmarkStore(f, { logger: { warn: (m) => warnings.push(m) } });
      expect(r2.getMostRecent('s')).toBe(bm(A, 2));
      expect(warnings).toHaveLength(1);
      await r2.close();
    }
  });
});

describe('RecoveryPointBookmarkStore', () => {
  it('seeds subscriptions from the adapter: MOST_RECENT and dedupe honour the stored point', async () => {
    const adapter = new MemoryRecoveryPointAdapter([
      { subId: 's', bookmark: `${bm(A, 10)},${bm(B, 3)}` },
      { subId: 't', bookmark: EPOCH },
    ]);
    const s = await RecoveryPointBookmarkStore.open(adapter);
    expect(s.getMostRecent('s')).toBe(`${bm(A, 10)},${bm(B, 3)}`);
    expect(s.getMostRecent('t')).toBe(EPOCH);
    expect(s.isDuplicate('s', bm(A, 10))).toBe(true);
    expect(s.isDiscarded('s', bm(B, 2))).toBe(true);
    expect(s.log('s', bm(B, 3))).toBe(LOG_DUPLICATE);
    expect(s.log('s', bm(A, 11))).toBe(1);
    // in flight after a seeded point: the seed still bounds the replay
    expect(s.getMostRecent('s').split(',').sort()).toEqual([bm(A, 10), bm(B, 3)].sort());
    expect(adapter.updates).toBe(0);
    s.discard('s', bm(A, 11));
    expect(s.getMostRecent('s')).toBe(bm(A, 11));
    await s.flush();
    expect(adapter.points.get('s')).toBe(bm(A, 11));
    expect(adapter.updates).toBe(1);
    await s.close();
    expect(adapter.closed).toBe(true);
  });

  it('writes only changed points, waits for a slow adapter in order, and flushes on close', async () => {
    const calls: RecoveryPoint[] = [];
    let release: () => void = () => {};
    const adapter: RecoveryPointAdapter = {
      async *load() {},
      update(p) {
        calls.push(p);
        return new Promise<void>((r) => {
          release = r;
        });
      },
      purge() {},
      close() {},
    };
    const s = await RecoveryPointBookmarkStore.open(adapter);
    const tick = () => new Promise((r) => setImmediate(r));
    for (let i = 1; i <= 5; i++) s.log('s', bm(A, i));
    s.discard('s', bm(A, 1)); // update #1 starts and hangs
    await tick();
    expect(calls.map((c) => c.bookmark)).toEqual([bm(A, 1)]);
    s.discard('s', bm(A, 3)); // no change of the point: nothing to write
    s.discard('s', bm(A, 2)); // point A3: queued behind #1
    s.discard('s', bm(A, 4)); // point A4: supersedes the queued A3, which is skipped
    await tick();
    expect(calls.map((c) => c.bookmark)).toEqual([bm(A, 1)]);
    release();
    await tick();
    expect(calls.map((c) => c.bookmark)).toEqual([bm(A, 1), bm(A, 4)]);
    s.discard('s', bm(A, 5));
    const closing = s.close(); // waits for the running update, then writes A5
    release();
    await tick();
    expect(calls.map((c) => c.bookmark)).toEqual([bm(A, 1), bm(A, 4), bm(A, 5)]);
    release();
    await closing;
  });

  it('conflates updates with conflateMs and reports adapter errors without throwing', async () => {
    const errors: string[] = [];
    let fail = true;
    const points = new Map<string, string>();
    const adapter: RecoveryPointAdapter = {
      load: () => [],
      update(p) {
        if (fail) throw new Error('sow down');
        points.set(p.subId, p.bookmark);
      },
      purge(id) {
        if (id) points.delete(id);
      },
      close() {},
    };
    const s = await RecoveryPointBookmarkStore.open(adapter, {
      conflateMs: 60_000,
      onError: (e) => errors.push((e as Error).message),
    });
    for (let i = 1; i <= 100; i++) {
      s.log('s', bm(A, i));
      s.discard('s', bm(A, i));
    }
    await s.flush(); // one conflated write, which fails
    expect(errors).toEqual(['sow down']);
    fail = false;
    await s.flush(); // nothing changed since, but the failed value is retried
    expect(points.get('s')).toBe(bm(A, 100));
    s.purge('s');
    await s.flush();
    expect(points.has('s')).toBe(false);
    await s.close();
  });
});
