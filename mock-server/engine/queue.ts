// Queues (semantics §7): leasing, backlog, at-least-once / at-most-once, acks, cancel, expire, redelivery.
import type { Clock } from './clock.js';
import type { Doc } from './message.js';
import type { CompiledFilter } from './filter/index.js';

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

export type QueueRemovalReason = 'acked' | 'forced_expire' | 'max_cancels' | 'max_deliveries' | 'delivered';

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

export class Queue {
  readonly name: string;
  constructor(config: QueueConfig, opts: { clock?: Clock } = {}) {
    this.name = config.name;
    void opts;
  }
  /** Does a publish to `topic` feed this queue (topic only)? */
  acceptsTopic(topic: string): boolean {
    void topic;
    throw new Error('not implemented');
  }
  /** Enqueues a published message if its topic and the queue filter match. Returns true when enqueued. */
  offer(msg: { topic: string; doc: Doc; bookmark: string; sowKey?: string; correlationId?: string }): boolean {
    void msg;
    throw new Error('not implemented');
  }
  /**
   * Adds or replaces (keeping leases) a subscription. Returns the granted backlog
   * = min(maxBacklog ?? 1, maxPerSubscriptionBacklog) — send it as `max_backlog=N` in the processed ack opts.
   */
  subscribe(subscriberId: string, opts: { filter?: CompiledFilter; maxBacklog?: number } = {}): { grantedBacklog: number } {
    void subscriberId;
    void opts;
    throw new Error('not implemented');
  }
  /** Removes a subscription (unsubscribe / disconnect); its leased messages go back to the queue. */
  unsubscribe(subscriberId: string): void {
    void subscriberId;
    throw new Error('not implemented');
  }
  /** Queue ack (`sow_delete` with bookmarks). `subscriberId` undefined = any holder. */
  ack(subscriberId: string | undefined, bookmarks: readonly string[], opts: QueueAckOptions = {}): QueueAckResult {
    void subscriberId;
    void bookmarks;
    void opts;
    throw new Error('not implemented');
  }
  /** Filter ack (`sow_delete` with filter on the queue): acks (or cancels/expires) every matching message. */
  ackByFilter(filter: CompiledFilter | undefined, opts: QueueAckOptions = {}): QueueAckResult {
    void filter;
    void opts;
    throw new Error('not implemented');
  }
  /** Returns expired leases to the queue (per clock). Returns removals caused by max deliveries. */
  tick(now?: number): QueueRemoval[] {
    void now;
    throw new Error('not implemented');
  }
  /** Assigns available messages to subscriptions with free backlog; call after offer/ack/subscribe/tick. */
  dispatch(): QueueDelivery[] {
    void this;
    throw new Error('not implemented');
  }
  /** Earliest lease expiry (ms) for the server's timer. */
  nextLeaseExpiry(): number | undefined {
    throw new Error('not implemented');
  }
  /** Messages waiting (not leased). */
  get depth(): number {
    throw new Error('not implemented');
  }
  /** Messages currently leased (at-least-once). */
  get leased(): number {
    throw new Error('not implemented');
  }
  /** Unacked deliveries held by a subscription (its used backlog). */
  outstanding(subscriberId: string): number {
    void subscriberId;
    throw new Error('not implemented');
  }
}
