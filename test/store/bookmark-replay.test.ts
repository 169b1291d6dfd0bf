// Randomised end-to-end check of the bookmark stores against a simulated transaction log: deliver a prefix of the
// log, discard a random subset in random order, receive persisted acks, then (restart or reconnect) resubscribe
// from the store's point and replay the log "from the earliest listed bookmark" the way the server does. Every
// message must reach the application exactly once overall: processed ones never again, held or unprocessed ones
// exactly as required, new ones always.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { LOG_DUPLICATE, LoggedBookmarkStore, MemoryBookmarkStore } from '../../runtime/store/index.js';
import { EPOCH, parseBookmark, splitBookmarkList } from '../../runtime/wire/bookmark.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amps-bmsim-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

/** Small deterministic PRNG (mulberry32). */
function prng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

interface Msg {
  readonly bm: string;
}

function makeLog(rand: () => number, n: number): Msg[] {
  const pubs = ['1001', '2002', '3003'];
  const seqs = new Map(pubs.map((p) => [p, BigInt(Math.floor(rand() * 1000))]));
  const log: Msg[] = [];
  for (let i = 0; i < n; i++) {
    const p = pubs[Math.floor(rand() * (i < n / 2 ? 3 : 2))]!; // the third publisher goes quiet halfway
    const s = seqs.get(p)! + 1n + BigInt(Math.floor(rand() * 3));
    seqs.set(p, s);
    log.push({ bm: `${p}|${s}|` });
  }
  return log;
}

/** Where the server starts a replay for a recovery point: after the earliest listed bookmark found. */
function replayStart(log: Msg[], point: string): number {
  if (point === EPOCH) return 0;
  let start = Number.POSITIVE_INFINITY;
  for (const b of splitBookmarkList(point)) {
    expect(parseBookmark(b), `listed bookmark ${b}`).toBeDefined();
    const i = log.findIndex((m) => m.bm === b);
    expect(i, `listed bookmark ${b} is in the log`).toBeGreaterThanOrEqual(0);
    start = Math.min(start, i + 1);
  }
  return start;
}

function shuffle<T>(rand: () => number, xs: T[]): T[] {
  for (let i = xs.length - 1; i > 0; i--) {
    const j = Math.floor(rand() * (i + 1));
    [xs[i], xs[j]] = [xs[j]!, xs[i]!];
  }
  return xs;
}

it('after a restart (LoggedBookmarkStore): processed messages never again, unprocessed and new ones exactly once', async () => {
  for (let round = 0; round < 40; round++) {
    const rand = prng(1000 + round);
    const log = makeLog(rand, 120);
    const delivered = 20 + Math.floor(rand() * 80);
    const file = path.join(dir, `r${round}.bm`);
    const s = new LoggedBookmarkStore(file, { fsync: 'never' });
    for (let i = 0; i < delivered; i++) expect(s.log('sub', log[i]!.bm)).toBeGreaterThan(0);
    const processed = new Set<number>();
    for (const i of shuffle(rand, [...Array(delivered).keys()])) {
      if (rand() < 0.8) {
        s.discard('sub', log[i]!.bm);
        processed.add(i);
      }
    }
    if (rand() < 0.5) s.persisted('sub', log[Math.floor(rand() * delivered)]!.bm);
    if (rand() < 0.3) s.prune();
    await s.close();

    fs.copyFileSync(file, `${file}.copy`);
    // MOST_RECENT on the first subscribe after the restart, and the in-process resume point (a reconnect before
    // anything was redelivered) must both replay exactly what is needed.
    for (const [f, which] of [
      [file, 'getMostRecent'],
      [`${file}.copy`, 'getResumePoint'],
    ] as const) {
      const r = new LoggedBookmarkStore(f, { fsync: 'never' });
      const point = which === 'getMostRecent' ? r.getMostRecent('sub') : (r.getResumePoint('sub') ?? EPOCH);
      const start = replayStart(log, point);
      const got = new Set<number>();
      for (let i = start; i < log.length; i++) if (r.log('sub', log[i]!.bm) > 0) got.add(i);
      for (let i = 0; i < log.length; i++) {
        const want = !processed.has(i); // unprocessed before the restart, or never delivered
        expect(got.has(i), `round ${round} ${which}: message ${i} (${log[i]!.bm}) processed=${processed.has(i)}`).toBe(want);
      }
      await r.close();
    }
  }
});

it('after a reconnect (same process): nothing the application holds or processed is redelivered, nothing new is missed', () => {
  for (let round = 0; round < 40; round++) {
    for (const which of ['getResumePoint', 'getMostRecent'] as const) {
      const rand = prng(5000 + round); // same scenario for both points
      const log = makeLog(rand, 120);
      const delivered = 1 + Math.floor(rand() * 100);
      const s = new MemoryBookmarkStore();
      for (let i = 0; i < delivered; i++) s.log('sub', log[i]!.bm);
      for (const i of shuffle(rand, [...Array(delivered).keys()])) if (rand() < 0.5) s.discard('sub', log[i]!.bm);
      if (rand() < 0.5) s.persisted('sub', log[Math.floor(rand() * delivered)]!.bm);
      const point = which === 'getResumePoint' ? (s.getResumePoint('sub') ?? EPOCH) : s.getMostRecent('sub');
      const start = replayStart(log, point);
      expect(start, `round ${round} ${which}`).toBeLessThanOrEqual(delivered);
      for (let i = start; i < log.length; i++) {
        const r = s.log('sub', log[i]!.bm);
        if (i < delivered) expect(r, `round ${round} ${which}: held/processed ${i} redelivered`).toBe(LOG_DUPLICATE);
        else expect(r, `round ${round} ${which}: new ${i} dropped`).toBeGreaterThan(0);
      }
    }
  }
});
