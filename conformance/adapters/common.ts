// Pieces every in-process adapter needs: a buffered Subscription, a disconnect latch, bookmark symbols,
// named stores that outlive sessions.

import type { AdapterErrorInfo, ReceivedMessage, Subscription } from '../types.js';

/** A Subscription whose messages the adapter pushes; ack/discard/close are delegated. */
export class BufferedSubscription implements Subscription {
  readonly messages: ReceivedMessage[] = [];
  private listener: ((message: ReceivedMessage) => void) | undefined;

  constructor(
    readonly id: string,
    private readonly ops: {
      ack?: (m: ReceivedMessage, options?: string) => Promise<void> | void;
      discard?: (m: ReceivedMessage) => Promise<void> | void;
      close: () => Promise<void> | void;
    },
  ) {}

  push(message: ReceivedMessage): void {
    this.messages.push(message);
    this.listener?.(message);
  }

  /** Calls `listener` for every message pushed from now on (the driver server forwards them at once). */
  onPush(listener: (message: ReceivedMessage) => void): void {
    this.listener = listener;
  }

  async ack(message: ReceivedMessage, options?: string): Promise<void> {
    if (!this.ops.ack) throw new Error('this client cannot acknowledge queue messages');
    await this.ops.ack(message, options);
  }

  async discard(message: ReceivedMessage): Promise<void> {
    if (!this.ops.discard) throw new Error('this client has no bookmark store discard');
    await this.ops.discard(message);
  }

  async close(): Promise<void> {
    await this.ops.close();
  }
}

/** Resolves once with the first reported connection loss. */
export class DisconnectLatch {
  readonly promise: Promise<AdapterErrorInfo>;
  private resolveFn!: (e: AdapterErrorInfo) => void;
  private done = false;
  /** Set while the session itself is disconnecting: losses are then not reported. */
  closing = false;

  constructor() {
    this.promise = new Promise((r) => (this.resolveFn = r));
  }

  report(error: AdapterErrorInfo): void {
    if (this.done || this.closing) return;
    this.done = true;
    this.resolveFn(error);
  }
}

/** Maps the symbolic bookmarks scenarios use to a client's constants; anything else passes through. */
export function mapBookmark(bookmark: string | undefined, constants: { EPOCH: string; NOW: string; MOST_RECENT: string }): string | undefined {
  if (bookmark === undefined) return undefined;
  if (bookmark === 'EPOCH') return constants.EPOCH;
  if (bookmark === 'NOW') return constants.NOW;
  if (bookmark === 'MOST_RECENT') return constants.MOST_RECENT;
  return bookmark;
}

/** Named objects (bookmark and publish stores) shared by every session of one adapter. */
export class NamedStores<T> {
  private readonly stores = new Map<string, T>();
  constructor(private readonly create: (name: string) => T) {}
  get(name: string): T {
    let s = this.stores.get(name);
    if (s === undefined) {
      s = this.create(name);
      this.stores.set(name, s);
    }
    return s;
  }
  clear(): void {
    this.stores.clear();
  }
}

/** Normalises the command name of a delivered message (`p` → `publish`). */
export function normaliseCommand(c: string | undefined): string {
  if (c === 'p') return 'publish';
  return c ?? '';
}

/** Drops undefined fields (so results stay plain JSON). */
export function compact<T extends object>(o: T): T {
  for (const k of Object.keys(o) as Array<keyof T>) if (o[k] === undefined || o[k] === null || o[k] === '') delete o[k];
  return o;
}
