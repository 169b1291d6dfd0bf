// Transaction log (semantics §6): bookmarks, duplicate detection, replay, optional on-disk persistence.
import * as fs from 'node:fs';
import * as path from 'node:path';
import {
  EPOCH,
  NOW,
  clientNameHash,
  formatBookmark,
  isTimestampBookmark,
  parseBookmark,
  parseBookmarkRange,
  splitBookmarkList,
  timestampBookmarkToMillis,
} from '../../runtime/wire/bookmark.js';
import { systemClock, type Clock } from './clock.js';
import { EngineError, EngineReasons } from './errors.js';
import type { CompiledFilter } from './filter/index.js';
import { Doc, type MessageType } from './message.js';
import { asTopicMatcher, type TopicMatcher } from './topic.js';

export type LoggedCommand = 'publish' | 'delta_publish' | 'sow_delete';

export interface TxEntry {
  /** 0-based position in the log. */
  readonly index: number;
  /** `<clientNameHash>|<seq>|`. */
  readonly bookmark: string;
  readonly publisher: string;
  /** Sequence part of the bookmark (the publisher's `s`, or a server-assigned increasing number). */
  readonly sequence: bigint;
  readonly clientName: string;
  /** The `s` the client sent, if any. */
  readonly clientSequence?: bigint;
  readonly command: LoggedCommand;
  readonly topic: string;
  readonly doc: Doc;
  /** Server time (ms) when logged (monotonic non-decreasing). */
  readonly timestamp: number;
  readonly sowKey?: string;
  readonly correlationId?: string;
  readonly expiration?: number;
  /**
   * Absolute expiry deadline (ms) of the SOW record this entry wrote; 0 = the record never expires. Absent when
   * the entry did not write an expiring SOW topic, and on entries logged before this field existed.
   */
  readonly expiresAt?: number;
}

export interface AppendInput {
  readonly clientName: string;
  /** The publish's `s`; absent → the server assigns the next bookmark sequence for this publisher. */
  readonly sequence?: bigint;
  readonly topic: string;
  readonly data: Uint8Array | Doc;
  readonly messageType?: MessageType;
  readonly command?: LoggedCommand;
  readonly sowKey?: string;
  readonly correlationId?: string;
  readonly expiration?: number;
  /** Absolute expiry deadline (ms, 0 = never) of the SOW record written (SOW topics with expiration only). */
  readonly expiresAt?: number;
}

/**
 * A SOW change on a topic the transaction log does not cover (no bookmark, never replayed): written to the same
 * file so the SOW of every topic survives a restart, as AMPS persists its SOW independently of its txlog.
 */
export interface SowJournalInput {
  readonly kind: 'sow_put' | 'sow_remove';
  readonly topic: string;
  readonly sowKey: string;
  /** sow_put: the stored record; sow_remove: the removed record (kept for diagnosis). */
  readonly data: Uint8Array | Doc;
  readonly messageType?: MessageType;
  readonly correlationId?: string;
  /** sow_put: absolute deadline (ms, 0 = never) on topics with expiration. */
  readonly expiresAt?: number;
}

export interface SowJournalRecord extends Omit<SowJournalInput, 'data' | 'messageType'> {
  readonly doc: Doc;
  /** Server time (ms) of the change. */
  readonly timestamp: number;
  /** Number of log entries written before it (it comes after entry `position - 1` in file order). */
  readonly position: number;
}

export type AppendResult =
  | { readonly duplicate: false; readonly entry: TxEntry }
  /** (client name, s) already seen: drop the message; `lastSequence` is the highest s seen for the name. */
  | { readonly duplicate: true; readonly lastSequence: bigint };

export interface ReplayOptions {
  /** Topic of the subscription (string = exact). Undefined: all topics. */
  readonly topic?: TopicMatcher | string;
  readonly filter?: CompiledFilter;
  /** `bookmark_not_found` option: default `now`; `fail` throws EngineError `invalid bookmark`. */
  readonly notFound?: 'now' | 'epoch' | 'fail';
}

/** What to do with a live entry (appended after the plan was made) for a bookmark subscription. */
export type LiveDecision =
  /** Deliver it normally. */
  | 'deliver'
  /** Deliver it, then send `completed` and end the subscription (inclusive range end reached). */
  | 'deliver-and-complete'
  /** Do not deliver; send `completed` and end the subscription (past the range end). */
  | 'complete';

export interface ReplayPlan {
  /** Log index of the first entry after the start point (replay covers [startIndex, end of log)). */
  readonly startIndex: number;
  /** Matching publish/delta_publish entries to replay now, in log order (already bounded by a range end). */
  readonly messages: TxEntry[];
  /** A range whose end was reached during replay: send `completed` and do not go live. */
  readonly completed: boolean;
  /** True when no listed bookmark was found (the plan then starts per `notFound`, default NOW). */
  readonly notFound: boolean;
  /** Range end time (ms), when the end is a timestamp in the future: the server may complete at that time. */
  readonly endTime?: number;
  /** Range handling for live entries (always 'deliver' without a range). */
  live(entry: TxEntry): LiveDecision;
  /** Compatibility: `live(entry) !== 'complete'`. */
  inRange(entry: TxEntry): boolean;
}

export interface TransactionLogOptions {
  readonly clock?: Clock;
  /** Directory for the on-disk log; undefined = memory only. */
  readonly dataDir?: string;
  /** File name inside dataDir (default `txlog.dat`). */
  readonly fileName?: string;
}

interface PublisherState {
  readonly hash: string;
  lastClientSeq: bigint;
  lastBookmarkSeq: bigint;
  lastBookmark?: string;
}

interface StoredMeta {
  c: LoggedCommand | SowJournalInput['kind'] | 'client_seq';
  t: string;
  n: string;
  q: string;
  ts: number;
  s?: string;
  k?: string;
  x?: string;
  e?: number;
  /** Absolute SOW expiry deadline in ms (0 = never); optional, so files written before it still load. */
  ea?: number;
  mt?: string;
}

const CRC_TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

/** CRC-32 (IEEE) of a byte range. */
export function crc32(buf: Uint8Array, start = 0, end = buf.length): number {
  let c = 0xffffffff;
  for (let i = start; i < end; i++) c = CRC_TABLE[(c ^ buf[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
/** Record layout: u32 payload length, u32 CRC-32 of payload, payload = u32 meta length, meta JSON, body. */
const RECORD_HEADER = 8;

function encodeRecord(meta: StoredMeta, data: Uint8Array): Buffer {
  const m = encoder.encode(JSON.stringify(meta));
  const payloadLen = 4 + m.length + data.length;
  const buf = Buffer.allocUnsafe(RECORD_HEADER + payloadLen);
  buf.writeUInt32LE(payloadLen, 0);
  buf.writeUInt32LE(m.length, 8);
  buf.set(m, 12);
  buf.set(data, 12 + m.length);
  buf.writeUInt32LE(crc32(buf, 8, buf.length), 4);
  return buf;
}

export class TransactionLog {
  private readonly clock: Clock;
  private readonly entries: TxEntry[] = [];
  private readonly byBookmark = new Map<string, number>();
  private readonly publishers = new Map<string, PublisherState>();
  /** Per publisher hash: its entries' sequences (ascending) and log indexes. */
  private readonly byPublisher = new Map<string, { seqs: bigint[]; idx: number[] }>();
  private lastTs = 0;
  private fd: number | undefined;
  private journalRecords: SowJournalRecord[] = [];
  /** Path of the log file, when persistent. */
  readonly file: string | undefined;
  /** Bytes dropped from a torn/corrupt tail on reload (0 when the file was clean). */
  readonly truncatedBytes: number = 0;

  /** Opens (and, with a dataDir, reloads) a log. A torn or corrupt tail record is dropped and truncated. */
  constructor(opts: TransactionLogOptions = {}) {
    this.clock = opts.clock ?? systemClock;
    if (opts.dataDir !== undefined) {
      fs.mkdirSync(opts.dataDir, { recursive: true });
      this.file = path.join(opts.dataDir, opts.fileName ?? 'txlog.dat');
      this.truncatedBytes = this.reload(this.file);
      this.fd = fs.openSync(this.file, 'a');
    }
  }

  private reload(file: string): number {
    let buf: Buffer;
    try {
      buf = fs.readFileSync(file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return 0;
      throw e;
    }
    let off = 0;
    while (off + RECORD_HEADER <= buf.length) {
      const len = buf.readUInt32LE(off);
      const end = off + RECORD_HEADER + len;
      if (len < 4 || end > buf.length) break;
      if (crc32(buf, off + RECORD_HEADER, end) !== buf.readUInt32LE(off + 4)) break;
      const metaLen = buf.readUInt32LE(off + 8);
      if (12 + metaLen > RECORD_HEADER + len) break;
      let meta: StoredMeta;
      try {
        meta = JSON.parse(decoder.decode(buf.subarray(off + 12, off + 12 + metaLen))) as StoredMeta;
      } catch {
        break;
      }
      const data = new Uint8Array(buf.subarray(off + 12 + metaLen, end));
      if (meta.c === 'sow_put' || meta.c === 'sow_remove') this.addJournal(meta, data);
      else if (meta.c === 'client_seq') {
        if (typeof meta.n === 'string' && typeof meta.s === 'string' && /^\d+$/.test(meta.s)) this.raiseClientSeq(meta.n, BigInt(meta.s));
      } else this.addEntry(meta, data);
      off = end;
    }
    const dropped = buf.length - off;
    if (dropped > 0) fs.truncateSync(file, off);
    return dropped;
  }

  private publisher(name: string): PublisherState {
    let p = this.publishers.get(name);
    if (!p) this.publishers.set(name, (p = { hash: clientNameHash(name), lastClientSeq: 0n, lastBookmarkSeq: 0n }));
    return p;
  }

  private addJournal(meta: StoredMeta, data: Uint8Array): void {
    if (typeof meta.k !== 'string' || typeof meta.t !== 'string' || typeof meta.ts !== 'number') return; // unusable
    this.journalRecords.push({
      kind: meta.c as SowJournalInput['kind'],
      topic: meta.t,
      sowKey: meta.k,
      doc: new Doc(data, meta.mt ?? 'json'),
      timestamp: meta.ts,
      position: this.entries.length,
      ...(meta.x !== undefined ? { correlationId: meta.x } : {}),
      ...(typeof meta.ea === 'number' && Number.isFinite(meta.ea) ? { expiresAt: meta.ea } : {}),
    });
  }

  /**
   * Records a SOW change on a topic outside the transaction log (see SowJournalInput). Memory-only logs keep
   * nothing (there is nothing to rebuild); persistent ones write it to the file, after the current entries.
   */
  journal(input: SowJournalInput): void {
    if (this.fd === undefined) return;
    const doc = input.data instanceof Doc ? input.data : new Doc(input.data, input.messageType ?? 'json');
    const meta = {
      c: input.kind,
      t: input.topic,
      k: input.sowKey,
      ts: Math.max(this.lastTs, this.clock.now()),
      ...(input.correlationId !== undefined ? { x: input.correlationId } : {}),
      ...(input.expiresAt !== undefined ? { ea: input.expiresAt } : {}),
      ...(doc.messageType !== 'json' ? { mt: doc.messageType } : {}),
    } as StoredMeta;
    fs.writeSync(this.fd, encodeRecord(meta, doc.data));
  }

  private raiseClientSeq(clientName: string, sequence: bigint): boolean {
    const p = this.publisher(clientName);
    if (sequence <= p.lastClientSeq) return false;
    p.lastClientSeq = sequence;
    return true;
  }

  /**
   * A client's `s` consumed by a command that is not logged as an entry of that client (a sow_delete): raises
   * `lastSequence(clientName)` (so the logon ack's `s` covers it after a restart) and, on disk, writes a
   * `client_seq` record (no bookmark, not an entry).
   */
  noteClientSequence(clientName: string, sequence: bigint): void {
    if (!this.raiseClientSeq(clientName, sequence) || this.fd === undefined) return;
    const meta = { c: 'client_seq', n: clientName, s: sequence.toString(), ts: Math.max(this.lastTs, this.clock.now()) } as StoredMeta;
    fs.writeSync(this.fd, encodeRecord(meta, new Uint8Array(0)));
  }

  /** The SOW journal records read from the file at open (in file order); hands them over once, then forgets them. */
  takeSowJournal(): SowJournalRecord[] {
    const out = this.journalRecords;
    this.journalRecords = [];
    return out;
  }

  private addEntry(meta: StoredMeta, data: Uint8Array | Doc): TxEntry {
    const p = this.publisher(meta.n);
    const seq = BigInt(meta.q);
    const bookmark = formatBookmark(p.hash, seq);
    const clientSeq = meta.s !== undefined ? BigInt(meta.s) : undefined;
    if (clientSeq !== undefined && clientSeq > p.lastClientSeq) p.lastClientSeq = clientSeq;
    if (seq > p.lastBookmarkSeq) p.lastBookmarkSeq = seq;
    p.lastBookmark = bookmark;
    if (meta.ts > this.lastTs) this.lastTs = meta.ts;
    const doc = data instanceof Doc ? data : new Doc(data, meta.mt ?? 'json');
    const entry: TxEntry = {
      index: this.entries.length,
      bookmark,
      publisher: p.hash,
      sequence: seq,
      clientName: meta.n,
      ...(clientSeq !== undefined ? { clientSequence: clientSeq } : {}),
      command: meta.c as LoggedCommand,
      topic: meta.t,
      doc,
      timestamp: meta.ts,
      ...(meta.k !== undefined ? { sowKey: meta.k } : {}),
      ...(meta.x !== undefined ? { correlationId: meta.x } : {}),
      ...(meta.e !== undefined ? { expiration: meta.e } : {}),
      ...(typeof meta.ea === 'number' && Number.isFinite(meta.ea) ? { expiresAt: meta.ea } : {}),
    };
    this.entries.push(entry);
    this.byBookmark.set(bookmark, entry.index);
    let bp = this.byPublisher.get(p.hash);
    if (!bp) this.byPublisher.set(p.hash, (bp = { seqs: [], idx: [] }));
    bp.seqs.push(seq);
    bp.idx.push(entry.index);
    return entry;
  }

  /** True when (client name, s) was already logged: the publish must be dropped (and acked `duplicate`). */
  isDuplicate(clientName: string, sequence: bigint | undefined): boolean {
    if (sequence === undefined) return false;
    const p = this.publishers.get(clientName);
    return p !== undefined && sequence <= p.lastClientSeq;
  }

  /**
   * Logs a message. Append what subscribers receive (for a delta_publish on a SOW topic: the merged record);
   * call `isDuplicate` first when the SOW update must be skipped for duplicates.
   */
  append(input: AppendInput): AppendResult {
    const p = this.publisher(input.clientName);
    if (input.sequence !== undefined && input.sequence <= p.lastClientSeq) {
      return { duplicate: true, lastSequence: p.lastClientSeq };
    }
    const seq = input.sequence !== undefined && input.sequence > p.lastBookmarkSeq ? input.sequence : p.lastBookmarkSeq + 1n;
    const ts = Math.max(this.lastTs, this.clock.now());
    const doc = input.data instanceof Doc ? input.data : new Doc(input.data, input.messageType ?? 'json');
    const meta: StoredMeta = {
      c: input.command ?? 'publish',
      t: input.topic,
      n: input.clientName,
      q: seq.toString(),
      ts,
      ...(input.sequence !== undefined ? { s: input.sequence.toString() } : {}),
      ...(input.sowKey !== undefined ? { k: input.sowKey } : {}),
      ...(input.correlationId !== undefined ? { x: input.correlationId } : {}),
      ...(input.expiration !== undefined ? { e: input.expiration } : {}),
      ...(input.expiresAt !== undefined ? { ea: input.expiresAt } : {}),
      ...(doc.messageType !== 'json' ? { mt: doc.messageType } : {}),
    };
    if (this.fd !== undefined) fs.writeSync(this.fd, encodeRecord(meta, doc.data));
    return { duplicate: false, entry: this.addEntry(meta, doc) };
  }
  /** Highest client `s` seen for this client name (0n if none): the logon ack's `s`. */
  lastSequence(clientName: string): bigint {
    return this.publishers.get(clientName)?.lastClientSeq ?? 0n;
  }
  /** Bookmark of the last message from this client name (for the logon ack's `bm`), or undefined. */
  lastBookmark(clientName: string): string | undefined {
    return this.publishers.get(clientName)?.lastBookmark;
  }
  /** Bookmark of the newest entry in the log, or undefined when empty. */
  get lastLogBookmark(): string | undefined {
    return this.entries[this.entries.length - 1]?.bookmark;
  }
  get size(): number {
    return this.entries.length;
  }
  at(index: number): TxEntry | undefined {
    return this.entries[index];
  }
  /** Entry for one exact `pub|seq|` bookmark. */
  find(bookmark: string): TxEntry | undefined {
    const i = this.byBookmark.get(bookmark);
    return i === undefined ? undefined : this.entries[i];
  }
  /** Index of the first entry with timestamp ≥ t (or > t when `strict`). */
  private firstAtOrAfter(t: number, strict: boolean): number {
    let lo = 0;
    let hi = this.entries.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      const ts = this.entries[mid]!.timestamp;
      if (strict ? ts > t : ts >= t) hi = mid;
      else lo = mid + 1;
    }
    return lo;
  }
  /**
   * First index to deliver for one start item, or undefined when not found. `inclusive`: a range opened with `[`
   * (undefined outside ranges: bookmarks exclusive, timestamps at-or-after).
   */
  private startOf(item: string, inclusive: boolean | undefined): number | undefined {
    if (item === EPOCH) return 0;
    if (item === NOW) return this.entries.length;
    if (isTimestampBookmark(item)) {
      const t = timestampBookmarkToMillis(item);
      return t === undefined ? undefined : this.firstAtOrAfter(t, inclusive === false);
    }
    const id = parseBookmark(item);
    if (!id) return undefined;
    const i = this.byBookmark.get(item);
    if (i !== undefined) return inclusive ? i : i + 1;
    // Not logged here verbatim (e.g. after failover), but the publisher is known: resume after the last entry of
    // that publisher with a sequence ≤ the requested one; beyond its newest entry it is unknown (→ NOW by default).
    // INFERRED: AMPS documents only the exact-match and unknown cases.
    const bp = this.byPublisher.get(id.publisher);
    if (!bp || id.sequence > bp.seqs[bp.seqs.length - 1]!) return undefined; // beyond what we logged: unknown
    let lo = 0;
    let hi = bp.seqs.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (bp.seqs[mid]! <= id.sequence) lo = mid + 1;
      else hi = mid;
    }
    return lo === 0 ? bp.idx[0]! : bp.idx[lo - 1]! + 1;
  }

  /**
   * Plans a bookmark subscription: EPOCH `0`, NOW `0|1|`, `pub|seq|` (exclusive), a comma list (earliest found),
   * a timestamp (first entry at/after), a range `[a:b]` / `(a:b)`. Unknown bookmark → NOW (or per notFound).
   * Throws EngineError `invalid bookmark` when notFound is `fail` and nothing was found.
   */
  replay(bookmark: string, opts: ReplayOptions = {}): ReplayPlan {
    const text = bookmark.trim();
    const range = parseBookmarkRange(text);
    const startText = range ? range.start : text;
    const startInclusive = range ? range.startInclusive : undefined;
    let start: number | undefined;
    for (const item of splitBookmarkList(startText)) {
      const s = this.startOf(item, startInclusive);
      if (s !== undefined && (start === undefined || s < start)) start = s;
    }
    if (startText === '') start = range ? 0 : this.entries.length;
    const notFound = start === undefined;
    if (start === undefined) {
      const policy = opts.notFound ?? 'now';
      if (policy === 'fail') throw new EngineError(EngineReasons.invalidBookmark, `bookmark not found: ${bookmark}`);
      start = policy === 'epoch' ? 0 : this.entries.length;
    }

    // Range end: `last` = last index to deliver (bookmark end), or endTime (timestamp end).
    let last = Infinity;
    let endTime: number | undefined;
    let endBookmark: string | undefined;
    let endInclusive = true;
    if (range && range.end !== '') {
      endInclusive = range.endInclusive;
      if (isTimestampBookmark(range.end)) {
        const t = timestampBookmarkToMillis(range.end)!;
        endTime = endInclusive ? t : t - 0.001;
      } else if (range.end === NOW) {
        endTime = this.clock.now();
      } else {
        endBookmark = range.end;
        const i = this.byBookmark.get(range.end);
        if (i !== undefined) last = endInclusive ? i : i - 1;
      }
    }

    const topic = opts.topic === undefined ? undefined : asTopicMatcher(opts.topic);
    const filter = opts.filter;
    const messages: TxEntry[] = [];
    const n = this.entries.length;
    let completed = false;
    for (let i = start; i < n; i++) {
      const e = this.entries[i]!;
      if (i > last || (endTime !== undefined && e.timestamp > endTime)) {
        completed = true;
        break;
      }
      if (e.command === 'sow_delete') continue;
      if (topic && !topic.matches(e.topic)) continue;
      if (filter && !filter.matches(e.doc)) continue;
      messages.push(e);
    }
    if (last !== Infinity) completed = true;
    if (endTime !== undefined && endTime <= Math.max(this.lastTs, this.clock.now())) completed = true;

    const live = (entry: TxEntry): LiveDecision => {
      if (completed) return 'complete';
      if (endTime !== undefined && entry.timestamp > endTime) return 'complete';
      if (endBookmark !== undefined && entry.bookmark === endBookmark) return endInclusive ? 'deliver-and-complete' : 'complete';
      return 'deliver';
    };
    return {
      startIndex: start,
      messages,
      completed,
      notFound,
      ...(endTime !== undefined && !completed ? { endTime } : {}),
      live,
      inRange: (entry) => live(entry) !== 'complete',
    };
  }
  /** Closes the file (if any). */
  close(): void {
    if (this.fd !== undefined) {
      fs.closeSync(this.fd);
      this.fd = undefined;
    }
  }
}
