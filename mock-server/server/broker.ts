// The state of one mock AMPS instance shared by all its sessions: SOW store, transaction log, queues,
// subscriptions, publisher sequences, timers (expiration, leases, persisted acks) and replication hooks.
// Sockets and the protocol of one connection live in session.ts; the data structures in ../engine/.
//
// Everything here runs synchronously inside one event-loop turn per command, which is what makes
// sow_and_subscribe and bookmark replay gap-free and duplicate-free: the query (or replay plan) and the
// registration of the live subscription happen in the same turn, so no publish can fall between them.

import { EventEmitter } from 'node:events';
import type { Header } from '../../generated/header-fields.js';
import { clientNameHash, formatBookmark } from '../../runtime/wire/bookmark.js';
import {
  Doc,
  Queue,
  SowStore,
  TopicIndex,
  TransactionLog,
  compileOptionalFilter,
  compileTopic,
  computeDelta,
  Conflator,
  readPath,
  decideRemoval,
  decideUpdate,
  formatAmpsTimestamp,
  parsePath,
  systemClock,
  type Clock,
  type CompiledFilter,
  type PathStep,
  type QueueDelivery,
  type SowRecord,
  type TopicMatcher,
  type TxEntry,
} from '../engine/index.js';
import type { SowJournalRecord } from '../engine/txlog.js';
import type { ResolvedConfig } from '../config/config.js';
import type { OutBody } from './connection.js';
import type { SowRecord as WireSowRecord } from '../../runtime/wire/tcp-framing.js';

/** What the broker needs from a session (implemented by Session). */
export interface SessionLike {
  readonly id: number;
  readonly clientName: string | undefined;
  readonly closed: boolean;
  readonly subscriptions: ReadonlyMap<string, Subscription>;
  send(header: Header, body?: OutBody): void;
  sendSowBatch(batchHeader: Header, records: readonly WireSowRecord[]): void;
  /** Highest publish sequence awaiting a conflated `persisted` ack. */
  notePersisted(sequence: bigint): void;
}

export interface Subscription {
  readonly key: string;
  readonly session: SessionLike;
  readonly subId: string;
  commandId: string | undefined;
  topicText: string;
  topic: TopicMatcher;
  filter: CompiledFilter | undefined;
  filterText: string;
  delta: boolean;
  oof: boolean;
  noSowKey: boolean;
  timestamp: boolean;
  /** `bm` on each delivery (bookmark subscriptions and the `bookmark` option). */
  withBookmark: boolean;
  sendKeys: boolean;
  noEmpties: boolean;
  /** A bookmark subscription with a range end: false once an entry is past it. */
  inRange: ((e: TxEntry) => boolean) | undefined;
  /** Called once when a live entry is past the range end (the session acks `completed` and drops it). */
  rangeDone?: (() => void) | undefined;
  /** Periodic `persisted` acks with the log position (bookmark subscriptions that asked for them). */
  persistedAcks: boolean;
  lastPersistedBookmark: string | undefined;
  /** Bookmark subscription waiting in `pause`. */
  paused: boolean;
  /** Log position when paused (resume replays from here). */
  pausedAt: string | undefined;
  /** sow_and_subscribe: SowKeys the subscriber currently holds (so `replace` sends only what is new). */
  delivered: Set<string> | undefined;
  /** `conflation=<interval>`: deliveries held per key and released at the end of each interval. */
  conflation?: { conflator: Conflator<{ header: Header; body: OutBody }>; keys: PathStep[][]; timer?: NodeJS.Timeout | undefined; seq: number } | undefined;
  queue: Queue | undefined;
  grantedBacklog: number;
}

/** A state change to apply on peer instances (cluster replication). */
export type ReplicatedOp =
  | {
      kind: 'publish';
      command: 'publish' | 'delta_publish';
      clientName: string;
      sequence: bigint | undefined;
      topic: string;
      data: Uint8Array;
      sowKey: string | undefined;
      expiration: number | undefined;
      correlationId: string | undefined;
      bookmark: string | undefined;
    }
  | {
      kind: 'sow_delete';
      clientName: string;
      sequence: bigint | undefined;
      topic: string;
      filter: string | undefined;
      sowKeys: string[] | undefined;
      data: Uint8Array | undefined;
      sowKey: string | undefined;
    };

export interface PublishInput {
  readonly session?: SessionLike;
  readonly clientName: string;
  readonly command: 'publish' | 'delta_publish';
  readonly topic: string;
  readonly data: Uint8Array;
  readonly sequence?: bigint;
  readonly sowKey?: string;
  readonly expiration?: number;
  readonly correlationId?: string;
  /** Set when applying a peer's message: keep its bookmark, never replicate back. */
  readonly replicatedBookmark?: string;
  readonly replicated?: boolean;
}

export type PublishOutcome =
  | { readonly duplicate: true; readonly lastSequence: bigint }
  | { readonly duplicate: false; readonly bookmark: string | undefined };

export interface BrokerEvents {
  log: [line: string];
  replicate: [op: ReplicatedOp];
}

const encoder = new TextEncoder();

/** Publisher name under which SOW deletes are logged. */
export const SOW_DELETE_PUBLISHER = 'AMPS-sow-delete';

export class Broker extends EventEmitter<BrokerEvents> {
  readonly clock: Clock;
  readonly sow: SowStore;
  readonly txlog: TransactionLog;
  readonly queues = new Map<string, Queue>();
  private readonly queueList: Queue[] = [];
  readonly subscriptions = new TopicIndex<Subscription>();
  private readonly queueSubscribers = new Map<string, Subscription>();
  readonly sessions = new Set<SessionLike>();
  readonly clientNames = new Map<string, SessionLike>();
  private readonly publisherSequences = new Map<string, bigint>();
  private readonly loggedTopics: RegExp[];
  private readonly keyPaths = new Map<string, PathStep[][]>();
  private readonly logCache = new Map<string, boolean>();
  private syntheticSequence = 0n;
  private expiryTimer: NodeJS.Timeout | undefined;
  private expiryAt = Infinity;
  private leaseTimer: NodeJS.Timeout | undefined;
  private leaseAt = Infinity;
  private persistedTimer: NodeJS.Timeout | undefined;
  private closed = false;

  constructor(
    readonly config: ResolvedConfig,
    opts: { clock?: Clock } = {},
  ) {
    super();
    this.clock = opts.clock ?? systemClock;
    this.sow = new SowStore({
      clock: this.clock,
      topics: config.sow.map((s) => ({
        topic: s.topic,
        keys: s.key,
        ...(s.expirationMs !== undefined ? { expiration: s.expirationMs / 1000 } : {}),
        messageType: s.messageType,
      })),
    });
    for (const s of config.sow) {
      const paths = s.key.map((k) => parsePath(k)).filter((p): p is PathStep[] => p !== undefined);
      this.keyPaths.set(s.topic, paths);
    }
    this.txlog = new TransactionLog({
      clock: this.clock,
      ...(config.dataDirectory !== undefined ? { dataDir: config.dataDirectory } : {}),
    });
    this.loggedTopics = config.transactionLogTopics.map((t) => new RegExp(`^(?:${t})$`));
    for (const q of config.queues) {
      const queue = new Queue(
        {
          name: q.name,
          sourceTopics: [q.underlyingTopic],
          semantics: q.semantics,
          leasePeriodMs: q.leasePeriodMs,
          maxPerSubscriptionBacklog: q.maxPerSubscriptionBacklog,
          ...(q.maxCancels !== undefined ? { maxCancels: q.maxCancels } : {}),
          ...(q.maxDeliveries !== undefined ? { maxDeliveries: q.maxDeliveries } : {}),
          ...(q.expirationMs !== undefined ? { expirationMs: q.expirationMs } : {}),
        },
        { clock: this.clock },
      );
      this.queues.set(q.name, queue);
      this.queueList.push(queue);
    }
    this.rebuildFromLog();
    this.persistedTimer = setInterval(() => this.guard(() => this.sendSubscriptionPersistedAcks()), config.persistedAckIntervalMs);
    this.persistedTimer.unref?.();
  }

  /**
   * With a data directory the log survives the process: rebuild the SOW from it, in log order, as of each entry's
   * own time. publish / delta_publish entries write the record with their logged timestamp and expiry deadline;
   * `sow_delete` entries (one per record removed by a delete of any kind, or by expiration) remove it. Before each
   * entry, records whose deadline is at or before that entry's time are expired, so a record that expired while
   * the server was down cannot absorb a later delta_publish; at the end, records past their deadline now are
   * expired too, and those removals are logged (they would have been, had the server been up).
   */
  private rebuildFromLog(): void {
    const n = safe(() => this.txlog.size, 0);
    const journal = safe(() => this.txlog.takeSowJournal(), []);
    if (n === 0 && journal.length === 0) return;
    const expiredKeys = new Map<string, SowRecord>();
    const noteExpired = (records: readonly SowRecord[]) => {
      for (const r of records) expiredKeys.set(`${r.topic}\u0000${r.sowKey}`, r);
    };
    // SOW journal records (topics outside the txlog) interleaved with the entries in file order.
    let j = 0;
    const applyJournal = (upTo: number) => {
      for (; j < journal.length && journal[j]!.position <= upTo; j++) {
        const r: SowJournalRecord = journal[j]!;
        try {
          if (!this.sow.hasTopic(r.topic)) continue;
          noteExpired(this.sow.expire(r.timestamp));
          expiredKeys.delete(`${r.topic}\u0000${r.sowKey}`);
          if (r.kind === 'sow_remove') this.sow.deleteByKeys(r.topic, [r.sowKey]);
          else
            this.sow.publish({
              topic: r.topic,
              data: r.doc,
              sowKey: r.sowKey,
              timestamp: r.timestamp,
              ...(r.expiresAt !== undefined ? { expiresAt: r.expiresAt } : {}),
              ...(r.correlationId !== undefined ? { correlationId: r.correlationId } : {}),
            });
        } catch {
          // A record the SOW rejects now (config changed) is skipped.
        }
      }
    };
    for (let i = 0; i < n; i++) {
      applyJournal(i);
      const e = this.txlog.at(i);
      if (e === undefined) continue;
      try {
        if (!this.sow.hasTopic(e.topic)) continue;
        noteExpired(this.sow.expire(e.timestamp));
        const key = e.sowKey ?? this.sow.computeKey(e.topic, e.doc);
        // This entry logs the key's removal (or writes it again): no removal of it left to log.
        if (key !== undefined) expiredKeys.delete(`${e.topic}\u0000${key}`);
        if (e.command === 'sow_delete') {
          if (key !== undefined) this.sow.deleteByKeys(e.topic, [key]);
          continue;
        }
        this.sow.publish({
          topic: e.topic,
          data: e.doc,
          ...(e.sowKey !== undefined ? { sowKey: e.sowKey } : {}),
          bookmark: e.bookmark,
          delta: e.command === 'delta_publish',
          timestamp: e.timestamp,
          // The logged deadline; entries written before it was logged: relative to the entry's own time.
          ...(e.expiresAt !== undefined ? { expiresAt: e.expiresAt } : e.expiration !== undefined ? { expiration: e.expiration } : {}),
          ...(e.correlationId !== undefined ? { correlationId: e.correlationId } : {}),
        });
      } catch {
        // A record the SOW rejects now (config changed) is skipped.
      }
    }
    applyJournal(Infinity);
    noteExpired(safe(() => this.sow.expire(this.clock.now()), []));
    try {
      this.logRemovals([...expiredKeys.values()]);
    } catch (err) {
      this.log(`logging SOW expirations at start failed: ${(err as Error).message}`);
    }
  }

  log(line: string): void {
    this.emit('log', line);
  }

  /** Runs timer work so that no exception can escape into the event loop. */
  guard(f: () => void): void {
    try {
      f();
    } catch (err) {
      this.log(`internal error: ${(err as Error).stack ?? String(err)}`);
    }
  }

  /** Stops the timers (server stopped); data is kept. */
  suspend(): void {
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    if (this.persistedTimer) clearInterval(this.persistedTimer);
    this.expiryTimer = this.leaseTimer = this.persistedTimer = undefined;
    this.expiryAt = this.leaseAt = Infinity;
  }

  /** Restarts the timers after suspend(). */
  resume(): void {
    this.suspend();
    this.persistedTimer = setInterval(() => this.guard(() => this.sendSubscriptionPersistedAcks()), this.config.persistedAckIntervalMs);
    this.persistedTimer.unref?.();
    this.scheduleExpiry();
    this.scheduleLeases();
  }

  close(): void {
    this.suspend();
    this.closed = true;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    if (this.persistedTimer) clearInterval(this.persistedTimer);
    try {
      this.txlog.close();
    } catch {
      // memory-only log
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Topics

  isLogged(topic: string): boolean {
    let v = this.logCache.get(topic);
    if (v === undefined) {
      v = this.loggedTopics.some((r) => r.test(topic));
      if (this.logCache.size > 10_000) this.logCache.clear();
      this.logCache.set(topic, v);
    }
    return v;
  }

  get hasTransactionLog(): boolean {
    return this.loggedTopics.length > 0;
  }

  messageTypeOf(topic: string): string {
    return this.config.sow.find((s) => s.topic === topic)?.messageType ?? this.config.messageTypes[0] ?? 'json';
  }

  keyPathsOf(topic: string): PathStep[][] {
    return this.keyPaths.get(topic) ?? [];
  }

  // ------------------------------------------------------------------------------------------------------
  // Publisher sequences (duplicate detection, logon ack `s`)

  lastSequence(clientName: string): bigint {
    const logged = this.hasTransactionLog ? safe(() => this.txlog.lastSequence(clientName), 0n) : 0n;
    const own = this.publisherSequences.get(clientName) ?? 0n;
    return logged > own ? logged : own;
  }

  noteSequencePublic(clientName: string, s: bigint): void {
    this.noteSequence(clientName, s);
  }

  private noteSequence(clientName: string, s: bigint): void {
    const cur = this.publisherSequences.get(clientName) ?? 0n;
    if (s > cur) this.publisherSequences.set(clientName, s);
  }

  private syntheticBookmark(clientName: string): string {
    this.syntheticSequence += 1n;
    return formatBookmark(clientNameHash(clientName), this.syntheticSequence);
  }

  // ------------------------------------------------------------------------------------------------------
  // Publish

  publish(input: PublishInput): PublishOutcome {
    const { topic, clientName } = input;
    if (input.sequence !== undefined && input.sequence > 0n) {
      const last = this.lastSequence(clientName);
      if (input.sequence <= last) return { duplicate: true, lastSequence: last };
    }
    const doc = new Doc(input.data, this.messageTypeOf(topic));
    const delta = input.command === 'delta_publish';
    // SOW first (a delta is merged here), so the log and the subscribers get the stored state.
    const res = this.sow.publish({
      topic,
      data: doc,
      ...(input.sowKey !== undefined ? { sowKey: input.sowKey } : {}),
      ...(input.expiration !== undefined ? { expiration: input.expiration } : {}),
      ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
      delta,
    });
    const stored = res.doc;
    const sowKey = res.kind === 'inserted' || res.kind === 'updated' ? res.record.sowKey : undefined;
    let entry: TxEntry | undefined;
    let bookmark: string | undefined;
    if (this.isLogged(topic)) {
      const appended = this.txlog.append({
        clientName,
        ...(input.sequence !== undefined && input.sequence > 0n ? { sequence: input.sequence } : {}),
        topic,
        data: stored,
        messageType: doc.messageType,
        command: input.command,
        ...(sowKey !== undefined ? { sowKey } : {}),
        ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
        ...(input.expiration !== undefined ? { expiration: input.expiration } : {}),
        // The record's absolute deadline, so a rebuild from disk keeps it (0 = never; expiring topics only).
        ...(sowKey !== undefined && this.sow.topicConfig(topic)?.expiration !== undefined
          ? { expiresAt: (res as { record: SowRecord }).record.expiresAt ?? 0 }
          : {}),
      });
      if (appended.duplicate) return { duplicate: true, lastSequence: appended.lastSequence };
      entry = appended.entry;
      bookmark = entry.bookmark;
      if (input.replicatedBookmark !== undefined && input.replicatedBookmark !== bookmark) {
        this.log(`replicated bookmark ${input.replicatedBookmark} stored as ${bookmark}`);
      }
    } else if (res.kind === 'inserted' || res.kind === 'updated') {
      // A SOW topic outside the transaction log: its state is still persisted (the SOW journal, on disk only).
      this.journalSow('sow_put', res.record);
    }
    if (input.sequence !== undefined && input.sequence > 0n) this.noteSequence(clientName, input.sequence);
    if (res.kind === 'inserted' || res.kind === 'updated') this.scheduleExpiry();

    this.fanOut(topic, res.kind === 'updated' ? res.previous.doc : undefined, stored, {
      sowKey,
      bookmark,
      correlationId: input.correlationId,
      entry,
      isSow: res.kind === 'inserted' || res.kind === 'updated',
    });

    for (const q of this.queueList) {
      if (!q.acceptsTopic(topic)) continue;
      const qbm = bookmark ?? this.syntheticBookmark(clientName);
      if (
        q.offer({
          topic,
          doc: stored,
          bookmark: qbm,
          ...(sowKey !== undefined ? { sowKey } : {}),
          ...(input.correlationId !== undefined ? { correlationId: input.correlationId } : {}),
        })
      ) {
        this.dispatchQueue(q);
      }
    }

    if (!input.replicated && this.listenerCount('replicate') > 0) {
      this.emit('replicate', {
        kind: 'publish',
        command: input.command,
        clientName,
        sequence: input.sequence,
        topic,
        data: delta ? stored.data : input.data,
        sowKey: input.sowKey,
        expiration: input.expiration,
        correlationId: input.correlationId,
        bookmark,
      });
    }
    return { duplicate: false, bookmark };
  }

  /** Delivers one published state to every live subscription on the topic. */
  private fanOut(
    topic: string,
    previous: Doc | undefined,
    doc: Doc,
    meta: { sowKey?: string | undefined; bookmark?: string | undefined; correlationId?: string | undefined; entry?: TxEntry | undefined; isSow: boolean },
  ): void {
    const subs = this.subscriptions.forTopic(topic);
    if (subs.length === 0) return;
    // One delivery per session and header variant: subscriptions of one session that match the same message
    // share it (`sids` lists them all), and the body bytes are shared by every session.
    let groups: Map<string, { session: SessionLike; sub: Subscription; sids: string[]; oof: boolean; body: OutBody }> | undefined;
    let ts: string | undefined;
    let deltaCache: Map<boolean, { data: Uint8Array; empty: boolean }> | undefined;
    for (const sub of subs) {
      if (sub.paused || sub.session.closed) continue;
      if (sub.inRange && meta.entry && !sub.inRange(meta.entry)) {
        const done = sub.rangeDone;
        sub.rangeDone = undefined;
        // Not while iterating the topic's subscription list.
        if (done) queueMicrotask(() => this.guard(done));
        continue;
      }
      const decision = meta.isSow
        ? decideUpdate(sub.filter, previous, doc)
        : sub.filter === undefined || sub.filter.matches(doc)
          ? 'deliver'
          : 'none';
      if (decision === 'none') continue;
      if (sub.delivered !== undefined && meta.sowKey !== undefined) {
        if (decision === 'deliver') sub.delivered.add(meta.sowKey);
        else sub.delivered.delete(meta.sowKey);
      }
      if (decision === 'oof' && !sub.oof) continue;
      let body: OutBody = doc;
      if (decision === 'deliver' && sub.delta && previous !== undefined && doc.isJsonObject && previous.isJsonObject) {
        deltaCache ??= new Map();
        let d = deltaCache.get(sub.sendKeys);
        if (d === undefined) {
          const out = computeDelta(previous.root, doc.root, this.keyPathsOf(topic), { sendKeys: sub.sendKeys });
          d = { data: encoder.encode(JSON.stringify(out.value)), empty: out.empty };
          deltaCache.set(sub.sendKeys, d);
        }
        if (d.empty && sub.noEmpties) continue;
        body = d.data;
      }
      if (sub.conflation !== undefined) {
        this.conflate(sub, topic, decision === 'oof', body, meta, doc);
        continue;
      }
      const variant = `${sub.session.id}|${decision}|${sub.noSowKey ? 1 : 0}${sub.timestamp ? 1 : 0}${sub.withBookmark ? 1 : 0}|${body === doc ? 'd' : sub.sendKeys ? 'k' : 'n'}`;
      groups ??= new Map();
      const g = groups.get(variant);
      if (g) g.sids.push(sub.subId);
      else groups.set(variant, { session: sub.session, sub, sids: [sub.subId], oof: decision === 'oof', body });
    }
    if (groups === undefined) return;
    for (const g of groups.values()) {
      const h: Header = {
        command: g.oof ? 'oof' : 'publish',
        topic,
        subscriptionIds: g.sids.join(','),
      } as Header;
      if (meta.sowKey !== undefined && !g.sub.noSowKey) h.sowKey = meta.sowKey;
      if (meta.bookmark !== undefined && g.sub.withBookmark) h.bookmark = meta.bookmark;
      if (meta.correlationId !== undefined) h.correlationId = meta.correlationId;
      if (g.sub.timestamp) h.timestamp = ts ??= formatAmpsTimestamp(this.clock.now());
      if (g.oof) h.reason = 'match';
      h.messageLength = g.body instanceof Uint8Array ? g.body.length : g.body.data.length;
      g.session.send(h, g.body);
    }
  }

  /** Holds a delivery for a conflated subscription; a newer one with the same key replaces it. */
  private conflate(
    sub: Subscription,
    topic: string,
    oof: boolean,
    body: OutBody,
    meta: { sowKey?: string | undefined; bookmark?: string | undefined; correlationId?: string | undefined },
    doc: Doc,
  ): void {
    const c = sub.conflation!;
    const h = { command: oof ? 'oof' : 'publish', topic, subscriptionIds: sub.subId } as Header;
    if (meta.sowKey !== undefined && !sub.noSowKey) h.sowKey = meta.sowKey;
    if (meta.bookmark !== undefined && sub.withBookmark) h.bookmark = meta.bookmark;
    if (meta.correlationId !== undefined) h.correlationId = meta.correlationId;
    if (sub.timestamp) h.timestamp = formatAmpsTimestamp(this.clock.now());
    if (oof) h.reason = 'match';
    let key: string;
    if (c.keys.length > 0) key = `${topic}\u0000${JSON.stringify(c.keys.map((p) => readPath(doc.root, p) ?? null))}`;
    else key = meta.sowKey !== undefined ? `${topic}\u0000${meta.sowKey}` : `#${c.seq++}`;
    const due = c.conflator.offer(key, { header: h, body });
    if (c.timer === undefined) {
      c.timer = setTimeout(
        () =>
          this.guard(() => {
            c.timer = undefined;
            if (sub.session.closed) return;
            for (const m of c.conflator.flush(Infinity, true)) sub.session.send(m.header, m.body);
          }),
        Math.max(1, due - this.clock.now()),
      );
      c.timer.unref?.();
    }
  }

  /** OOF for records removed from the SOW (deleted or expired). */
  sendRemovalOofs(records: readonly SowRecord[], reason: 'deleted' | 'expired'): void {
    for (const r of records) {
      const subs = this.subscriptions.forTopic(r.topic);
      const bySession = new Map<SessionLike, string[]>();
      for (const sub of subs) {
        sub.delivered?.delete(r.sowKey);
        if (!sub.oof || sub.paused || sub.session.closed) continue;
        if (!decideRemoval(sub.filter, r.doc)) continue;
        const list = bySession.get(sub.session);
        if (list) list.push(sub.subId);
        else bySession.set(sub.session, [sub.subId]);
      }
      for (const [session, sids] of bySession) {
        const h = { command: 'oof', topic: r.topic, subscriptionIds: sids.join(','), sowKey: r.sowKey, reason } as Header;
        if (r.correlationId !== undefined) h.correlationId = r.correlationId;
        session.send(h, r.doc);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // sow_delete on SOW topics (queue acks are in the session)

  /** Applies a SOW delete (already validated), sends OOFs and replicates it. Returns the counters. */
  sowDelete(op: {
    clientName: string;
    sequence?: bigint | undefined;
    topic: string;
    topicMatcher: TopicMatcher;
    filter?: CompiledFilter | undefined;
    filterText?: string | undefined;
    sowKeys?: string[] | undefined;
    data?: Uint8Array | undefined;
    sowKey?: string | undefined;
    replicated?: boolean;
  }): { matches: number; topicMatches: number; deleted: number; duplicate: boolean } {
    if (op.sequence !== undefined && op.sequence > 0n) {
      if (op.sequence <= this.lastSequence(op.clientName)) return { matches: 0, topicMatches: 0, deleted: 0, duplicate: true };
      this.noteSequence(op.clientName, op.sequence);
    }
    let res;
    if (op.sowKeys !== undefined) res = this.sow.deleteByKeys(op.topicMatcher, op.sowKeys);
    else if (op.data !== undefined) res = this.sow.deleteByData(op.topic, new Doc(op.data, this.messageTypeOf(op.topic)), op.sowKey);
    else res = this.sow.deleteByFilter(op.topicMatcher, op.filter);
    this.sendRemovalOofs(res.deleted, 'deleted');
    this.logRemovals(res.deleted);
    // Persist the client's `s` after the removals (a sow_delete is not an entry of that client): after a restart
    // the logon ack's `s` covers it, so a publish store does not resend (and re-apply) a delete already done.
    if (op.sequence !== undefined && op.sequence > 0n && this.hasTransactionLog) {
      const seq = op.sequence;
      safe(() => this.txlog.noteClientSequence(op.clientName, seq), undefined);
    }
    if (!op.replicated && this.listenerCount('replicate') > 0) {
      this.emit('replicate', {
        kind: 'sow_delete',
        clientName: op.clientName,
        sequence: op.sequence,
        topic: op.topic,
        filter: op.filterText,
        sowKeys: op.sowKeys,
        data: op.data,
        sowKey: op.sowKey,
      });
    }
    return { matches: res.matches, topicMatches: res.topicMatches, deleted: res.deleted.length, duplicate: false };
  }

  /**
   * Records SOW removals in the transaction log (one `sow_delete` entry per record, under an internal publisher
   * name so no client's sequence is touched): historical queries and the rebuild from disk see them.
   */
  logRemovals(records: readonly SowRecord[]): void {
    for (const r of records) {
      if (!this.isLogged(r.topic)) {
        this.journalSow('sow_remove', r);
        continue;
      }
      this.txlog.append({
        clientName: SOW_DELETE_PUBLISHER,
        topic: r.topic,
        data: r.doc,
        command: 'sow_delete',
        sowKey: r.sowKey,
      });
    }
  }

  /** Writes a SOW change on a topic outside the transaction log to the on-disk SOW journal (no-op in memory). */
  private journalSow(kind: 'sow_put' | 'sow_remove', r: SowRecord): void {
    if (this.txlog.file === undefined) return;
    const expiring = kind === 'sow_put' && this.sow.topicConfig(r.topic)?.expiration !== undefined;
    this.txlog.journal({
      kind,
      topic: r.topic,
      sowKey: r.sowKey,
      data: r.doc,
      ...(r.correlationId !== undefined ? { correlationId: r.correlationId } : {}),
      ...(expiring ? { expiresAt: r.expiresAt ?? 0 } : {}),
    });
  }

  /** SOW topic configurations for historical queries (undefined when none of `topics` has history enabled). */
  historicalTopics(matches: (topic: string) => boolean): { topic: string; keys: string[]; messageType: string }[] {
    return this.config.sow
      .filter((s) => s.historical && matches(s.topic))
      .map((s) => ({ topic: s.topic, keys: s.key, messageType: s.messageType }));
  }

  // ------------------------------------------------------------------------------------------------------
  // Subscriptions

  addSubscription(sub: Subscription): void {
    if (sub.queue) {
      this.queueSubscribers.set(sub.key, sub);
      return;
    }
    this.subscriptions.add(sub.key, sub.topic, sub);
  }

  /** replace: take the subscription out of the topic index (queue leases are kept); addSubscription puts it back. */
  removeSubscriptionIndexOnly(sub: Subscription): void {
    if (!sub.queue) this.subscriptions.remove(sub.key);
  }

  removeSubscription(sub: Subscription): void {
    if (sub.conflation?.timer !== undefined) clearTimeout(sub.conflation.timer);
    if (sub.queue) {
      this.queueSubscribers.delete(sub.key);
      sub.queue.unsubscribe(sub.key);
      this.dispatchQueue(sub.queue);
      return;
    }
    this.subscriptions.remove(sub.key);
  }

  // ------------------------------------------------------------------------------------------------------
  // Queues

  dispatchQueue(q: Queue): void {
    let deliveries: QueueDelivery[];
    try {
      deliveries = q.dispatch();
    } catch (err) {
      this.log(`queue ${q.name}: dispatch failed: ${(err as Error).message}`);
      return;
    }
    for (const d of deliveries) {
      const sub = this.queueSubscribers.get(d.subscriberId);
      if (!sub) continue;
      const h = {
        command: 'publish',
        topic: q.name,
        subscriptionIds: sub.subId,
        bookmark: d.message.bookmark,
        leasePeriod: d.lp,
      } as Header;
      if (d.message.sowKey !== undefined && !sub.noSowKey) h.sowKey = d.message.sowKey;
      if (d.message.correlationId !== undefined) h.correlationId = d.message.correlationId;
      if (sub.timestamp) h.timestamp = formatAmpsTimestamp(this.clock.now());
      h.messageLength = d.message.doc.data.length;
      sub.session.send(h, d.message.doc);
    }
    this.scheduleLeases();
  }

  private scheduleLeases(): void {
    if (this.closed) return;
    let next = Infinity;
    for (const q of this.queueList) {
      const t = q.nextLeaseExpiry();
      if (t !== undefined && t < next) next = t;
    }
    if (next === Infinity || next >= this.leaseAt) return;
    if (this.leaseTimer) clearTimeout(this.leaseTimer);
    this.leaseAt = next;
    this.leaseTimer = setTimeout(() => this.guard(() => {
      this.leaseTimer = undefined;
      this.leaseAt = Infinity;
      const now = this.clock.now();
      for (const q of this.queueList) {
        try {
          q.tick(now);
        } catch (err) {
          this.log(`queue ${q.name}: tick failed: ${(err as Error).message}`);
        }
        this.dispatchQueue(q);
      }
      this.scheduleLeases();
    }), Math.max(1, next - this.clock.now()));
    this.leaseTimer.unref?.();
  }

  // ------------------------------------------------------------------------------------------------------
  // SOW expiration

  scheduleExpiry(): void {
    if (this.closed) return;
    const next = safe(() => this.sow.nextExpiry(), undefined);
    if (next === undefined || next >= this.expiryAt) return;
    if (this.expiryTimer) clearTimeout(this.expiryTimer);
    this.expiryAt = next;
    this.expiryTimer = setTimeout(() => this.guard(() => {
      this.expiryTimer = undefined;
      this.expiryAt = Infinity;
      try {
        const expired = this.sow.expire(this.clock.now());
        this.sendRemovalOofs(expired, 'expired');
        this.logRemovals(expired);
      } catch (err) {
        this.log(`sow expiration failed: ${(err as Error).message}`);
      }
      this.scheduleExpiry();
    }), Math.max(1, next - this.clock.now()));
    this.expiryTimer.unref?.();
  }

  // ------------------------------------------------------------------------------------------------------
  // Periodic persisted acks for bookmark subscriptions

  private sendSubscriptionPersistedAcks(): void {
    const bm = safe(() => this.txlog.lastLogBookmark, undefined);
    if (bm === undefined) return;
    for (const sess of this.sessions) {
      for (const sub of sess.subscriptions.values()) {
        if (!sub.persistedAcks || sub.lastPersistedBookmark === bm) continue;
        sub.lastPersistedBookmark = bm;
        const h = { command: 'ack', ackType: 'persisted', subscriptionId: sub.subId, bookmark: bm, status: 'success' } as Header;
        if (sub.commandId !== undefined) h.commandId = sub.commandId;
        sub.session.send(h);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // Replication (cluster)

  applyReplicated(op: ReplicatedOp): void {
    if (op.kind === 'publish') {
      this.publish({
        clientName: op.clientName,
        command: op.command,
        topic: op.topic,
        data: op.data,
        ...(op.sequence !== undefined ? { sequence: op.sequence } : {}),
        ...(op.sowKey !== undefined ? { sowKey: op.sowKey } : {}),
        ...(op.expiration !== undefined ? { expiration: op.expiration } : {}),
        ...(op.correlationId !== undefined ? { correlationId: op.correlationId } : {}),
        ...(op.bookmark !== undefined ? { replicatedBookmark: op.bookmark } : {}),
        replicated: true,
      });
      return;
    }
    const queue = this.queues.get(op.topic);
    if (queue) return;
    this.sowDelete({
      clientName: op.clientName,
      sequence: op.sequence,
      topic: op.topic,
      topicMatcher: compileTopic(op.topic),
      filter: compileOptionalFilter(op.filter),
      filterText: op.filter,
      sowKeys: op.sowKeys,
      data: op.data,
      sowKey: op.sowKey,
      replicated: true,
    });
  }
}

function safe<T>(f: () => T, fallback: T): T {
  try {
    return f();
  } catch {
    return fallback;
  }
}
