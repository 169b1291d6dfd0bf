// Recovery point adapters: persist only each subscription's recovery point (the value `getMostRecent` returns),
// somewhere other than a local log — e.g. a SOW topic (`/ADMIN/bookmark_store`, keyed by client name and subId;
// that adapter needs a live Client of its own and lives with the HA client).
//
// Contract for implementers (keep it this small):
// - `load()` yields every stored point once, when the store opens. It may be async (an async generator over a
//   SOW query). Points for the same subId: the last one wins.
// - `update(point)` replaces the subscription's stored point. Called after the point changes (conflated when the
//   store has `conflateMs`), never concurrently for the same subId (the store waits for the previous update of
//   that subId before issuing the next, and skips values already written). Errors are reported to the store's
//   `onError` and do not reach the message path; the next change retries with the newer value.
// - `purge(subId?)` forgets one subscription or all; `close()` releases resources (the store flushes pending
//   updates first). Must not use the Client whose subscriptions it stores (it would deadlock resubscription).

import { EPOCH } from '../wire/bookmark.js';
import { MemoryBookmarkStore } from './memory-bookmark-store.js';
import { defaultStoreLogger, type StoreLogger } from './types.js';

const PURGE_ALL = '\u0000purge-all';

export interface RecoveryPoint {
  readonly subId: string;
  /** A bookmark list as returned by `getMostRecent` (`0` = EPOCH). */
  readonly bookmark: string;
}

export interface RecoveryPointAdapter {
  load(): Iterable<RecoveryPoint> | AsyncIterable<RecoveryPoint>;
  update(point: RecoveryPoint): void | Promise<void>;
  purge(subId?: string): void | Promise<void>;
  close(): void | Promise<void>;
}

/** Adapter that keeps points in a Map: a reference implementation, and for tests. */
export class MemoryRecoveryPointAdapter implements RecoveryPointAdapter {
  readonly points = new Map<string, string>();
  updates = 0;
  closed = false;

  constructor(initial: Iterable<RecoveryPoint> = []) {
    for (const p of initial) this.points.set(p.subId, p.bookmark);
  }

  *load(): Iterable<RecoveryPoint> {
    for (const [subId, bookmark] of this.points) yield { subId, bookmark };
  }

  update(point: RecoveryPoint): void {
    this.updates++;
    this.points.set(point.subId, point.bookmark);
  }

  purge(subId?: string): void {
    if (subId === undefined) this.points.clear();
    else this.points.delete(subId);
  }

  close(): void {
    this.closed = true;
  }
}

export interface RecoveryPointBookmarkStoreOptions {
  /** Write each subscription's point at most once per this many ms (0 = after every change). Default 0. */
  readonly conflateMs?: number;
  /** Adapter failures (load errors are thrown from `open`). Default: a warning through `logger`. */
  readonly onError?: (error: unknown, point: RecoveryPoint) => void;
  readonly logger?: StoreLogger;
}

/**
 * A memory bookmark store whose recovery points are persisted through an adapter: on open, each stored point
 * seeds its subscription (dedupe and MOST_RECENT honour it); afterwards every change of a subscription's point
 * (discard, persisted ack, purge) is written through `adapter.update`.
 */
export class RecoveryPointBookmarkStore extends MemoryBookmarkStore {
  private readonly adapter: RecoveryPointAdapter;
  private readonly conflateMs: number;
  private readonly onError: (error: unknown, point: RecoveryPoint) => void;
  private readonly written = new Map<string, string>();
  private readonly dirty = new Set<string>();
  private readonly inFlight = new Map<string, Promise<void>>();
  private timer: NodeJS.Timeout | undefined;

  private constructor(adapter: RecoveryPointAdapter, options: RecoveryPointBookmarkStoreOptions) {
    super();
    this.adapter = adapter;
    this.conflateMs = options.conflateMs ?? 0;
    const logger = options.logger ?? defaultStoreLogger;
    this.onError =
      options.onError ??
      ((e, p) => logger.warn(`recovery point update for ${p.subId} failed: ${e instanceof Error ? e.message : String(e)}`));
  }

  /** Loads the adapter's points and returns the store. */
  static async open(
    adapter: RecoveryPointAdapter,
    options: RecoveryPointBookmarkStoreOptions = {},
  ): Promise<RecoveryPointBookmarkStore> {
    const store = new RecoveryPointBookmarkStore(adapter, options);
    const points = new Map<string, string>();
    for await (const p of adapter.load() as AsyncIterable<RecoveryPoint>) points.set(p.subId, p.bookmark);
    for (const [subId, bookmark] of points) {
      store.state(subId).seedFrom(bookmark);
      store.written.set(subId, bookmark);
    }
    return store;
  }

  override purge(subId?: string): void {
    super.purge(subId);
    if (subId === undefined) {
      this.written.clear();
      this.dirty.clear();
    } else {
      this.written.delete(subId);
      this.dirty.delete(subId);
    }
    // After any update still running for that subscription (or for any, on a full purge), so a stale point
    // cannot land after the purge.
    const before = subId === undefined ? Promise.all(this.inFlight.values()) : (this.inFlight.get(subId) ?? Promise.resolve());
    const point = { subId: subId ?? '', bookmark: EPOCH };
    this.track(subId ?? PURGE_ALL, before.then(() => this.adapter.purge(subId)), point);
  }

  /** Writes every changed point now; resolves when the adapter has finished. */
  async flush(): Promise<void> {
    for (const subId of [...this.dirty]) this.push(subId);
    this.dirty.clear();
    await Promise.all(this.inFlight.values());
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.flush();
    await super.close();
    await this.adapter.close();
  }

  protected override onDiscard(subId: string): void {
    this.changed(subId);
  }

  protected override onPersisted(subId: string): void {
    this.changed(subId);
  }

  private changed(subId: string): void {
    if (this.closed) return;
    if (this.conflateMs <= 0) {
      this.push(subId);
      return;
    }
    this.dirty.add(subId);
    if (!this.timer) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        for (const id of [...this.dirty]) this.push(id);
        this.dirty.clear();
      }, this.conflateMs);
      this.timer.unref();
    }
  }

  /** Issues an update for the subscription's current point, after any update still running for it. */
  private push(subId: string): void {
    const bookmark = this.getMostRecent(subId);
    if (this.written.get(subId) === bookmark) return;
    this.written.set(subId, bookmark);
    const point = { subId, bookmark };
    const previous = this.inFlight.get(subId) ?? Promise.resolve();
    const next = previous.then(() => {
      // A newer value may have been queued behind this one: only write what is still current.
      if (this.written.get(subId) !== bookmark) return;
      return this.adapter.update(point);
    });
    this.track(subId, next, point);
  }

  private track(key: string, p: Promise<unknown>, point: RecoveryPoint): void {
    const settled: Promise<void> = p.then(
      () => undefined,
      (e: unknown) => {
        if (key !== PURGE_ALL && this.written.get(point.subId) === point.bookmark) {
          // Not written: retry with whatever is current at the next change, conflation tick or flush().
          this.written.delete(point.subId);
          this.dirty.add(point.subId);
        }
        this.onError(e, point);
      },
    );
    this.inFlight.set(key, settled);
    void settled.then(() => {
      if (this.inFlight.get(key) === settled) this.inFlight.delete(key);
    });
  }
}
