// Queues (semantics §7): leasing, backlog, at-least-once / at-most-once, acks, cancel, expire, redelivery.
import { TimeHeap } from './time-heap.js';
import { formatAmpsTimestamp, systemClock, type Clock } from './clock.js';
import { compileOptionalFilter, type CompiledFilter } from './filter/index.js';
import type { Doc } from './message.js';
import { compileTopic, type TopicMatcher } from './topic.js';

export type QueueSemantics = 'at-least-once' | 'at-most-once';

export interface QueueConfig {
  /** The queue topic subscribers use. */
  readonly name: string;
  /** Underlying topics (exact or regex). Default: [name]. */
  readonly sourceTopics?: readonly string[];
  /** Only messages matching this filter enter the queue. */
  readonly filter?: string;
  readonly semantics?: QueueSemantics;
  /** Lease period in ms (at-least-once). Default 60 000. */
  readonly leasePeriodMs?: number;
  /** Cap on a subscription's backlog. Default: unlimited. */
  readonly maxPerSubscriptionBacklog?: number;
  /** Max deliveries per message (then expired, reason `max_deliveries`). Default: unlimited. */
  readonly maxDeliveries?: number;
  /** Max cancels per message (then expired, reason `max_cancels`). Default: unlimited. */
  readonly maxCancels?: number;
  /** Message time-to-live in the queue, ms (then expired by `tick`, reason `time_limit`). Default: none. */
  readonly expirationMs?: number;
}

export interface QueueMessage {
  /** Bookmark used to ack (the source message's txlog bookmark). */
  readonly bookmark: string;
  /** The underlying topic the message was published to. */
  readonly topic: string;
  readonly doc: Doc;
  readonly sowKey?: string;
  readonly correlationId?: string;
  /** Times delivered so far (including the current lease). */
  readonly deliveries: number;
}

export interface QueueDelivery {
  readonly subscriberId: string;
  readonly message: QueueMessage;
  /** Lease expiry (ms); for at-most-once the moment of delivery. */
  readonly leaseExpiresAt: number;
  /** `lp` header value: formatAmpsTimestamp(leaseExpiresAt). UNCERTAIN format. */
  readonly lp: string;
}

export type QueueRemovalReason = 'acked' | 'forced_expire' | 'max_cancels' | 'max_deliveries' | 'time_limit' | 'delivered';

export interface QueueRemoval {
  readonly message: QueueMessage;
  readonly reason: QueueRemovalReason;
}

export interface QueueAckOptions {
  /** Return the message to the queue (redeliver). */
  readonly cancel?: boolean;
  /** Remove now (reason `forced_expire`). */
  readonly expire?: boolean;
  /** Extend the lease by this many ms instead of acking. */
  readonly leaseExtensionMs?: number;
}

export interface QueueAckResult {
  /** Bookmarks that referred to a message leased/held by the subscriber (or any, when no subscriber given). */
  readonly matched: string[];
  readonly unknown: string[];
  readonly removals: QueueRemoval[];
}

interface QMsg {
  readonly index: number;
  readonly bookmark: string;
  readonly topic: string;
  readonly doc: Doc;
  readonly sowKey?: string;
  readonly correlationId?: string;
  deliveries: number;
  cancels: number;
  state: 'available' | 'leased' | 'gone';
  holder: string | undefined;
  leaseExpiresAt: number;
  /** Enqueue time (ms). */
  readonly enqueuedAt: number;
  /** Physically present in `avail` (possibly lazily dead). */
  inAvail: boolean;
}

interface Sub {
  readonly id: string;
  filter: CompiledFilter | undefined;
  granted: number;
  /** Bookmarks delivered and not yet acked (its used backlog). */
  readonly outstanding: Set<string>;
}

interface LeaseItem {
  readonly at: number;
  readonly msg: QMsg;
}

function publicView(m: QMsg): QueueMessage {
  return {
    bookmark: m.bookmark,
    topic: m.topic,
    doc: m.doc,
    deliveries: m.deliveries,
    ...(m.sowKey !== undefined ? { sowKey: m.sowKey } : {}),
    ...(m.correlationId !== undefined ? { correlationId: m.correlationId } : {}),
  };
}

export class Queue {
  readonly name: string;
  readonly semantics: QueueSemantics;
  readonly leasePeriodMs: number;
  private readonly clock: Clock;
  private readonly sources: TopicMatcher[];
  private readonly filter: CompiledFilter | undefined;
  private readonly maxBacklogCap: number;
  private readonly maxDeliveries: number;
  private readonly maxCancels: number;
  private readonly expirationMs: number | undefined;
  private readonly messages = new Map<string, QMsg>();
  private avail: QMsg[] = [];
  private head = 0;
  private availableCount = 0;
  private leasedCount = 0;
  private counter = 0;
  private readonly subs = new Map<string, Sub>();
  private order: string[] = [];
  private rr = 0;
  private readonly leases = new TimeHeap<LeaseItem>();

  constructor(config: QueueConfig, opts: { clock?: Clock } = {}) {
    this.name = config.name;
    this.clock = opts.clock ?? systemClock;
    this.semantics = config.semantics ?? 'at-least-once';
    this.leasePeriodMs = config.leasePeriodMs ?? 60_000;
    this.sources = (config.sourceTopics && config.sourceTopics.length > 0 ? config.sourceTopics : [config.name]).map((t) =>
      compileTopic(t),
    );
    this.filter = compileOptionalFilter(config.filter);
    this.maxBacklogCap = config.maxPerSubscriptionBacklog ?? Infinity;
    this.maxDeliveries = config.maxDeliveries ?? Infinity;
    this.maxCancels = config.maxCancels ?? Infinity;
    this.expirationMs = config.expirationMs;
  }
  /** Does a publish to `topic` feed this queue (topic only)? */
  acceptsTopic(topic: string): boolean {
    for (const s of this.sources) if (s.matches(topic)) return true;
    return false;
  }
  /** Enqueues a published message if its topic and the queue filter match. Returns true when enqueued. */
  offer(msg: { topic: string; doc: Doc; bookmark: string; sowKey?: string; correlationId?: string }): boolean {
    if (!this.acceptsTopic(msg.topic)) return false;
    if (this.filter && !this.filter.matches(msg.doc)) return false;
    if (this.messages.has(msg.bookmark)) return false;
    const m: QMsg = {
      index: ++this.counter,
      bookmark: msg.bookmark,
      topic: msg.topic,
      doc: msg.doc,
      ...(msg.sowKey !== undefined ? { sowKey: msg.sowKey } : {}),
      ...(msg.correlationId !== undefined ? { correlationId: msg.correlationId } : {}),
      deliveries: 0,
      cancels: 0,
      state: 'available',
      holder: undefined,
      leaseExpiresAt: 0,
      enqueuedAt: this.clock.now(),
      inAvail: true,
    };
    this.messages.set(m.bookmark, m);
    this.avail.push(m);
    this.availableCount++;
    return true;
  }
  /**
   * Adds or replaces (keeping leases) a subscription. Returns the granted backlog
   * = min(maxBacklog ?? 1, maxPerSubscriptionBacklog) — send it as `max_backlog=N` in the processed ack opts.
   */
  subscribe(subscriberId: string, opts: { filter?: CompiledFilter; maxBacklog?: number } = {}): { grantedBacklog: number } {
    const requested = opts.maxBacklog === undefined || !(opts.maxBacklog >= 1) ? 1 : Math.trunc(opts.maxBacklog);
    const granted = Math.min(requested, this.maxBacklogCap);
    const existing = this.subs.get(subscriberId);
    if (existing) {
      existing.filter = opts.filter;
      existing.granted = granted;
    } else {
      this.subs.set(subscriberId, { id: subscriberId, filter: opts.filter, granted, outstanding: new Set() });
      this.order.push(subscriberId);
    }
    return { grantedBacklog: granted };
  }
  /** Removes a subscription (unsubscribe / disconnect); its leased messages go back to the queue. */
  unsubscribe(subscriberId: string): QueueRemoval[] {
    const sub = this.subs.get(subscriberId);
    if (!sub) return [];
    this.subs.delete(subscriberId);
    this.order = this.order.filter((id) => id !== subscriberId);
    const removals: QueueRemoval[] = [];
    for (const bm of sub.outstanding) {
      const m = this.messages.get(bm);
      if (m && m.state === 'leased' && m.holder === subscriberId) this.returnToQueue(m, removals);
    }
    sub.outstanding.clear();
    return removals;
  }
  /** Has this subscription? */
  hasSubscriber(subscriberId: string): boolean {
    return this.subs.has(subscriberId);
  }

  private makeAvailable(m: QMsg): void {
    m.state = 'available';
    m.holder = undefined;
    this.availableCount++;
    if (m.inAvail) return;
    // binary search the insert position in avail[head..] by index (redelivered messages keep their place)
    let lo = this.head;
    let hi = this.avail.length;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (this.avail[mid]!.index < m.index) lo = mid + 1;
      else hi = mid;
    }
    this.avail.splice(lo, 0, m);
    m.inAvail = true;
  }
  private removeMessage(m: QMsg, reason: QueueRemovalReason, removals: QueueRemoval[]): void {
    if (m.state === 'available') this.availableCount--;
    if (m.state === 'leased') this.leasedCount--;
    m.state = 'gone';
    m.holder = undefined;
    this.messages.delete(m.bookmark);
    removals.push({ message: publicView(m), reason });
  }
  /** A leased message goes back (lease expiry, cancel, unsubscribe), unless it ran out of deliveries. */
  private returnToQueue(m: QMsg, removals: QueueRemoval[]): void {
    if (m.holder !== undefined) this.subs.get(m.holder)?.outstanding.delete(m.bookmark);
    this.leasedCount--;
    if (m.deliveries >= this.maxDeliveries) {
      m.state = 'available'; // for removeMessage's accounting
      this.availableCount++;
      this.removeMessage(m, 'max_deliveries', removals);
      return;
    }
    this.makeAvailable(m);
  }

  private applyAck(m: QMsg, opts: QueueAckOptions, removals: QueueRemoval[]): void {
    if (opts.leaseExtensionMs !== undefined && !opts.cancel && !opts.expire) {
      if (m.state === 'leased') {
        m.leaseExpiresAt += opts.leaseExtensionMs;
        this.leases.push({ at: m.leaseExpiresAt, msg: m });
      }
      return;
    }
    if (opts.cancel && !opts.expire) {
      if (m.state !== 'leased') return;
      m.cancels++;
      if (m.cancels >= this.maxCancels) {
        if (m.holder !== undefined) this.subs.get(m.holder)?.outstanding.delete(m.bookmark);
        this.removeMessage(m, 'max_cancels', removals);
        return;
      }
      this.returnToQueue(m, removals);
      return;
    }
    if (m.holder !== undefined) this.subs.get(m.holder)?.outstanding.delete(m.bookmark);
    this.removeMessage(m, opts.expire ? 'forced_expire' : 'acked', removals);
  }

  /** Queue ack (`sow_delete` with bookmarks). `subscriberId` undefined = any holder. */
  ack(subscriberId: string | undefined, bookmarks: readonly string[], opts: QueueAckOptions = {}): QueueAckResult {
    const matched: string[] = [];
    const unknown: string[] = [];
    const removals: QueueRemoval[] = [];
    const sub = subscriberId === undefined ? undefined : this.subs.get(subscriberId);
    for (const bm of bookmarks) {
      const m = this.messages.get(bm);
      if (m && m.state === 'leased' && (subscriberId === undefined || m.holder === subscriberId)) {
        matched.push(bm);
        this.applyAck(m, opts, removals);
      } else if (m && m.state === 'available' && subscriberId === undefined && !opts.cancel) {
        matched.push(bm);
        this.applyAck(m, opts, removals);
      } else if (!m && sub && sub.outstanding.has(bm)) {
        // at-most-once: the message is already gone; the ack frees the backlog slot
        sub.outstanding.delete(bm);
        matched.push(bm);
      } else if (!m && subscriberId === undefined && this.freeSlotAnywhere(bm)) {
        matched.push(bm);
      } else unknown.push(bm);
    }
    return { matched, unknown, removals };
  }
  private freeSlotAnywhere(bm: string): boolean {
    for (const s of this.subs.values()) if (s.outstanding.delete(bm)) return true;
    return false;
  }
  /** Filter ack (`sow_delete` with filter on the queue): acks (or cancels/expires) every matching message. */
  ackByFilter(filter: CompiledFilter | undefined, opts: QueueAckOptions = {}): QueueAckResult {
    const targets = [...this.messages.values()].filter((m) => !filter || filter.matches(m.doc));
    return this.ack(undefined, targets.map((m) => m.bookmark), opts);
  }

  private leaseValid(it: LeaseItem): boolean {
    return it.msg.state === 'leased' && it.msg.leaseExpiresAt === it.at;
  }

  /**
   * Returns expired leases to the queue and drops messages past the queue expiration (per clock). Returns the
   * removals (max deliveries, time limit).
   */
  tick(now: number = this.clock.now()): QueueRemoval[] {
    const removals: QueueRemoval[] = [];
    if (this.expirationMs !== undefined) {
      // messages are in enqueue order in the map, so the expired ones are a prefix
      for (const m of this.messages.values()) {
        if (m.enqueuedAt + this.expirationMs > now) break;
        if (m.holder !== undefined) this.subs.get(m.holder)?.outstanding.delete(m.bookmark);
        this.removeMessage(m, 'time_limit', removals);
      }
    }
    for (;;) {
      const top = this.leases.peek();
      if (!top || top.at > now) break;
      this.leases.pop();
      if (this.leaseValid(top)) this.returnToQueue(top.msg, removals);
    }
    return removals;
  }

  private compact(): void {
    // amortised: only when the consumed prefix or the lazily-dead entries dominate the array
    const dead = this.avail.length - this.head - this.availableCount;
    const prefixHeavy = this.head > 1024 && this.head * 2 > this.avail.length;
    const deadHeavy = dead > 1024 && dead > this.availableCount;
    if (!prefixHeavy && !deadHeavy) return;
    const keep: QMsg[] = [];
    for (let i = 0; i < this.avail.length; i++) {
      const m = this.avail[i]!;
      if (i >= this.head && m.state === 'available') keep.push(m);
      else m.inAvail = false;
    }
    this.avail = keep;
    this.head = 0;
  }

  /**
   * Assigns available messages (oldest first, so returned messages go before newer ones) to subscriptions with
   * free backlog, round-robin. Call after offer / ack / subscribe / unsubscribe / tick.
   */
  dispatch(): QueueDelivery[] {
    const out: QueueDelivery[] = [];
    if (this.availableCount === 0 || this.order.length === 0) return out;
    const hasRoom = (s: Sub) => s.outstanding.size < s.granted;
    let withRoom = 0;
    for (const id of this.order) if (hasRoom(this.subs.get(id)!)) withRoom++;
    if (withRoom === 0) return out;
    const now = this.clock.now();
    const n = this.order.length;
    for (let i = this.head; i < this.avail.length && withRoom > 0; i++) {
      const m = this.avail[i]!;
      if (m.state !== 'available') continue;
      let chosen: Sub | undefined;
      for (let k = 0; k < n; k++) {
        const s = this.subs.get(this.order[(this.rr + k) % n]!)!;
        if (!hasRoom(s)) continue;
        if (s.filter && !s.filter.matches(m.doc)) continue;
        chosen = s;
        this.rr = (this.rr + k + 1) % n;
        break;
      }
      if (!chosen) continue;
      this.availableCount--;
      m.deliveries++;
      chosen.outstanding.add(m.bookmark);
      let leaseExpiresAt = now;
      if (this.semantics === 'at-most-once') {
        m.state = 'gone';
        this.messages.delete(m.bookmark);
      } else {
        m.state = 'leased';
        m.holder = chosen.id;
        m.leaseExpiresAt = leaseExpiresAt = now + this.leasePeriodMs;
        this.leasedCount++;
        this.leases.push({ at: m.leaseExpiresAt, msg: m });
      }
      if (!hasRoom(chosen)) withRoom--;
      out.push({ subscriberId: chosen.id, message: publicView(m), leaseExpiresAt, lp: formatAmpsTimestamp(leaseExpiresAt) });
    }
    while (this.head < this.avail.length && this.avail[this.head]!.state !== 'available') {
      this.avail[this.head]!.inAvail = false;
      this.head++;
    }
    this.compact();
    return out;
  }
  /** Earliest lease expiry or message expiration (ms) for the server's timer. */
  nextLeaseExpiry(): number | undefined {
    while (this.leases.size > 0 && !this.leaseValid(this.leases.peek()!)) this.leases.pop();
    let t = this.leases.peek()?.at;
    if (this.expirationMs !== undefined) {
      const first = this.messages.values().next();
      if (!first.done) {
        const e = first.value.enqueuedAt + this.expirationMs;
        if (t === undefined || e < t) t = e;
      }
    }
    return t;
  }
  /** Messages waiting (not leased). */
  get depth(): number {
    return this.availableCount;
  }
  /** Messages currently leased (at-least-once). */
  get leased(): number {
    return this.leasedCount;
  }
  /** Unacked deliveries held by a subscription (its used backlog). */
  outstanding(subscriberId: string): number {
    return this.subs.get(subscriberId)?.outstanding.size ?? 0;
  }
  /** Granted backlog of a subscription (0 if unknown). */
  grantedBacklog(subscriberId: string): number {
    return this.subs.get(subscriberId)?.granted ?? 0;
  }
}
