// DefaultSubscriptionManager: remembers handler-mode subscriptions and re-enters them after a reconnect.
//
// The Client calls subscribe() for every subscription command run with a handler (MessageStreams are never
// tracked: a stream ends when its connection is lost, like the official clients' iterator semantics),
// unsubscribe()/clear() when the application unsubscribes, and resubscribe(client) as the last recovery step
// after a logon.
//
// Re-entering a subscription re-sends the command as originally submitted (topic, filter, options, ...; a
// sow_and_subscribe re-issues the SOW query in full) with a new command id and the same subscription id, with
// `replace` removed from its options. A bookmark subscription resumes from the bookmark store's recovery point
// (MOST_RECENT, which the client resolves per subscription id); a bookmark range keeps its end and starts after
// the recovery point. Without a bookmark store, a bookmark subscription resumes after the last bookmark its
// handler received (so a reconnect neither skips nor repeats messages).

import type { Header } from '../../generated/header-fields.js';
import { DisconnectedException } from '../../generated/errors.js';
import { EPOCH, MOST_RECENT, parseBookmarkRange } from '../wire/bookmark.js';
import type { Client } from '../client/client.js';
import type { Message } from '../client/message.js';
import type { CommandLike, MessageHandler, SubscriptionManager } from '../client/types.js';

export interface SubscriptionManagerOptions {
  /**
   * Milliseconds to wait for each subscription's ack when re-entering it (0 = the client's default timeout).
   * A timed-out resubscription counts as a failed recovery: the connection is dropped and recovery starts over.
   */
  readonly resubscriptionTimeout?: number;
  /**
   * Called when the server rejects a re-entered subscription (e.g. the topic is no longer allowed). The
   * subscription is dropped from the manager; return true to abort recovery instead (the connection is retried).
   * Default: report the error to the client's exception listener and carry on.
   */
  readonly onResubscribeFailure?: (subId: string, command: CommandLike, error: unknown) => boolean | void;
}

interface Tracked {
  readonly subId: string;
  readonly commandName: string;
  readonly header: Header & Record<string, unknown>;
  readonly data: CommandLike['data'];
  /** The handler the client calls (records the last bookmark delivered in `cell`). */
  readonly wrapped: MessageHandler;
  readonly cell: BookmarkCell;
  readonly requestedAcks: string;
}

interface BookmarkCell {
  last: string | undefined;
}

/** What building a resubscribe command needs from the client (structural: an HAClient fits too). */
type BookmarkStoreOwner = Pick<Client, 'getBookmarkStore'>;

const BOOKMARK_COMMANDS = new Set(['subscribe', 'delta_subscribe']);

export class DefaultSubscriptionManager implements SubscriptionManager {
  private readonly subs = new Map<string, Tracked>();
  private readonly timeout: number;
  private readonly onFailure: SubscriptionManagerOptions['onResubscribeFailure'];
  private resubscribing = false;
  private readonly cells = new WeakMap<MessageHandler, BookmarkCell>();

  constructor(options: SubscriptionManagerOptions = {}) {
    this.timeout = options.resubscriptionTimeout ?? 0;
    this.onFailure = options.onResubscribeFailure;
  }

  subscribe(handler: MessageHandler, command: CommandLike, requestedAckTypes: string): void {
    const h = command.header as Header & Record<string, unknown>;
    const subId = h.subscriptionId as string | undefined;
    if (subId === undefined || subId === '') return;
    const existing = this.subs.get(subId);
    // Our own re-entry passes the wrapped handler back in: keep the entry (and its last bookmark).
    if (existing !== undefined && (existing.wrapped === handler || this.resubscribing)) return;
    const wrapped = this.isWrapped(handler) ? handler : this.wrapHandler(handler);
    this.subs.set(subId, {
      subId,
      commandName: (command.commandName ?? (h.command as string)) as string,
      header: { ...h },
      data: command.data,
      wrapped,
      cell: this.cells.get(wrapped)!,
      requestedAcks: requestedAckTypes,
    });
  }

  /**
   * Wraps a subscription handler so the manager learns the last bookmark it delivered (used to resume a bookmark
   * subscription when no bookmark store is set). HAClient wraps handlers before subscribing.
   */
  wrapHandler(handler: MessageHandler): MessageHandler {
    if (this.isWrapped(handler)) return handler;
    const cell: BookmarkCell = { last: undefined };
    const wrapped = (m: Message): void => {
      const h = m.header;
      if (h.command === 'publish') {
        const bm = h.bookmark as string | undefined;
        if (bm !== undefined) cell.last = bm;
      }
      handler(m);
    };
    this.cells.set(wrapped, cell);
    return wrapped;
  }

  isWrapped(handler: MessageHandler): boolean {
    return this.cells.has(handler);
  }

  unsubscribe(subId: string): void {
    this.subs.delete(subId);
  }

  clear(): void {
    this.subs.clear();
  }

  /** Subscription ids currently tracked. */
  get subscriptionIds(): string[] {
    return [...this.subs.keys()];
  }

  get size(): number {
    return this.subs.size;
  }

  /** The command that would be re-sent for a subscription (for inspection and tests). */
  resubscribeCommand(subId: string, client: BookmarkStoreOwner): CommandLike | undefined {
    const e = this.subs.get(subId);
    return e === undefined ? undefined : this.buildCommand(e, client);
  }

  async resubscribe(client: Client): Promise<void> {
    const entries = [...this.subs.values()];
    if (entries.length === 0) return;
    this.resubscribing = true;
    try {
      const results = await Promise.allSettled(
        entries.map((e) =>
          client.executeAsync(this.buildCommand(e, client), e.wrapped, this.timeout > 0 ? { timeout: this.timeout } : {}),
        ),
      );
      let abort: unknown;
      for (let i = 0; i < results.length; i++) {
        const r = results[i]!;
        if (r.status === 'fulfilled') continue;
        const e = entries[i]!;
        const err = r.reason as unknown;
        if (err instanceof DisconnectedException || (err as { name?: string })?.name === 'TimedOutException') {
          abort ??= err;
          continue;
        }
        // The server refused it: keep recovery going, tell the application.
        this.subs.delete(e.subId);
        const stop = this.onFailure?.(e.subId, { commandName: e.commandName, header: e.header, data: e.data }, err);
        if (stop === true) abort ??= err;
        else if (this.onFailure === undefined) {
          (client as unknown as { reportException(e: unknown): void }).reportException(err);
        }
      }
      if (abort !== undefined) throw abort;
    } finally {
      this.resubscribing = false;
    }
  }

  private buildCommand(e: Tracked, client: BookmarkStoreOwner): CommandLike {
    const h = { ...e.header } as Header & Record<string, unknown>;
    delete h.commandId;
    delete h.queryId;
    h.subscriptionId = e.subId;
    const opts = h.options as string | undefined;
    if (opts !== undefined) {
      const kept = opts
        .split(',')
        .map((o) => o.trim())
        .filter((o) => o !== '' && o !== 'replace');
      if (kept.length > 0) h.options = kept.join(',');
      else delete h.options;
    }
    if (e.requestedAcks !== '') h.ackType = e.requestedAcks;
    else delete h.ackType;
    const bm = h.bookmark as string | undefined;
    if (bm !== undefined && BOOKMARK_COMMANDS.has(e.commandName)) {
      h.bookmark = this.resumeBookmark(bm, e, client);
    }
    return { commandName: e.commandName, header: h, data: e.data } as CommandLike;
  }

  /**
   * Where a bookmark subscription resumes:
   * - a bookmark store with a recovery point for the subscription: MOST_RECENT (the client substitutes the
   *   point), or the original range (the client moves its start to the point);
   * - otherwise, after the last bookmark the handler received (no store, or a store that knows nothing yet,
   *   e.g. messages not discarded);
   * - otherwise (nothing received yet) the original bookmark: NOW stays NOW rather than becoming EPOCH.
   */
  private resumeBookmark(original: string, e: Tracked, client: BookmarkStoreOwner): string {
    const range = parseBookmarkRange(original);
    const store = client.getBookmarkStore();
    if (store !== undefined) {
      const point = store.getMostRecent(e.subId);
      if (point !== undefined && point !== '' && point !== EPOCH) return range === undefined ? MOST_RECENT : original;
      if (original === MOST_RECENT || original === EPOCH) return original;
    }
    const last = e.cell.last;
    if (last === undefined) return original;
    if (range !== undefined) return `(${last}:${range.end}${range.endInclusive ? ']' : ')'}`;
    return last;
  }
}
