// File-backed publish store: an append-only record log (see record-log.ts for the framing) plus an in-memory
// copy of the unpersisted messages for replay.
//
// File: magic `AMPSPS01`, then records (`[len u32 BE][crc32 u32 BE][type u8][body]`):
//   type 1 STORE    body = [sequence u64 BE][header length u32 BE][header JSON, UTF-8][message body bytes]
//   type 2 DISCARD  body = [sequence u64 BE]      everything <= sequence is persisted (discardUpTo marker)
//   type 3 META     body = [last sequence u64 BE] written by compaction so an emptied store keeps its counter
// The header JSON holds the header's own properties; bigint values (the `sequence`) are written as
// `{"$bigint":"<digits>"}` and restored as bigint.
//
// Crash safety: each STORE/DISCARD is one write(2) made before store()/discardUpTo() returns, so after the
// process is killed, reopening the same file replays every message store() returned for, with its original
// sequence (plus the fsync mode's guarantee for OS crashes). A torn or corrupt tail is cut with a warning.
// Compaction: when the bytes of discarded records exceed both `compactMinBytes` and the bytes still live, the
// file is rewritten as META + DISCARD + the live STORE records (temp file + rename).

import { BasePublishStore, type PublishStoreOptions } from './publish-store.js';
import { RecordLog, RECORD_HEADER_BYTES } from './record-log.js';
import { defaultStoreLogger, type FileStoreOptions, type Header, type StoreHeader, type StoreLogger } from './types.js';

export const PUBLISH_STORE_MAGIC = 'AMPSPS01';

const RecordType = { Store: 1, Discard: 2, Meta: 3 } as const;

export interface FilePublishStoreOptions extends PublishStoreOptions, FileStoreOptions {
  /** Compaction threshold for dead bytes. Default 4 MiB. */
  readonly compactMinBytes?: number;
}

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8', { fatal: true });

export function encodeStoredHeader(header: object): Uint8Array {
  return utf8Encoder.encode(
    JSON.stringify(header, (_k, v: unknown) => (typeof v === 'bigint' ? { $bigint: v.toString() } : v)),
  );
}

export function decodeStoredHeader<H>(bytes: Uint8Array): H {
  return JSON.parse(utf8Decoder.decode(bytes), (_k, v: unknown) => {
    if (v !== null && typeof v === 'object' && !Array.isArray(v)) {
      const keys = Object.keys(v);
      const big = (v as { $bigint?: unknown }).$bigint;
      if (keys.length === 1 && typeof big === 'string' && /^-?\d+$/.test(big)) return BigInt(big);
    }
    return v;
  }) as H;
}

function u64(value: bigint): Uint8Array {
  const b = new Uint8Array(8);
  new DataView(b.buffer).setBigUint64(0, BigInt.asUintN(64, value), false);
  return b;
}

function u32(value: number): Uint8Array {
  const b = new Uint8Array(4);
  new DataView(b.buffer).setUint32(0, value, false);
  return b;
}

export class FilePublishStore<H extends StoreHeader = Header> extends BasePublishStore<H> {
  readonly path: string;
  private readonly log: RecordLog;
  private readonly logger: StoreLogger;
  private readonly compactMinBytes: number;
  private liveDiskBytes = 0;

  /** Opens (or creates) the store file and recovers its unpersisted messages. Synchronous. */
  constructor(path: string, options: FilePublishStoreOptions = {}) {
    super(options);
    this.logger = options.logger ?? defaultStoreLogger;
    this.compactMinBytes = options.compactMinBytes ?? 4 * 1024 * 1024;
    const { log, records } = RecordLog.open(path, PUBLISH_STORE_MAGIC, options);
    this.log = log;
    this.path = log.path;
    let skipped = 0;
    for (const r of records) {
      try {
        const view = new DataView(r.body.buffer, r.body.byteOffset, r.body.byteLength);
        switch (r.type) {
          case RecordType.Store: {
            const seq = view.getBigUint64(0, false);
            const hlen = view.getUint32(8, false);
            const header = decodeStoredHeader<H>(r.body.subarray(12, 12 + hlen));
            header.sequence = seq;
            this.restoreEntry(seq, header, r.body.slice(12 + hlen), r.size);
            break;
          }
          case RecordType.Discard:
            this.restoreDiscard(view.getBigUint64(0, false));
            break;
          case RecordType.Meta:
            this.restoreLastSequence(view.getBigUint64(0, false));
            break;
          default:
            skipped++;
        }
      } catch {
        skipped++;
      }
    }
    if (skipped > 0) this.logger.warn(`publish store ${this.path}: skipped ${skipped} unreadable records`);
    for (const e of this.liveEntries()) this.liveDiskBytes += e.diskBytes;
  }

  /** Size of the store file in bytes. */
  get fileBytes(): number {
    return this.log.size;
  }

  /** Rewrites the file with only what is still needed. Runs automatically; callable when idle. */
  compact(): void {
    const live = this.liveEntries();
    const records: Array<{ type: number; parts: Uint8Array[] }> = [
      { type: RecordType.Meta, parts: [u64(this.lastSequence())] },
    ];
    if (this.lastPersisted() > 0n) records.push({ type: RecordType.Discard, parts: [u64(this.lastPersisted())] });
    for (const e of live) records.push({ type: RecordType.Store, parts: this.storeParts(e.sequence, e.header, e.body) });
    this.log.rewrite(records);
    // diskBytes of live entries is unchanged: each record was re-encoded from the same data.
  }

  protected persistStore(sequence: bigint, header: H, body: Uint8Array): number {
    const bytes = this.log.append(RecordType.Store, this.storeParts(sequence, header, body));
    this.liveDiskBytes += bytes;
    return bytes;
  }

  protected persistDiscard(sequence: bigint, freedDiskBytes: number): void {
    this.liveDiskBytes -= freedDiskBytes;
    try {
      this.log.append(RecordType.Discard, [u64(sequence)]);
    } catch (e) {
      // Losing a discard marker only means replaying messages the server already has (it drops them as
      // duplicates); failing the ack path would be worse.
      this.logger.warn(`publish store ${this.path}: could not record discard up to ${sequence}: ${e instanceof Error ? e.message : String(e)}`);
      return;
    }
    const dead = this.log.size - this.liveDiskBytes;
    if (dead > this.compactMinBytes && dead > this.liveDiskBytes) {
      try {
        this.compact();
      } catch (e) {
        // The log is still whole (compaction replaces it atomically): report and carry on appending.
        this.logger.warn(`publish store ${this.path}: compaction failed: ${e instanceof Error ? e.message : String(e)}`);
      }
    }
  }

  protected closeStorage(): void {
    this.log.close();
  }

  private storeParts(sequence: bigint, header: H, body: Uint8Array): Uint8Array[] {
    const h = encodeStoredHeader(header);
    return [u64(sequence), u32(h.byteLength), h, body];
  }
}

/** Bytes a STORE record takes for a header JSON of `headerBytes` and a body of `bodyBytes`. */
export function storeRecordBytes(headerBytes: number, bodyBytes: number): number {
  return RECORD_HEADER_BYTES + 12 + headerBytes + bodyBytes;
}
