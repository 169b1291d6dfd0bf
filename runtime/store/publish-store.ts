// Publish stores: keep every state-changing command (publish, delta_publish, sow_delete) until the server
// acknowledges it as persisted, so the client can replay it after a reconnect or a restart (protocol §5.3).
//
// How the (HA) client uses a store:
//   publish:      header.ackType includes 'persisted'; seq = store.store(header, body) (also sets
//                 header.sequence); send header + body.
//   persisted ack carrying `s`:  store.discardUpTo(s)  (a failed ack: report store.get(s) to the failed-write
//                 handler, then discardUpTo(s)).
//   after logon:  store.discardUpTo(logonAck.s)  — throws PublishStoreGapException when errorOnPublishGap is set
//                 and the server is behind what an earlier server persisted: treat the connection as failed;
//                 (0 = no history: never a gap) then store.replay((h, b) => send(h, b)) before anything new is
//                 published.
//   shutdown:     await store.flush(timeout) to wait for the server's acks; close().
//
// Sequence numbers: `store()` assigns lastSequence() + 1. The first value comes from the `initialSequence`
// option, or, like the official clients, from the clock: epoch milliseconds × 10^6 (so a restarted publisher
// with a fresh memory store still moves forward). `discardUpTo(s)` with `s` above everything assigned moves the
// counter to `s`, so new messages are never taken for duplicates by a server that has seen more of this client
// name than the store (the C++ client's "never reuse a sequence the server has seen" rule).

import {
  PublishStoreFullException,
  PublishStoreGapException,
  StoreClosedException,
  TimedOutException,
} from './errors.js';
import type { Header, StoreHeader } from './types.js';

/** One unpersisted message as the store keeps it. */
export interface StoredMessage<H extends StoreHeader = Header> {
  readonly sequence: bigint;
  readonly header: H;
  readonly body: Uint8Array;
}

export interface ResizeRequest {
  /** Bytes the store would hold after the pending `store()` (counting body bytes + ENTRY_OVERHEAD each). */
  readonly requestedBytes: number;
  readonly usedBytes: number;
  readonly capacityBytes: number;
  readonly unpersistedCount: number;
}

/**
 * Called synchronously from `store()` when a message would take the store past its capacity. Return
 * - `true` to grow (the capacity doubles until the message fits),
 * - a number to set a new capacity (refused if the message still does not fit),
 * - `false` to refuse: `store()` throws PublishStoreFullException, assigns no sequence and stores nothing. A
 *   publisher that wants to wait instead awaits `whenSpaceAvailable(bytes)` (space frees as acks arrive) and
 *   retries. A handler may also use this hook to count resizes and, e.g., trigger a flush.
 */
export type ResizeHandler = (request: ResizeRequest) => boolean | number;

export type ReplayFn<H extends StoreHeader = Header> = (header: H, body: Uint8Array) => void;

export interface PublishStore<H extends StoreHeader = Header> {
  /**
   * Assigns the next sequence, writes it to `header.sequence`, keeps a copy of the header and body until
   * persisted, and returns the sequence. File stores have written the record before this returns.
   */
  store(header: H, body: Uint8Array): bigint;
  /** Drops every stored message with sequence <= `sequence` (the server has persisted them). See class notes. */
  discardUpTo(sequence: bigint): void;
  /** Calls `fn` for every unpersisted message in sequence order, with a fresh copy of its header. */
  replay(fn: ReplayFn<H>): void;
  /** Calls `fn` for one stored message; returns false when it is not (or no longer) stored. */
  replaySingle(sequence: bigint, fn: ReplayFn<H>): boolean;
  /** The stored message with that sequence, if still unpersisted. */
  get(sequence: bigint): StoredMessage<H> | undefined;
  unpersistedCount(): number;
  /** Highest sequence a server acknowledged as persisted (0n until the first `discardUpTo`). */
  lastPersisted(): bigint;
  /** Lowest stored sequence, or undefined when nothing is unpersisted. */
  lowestUnpersisted(): bigint | undefined;
  /** Last sequence assigned (or moved to by `discardUpTo`); the next `store()` returns this + 1. */
  lastSequence(): bigint;
  /**
   * Resolves once every message stored before the call has been discarded (persisted). Rejects with
   * TimedOutException after `timeoutMs` (no timeout when omitted) and StoreClosedException on close.
   */
  flush(timeoutMs?: number): Promise<void>;
  /**
   * When true, `discardUpTo(s)` with 0 < `s` < `lastPersisted()` throws PublishStoreGapException: the server
   * lacks messages this store already discarded because another server persisted them, so they can no longer
   * be replayed. (Comparing with `lowestUnpersisted()` instead would report false gaps after the sequence jumps
   * forward, e.g. a restart with a clock-derived sequence.) `s` = 0 means the server has no history for the
   * client name and is not treated as a gap.
   */
  errorOnPublishGap: boolean;
  /** Memory cap: `capacityBytes` (Infinity by default) and the handler consulted when it would be exceeded. */
  setResizeHandler(handler: ResizeHandler | undefined): void;
  readonly capacityBytes: number;
  readonly usedBytes: number;
  /** Resolves when `bytes` more would fit in the capacity (rejects on timeout/close like flush). */
  whenSpaceAvailable(bytes: number, timeoutMs?: number): Promise<void>;
  /**
   * `store()` that waits for space instead of throwing PublishStoreFullException (rejects with
   * TimedOutException after `timeoutMs`). Sequences are assigned when the message is actually stored, so a
   * publisher mixing this with `store()` must not rely on call order.
   */
  storeWhenSpace(header: H, body: Uint8Array, timeoutMs?: number): Promise<bigint>;
  close(): Promise<void>;
}

export interface PublishStoreOptions {
  /** First sequence is this + 1. Default: epoch ms × 10^6 at construction. */
  readonly initialSequence?: bigint;
  readonly errorOnPublishGap?: boolean;
  /** Default Infinity. */
  readonly capacityBytes?: number;
  readonly resizeHandler?: ResizeHandler;
}

/** Per-message bookkeeping counted against the capacity on top of the body bytes. */
export const ENTRY_OVERHEAD = 128;

/** Copies a header and its nested plain objects (`extras`) one level deep, so neither side can alter the other. */
export function copyHeader<H extends object>(header: H): H {
  const out = { ...header } as Record<string, unknown>;
  for (const k in out) {
    const v = out[k];
    if (v !== null && typeof v === 'object' && !Array.isArray(v) && !(v instanceof Uint8Array)) out[k] = { ...v };
  }
  return out as H;
}

export function timeDerivedSequence(now = Date.now()): bigint {
  return BigInt(now) * 1_000_000n;
}

interface Waiter {
  readonly done: () => boolean;
  readonly resolve: () => void;
  readonly reject: (e: Error) => void;
  timer?: NodeJS.Timeout;
}

export interface Entry<H> {
  readonly sequence: bigint;
  readonly header: H;
  readonly body: Uint8Array;
  /** Bytes counted against the capacity. */
  readonly size: number;
  /** Bytes of its record in a file store (0 in memory). */
  readonly diskBytes: number;
}

/**
 * The in-memory core shared by the memory and file stores. Subclasses hook `persistStore`, `persistDiscard`
 * and `closeStorage`.
 */
export abstract class BasePublishStore<H extends StoreHeader = Header> implements PublishStore<H> {
  errorOnPublishGap: boolean;
  protected entries: Array<Entry<H>> = [];
  protected head = 0;
  protected lastAssigned: bigint;
  protected persistedSeq = 0n;
  protected used = 0;
  private capacity: number;
  private resizeHandler: ResizeHandler | undefined;
  private waiters: Waiter[] = [];
  protected closed = false;

  constructor(options: PublishStoreOptions = {}) {
    this.lastAssigned = options.initialSequence ?? timeDerivedSequence();
    this.errorOnPublishGap = options.errorOnPublishGap ?? false;
    this.capacity = options.capacityBytes ?? Number.POSITIVE_INFINITY;
    this.resizeHandler = options.resizeHandler;
  }

  /** Writes the record for a new message (file stores) and returns its size; throwing aborts the store(). */
  protected abstract persistStore(sequence: bigint, header: H, body: Uint8Array): number;
  /** Writes the discard marker (file stores), after the entries were removed; `freedDiskBytes` = their records. */
  protected abstract persistDiscard(sequence: bigint, freedDiskBytes: number): void;
  protected abstract closeStorage(): void;

  store(header: H, body: Uint8Array): bigint {
    if (this.closed) throw new StoreClosedException('publish store is closed');
    const size = body.byteLength + ENTRY_OVERHEAD;
    if (this.used + size > this.capacity) this.grow(this.used + size);
    const sequence = this.lastAssigned + 1n;
    const copy = copyHeader(header);
    copy.sequence = sequence;
    const bytes = body.slice();
    const diskBytes = this.persistStore(sequence, copy, bytes);
    this.lastAssigned = sequence;
    header.sequence = sequence;
    this.entries.push({ sequence, header: copy, body: bytes, size, diskBytes });
    this.used += size;
    return sequence;
  }

  discardUpTo(sequence: bigint): void {
    if (this.closed) return; // a late ack after close: nothing to do
    if (sequence < this.persistedSeq) {
      // 0 = the server has no history for this client name (fresh server or log): not a gap, as in the C++
      // client; replay sends everything still stored.
      if (this.errorOnPublishGap && sequence !== 0n) throw new PublishStoreGapException(sequence, this.persistedSeq);
      return;
    }
    if (sequence === this.persistedSeq && sequence <= this.lastAssigned) return;
    this.persistedSeq = sequence;
    if (sequence > this.lastAssigned) this.lastAssigned = sequence;
    let i = this.head;
    let freed = 0;
    while (i < this.entries.length && this.entries[i]!.sequence <= sequence) {
      this.used -= this.entries[i]!.size;
      freed += this.entries[i]!.diskBytes;
      i++;
    }
    this.head = i;
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    } else if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
    this.persistDiscard(sequence, freed);
    this.wake();
  }

  replay(fn: ReplayFn<H>): void {
    const snapshot = this.entries.slice(this.head);
    for (const e of snapshot) fn(copyHeader(e.header), e.body);
  }

  replaySingle(sequence: bigint, fn: ReplayFn<H>): boolean {
    const e = this.find(sequence);
    if (!e) return false;
    fn(copyHeader(e.header), e.body);
    return true;
  }

  get(sequence: bigint): StoredMessage<H> | undefined {
    const e = this.find(sequence);
    return e ? { sequence: e.sequence, header: copyHeader(e.header), body: e.body } : undefined;
  }

  unpersistedCount(): number {
    return this.entries.length - this.head;
  }

  lastPersisted(): bigint {
    return this.persistedSeq;
  }

  lowestUnpersisted(): bigint | undefined {
    return this.head < this.entries.length ? this.entries[this.head]!.sequence : undefined;
  }

  lastSequence(): bigint {
    return this.lastAssigned;
  }

  flush(timeoutMs?: number): Promise<void> {
    if (this.head >= this.entries.length) return Promise.resolve();
    const target = this.entries[this.entries.length - 1]!.sequence;
    return this.wait(() => this.head >= this.entries.length || this.entries[this.head]!.sequence > target, timeoutMs, 'flush');
  }

  setResizeHandler(handler: ResizeHandler | undefined): void {
    this.resizeHandler = handler;
  }

  get capacityBytes(): number {
    return this.capacity;
  }

  get usedBytes(): number {
    return this.used;
  }

  whenSpaceAvailable(bytes: number, timeoutMs?: number): Promise<void> {
    const need = bytes + ENTRY_OVERHEAD;
    return this.wait(() => this.used + need <= this.capacity, timeoutMs, 'whenSpaceAvailable');
  }

  async storeWhenSpace(header: H, body: Uint8Array, timeoutMs?: number): Promise<bigint> {
    const deadline = timeoutMs === undefined ? undefined : Date.now() + timeoutMs;
    for (;;) {
      try {
        return this.store(header, body);
      } catch (e) {
        if (!(e instanceof PublishStoreFullException)) throw e;
        if (body.byteLength + ENTRY_OVERHEAD > this.capacity) throw e; // acks cannot make room for it
        await this.whenSpaceAvailable(body.byteLength, deadline === undefined ? undefined : Math.max(0, deadline - Date.now()));
      }
    }
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    const waiters = this.waiters;
    this.waiters = [];
    for (const w of waiters) {
      if (w.timer) clearTimeout(w.timer);
      w.reject(new StoreClosedException('publish store closed'));
    }
    this.closeStorage();
  }

  /** Recovery (file stores): re-adds a message read back from storage, bypassing persistence and capacity. */
  protected restoreEntry(sequence: bigint, header: H, body: Uint8Array, diskBytes: number): void {
    if (sequence <= this.persistedSeq) return;
    if (this.entries.length > this.head && this.entries[this.entries.length - 1]!.sequence >= sequence) return;
    const size = body.byteLength + ENTRY_OVERHEAD;
    this.entries.push({ sequence, header, body, size, diskBytes });
    this.used += size;
    if (sequence > this.lastAssigned) this.lastAssigned = sequence;
  }

  /** Recovery: applies a discard marker read back from storage. */
  protected restoreDiscard(sequence: bigint): void {
    if (sequence <= this.persistedSeq) return;
    this.persistedSeq = sequence;
    if (sequence > this.lastAssigned) this.lastAssigned = sequence;
    while (this.head < this.entries.length && this.entries[this.head]!.sequence <= sequence) {
      this.used -= this.entries[this.head]!.size;
      this.head++;
    }
    if (this.head === this.entries.length) {
      this.entries = [];
      this.head = 0;
    }
  }

  /** Recovery: makes sure the next sequence is above `sequence`. */
  protected restoreLastSequence(sequence: bigint): void {
    if (sequence > this.lastAssigned) this.lastAssigned = sequence;
  }

  /** Live entries in sequence order (for compaction). */
  protected liveEntries(): ReadonlyArray<Entry<H>> {
    return this.entries.slice(this.head);
  }

  private grow(requested: number): void {
    const handler = this.resizeHandler;
    const answer = handler
      ? handler({
          requestedBytes: requested,
          usedBytes: this.used,
          capacityBytes: this.capacity,
          unpersistedCount: this.unpersistedCount(),
        })
      : false;
    if (answer === true) {
      let c = Math.max(this.capacity, 1);
      while (c < requested) c *= 2;
      this.capacity = c;
    } else if (typeof answer === 'number' && answer >= requested) {
      this.capacity = answer;
    } else {
      throw new PublishStoreFullException(requested, this.capacity);
    }
    this.wake();
  }

  private find(sequence: bigint): Entry<H> | undefined {
    let lo = this.head;
    let hi = this.entries.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const s = this.entries[mid]!.sequence;
      if (s === sequence) return this.entries[mid];
      if (s < sequence) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  }

  private wait(done: () => boolean, timeoutMs: number | undefined, what: string): Promise<void> {
    if (this.closed) return Promise.reject(new StoreClosedException('publish store is closed'));
    if (done()) return Promise.resolve();
    return new Promise<void>((resolve, reject) => {
      const w: Waiter = { done, resolve, reject };
      if (timeoutMs !== undefined) {
        w.timer = setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new TimedOutException(`publish store ${what} timed out after ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.waiters.push(w);
    });
  }

  private wake(): void {
    if (this.waiters.length === 0) return;
    const still: Waiter[] = [];
    for (const w of this.waiters) {
      if (w.done()) {
        if (w.timer) clearTimeout(w.timer);
        w.resolve();
      } else still.push(w);
    }
    this.waiters = still;
  }
}

/**
 * Keeps unpersisted messages in process memory: survives disconnects and failover, not a restart of the process.
 * One client at a time.
 */
export class MemoryPublishStore<H extends StoreHeader = Header> extends BasePublishStore<H> {
  protected persistStore(): number {
    return 0;
  }
  protected persistDiscard(): void {}
  protected closeStorage(): void {}
}
