// File-backed bookmark store: the memory store's state machine plus an append-only log of every change, replayed
// on open. After a restart, MOST_RECENT resumes after the last discarded message and messages delivered but not
// discarded before the restart are delivered again (they are not duplicates until redelivered once).
//
// File: magic `AMPSBM01`, then records `[len u32 BE][crc32 u32 BE][type u8][JSON array, UTF-8]` (framing and
// torn-tail recovery in record-log.ts):
//   1 LOG        [subId, bookmark, seqNo]     a delivered message (only when log() created an entry)
//   2 DISCARD    [subId, bookmark]
//   3 PERSISTED  [subId, bookmark]            a persisted ack's bookmark (only when it moved the point)
//   4 PURGE      [subId] | []
//   5 SNAPSHOT   [subId, SubscriptionSnapshot] a subscription's whole state (written by prune)
// Roughly 60–90 bytes per LOG/DISCARD record with a short subId. The log only grows until `prune()` rewrites it
// as one SNAPSHOT per subscription (temp file + rename); `autoPruneBytes` prunes automatically when the file
// has grown past that size and doubled since the last prune.

import { RecordLog } from './record-log.js';
import { MemoryBookmarkStore, SubscriptionState, type SubscriptionSnapshot } from './memory-bookmark-store.js';
import { defaultStoreLogger, type FileStoreOptions, type StoreLogger } from './types.js';

export const BOOKMARK_STORE_MAGIC = 'AMPSBM01';

const RecordType = { Log: 1, Discard: 2, Persisted: 3, Purge: 4, Snapshot: 5 } as const;

export interface LoggedBookmarkStoreOptions extends FileStoreOptions {
  /** Prune automatically once the file exceeds this many bytes and has doubled since the last prune. */
  readonly autoPruneBytes?: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export class LoggedBookmarkStore extends MemoryBookmarkStore {
  readonly path: string;
  private readonly file: RecordLog;
  private readonly logger: StoreLogger;
  private readonly autoPruneBytes: number | undefined;
  private sizeAfterPrune: number;
  private replaying = false;

  /** Opens (or creates) the log and replays it. Synchronous. */
  constructor(path: string, options: LoggedBookmarkStoreOptions = {}) {
    super();
    this.logger = options.logger ?? defaultStoreLogger;
    this.autoPruneBytes = options.autoPruneBytes;
    const { log, records } = RecordLog.open(path, BOOKMARK_STORE_MAGIC, options);
    this.file = log;
    this.path = log.path;
    this.replaying = true;
    let skipped = 0;
    try {
      for (const r of records) {
        try {
          this.apply(r.type, JSON.parse(utf8Decoder.decode(r.body)) as unknown[]);
        } catch {
          skipped++;
        }
      }
    } finally {
      this.replaying = false;
    }
    if (skipped > 0) this.logger.warn(`bookmark store ${this.path}: skipped ${skipped} unreadable records`);
    for (const s of this.subs.values()) s.markRecovered();
    this.sizeAfterPrune = this.file.size;
  }

  override log(subId: string, bookmark: string): number {
    const out = this.logOutcome(subId, bookmark);
    if (out.created) this.write(RecordType.Log, [subId, bookmark, out.seqNo]);
    return out.seqNo;
  }

  override purge(subId?: string): void {
    super.purge(subId);
    this.write(RecordType.Purge, subId === undefined ? [] : [subId]);
  }

  /** Rewrites the file as one SNAPSHOT record per subscription. Best called when idle (it is synchronous). */
  override prune(): void {
    const records: Array<{ type: number; parts: Uint8Array[] }> = [];
    for (const [subId, s] of this.subs) {
      if (s.isEmpty) continue;
      records.push({ type: RecordType.Snapshot, parts: [utf8Encoder.encode(JSON.stringify([subId, s.snapshot()]))] });
    }
    this.file.rewrite(records);
    this.sizeAfterPrune = this.file.size;
  }

  /** Size of the log file in bytes. */
  get fileBytes(): number {
    return this.file.size;
  }

  override async close(): Promise<void> {
    if (this.closed) return;
    await super.close();
    this.file.close();
  }

  protected override onDiscard(subId: string, bookmark: string): void {
    this.write(RecordType.Discard, [subId, bookmark]);
  }

  protected override onPersisted(subId: string, bookmark: string): void {
    this.write(RecordType.Persisted, [subId, bookmark]);
  }

  private write(type: number, fields: unknown[]): void {
    if (this.replaying) return;
    this.file.append(type, [utf8Encoder.encode(JSON.stringify(fields))]);
    if (
      this.autoPruneBytes !== undefined &&
      this.file.size > this.autoPruneBytes &&
      this.file.size > 2 * this.sizeAfterPrune
    ) {
      try {
        this.prune();
      } catch (e) {
        this.sizeAfterPrune = this.file.size; // do not retry on every record
        this.logger.warn(`bookmark store ${this.path}: prune failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  private apply(type: number, f: unknown[]): void {
    const subId = f[0];
    switch (type) {
      case RecordType.Log:
        if (typeof subId === 'string' && typeof f[1] === 'string' && typeof f[2] === 'number') {
          this.logOutcome(subId, f[1], f[2]);
          return;
        }
        break;
      case RecordType.Discard:
        if (typeof subId === 'string' && typeof f[1] === 'string') {
          this.discard(subId, f[1]);
          return;
        }
        break;
      case RecordType.Persisted:
        if (typeof subId === 'string' && typeof f[1] === 'string') {
          this.persisted(subId, f[1]);
          return;
        }
        break;
      case RecordType.Purge:
        if (subId === undefined || typeof subId === 'string') {
          super.purge(subId);
          return;
        }
        break;
      case RecordType.Snapshot:
        if (typeof subId === 'string' && typeof f[1] === 'object' && f[1] !== null) {
          this.subs.set(subId, SubscriptionState.fromSnapshot(f[1] as SubscriptionSnapshot));
          return;
        }
        break;
    }
    throw new Error('unreadable record');
  }
}
