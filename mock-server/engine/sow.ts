// State of the World store (semantics §3): keyed last-value records per topic, queries, deletes, expiration.
import { TimeHeap } from './time-heap.js';
import { systemClock, type Clock } from './clock.js';
import { mergeDelta } from './delta.js';
import { EngineError, EngineReasons } from './errors.js';
import type { CompiledFilter } from './filter/index.js';
import { Doc, parsePath, readPath, type MessageType, type PathStep } from './message.js';
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
  /**
   * Absolute expiry deadline (ms; 0 = never), overriding `expiration` (only if the topic has expiration enabled).
   * Used when the SOW is rebuilt from disk: a record keeps the deadline it was given when it was written.
   */
  readonly expiresAt?: number;
  /** Server time (ms) of the write (default: the clock's now). Used when rebuilding from disk. */
  readonly timestamp?: number;
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
  /** Sorts a copy (stable; keys extracted once per record); with `limit`, returns only the first `limit`. */
  sort?(records: readonly SowRecord[], limit?: number): SowRecord[];
}

/** Parses `/a DESC, /b ASC, /c TEXT`; throws EngineError `invalid order by`. */
export function compileOrderBy(text: string): OrderBy {
  const items: { path: PathStep[]; desc: boolean; text: boolean }[] = [];
  const bad = (why: string) => new EngineError(EngineReasons.invalidOrderBy, `invalid order by "${text}": ${why}`);
  for (const part of splitTopLevel(text)) {
    const words = part.trim().split(/\s+/).filter((w) => w.length > 0);
    if (words.length === 0) throw bad('empty item');
    const path = parsePath(words[0]!);
    if (!path) throw bad(`"${words[0]}" is not a field path`);
    let desc = false;
    let asText = false;
    for (const w of words.slice(1)) {
      const u = w.toUpperCase();
      if (u === 'DESC') desc = true;
      else if (u === 'ASC') desc = false;
      else if (u === 'TEXT') asText = true;
      else throw bad(`unexpected "${w}"`);
    }
    items.push({ path, desc, text: asText });
  }
  if (items.length === 0) throw bad('no fields');
  const single = items.length === 1 ? items[0]! : undefined;
  const keyOf = (r: SowRecord): unknown =>
    single ? sortValue(readPath(r.doc.root, single.path), single.text) : items.map((it) => sortValue(readPath(r.doc.root, it.path), it.text));
  const cmpKeys = single
    ? (a: unknown, b: unknown): number => (single.desc ? -compareSortValues(a, b) : compareSortValues(a, b))
    : (a: unknown, b: unknown): number => {
        const x = a as unknown[];
        const y = b as unknown[];
        for (let i = 0; i < items.length; i++) {
          const c = compareSortValues(x[i], y[i]);
          if (c !== 0) return items[i]!.desc ? -c : c;
        }
        return 0;
      };
  type D = { r: SowRecord; k: unknown };
  const cmpD = (x: D, y: D) => cmpKeys(x.k, y.k) || x.r.version - y.r.version;
  return {
    text,
    compare: (a, b) => cmpKeys(keyOf(a), keyOf(b)),
    sort: (records, limit) => {
      const n = records.length;
      if (limit !== undefined && limit < n / 8) {
        // bounded selection: keep the best `limit` in a sorted buffer (O(n log limit))
        if (limit <= 0) return [];
        const buf: D[] = [];
        for (let i = 0; i < n; i++) {
          const r = records[i]!;
          const d: D = { r, k: keyOf(r) };
          if (buf.length === limit && cmpD(d, buf[limit - 1]!) >= 0) continue;
          let lo = 0;
          let hi = buf.length;
          while (lo < hi) {
            const mid = (lo + hi) >> 1;
            if (cmpD(buf[mid]!, d) <= 0) lo = mid + 1;
            else hi = mid;
          }
          buf.splice(lo, 0, d);
          if (buf.length > limit) buf.pop();
        }
        return buf.map((d) => d.r);
      }
      const decorated: D[] = new Array(n);
      for (let i = 0; i < n; i++) {
        const r = records[i]!;
        decorated[i] = { r, k: keyOf(r) };
      }
      decorated.sort(cmpD);
      return decorated.map((d) => d.r);
    },
  };
}

function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let cur = '';
  for (const ch of text) {
    if (ch === '[') depth++;
    else if (ch === ']') depth--;
    if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
    } else cur += ch;
  }
  out.push(cur);
  return out;
}

/** Sort key: undefined (NULL) < numbers (incl. booleans) < strings; TEXT sorts everything by its string form. */
function sortValue(v: unknown, asText: boolean): unknown {
  if (Array.isArray(v)) v = v[0];
  if (v === null || v === undefined || v === '') return undefined;
  if (asText) return typeof v === 'object' ? JSON.stringify(v) : String(v);
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'object') return JSON.stringify(v);
  return v;
}

function compareSortValues(a: unknown, b: unknown): number {
  if (a === b) return 0;
  if (a === undefined) return -1;
  if (b === undefined) return 1;
  const ta = typeof a;
  const tb = typeof b;
  if (ta === 'number' && tb === 'number') return (a as number) < (b as number) ? -1 : (a as number) > (b as number) ? 1 : 0;
  if (ta === 'number') return -1;
  if (tb === 'number') return 1;
  return (a as string) < (b as string) ? -1 : (a as string) > (b as string) ? 1 : 0;
}

/** Splits query results into batches of `batchSize` (server default 1). */
export function sliceBatches<T>(records: readonly T[], batchSize = 1): T[][] {
  const n = Math.max(1, Math.trunc(batchSize) || 1);
  const out: T[][] = [];
  for (let i = 0; i < records.length; i += n) out.push(records.slice(i, i + n));
  return out;
}

/** Parses a `sow_keys` header (comma list). */
export function parseSowKeys(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** 64-bit key hash (two independent 32-bit FNV-1a style lanes), as unsigned decimal digits. */
export function sowKeyHash(text: string): string {
  let h1 = 0x811c9dc5;
  let h2 = 0x01000193 ^ 0x5bd1e995;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ c, 0x01000193);
    h2 = Math.imul(h2 ^ c, 0x5bd1e995);
    h2 ^= h2 >>> 15;
  }
  h1 ^= h1 >>> 13;
  h1 = Math.imul(h1, 0x85ebca6b);
  h1 ^= h1 >>> 16;
  return ((BigInt(h1 >>> 0) << 32n) | BigInt(h2 >>> 0)).toString();
}

const KEY_SEP = '\u0001';

function keyText(v: unknown): string | undefined {
  if (v === undefined || v === null) return undefined;
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

interface TopicState {
  readonly config: SowTopicConfig;
  readonly keyPaths: PathStep[][];
  readonly records: Map<string, SowRecord>;
}

interface ExpiryItem {
  readonly at: number;
  readonly topic: string;
  readonly key: string;
  readonly version: number;
}

export class SowStore {
  private readonly clock: Clock;
  private readonly byTopic = new Map<string, TopicState>();
  private readonly heap = new TimeHeap<ExpiryItem>();
  private version = 0;

  constructor(opts: { clock?: Clock; topics?: readonly SowTopicConfig[] } = {}) {
    this.clock = opts.clock ?? systemClock;
    for (const t of opts.topics ?? []) this.addTopic(t);
  }
  /** Declares a SOW topic (re-declaring keeps the records and replaces the config). */
  addTopic(config: SowTopicConfig): void {
    const keyPaths: PathStep[][] = [];
    for (const k of config.keys ?? []) {
      const p = parsePath(k);
      if (!p) throw new EngineError(EngineReasons.invalidOptions, `bad SOW key field "${k}" for topic ${config.topic}`);
      keyPaths.push(p);
    }
    const old = this.byTopic.get(config.topic);
    this.byTopic.set(config.topic, { config, keyPaths, records: old?.records ?? new Map() });
  }
  hasTopic(topic: string): boolean {
    return this.byTopic.has(topic);
  }
  topicConfig(topic: string): SowTopicConfig | undefined {
    return this.byTopic.get(topic)?.config;
  }
  /** Parsed key field paths of a topic (for delta_subscribe `send_keys`); empty for user-key topics. */
  keyPaths(topic: string): readonly (readonly PathStep[])[] {
    return this.byTopic.get(topic)?.keyPaths ?? [];
  }
  /** Configured SOW topic names. */
  topics(): string[] {
    return [...this.byTopic.keys()];
  }
  /** The SowKey a message would get on `topic` (undefined: no SOW or missing key field / user key). */
  computeKey(topic: string, doc: Doc, userKey?: string): string | undefined {
    const st = this.byTopic.get(topic);
    return st ? this.keyFor(st, doc, userKey) : undefined;
  }
  private keyFor(st: TopicState, doc: Doc, userKey: string | undefined): string | undefined {
    if (st.keyPaths.length === 0) return userKey === undefined || userKey === '' ? undefined : userKey;
    const root = doc.root;
    let text = st.config.keyDomain ?? st.config.topic;
    for (const p of st.keyPaths) {
      const v = keyText(readPath(root, p));
      if (v === undefined) return undefined;
      text += KEY_SEP + v;
    }
    return sowKeyHash(text);
  }
  /** publish / delta_publish upsert. */
  publish(input: SowPublishInput): SowPublishResult {
    let doc = input.data instanceof Doc ? input.data : new Doc(input.data, this.byTopic.get(input.topic)?.config.messageType ?? 'json');
    const st = this.byTopic.get(input.topic);
    if (!st) return { kind: 'no-sow', doc };
    const key = this.keyFor(st, doc, input.sowKey);
    if (key === undefined) return { kind: 'no-key', doc };
    const previous = st.records.get(key);
    if (input.delta && previous && previous.doc.isJsonObject && doc.isJsonObject) {
      doc = Doc.fromJson(mergeDelta(previous.doc.root, doc.root));
    }
    const now = input.timestamp ?? this.clock.now();
    let expiresAt: number | undefined;
    if (st.config.expiration !== undefined) {
      if (input.expiresAt !== undefined) expiresAt = input.expiresAt > 0 ? input.expiresAt : undefined;
      else {
        const exp = input.expiration ?? st.config.expiration;
        if (exp > 0) expiresAt = now + exp * 1000;
      }
    }
    const version = ++this.version;
    const record: SowRecord = {
      topic: input.topic,
      sowKey: key,
      doc,
      timestamp: now,
      version,
      ...(expiresAt !== undefined ? { expiresAt } : {}),
      ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
      ...(input.bookmark !== undefined ? { bookmark: input.bookmark } : {}),
    };
    st.records.set(key, record);
    if (record.expiresAt !== undefined) this.heap.push({ at: record.expiresAt, topic: input.topic, key, version });
    return previous ? { kind: 'updated', record, previous, doc } : { kind: 'inserted', record, doc };
  }
  get(topic: string, sowKey: string): SowRecord | undefined {
    return this.byTopic.get(topic)?.records.get(sowKey);
  }
  /** Number of records on a topic. */
  size(topic: string): number {
    return this.byTopic.get(topic)?.records.size ?? 0;
  }
  private statesFor(topic: TopicMatcher | string): TopicState[] {
    if (typeof topic === 'string' || !topic.isRegex) {
      const st = this.byTopic.get(typeof topic === 'string' ? topic : topic.text);
      return st ? [st] : [];
    }
    const out: TopicState[] = [];
    for (const [name, st] of this.byTopic) if (topic.matches(name)) out.push(st);
    return out;
  }
  /** Query every SOW topic the matcher accepts (a string = exact topic). Records past their expiry are skipped. */
  query(topic: TopicMatcher | string, opts: SowQueryOptions = {}): SowQueryResult {
    if (opts.skipN !== undefined && opts.orderBy === undefined) {
      throw new EngineError(EngineReasons.orderByRequired, 'skip_n requires an order by');
    }
    const now = this.clock.now();
    const filter = opts.filter;
    let topicMatches = 0;
    let records: SowRecord[] = [];
    for (const st of this.statesFor(topic)) {
      const source: Iterable<SowRecord> = opts.sowKeys
        ? opts.sowKeys.map((k) => st.records.get(k)).filter((r): r is SowRecord => r !== undefined)
        : st.records.values();
      for (const r of source) {
        if (r.expiresAt !== undefined && r.expiresAt <= now) continue;
        topicMatches++;
        if (!filter || filter.matches(r.doc)) records.push(r);
      }
    }
    const matches = records.length;
    if (opts.orderBy !== undefined) {
      const ob = typeof opts.orderBy === 'string' ? compileOrderBy(opts.orderBy) : opts.orderBy;
      const limit = opts.topN === undefined ? undefined : Math.max(0, opts.skipN ?? 0) + Math.max(0, opts.topN);
      records = ob.sort ? ob.sort(records, limit) : records.sort((a, b) => ob.compare(a, b) || a.version - b.version);
    }
    const skip = Math.max(0, opts.skipN ?? 0);
    if (skip > 0 || opts.topN !== undefined) {
      const end = opts.topN === undefined ? undefined : skip + Math.max(0, opts.topN);
      records = records.slice(skip, end);
    }
    return { records, matches, topicMatches };
  }
  private remove(st: TopicState, key: string): SowRecord | undefined {
    const r = st.records.get(key);
    if (r) st.records.delete(key);
    return r;
  }
  /** sow_delete with a filter (undefined filter = delete all). Returns the removed records. */
  deleteByFilter(topic: TopicMatcher | string, filter?: CompiledFilter): SowDeleteResult {
    const deleted: SowRecord[] = [];
    let topicMatches = 0;
    for (const st of this.statesFor(topic)) {
      topicMatches += st.records.size;
      for (const [key, r] of st.records) {
        if (!filter || filter.matches(r.doc)) {
          st.records.delete(key);
          deleted.push(r);
        }
      }
    }
    return { deleted, matches: deleted.length, topicMatches };
  }
  /** sow_delete with `sow_keys`. */
  deleteByKeys(topic: TopicMatcher | string, keys: readonly string[]): SowDeleteResult {
    const deleted: SowRecord[] = [];
    let topicMatches = 0;
    for (const st of this.statesFor(topic)) {
      topicMatches += st.records.size;
      for (const k of keys) {
        const r = this.remove(st, k);
        if (r) deleted.push(r);
      }
    }
    return { deleted, matches: deleted.length, topicMatches };
  }
  /** sow_delete by data: the key is computed from the message (or `sowKey` on user-key topics). */
  deleteByData(topic: string, data: Uint8Array | Doc, sowKey?: string): SowDeleteResult {
    const st = this.byTopic.get(topic);
    if (!st) return { deleted: [], matches: 0, topicMatches: 0 };
    const doc = data instanceof Doc ? data : new Doc(data, st.config.messageType ?? 'json');
    const key = this.keyFor(st, doc, sowKey);
    const topicMatches = st.records.size;
    const r = key === undefined ? undefined : this.remove(st, key);
    return { deleted: r ? [r] : [], matches: r ? 1 : 0, topicMatches };
  }
  /** Removes every record whose expiry ≤ now; returns them (each should produce OOF `expired`). */
  expire(now: number = this.clock.now()): SowRecord[] {
    const out: SowRecord[] = [];
    for (;;) {
      const top = this.heap.peek();
      if (!top || top.at > now) break;
      this.heap.pop();
      const st = this.byTopic.get(top.topic);
      const r = st?.records.get(top.key);
      if (st && r && r.version === top.version && r.expiresAt === top.at) {
        st.records.delete(top.key);
        out.push(r);
      }
    }
    return out;
  }
  /** Earliest pending expiry (ms), for the server's timer. */
  nextExpiry(): number | undefined {
    for (;;) {
      const top = this.heap.peek();
      if (!top) return undefined;
      const r = this.byTopic.get(top.topic)?.records.get(top.key);
      if (r && r.version === top.version && r.expiresAt === top.at) return top.at;
      this.heap.pop();
    }
  }
}
