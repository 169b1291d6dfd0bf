// Children store into file stores as fast as they can and are SIGKILLed mid-stream; everything they reported
// as done must be there after reopening.
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FilePublishStore, LoggedBookmarkStore } from '../../runtime/store/index.js';
import { parseBookmark } from '../../runtime/wire/bookmark.js';
import { bodyFor } from './fixtures/crash-common.js';
import { crashTestDir, runAndKill } from './fixtures/run-and-kill.js';

const publishChild = fileURLToPath(new URL('./fixtures/publish-child.ts', import.meta.url));
const bookmarkChild = fileURLToPath(new URL('./fixtures/bookmark-child.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(crashTestDir(), 'amps-crash-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

it('publish store: no message reported as stored is lost when the process is SIGKILLed mid-write', async () => {
  const file = path.join(dir, 'crash.store');
  const everStored: bigint[] = [];
  let lastReportedDiscard = 0n;
  for (const lines of [400, 3000, 1500]) {
    let stored = 0;
    await runAndKill(publishChild, [file], lines, (line) => {
      const [kind, value] = line.split(' ');
      if (kind === 'S') {
        everStored.push(BigInt(value!));
        stored++;
      } else if (kind === 'D' && BigInt(value!) > lastReportedDiscard) lastReportedDiscard = BigInt(value!);
    });
    expect(stored).toBeGreaterThan(100);

    const store = new FilePublishStore(file, { logger: { warn() {} } });
    // The child may have discarded past its last report before dying, never less.
    expect(store.lastPersisted() >= lastReportedDiscard).toBe(true);
    const present = new Map<bigint, Uint8Array>();
    store.replay((h, b) => present.set(h.sequence!, b));
    for (const seq of everStored) {
      if (seq <= store.lastPersisted()) continue;
      const body = present.get(seq);
      expect(body, `sequence ${seq} lost`).toBeDefined();
      expect(Buffer.from(body!).equals(Buffer.from(bodyFor(seq)))).toBe(true);
    }
    // Sequences keep increasing across crashes.
    expect(store.lastSequence() >= everStored[everStored.length - 1]!).toBe(true);
    await store.close();
  }
}, 400_000);

it('bookmark store: discards reported before a SIGKILL survive, and MOST_RECENT never goes behind them', async () => {
  const file = path.join(dir, 'crash.bm');
  const reported = new Map<string, bigint>();
  for (const lines of [300, 2500, 1200]) {
    await runAndKill(bookmarkChild, [file], lines, (line) => {
      const [kind, pub, seq] = line.split(' ');
      if (kind === 'C') reported.set(pub!, BigInt(seq!));
    });
    expect(reported.size).toBe(2);

    const store = new LoggedBookmarkStore(file, { logger: { warn() {} } });
    for (const [pub, upTo] of reported) {
      for (const s of [1n, upTo / 2n, upTo - 1n, upTo]) {
        expect(store.isDiscarded('sub', `${pub}|${s}|`), `${pub}|${s}|`).toBe(true);
        expect(store.isDuplicate('sub', `${pub}|${s}|`)).toBe(true);
      }
    }
    const rp = store.getMostRecent('sub');
    expect(rp).not.toBe('0');
    for (const b of rp.split(',')) {
      const id = parseBookmark(b)!;
      expect(id.sequence >= reported.get(id.publisher)!, `${b} behind ${reported.get(id.publisher)}`).toBe(true);
    }
    await store.close();
  }
}, 400_000);
