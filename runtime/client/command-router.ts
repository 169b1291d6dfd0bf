// Command router: the route table for in-flight commands and subscriptions. One per Client.
//
// A route is registered when a command is sent that expects something back (acks, deliveries, query results),
// under its command id and also its subscription id and query id. Inbound messages find their route:
// acks by command id (`cid`), else query id, else subscription id; deliveries (`p`, `oof`, `delta`) by each id in
// `sids` (else `sub_id`); `sow` records and group_begin/group_end by query id. The route settles the caller's
// promise on the ack it waits for, times out, is cancelled (unsubscribe, stream closed) or failed (failure ack,
// connection lost). What the router cannot place goes back to the client through RouterHost.

import type { Header } from '../../generated/header-fields.js';
import {
  CommandException,
  DisconnectedException,
  RetryOperationException,
  TimedOutException,
  exceptionForReason,
} from '../../generated/errors.js';
import type { Transport } from '../transport/transport.js';
import { ACK_BITS, COMPLETED, GROUP_END, PERSISTED, PROCESSED, STATS, ackList } from './ack-bits.js';
import { QUERY_COMMANDS, SUBSCRIBE_COMMANDS, WRITE_COMMANDS } from './command-kinds.js';
import { Message, type MessageOwner } from './message.js';
import type { MessageStream } from './message-stream.js';
import type { ClientBookmarkStore, MessageHandler } from './types.js';

/** What the router needs from the client. */
export interface RouterHost {
  /** The open connection (for the `unsubscribe` that cancels a timed-out subscription), undefined when none. */
  currentTransport(): Transport | undefined;
  /** True while a connection is open and not still connecting. */
  isOpen(): boolean;
  newCommandId(): string;
  /** Errors no caller can catch (handler exceptions, late failures). */
  reportException(e: unknown): void;
  /** Messages no route claims. */
  lastChance(msg: Message): void;
  /** A rejected write: to the failed-write handler, else the last-chance handler. */
  failedWrite(msg: Message, reason: string): void;
  /** A `persisted` ack carrying a publish sequence number (publish store bookkeeping). */
  publishPersisted(h: Header & Record<string, unknown>, body: Uint8Array): void;
  /** A tracked subscription failed after it was acknowledged: the subscription manager forgets it. */
  forgetTracked(subId: string): void;
  bookmarkStore(): ClientBookmarkStore | undefined;
  autoAck(): boolean;
}

/** One command waiting for acks and/or receiving messages. */
interface Route {
  readonly commandId: string;
  readonly command: string;
  readonly subId: string | undefined;
  readonly queryId: string | undefined;
  readonly subscription: boolean;
  /** Acks the application asked to see (delivered to its handler / stream). */
  readonly userAcks: number;
  /** Acks still expected before a non-subscription command is complete. */
  remaining: number;
  /** Ack that settles the promise (0: settled when sent). */
  readonly resolveOn: number;
  /** Settle with the first ack whatever its status (logon). */
  readonly raw: boolean;
  handler: MessageHandler | undefined;
  stream: MessageStream | undefined;
  bookmarkSub: boolean;
  maxBacklog: number | undefined;
  pending: { resolve(ack: Message | undefined): void; reject(e: unknown): void } | undefined;
  timer: ReturnType<typeof setTimeout> | undefined;
  closed: boolean;
  /** The route this one took the subscription id from (replace, or a duplicate id the server may refuse). */
  previous: Route | undefined;
}

/** How a command is tracked: which acks it asked for and requests, which one settles it, where results go. */
export interface SendSpec {
  userAcks: number;
  requestAcks: number;
  resolveOn: number;
  raw?: boolean;
  handler?: MessageHandler;
  stream?: MessageStream;
  timeout: number;
  bookmarkSub?: boolean;
}

export class CommandRouter {
  private readonly routes = new Map<string, Route>();

  /** `owner`: what the messages built here acknowledge and discard through (the client). */
  constructor(
    private readonly host: RouterHost,
    private readonly owner: MessageOwner,
  ) {}

  /**
   * Registers a route (when anything will come back), sends on `t`, and waits for the settling ack. The caller
   * checked that the connection is usable.
   */
  send(t: Transport, header: Header, body: Uint8Array | string | undefined, spec: SendSpec): Promise<Message | undefined> {
    const h = header as Header & Record<string, unknown>;
    const command = h.command as string;
    const commandId = h.commandId as string;
    const subscription = SUBSCRIBE_COMMANDS.has(command);
    const query = QUERY_COMMANDS.has(command);
    let remaining = spec.requestAcks;
    if (WRITE_COMMANDS.has(command)) remaining &= ~PERSISTED; // conflated persisted acks carry `s`, not `cid`
    if (query && !subscription && (remaining & (COMPLETED | STATS)) === 0) remaining |= GROUP_END;
    const needsRoute = subscription || query || remaining !== 0 || spec.handler !== undefined;
    if (!needsRoute) {
      t.send(header, body);
      spec.stream?.end();
      return Promise.resolve(undefined);
    }
    const route: Route = {
      commandId,
      command,
      subId: subscription ? (h.subscriptionId as string) : undefined,
      queryId: query ? (h.queryId as string) : undefined,
      subscription,
      userAcks: spec.userAcks,
      remaining,
      resolveOn: spec.resolveOn,
      raw: spec.raw === true,
      handler: spec.handler,
      stream: spec.stream,
      bookmarkSub: spec.bookmarkSub === true,
      maxBacklog: undefined,
      pending: undefined,
      timer: undefined,
      closed: false,
      previous: undefined,
    };
    this.routes.set(commandId, route);
    if (route.subId !== undefined) {
      const prev = this.routes.get(route.subId);
      if (prev !== undefined && prev !== route && prev.subscription) route.previous = prev;
      this.routes.set(route.subId, route);
    }
    if (route.queryId !== undefined) this.routes.set(route.queryId, route);
    const settled =
      spec.resolveOn === 0
        ? Promise.resolve(undefined)
        : new Promise<Message | undefined>((resolve, reject) => {
            route.pending = { resolve, reject };
          });
    try {
      t.send(header, body);
    } catch (e) {
      this.dropRoute(route, false);
      return Promise.reject(e);
    }
    if (spec.resolveOn !== 0 && spec.timeout > 0) {
      route.timer = setTimeout(() => this.onCommandTimeout(route, spec.timeout), spec.timeout);
    }
    if (spec.resolveOn === 0 && route.remaining === 0 && !subscription && !query) this.dropRoute(route, false);
    return settled;
  }

  private onCommandTimeout(route: Route, ms: number): void {
    route.timer = undefined;
    const pending = route.pending;
    if (pending === undefined) return;
    route.pending = undefined;
    const error = new TimedOutException(`no ${ackList(route.resolveOn)} ack for ${route.command} ${route.commandId} within ${ms} ms`);
    this.dropRoute(route, false);
    route.stream?.end(error);
    if (route.subscription || route.queryId !== undefined) {
      const t = this.host.currentTransport();
      try {
        t?.send({
          command: 'unsubscribe',
          commandId: this.host.newCommandId(),
          subscriptionId: route.subId ?? route.queryId ?? route.commandId,
        } as Header);
      } catch {
        // disconnected meanwhile
      }
    }
    pending.reject(error); // executeAsync tells the subscription manager
  }

  /** Removes a route from the maps; `endStream` ends its stream normally. */
  private dropRoute(route: Route, endStream: boolean): void {
    route.closed = true;
    const prev = route.previous;
    if (prev !== undefined) {
      // The new command did not take over (failed, timed out, closed): the earlier subscription keeps its id.
      route.previous = undefined;
      if (!prev.closed && route.subId !== undefined && this.routes.get(route.subId) === route) {
        this.routes.set(route.subId, prev);
        if (this.routes.get(route.commandId) === route) this.routes.delete(route.commandId);
        if (route.queryId !== undefined && route.queryId !== route.subId && this.routes.get(route.queryId) === route) {
          this.routes.delete(route.queryId);
        }
        if (route.timer !== undefined) clearTimeout(route.timer);
        route.timer = undefined;
        if (endStream) route.stream?.end();
        return;
      }
    }
    if (route.timer !== undefined) {
      clearTimeout(route.timer);
      route.timer = undefined;
    }
    if (this.routes.get(route.commandId) === route) this.routes.delete(route.commandId);
    if (route.subId !== undefined && this.routes.get(route.subId) === route) this.routes.delete(route.subId);
    if (route.queryId !== undefined && this.routes.get(route.queryId) === route) this.routes.delete(route.queryId);
    if (endStream) route.stream?.end();
  }

  /** The application unsubscribed: the stream ends normally; a command still waiting for its ack rejects. */
  private cancelRoute(route: Route): void {
    this.dropRoute(route, true);
    const pending = route.pending;
    if (pending !== undefined) {
      route.pending = undefined;
      pending.reject(new CommandException(`${route.command} ${route.commandId} was unsubscribed before it was acknowledged`, {
        command: route.command,
        commandId: route.commandId,
      }));
    }
  }

  /** Ends a route with an error: its waiting caller rejects, its stream throws (else `report` reports it). */
  private failRoute(route: Route, error: unknown, report: boolean): void {
    this.dropRoute(route, false);
    const pending = route.pending;
    route.pending = undefined;
    if (route.stream !== undefined) route.stream.end(error);
    if (pending !== undefined) pending.reject(error);
    else if (report && route.stream === undefined) this.host.reportException(error);
  }

  /** The connection is gone: every route fails with `error` (without reporting it). */
  failAll(error: unknown): void {
    const routes = new Set(this.routes.values());
    this.routes.clear();
    for (const r of routes) this.failRoute(r, error, false);
  }

  /** Unsubscribe from everything: every subscription route is cancelled. */
  cancelAll(): void {
    const all = new Set(this.routes.values());
    for (const r of all) r.previous = undefined;
    for (const r of all) if (r.subscription) this.cancelRoute(r);
  }

  /** Unsubscribe `subId`: its route (and any it replaced) is cancelled. */
  cancel(subId: string): void {
    for (let r = this.routes.get(subId); r !== undefined && r.subscription; r = this.routes.get(subId)) {
      this.cancelRoute(r);
    }
  }

  /**
   * The application closed `stream`: its route goes. Returns the subscription / query id to unsubscribe when the
   * connection is open (a command still waiting for its ack then rejects), else undefined.
   */
  detachStream(stream: MessageStream): string | undefined {
    const route = this.routes.get(stream.commandId);
    if (route === undefined || route.stream !== stream) return undefined;
    const id = route.subId ?? route.queryId;
    this.dropRoute(route, true);
    if (id === undefined || !this.host.isOpen()) return undefined;
    if (route.pending !== undefined) {
      route.pending.reject(new DisconnectedException('stream closed'));
      route.pending = undefined;
    }
    return id;
  }

  /** The `max_backlog` the server granted a subscription (from its processed ack), if any. */
  maxBacklog(subId: string): number | undefined {
    return this.routes.get(subId)?.maxBacklog;
  }

  /** A `publish` / `oof` / `delta`: to each route in `sids` (else `sub_id`). */
  onDelivery(h: Header & Record<string, unknown>, body: Uint8Array): void {
    const sids = h.subscriptionIds as string | undefined;
    if (sids !== undefined) {
      if (sids.indexOf(',') < 0) {
        const r = this.routes.get(sids);
        if (r === undefined) return this.host.lastChance(new Message(h, body, this.owner));
        if (h.subscriptionId === undefined) h.subscriptionId = sids;
        this.deliver(r, h, body);
        return;
      }
      let delivered = false;
      for (const raw of sids.split(',')) {
        const sid = raw.trim();
        const r = this.routes.get(sid);
        if (r === undefined) continue;
        delivered = true;
        this.deliver(r, { ...h, subscriptionId: sid } as Header & Record<string, unknown>, body);
      }
      if (!delivered) this.host.lastChance(new Message(h, body, this.owner));
      return;
    }
    const sub = h.subscriptionId as string | undefined;
    const r = sub !== undefined ? this.routes.get(sub) : undefined;
    if (r === undefined) return this.host.lastChance(new Message(h, body, this.owner));
    this.deliver(r, h, body);
  }

  /** A `sow` record or group_begin / group_end: to the route of its query id. */
  onQueryMessage(h: Header & Record<string, unknown>, body: Uint8Array): void {
    const qid = (h.queryId ?? h.subscriptionId) as string | undefined;
    const r = qid !== undefined ? this.routes.get(qid) : undefined;
    if (r === undefined) return this.host.lastChance(new Message(h, body, this.owner));
    if (r.subId !== undefined && h.subscriptionId === undefined) h.subscriptionId = r.subId;
    // A query is complete only after its group: a `completed` ack that overtook group_end waits for it.
    if (h.command === 'group_begin' && !r.subscription) r.remaining |= GROUP_END;
    this.deliver(r, h, body);
    if (h.command === 'group_end' && (r.remaining & GROUP_END) !== 0) {
      r.remaining &= ~GROUP_END;
      if (r.remaining === 0 && !r.subscription) this.completeRoute(r);
    }
  }

  private deliver(r: Route, h: Header & Record<string, unknown>, body: Uint8Array): void {
    if (r.bookmarkSub && h.bookmark !== undefined && h.leasePeriod === undefined && h.command === 'publish') {
      const store = this.host.bookmarkStore();
      if (store !== undefined && store.log(r.subId!, h.bookmark as string) < 0) return; // replayed duplicate
    }
    const msg = new Message(h, body, this.owner);
    const stream = r.stream;
    if (stream !== undefined) {
      stream.push(msg);
      return;
    }
    const handler = r.handler;
    if (handler === undefined) return;
    if (h.leasePeriod !== undefined && this.host.autoAck()) {
      try {
        handler(msg);
      } catch (e) {
        if (!msg.acked) msg.ack('cancel');
        this.host.reportException(e);
        return;
      }
      if (!msg.acked) msg.ack();
      return;
    }
    try {
      handler(msg);
    } catch (e) {
      this.host.reportException(e);
    }
  }

  /** An ack: to the route of its `cid`, else query id, else subscription id; settles and completes commands. */
  onAck(h: Header & Record<string, unknown>, body: Uint8Array): void {
    const bit = ACK_BITS[h.ackType as string] ?? 0;
    const cid = h.commandId as string | undefined;
    let r = cid !== undefined ? this.routes.get(cid) : undefined;
    if (r === undefined) {
      const qid = h.queryId as string | undefined;
      if (qid !== undefined) r = this.routes.get(qid);
      if (r === undefined) {
        const sid = h.subscriptionId as string | undefined;
        if (sid !== undefined) r = this.routes.get(sid);
      }
    }
    if (bit === PERSISTED && h.sequence !== undefined && (r === undefined || WRITE_COMMANDS.has(r.command))) {
      this.host.publishPersisted(h, body);
      if (r === undefined) return;
    }
    if (r === undefined) {
      const status = h.status as string | undefined;
      const msg = new Message(h, body, this.owner);
      if (status === 'failure' && h.sequence !== undefined) {
        this.host.failedWrite(msg, (h.reason as string | undefined) ?? 'failure');
        return;
      }
      this.host.lastChance(msg);
      return;
    }
    const msg = new Message(h, body, this.owner);
    const status = h.status as string | undefined;
    if (r.raw) {
      const p = r.pending;
      r.pending = undefined;
      this.dropRoute(r, false);
      p?.resolve(msg);
      return;
    }
    if (status === 'failure' || status === 'retry') {
      if (r.userAcks & bit) this.toRoute(r, msg);
      const reason = (h.reason as string | undefined) ?? status;
      const error =
        status === 'retry'
          ? new RetryOperationException(`${r.command} must be retried${reason !== 'retry' ? `: ${reason}` : ''}`)
          : exceptionForReason(reason, { command: r.command, commandId: r.commandId });
      if (WRITE_COMMANDS.has(r.command) && r.pending === undefined && r.stream === undefined && r.handler === undefined) {
        this.dropRoute(r, false);
        this.host.failedWrite(msg, reason);
        return;
      }
      // A failure while the caller waits is reported by executeAsync; a later one ends a tracked subscription here.
      if (r.subscription && r.pending === undefined) this.host.forgetTracked(r.subId!);
      this.failRoute(r, error, true);
      return;
    }
    if (bit === PROCESSED && r.subscription) {
      const opts = h.options as string | undefined;
      if (opts !== undefined) {
        const mb = /(?:^|,)\s*max_backlog=(\d+)/.exec(opts);
        if (mb) r.maxBacklog = Number(mb[1]);
      }
    }
    if (bit === PERSISTED && r.bookmarkSub && h.bookmark !== undefined && r.subId !== undefined) {
      const store = this.host.bookmarkStore();
      if (store !== undefined) {
        try {
          store.persisted(r.subId, h.bookmark as string);
        } catch (e) {
          this.host.reportException(e);
        }
      }
    }
    if (r.userAcks & bit) this.toRoute(r, msg);
    if (bit === r.resolveOn && r.previous !== undefined) {
      // The server accepted the command for an id that was already routed (`replace`): it takes over.
      const prev = r.previous;
      r.previous = undefined;
      this.dropRoute(prev, true);
    }
    if (bit === r.resolveOn && r.pending !== undefined) {
      const p = r.pending;
      r.pending = undefined;
      if (r.timer !== undefined) {
        clearTimeout(r.timer);
        r.timer = undefined;
      }
      p.resolve(msg);
    }
    r.remaining &= ~bit;
    if (!r.subscription && (r.remaining & ~GROUP_END) === 0 && (r.remaining & GROUP_END) === 0) this.completeRoute(r);
  }

  /** Delivers an ack (or other message) to a route's stream or handler. */
  private toRoute(r: Route, msg: Message): void {
    if (r.stream !== undefined) r.stream.push(msg);
    else if (r.handler !== undefined) {
      try {
        r.handler(msg);
      } catch (e) {
        this.host.reportException(e);
      }
    }
  }

  private completeRoute(r: Route): void {
    this.dropRoute(r, true);
    const p = r.pending;
    if (p !== undefined) {
      r.pending = undefined;
      p.resolve(undefined);
    }
  }

}
