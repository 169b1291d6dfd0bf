// MessageStream: the pull side of a command. `for await (const m of stream)` reads messages in arrival order.
//
// - Ends normally when the command is complete (a plain `sow` after its `completed` ack / `group_end`, a
//   publish-like command after its last requested ack), or when `close()` is called (which unsubscribes).
// - When the connection drops, the stream first delivers every message it holds, then its iteration throws the
//   DisconnectedException. The stream is not resumed after a reconnect: re-issue the command.
// - Messages are never reused: each one is safe to keep.
// - Buffering is unbounded by default (like the official clients). `maxDepth(n, policy)` bounds it:
//     'error'       (default) the stream ends with a MessageStreamOverflowException and the subscription is
//                   removed; messages already held are still delivered before the exception,
//     'drop-oldest' the oldest held message is discarded to make room (a live view that tolerates gaps),
//     'drop-newest' the arriving message is discarded.
//   `droppedCount` tells how many messages a drop policy discarded.
// - `conflate()`: a message with the same SowKey as a message still held replaces it in place (client-side
//   conflation); messages without a SowKey are never conflated.
// - `timeout(ms)`: a read that waits longer than `ms` rejects with TimedOutException. The stream stays open, so
//   the caller can catch it and keep reading (a `for await` loop exits on the exception without closing it).

import { AMPSException, TimedOutException } from '../../generated/errors.js';
import type { Message } from './message.js';

export type OverflowPolicy = 'error' | 'drop-oldest' | 'drop-newest';

/** A stream's buffer exceeded the depth set with `maxDepth(n, 'error')`. */
export class MessageStreamOverflowException extends AMPSException {
  static override readonly exceptionName: string = 'MessageStreamOverflowException';
}

/** Hooks the client gives a stream. Internal. */
export interface StreamOwner {
  /** Called once when the application closes the stream (or it overflows): unsubscribes when relevant. */
  closeStream(stream: MessageStream): Promise<void>;
  /** Called when the application moves past a message (auto-ack of queue messages). */
  consumed(message: Message): void;
}

interface Waiter {
  resolve(result: IteratorResult<Message>): void;
  reject(error: unknown): void;
  timer: ReturnType<typeof setTimeout> | undefined;
}

const DONE: IteratorResult<Message> = Object.freeze({ done: true, value: undefined }) as IteratorResult<Message>;

export class MessageStream implements AsyncIterableIterator<Message>, AsyncDisposable {
  /** Command id of the command that produced the stream. */
  readonly commandId: string;
  /** Subscription id when the command opened a subscription. */
  readonly subscriptionId: string | undefined;
  /** Query id when the command ran a query. */
  readonly queryId: string | undefined;

  private buf: (Message | undefined)[] = [];
  private head = 0;
  /** Absolute index of buf[0]; positions in `keys` are absolute. */
  private base = 0;
  private keys: Map<string, number> | undefined;
  private depth = Infinity;
  private policy: OverflowPolicy = 'error';
  private readTimeout = 0;
  private waiters: Waiter[] = [];
  private finished = false;
  private failure: unknown = undefined;
  private failureDelivered = false;
  private closed = false;
  private last: Message | undefined;
  private dropped = 0;

  /** @internal */
  constructor(
    private readonly owner: StreamOwner,
    ids: { commandId: string; subscriptionId?: string; queryId?: string },
  ) {
    this.commandId = ids.commandId;
    this.subscriptionId = ids.subscriptionId;
    this.queryId = ids.queryId;
  }

  /** Replace a held message by a newer one with the same SowKey (client-side conflation). Returns this. */
  conflate(): this {
    this.keys ??= new Map();
    return this;
  }

  /** Bound the number of held messages; see the overflow policies above. Returns this. */
  maxDepth(depth: number, policy: OverflowPolicy = 'error'): this {
    if (!(depth >= 1)) throw new RangeError('maxDepth must be at least 1');
    this.depth = depth;
    this.policy = policy;
    return this;
  }

  /** Per-read timeout in milliseconds (0 = wait forever, the default). Returns this. */
  timeout(ms: number): this {
    this.readTimeout = ms > 0 ? ms : 0;
    return this;
  }

  /** Messages held and not yet read. */
  get depthNow(): number {
    return this.buf.length - this.head;
  }

  /** Messages discarded by a drop overflow policy. */
  get droppedCount(): number {
    return this.dropped;
  }

  /** True once the stream will produce no more messages than those it holds. */
  get isComplete(): boolean {
    return this.finished;
  }

  // ---- producer side (client) ----------------------------------------------------------------------------------

  /** @internal */
  push(message: Message): void {
    if (this.finished) return;
    const w = this.waiters.shift();
    if (w !== undefined) {
      if (w.timer !== undefined) clearTimeout(w.timer);
      this.handOut(message);
      w.resolve({ done: false, value: message });
      return;
    }
    const keys = this.keys;
    if (keys !== undefined) {
      const key = message.header.sowKey;
      if (key !== undefined) {
        const at = keys.get(key);
        if (at !== undefined) {
          const pos = at - this.base;
          if (pos >= this.head && pos < this.buf.length && this.buf[pos]?.header.sowKey === key) {
            this.buf[pos] = message;
            return;
          }
        }
      }
    }
    if (this.buf.length - this.head >= this.depth) {
      if (this.policy === 'drop-newest') {
        this.dropped++;
        return;
      }
      if (this.policy === 'drop-oldest') {
        this.shift();
        this.dropped++;
      } else {
        this.end(new MessageStreamOverflowException(`message stream exceeded its maximum depth of ${this.depth}`));
        void this.owner.closeStream(this).catch(() => undefined);
        return;
      }
    }
    if (keys !== undefined && message.header.sowKey !== undefined) {
      keys.set(message.header.sowKey, this.base + this.buf.length);
    }
    this.buf.push(message);
  }

  /** @internal no more messages will arrive; with an error, reads throw it once the held messages are read. */
  end(error?: unknown): void {
    if (this.finished) return;
    this.finished = true;
    if (error !== undefined) this.failure = error;
    if (this.head < this.buf.length) return; // waiters exist only when the buffer is empty
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (w.timer !== undefined) clearTimeout(w.timer);
      if (this.failure !== undefined && !this.failureDelivered) {
        this.failureDelivered = true;
        w.reject(this.failure);
      } else w.resolve(DONE);
    }
  }

  // ---- consumer side ---------------------------------------------------------------------------------------------

  next(): Promise<IteratorResult<Message>> {
    const prev = this.last;
    if (prev !== undefined) {
      this.last = undefined;
      this.owner.consumed(prev);
    }
    if (this.head < this.buf.length) {
      const m = this.shift()!;
      this.handOut(m);
      return Promise.resolve({ done: false, value: m });
    }
    if (this.finished) {
      if (this.failure !== undefined && !this.failureDelivered) {
        this.failureDelivered = true;
        return Promise.reject(this.failure);
      }
      return Promise.resolve(DONE);
    }
    return new Promise<IteratorResult<Message>>((resolve, reject) => {
      const waiter: Waiter = { resolve, reject, timer: undefined };
      if (this.readTimeout > 0) {
        waiter.timer = setTimeout(() => {
          const i = this.waiters.indexOf(waiter);
          if (i >= 0) this.waiters.splice(i, 1);
          reject(new TimedOutException(`no message within ${this.readTimeout} ms`));
        }, this.readTimeout);
      }
      this.waiters.push(waiter);
    });
  }

  /** Called by `for await` on `break`/`return`: closes the stream. */
  async return(): Promise<IteratorResult<Message>> {
    await this.close();
    return DONE;
  }

  [Symbol.asyncIterator](): this {
    return this;
  }

  /**
   * Stops the stream: held messages are dropped, pending reads end, and a subscription behind it is removed
   * from the server (`unsubscribe`). Safe to call more than once and after a disconnect.
   */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const prev = this.last;
    if (prev !== undefined) {
      this.last = undefined;
      this.owner.consumed(prev);
    }
    const wasFinished = this.finished;
    this.buf = [];
    this.head = 0;
    this.keys?.clear();
    this.failureDelivered = true;
    this.end();
    if (!wasFinished || this.subscriptionId !== undefined) {
      try {
        await this.owner.closeStream(this);
      } catch {
        // already disconnected: nothing to unsubscribe
      }
    }
  }

  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }

  /** Reads every remaining message into an array (for finite streams such as a `sow`). */
  async toArray(): Promise<Message[]> {
    const out: Message[] = [];
    for await (const m of this) out.push(m);
    return out;
  }

  private handOut(m: Message): void {
    this.last = m;
  }

  private shift(): Message | undefined {
    const m = this.buf[this.head];
    this.buf[this.head] = undefined;
    this.head++;
    if (m !== undefined && this.keys !== undefined) {
      const key = m.header.sowKey;
      if (key !== undefined && this.keys.get(key) === this.base + this.head - 1) this.keys.delete(key);
    }
    if (this.head === this.buf.length) {
      this.base += this.head;
      this.buf.length = 0;
      this.head = 0;
    } else if (this.head >= 1024 && this.head * 2 >= this.buf.length) {
      this.base += this.head;
      this.buf = this.buf.slice(this.head);
      this.head = 0;
    }
    return m;
  }
}
