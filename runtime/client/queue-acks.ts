// Queue acknowledgement batching.
//
// A queue ack is a `sow_delete` carrying the topic and the message bookmark(s), with no ack requested, under the
// fixed command id `AMPS-queue-ack` (what the official Python client sends). Plain acks are collected per topic
// and sent as one comma list when the batch is full or when the ack timeout fires; `cancel` and `expire` (and
// any other option) are sent at once. The batch threshold is min(ack batch size, the smallest backlog the server
// granted the subscriptions whose messages are in the batch), so a consumer never waits on its own backlog.

import type { Header } from '../../generated/header-fields.js';

export const QUEUE_ACK_COMMAND_ID = 'AMPS-queue-ack';

interface Pending {
  bookmarks: string[];
  threshold: number;
}

export class QueueAckBatcher {
  batchSize = 1;
  /** Milliseconds before a partial batch is sent (0 = only when full). */
  timeout = 1000;
  private readonly pending = new Map<string, Pending>();
  private timer: ReturnType<typeof setTimeout> | undefined;

  constructor(private readonly send: (header: Header) => void) {}

  /** Number of acks waiting in partial batches. */
  get pendingCount(): number {
    let n = 0;
    for (const p of this.pending.values()) n += p.bookmarks.length;
    return n;
  }

  /**
   * Queues (or sends) one ack. `backlog` is the max backlog the server granted the message's subscription, when
   * known.
   */
  ack(topic: string, bookmark: string, options: string | undefined, backlog: number | undefined): void {
    if (options !== undefined && options !== '') {
      this.send({ command: 'sow_delete', topic, commandId: QUEUE_ACK_COMMAND_ID, bookmark, options } as Header);
      return;
    }
    let threshold = this.batchSize > 1 ? this.batchSize : 1;
    if (backlog !== undefined && backlog > 0 && backlog < threshold) threshold = backlog;
    if (threshold <= 1 && !this.pending.has(topic)) {
      this.send({ command: 'sow_delete', topic, commandId: QUEUE_ACK_COMMAND_ID, bookmark } as Header);
      return;
    }
    let p = this.pending.get(topic);
    if (p === undefined) {
      p = { bookmarks: [], threshold };
      this.pending.set(topic, p);
    } else if (threshold < p.threshold) p.threshold = threshold;
    p.bookmarks.push(bookmark);
    if (p.bookmarks.length >= p.threshold) {
      this.flushTopic(topic, p);
      return;
    }
    if (this.timer === undefined && this.timeout > 0) {
      this.timer = setTimeout(() => {
        this.timer = undefined;
        this.flush();
      }, this.timeout);
      (this.timer as { unref?: () => void }).unref?.();
    }
  }

  /** Sends every partial batch now. */
  flush(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    for (const [topic, p] of [...this.pending]) this.flushTopic(topic, p);
  }

  /** Forgets partial batches (the connection is gone: the server releases those leases itself). */
  clear(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
    this.pending.clear();
  }

  private flushTopic(topic: string, p: Pending): void {
    this.pending.delete(topic);
    if (this.pending.size === 0 && this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
    if (p.bookmarks.length === 0) return;
    this.send({
      command: 'sow_delete',
      topic,
      commandId: QUEUE_ACK_COMMAND_ID,
      bookmark: p.bookmarks.join(','),
    } as Header);
  }
}
