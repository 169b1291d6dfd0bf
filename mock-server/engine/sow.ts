// State of the World store (semantics §3): keyed last-value records per topic, queries, deletes, expiration.
import type { Clock } from './clock.js';
import { Doc, type MessageType } from './message.js';
import type { CompiledFilter } from './filter/index.js';
import type { TopicMatcher } from './topic.js';

export interface SowTopicConfig {
  readonly topic: string;
  /** Key fields (`/id`, `/a/b`). Omitted or empty → the topic uses user-supplied keys (`k` on publish). */
  readonly keys?: readonly string[];
  /** Key domain for generated SowKeys (default: the topic name). */
  readonly keyDomain?: string;
  /** Expiration enabled with this default (seconds; 0 = never). Undefined → expiration disabled, `e` ignored. */
  readonly expiration?: number;
  readonly messageType?: MessageType;
}

export interface SowRecord {
  readonly topic: string;
  /** Decimal digits of an unsigned 64-bit key (generated) or the user-supplied key verbatim. */
  readonly sowKey: string;
  readonly doc: Doc;
  /** Server time (ms) of the last insert/update. */
  readonly timestamp: number;
  /** Absolute expiry time (ms), when the record expires. */
  readonly expiresAt?: number;
  readonly correlationId?: string;
  /** Bookmark of the txlog entry that produced this state, if logged. */
  readonly bookmark?: string;
  /** Store-wide ordinal of the last write (stable default order). */
  readonly version: number;
}

export interface SowPublishInput {
  readonly topic: string;
  readonly data: Uint8Array | Doc;
  /** User-supplied SowKey (`k`); required on user-key topics, ignored when key fields are configured. */
  readonly sowKey?: string;
  /** Per-message expiration `e` in seconds (only if the topic has expiration enabled; 0 = never). */
  readonly expiration?: number;
  readonly correlationId?: string;
  readonly bookmark?: string;
  /** delta_publish: merge into the existing record (JSON). */
  readonly delta?: boolean;
}

export type SowPublishResult =
  /** The topic has no SOW: nothing stored (deliver the message as is). */
  | { readonly kind: 'no-sow'; readonly doc: Doc }
  /** A key field is missing (UNCERTAIN real behaviour): not stored, deliver the message as is. */
  | { readonly kind: 'no-key'; readonly doc: Doc }
  | { readonly kind: 'inserted'; readonly record: SowRecord; readonly doc: Doc }
  /** `doc` is the stored state (for a delta_publish: the merged record, which subscribers receive). */
  | { readonly kind: 'updated'; readonly record: SowRecord; readonly previous: SowRecord; readonly doc: Doc };

export interface SowQueryOptions {
  readonly filter?: CompiledFilter;
  /** `/a DESC, /b` text or a compiled OrderBy. */
  readonly orderBy?: string | OrderBy;
  readonly topN?: number;
  readonly skipN?: number;
  /** Restrict to these SowKeys. */
  readonly sowKeys?: readonly string[];
}

export interface SowQueryResult {
  readonly records: SowRecord[];
  /** Records that matched topic + filter (before top_n/skip_n). */
  readonly matches: number;
  /** Records examined across matching topics. */
  readonly topicMatches: number;
}

export interface SowDeleteResult {
  readonly deleted: SowRecord[];
  readonly matches: number;
  readonly topicMatches: number;
}

/** A compiled `orderby`: a comparator over records. */
export interface OrderBy {
  readonly text: string;
  compare(a: SowRecord, b: SowRecord): number;
}

/** Parses `/a DESC, /b ASC, /c TEXT`; throws EngineError `invalid order by`. */
export function compileOrderBy(text: string): OrderBy {
  void text;
  throw new Error('not implemented');
}

/** Splits query results into batches of `batchSize` (server default 1). */
export function sliceBatches<T>(records: readonly T[], batchSize = 1): T[][] {
  void records;
  void batchSize;
  throw new Error('not implemented');
}

/** Parses a `sow_keys` header (comma list). */
export function parseSowKeys(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

export class SowStore {
  constructor(opts: { clock?: Clock; topics?: readonly SowTopicConfig[] } = {}) {
    void opts;
  }
  /** Declares a SOW topic (idempotent for the same config). */
  addTopic(config: SowTopicConfig): void {
    void config;
    throw new Error('not implemented');
  }
  hasTopic(topic: string): boolean {
    void topic;
    throw new Error('not implemented');
  }
  topicConfig(topic: string): SowTopicConfig | undefined {
    void topic;
    throw new Error('not implemented');
  }
  /** Configured SOW topic names. */
  topics(): string[] {
    throw new Error('not implemented');
  }
  /** The SowKey a message would get on `topic` (undefined: no SOW or missing key field / user key). */
  computeKey(topic: string, doc: Doc, userKey?: string): string | undefined {
    void topic;
    void doc;
    void userKey;
    throw new Error('not implemented');
  }
  /** publish / delta_publish upsert. */
  publish(input: SowPublishInput): SowPublishResult {
    void input;
    throw new Error('not implemented');
  }
  get(topic: string, sowKey: string): SowRecord | undefined {
    void topic;
    void sowKey;
    throw new Error('not implemented');
  }
  /** Number of records on a topic. */
  size(topic: string): number {
    void topic;
    throw new Error('not implemented');
  }
  /** Query every SOW topic the matcher accepts (a string = exact topic). Expired records are purged first. */
  query(topic: TopicMatcher | string, opts: SowQueryOptions = {}): SowQueryResult {
    void topic;
    void opts;
    throw new Error('not implemented');
  }
  /** sow_delete with a filter (undefined filter = delete all). Returns the removed records. */
  deleteByFilter(topic: TopicMatcher | string, filter?: CompiledFilter): SowDeleteResult {
    void topic;
    void filter;
    throw new Error('not implemented');
  }
  /** sow_delete with `sow_keys`. */
  deleteByKeys(topic: TopicMatcher | string, keys: readonly string[]): SowDeleteResult {
    void topic;
    void keys;
    throw new Error('not implemented');
  }
  /** sow_delete by data: the key is computed from the message (or `sowKey` on user-key topics). */
  deleteByData(topic: string, data: Uint8Array | Doc, sowKey?: string): SowDeleteResult {
    void topic;
    void data;
    void sowKey;
    throw new Error('not implemented');
  }
  /** Removes every record whose expiry ≤ now; returns them (each should produce OOF `expired`). */
  expire(now?: number): SowRecord[] {
    void now;
    throw new Error('not implemented');
  }
  /** Earliest pending expiry (ms), for the server's timer. */
  nextExpiry(): number | undefined {
    throw new Error('not implemented');
  }
}
