// The protocol of one client connection: logon, command validation against the generated COMMAND_SPECS,
// dispatch to the broker/engine, acks (only those requested, in protocol order), heartbeats and conflated
// publish `persisted` acks. A bad command gets a failure ack (or is logged); it never throws out of here.

import type { Header } from '../../generated/header-fields.js';
import { COMMAND_SPECS, commandFromWire, isCommandName, type CommandName, type CommandSpec } from '../../generated/commands.js';
import { Reasons } from '../../generated/errors.js';
import { clientNameHash, formatBookmark, parseBookmarkRange, splitBookmarkList } from '../../runtime/wire/bookmark.js';
import type { InboundMessage } from '../../runtime/wire/message.js';
import type { SowRecord as WireSowRecord } from '../../runtime/wire/tcp-framing.js';
import {
  compileOptionalFilter,
  compileTopic,
  formatAmpsTimestamp,
  isEngineError,
  parseSowKeys,
  sliceBatches,
  sowAsOf,
  Conflator,
  parsePath,
  type PathStep,
  type CompiledFilter,
  type SowStore,
  type SowRecord,
  type TopicMatcher,
} from '../engine/index.js';
import type { Broker, SessionLike, Subscription } from './broker.js';
import type { Connection, OutBody } from './connection.js';
import { intOption, parseAcks, parseHeartbeatOptions, parseInterval, parseOptions, type AckKind, type ParsedOptions } from './options.js';

/** A failure that becomes a `status:"failure"` ack with this reason. */
export class CommandFailure extends Error {
  constructor(
    readonly reason: string,
    detail?: string,
  ) {
    super(detail ?? reason);
  }
}

export interface SessionHooks {
  log(level: 'info' | 'warn' | 'error', message: string): void;
  /** Fault injection state owned by the server (e.g. cut the next sow batch of any connection). */
  takeSowCut?(): boolean;
  /** The connection closed (after the session cleaned up). */
  closed?(reason: string): void;
}

const ACK_ORDER: readonly AckKind[] = ['received', 'processed', 'completed', 'persisted', 'stats'];

export class Session implements SessionLike {
  readonly id: number;
  clientName: string | undefined;
  userId: string | undefined;
  loggedOn = false;
  readonly subscriptions = new Map<string, Subscription>();
  private heartbeatMs = 0;
  private lastBeatSent = 0;
  private heartbeatTimer: NodeJS.Timeout | undefined;
  private pendingPersisted: bigint | undefined;
  private persistedTimer: NodeJS.Timeout | undefined;
  private persistedImmediate: NodeJS.Immediate | undefined;
  private ackConflationMs: number;
  private closing = false;

  constructor(
    readonly broker: Broker,
    readonly conn: Connection,
    private readonly hooks: SessionHooks,
  ) {
    this.id = conn.id;
    this.ackConflationMs = broker.config.ackConflationMs;
    broker.sessions.add(this);
    conn.attach({
      message: (m) => this.onMessage(m),
      protocolError: (err, fatal) =>
        this.hooks.log(fatal ? 'error' : 'warn', `connection ${this.describe()}: ${fatal ? 'closing: ' : ''}${err.message}`),
      close: (reason) => this.onClose(reason),
    });
  }

  get closed(): boolean {
    return this.conn.closed;
  }

  describe(): string {
    return `#${this.id} ${this.conn.transport} ${this.conn.remoteAddress}:${this.conn.remotePort}${this.clientName ? ` (${this.clientName})` : ''}`;
  }

  // ------------------------------------------------------------------------------------------------------
  // Output

  send(header: Header, body?: OutBody): void {
    this.conn.send(header, body);
  }

  sendSowBatch(batchHeader: Header, records: readonly WireSowRecord[]): void {
    if (this.hooks.takeSowCut?.()) this.conn.cutDuringNextSowBatch();
    this.conn.sendSowBatch(batchHeader, records);
  }

  private ack(h: Header, type: AckKind, extra: Partial<Header> = {}, status: 'success' | 'failure' = 'success', reason?: string): void {
    const a = { command: 'ack', ackType: type } as Header;
    if (h.commandId !== undefined) a.commandId = h.commandId;
    Object.assign(a, extra);
    a.status = status;
    if (reason !== undefined) a.reason = reason;
    this.send(a);
  }

  // ------------------------------------------------------------------------------------------------------
  // Input

  private onMessage(msg: InboundMessage): void {
    if (this.closing) return;
    const h = msg.header;
    try {
      this.dispatch(h, msg.body);
    } catch (err) {
      const reason = err instanceof CommandFailure ? err.reason : isEngineError(err) ? err.reason : Reasons.NOT_SUPPORTED;
      if (!(err instanceof CommandFailure) && !isEngineError(err)) {
        this.hooks.log('error', `connection ${this.describe()}: ${String(h.command)} failed: ${(err as Error).stack ?? String(err)}`);
      } else {
        this.hooks.log('warn', `connection ${this.describe()}: ${String(h.command)} failed: ${reason}${(err as Error).message !== reason ? ` (${(err as Error).message})` : ''}`);
      }
      this.fail(h, reason);
    }
  }

  /** Failure ack on `processed` if requested, else on the first requested ack; always for unknown commands with a cid. */
  private fail(h: Header, reason: string, extra: Partial<Header> = {}): void {
    if (this.conn.closed) return;
    const name = typeof h.command === 'string' ? commandFromWire(h.command) : undefined;
    const requested = this.requestedAcks(h, name !== undefined && isCommandName(name) ? COMMAND_SPECS[name] : undefined);
    let type: AckKind | undefined;
    if (requested.has('processed')) type = 'processed';
    else {
      for (const t of ACK_ORDER) {
        if (t !== 'received' && requested.has(t)) {
          type = t;
          break;
        }
      }
    }
    if (type === undefined && (name === undefined || !isCommandName(name)) && h.commandId !== undefined) type = 'processed';
    if (type === undefined) return;
    this.ack(h, type, extra, 'failure', reason);
  }

  private requestedAcks(h: Header, spec: CommandSpec | undefined): Set<AckKind> {
    const acks = parseAcks(typeof h.ackType === 'string' ? h.ackType : undefined);
    if (spec === undefined) return acks;
    for (const a of acks) if (!spec.allowedAcks.includes(a as never)) acks.delete(a);
    return acks;
  }

  private dispatch(h: Header, body: Uint8Array): void {
    const raw = h.command;
    if (typeof raw !== 'string' || raw === '') throw new CommandFailure(Reasons.NOT_SUPPORTED, 'message without a command');
    const name = commandFromWire(raw);
    if (name === undefined || !isCommandName(name)) {
      throw new CommandFailure(Reasons.NOT_SUPPORTED, `unknown command '${raw}'`);
    }
    const spec = COMMAND_SPECS[name];
    const acks = this.requestedAcks(h, spec);
    if (!this.loggedOn && name !== 'logon') {
      if (this.broker.config.users.length > 0) {
        this.fail(h, Reasons.LOGON_REQUIRED);
        this.hooks.log('warn', `connection ${this.describe()}: ${name} before logon; closing`);
        this.conn.close('logon required');
        return;
      }
      this.implicitLogon();
    }
    // pause/resume name existing subscriptions by sub_id; a topic is not needed.
    const pauseOrResume = spec.opensSubscription && typeof h.options === 'string' && /\b(pause|resume)\b/.test(h.options);
    for (const f of spec.requiredFields) {
      if (pauseOrResume && f === 'topic') continue;
      const v = (h as Record<string, unknown>)[f];
      if (v === undefined || v === '') throw new CommandFailure(missingReason(f), `${name} without ${f}`);
    }
    if (acks.has('received')) this.ack(h, 'received', idsFor(name, h));
    switch (name) {
      case 'logon':
        return this.logon(h, acks);
      case 'publish':
      case 'delta_publish':
        return this.publish(name, h, body, acks);
      case 'subscribe':
      case 'delta_subscribe':
      case 'sow_and_subscribe':
      case 'sow_and_delta_subscribe':
        return this.subscribe(name, h, acks);
      case 'sow':
        return this.sow(h, acks);
      case 'sow_delete':
        return this.sowDelete(h, body, acks);
      case 'unsubscribe':
        return this.unsubscribe(h, acks);
      case 'flush':
        return this.flush(h, acks);
      case 'heartbeat':
        return this.heartbeat(h, acks);
      case 'start_timer':
      case 'stop_timer':
        if (acks.has('processed')) this.ack(h, 'processed');
        return;
      default: {
        const never: never = name;
        throw new CommandFailure(Reasons.NOT_SUPPORTED, `unhandled command ${String(never)}`);
      }
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // logon

  private implicitLogon(): void {
    this.loggedOn = true;
    this.clientName = `anonymous-${this.id}`;
  }

  private logon(h: Header, acks: Set<AckKind>): void {
    if (this.loggedOn) throw new CommandFailure(Reasons.DUPLICATE_LOGON_ATTEMPT);
    const cfg = this.broker.config;
    const user = typeof h.userId === 'string' ? h.userId : '';
    if (cfg.users.length > 0) {
      const u = cfg.users.find((x) => x.user === user);
      const pw = typeof h.password === 'string' ? h.password : '';
      if (u === undefined || u.password !== pw) {
        this.hooks.log('warn', `connection ${this.describe()}: logon of '${user}' rejected (${cfg.authFailureReason})`);
        this.ack(h, 'processed', {}, 'failure', cfg.authFailureReason);
        this.closeSoon('authentication failed');
        return;
      }
    }
    if (typeof h.messageType === 'string' && h.messageType !== '') {
      if (!cfg.messageTypes.includes(h.messageType)) {
        this.ack(h, 'processed', {}, 'failure', Reasons.INVALID_MESSAGE_TYPE);
        this.closeSoon('invalid message type');
        return;
      }
      this.conn.messageType = h.messageType;
    }
    const name = typeof h.clientName === 'string' && h.clientName !== '' ? h.clientName : `anonymous-${this.id}`;
    if (this.broker.hasTransactionLog) {
      const other = this.broker.clientNames.get(name);
      if (other !== undefined && other !== this && !other.closed) {
        if (cfg.nameInUse === 'reject') {
          this.hooks.log('warn', `connection ${this.describe()}: client name '${name}' in use; logon rejected`);
          this.ack(h, 'processed', { clientName: name }, 'failure', Reasons.NAME_IN_USE);
          this.closeSoon('name in use');
          return;
        }
        (other as Session).conn.close('name in use');
      }
      this.broker.clientNames.set(name, this);
    }
    this.clientName = name;
    this.userId = user;
    this.loggedOn = true;
    const opts = parseOptions(typeof h.options === 'string' ? h.options : undefined);
    const conflation = opts.get('ack_conflation');
    if (typeof conflation === 'string') {
      const ms = parseInterval(conflation);
      if (ms !== undefined) this.ackConflationMs = ms;
    }
    this.hooks.log('info', `connection ${this.describe()}: logged on${user ? ` as '${user}'` : ''}`);
    if (!acks.has('processed')) return;
    const seq = this.broker.lastSequence(name);
    this.ack(h, 'processed', {
      sequence: seq,
      clientName: name,
      bookmark: formatBookmark(clientNameHash(name), seq),
      version: cfg.version,
    } as Partial<Header>);
  }

  private closeSoon(reason: string): void {
    this.closing = true;
    const t = setTimeout(() => this.conn.close(reason), 20);
    t.unref?.();
  }

  // ------------------------------------------------------------------------------------------------------
  // publish

  private publish(name: 'publish' | 'delta_publish', h: Header, body: Uint8Array, acks: Set<AckKind>): void {
    const topic = h.topic as string;
    const seq = typeof h.sequence === 'bigint' ? h.sequence : undefined;
    const outcome = this.broker.publish({
      session: this,
      clientName: this.clientName ?? `anonymous-${this.id}`,
      command: name,
      topic,
      data: body,
      ...(seq !== undefined ? { sequence: seq } : {}),
      ...(typeof h.sowKey === 'string' && h.sowKey !== '' ? { sowKey: h.sowKey } : {}),
      ...(typeof h.expiration === 'number' ? { expiration: h.expiration } : {}),
      ...(typeof h.correlationId === 'string' ? { correlationId: h.correlationId } : {}),
    });
    if (outcome.duplicate) this.hooks.log('info', `connection ${this.describe()}: duplicate publish s=${String(seq)} dropped`);
    if (acks.has('processed')) this.ack(h, 'processed');
    if (acks.has('completed')) this.ack(h, 'completed');
    if (acks.has('persisted')) {
      if (seq !== undefined) this.notePersisted(seq);
      else this.ack(h, 'persisted');
    }
  }

  /** Conflated publish `persisted` acks: `s` = the highest sequence persisted (covers everything before). */
  notePersisted(sequence: bigint): void {
    if (this.pendingPersisted === undefined || sequence > this.pendingPersisted) this.pendingPersisted = sequence;
    if (this.persistedTimer !== undefined || this.persistedImmediate !== undefined) return;
    if (this.ackConflationMs <= 0) {
      this.persistedImmediate = setImmediate(() => {
        this.persistedImmediate = undefined;
        this.broker.guard(() => this.flushPersisted());
      });
    } else {
      this.persistedTimer = setTimeout(() => {
        this.persistedTimer = undefined;
        this.broker.guard(() => this.flushPersisted());
      }, this.ackConflationMs);
      this.persistedTimer.unref?.();
    }
  }

  private flushPersisted(): void {
    if (this.persistedTimer) clearTimeout(this.persistedTimer);
    if (this.persistedImmediate) clearImmediate(this.persistedImmediate);
    this.persistedTimer = undefined;
    this.persistedImmediate = undefined;
    const s = this.pendingPersisted;
    this.pendingPersisted = undefined;
    if (s === undefined || this.conn.closed) return;
    this.send({ command: 'ack', sequence: s, ackType: 'persisted', status: 'success' } as Header);
  }

  // ------------------------------------------------------------------------------------------------------
  // subscriptions

  private subscriptionKey(subId: string): string {
    return `${this.id}\u0000${subId}`;
  }

  private subscribe(name: CommandName, h: Header, acks: Set<AckKind>): void {
    const opts = parseOptions(typeof h.options === 'string' ? h.options : undefined);
    const isQuery = name === 'sow_and_subscribe' || name === 'sow_and_delta_subscribe';
    const delta = name === 'delta_subscribe' || name === 'sow_and_delta_subscribe';
    const subId = str(h.subscriptionId) ?? str(h.commandId) ?? str(h.queryId);
    if (subId === undefined) throw new CommandFailure(Reasons.INVALID_SUBID, 'subscribe without sub_id or cid');
    const queryId = str(h.queryId) ?? str(h.commandId) ?? subId;
    const ids: Partial<Header> = isQuery ? { subscriptionId: subId, queryId } : { subscriptionId: subId };

    // pause / resume (bookmark subscriptions; `sub_id` may be a comma list). A resumed subscription gets what
    // was logged while it was paused (replayed from the log), then continues live.
    let startPaused = false;
    if (opts.has('resume')) {
      for (const id of subId.split(',').map((x) => x.trim()).filter(Boolean)) this.resumeSubscription(id);
      if (acks.has('processed')) this.ack(h, 'processed', ids);
      return;
    }
    if (opts.has('pause')) {
      const list = subId.split(',').map((x) => x.trim()).filter(Boolean);
      const known = list.filter((id) => this.subscriptions.has(id));
      for (const id of known) this.pauseSubscription(id);
      if (known.length === list.length) {
        if (acks.has('processed')) this.ack(h, 'processed', ids);
        return;
      }
      startPaused = true; // a new subscription entered paused
    }

    const replace = opts.has('replace');
    const existing = this.subscriptions.get(subId);
    if (existing !== undefined && !replace) throw new CommandFailure(Reasons.SUBSCRIPTION_ALREADY_EXISTS);
    const topicText = h.topic as string;
    const topic = compileTopic(topicText, { literal: opts.has('non_regex_topic') });
    const filterText = typeof h.filter === 'string' ? h.filter : '';
    const filter = compileOptionalFilter(filterText);
    const queue = this.broker.queues.get(topicText);
    const bookmark = !isQuery && typeof h.bookmark === 'string' && h.bookmark !== '' ? h.bookmark : undefined;

    const sub: Subscription = existing ?? {
      key: this.subscriptionKey(subId),
      session: this,
      subId,
      commandId: str(h.commandId),
      topicText,
      topic,
      filter,
      filterText,
      delta,
      oof: false,
      noSowKey: false,
      timestamp: false,
      withBookmark: false,
      sendKeys: true,
      noEmpties: false,
      inRange: undefined,
      persistedAcks: false,
      lastPersistedBookmark: undefined,
      paused: false,
      pausedAt: undefined,
      delivered: undefined,
      queue: undefined,
      grantedBacklog: 0,
    };
    if (existing) {
      // replace: new topic/filter/options take effect atomically; queue leases are kept.
      this.broker.removeSubscriptionIndexOnly(existing);
      existing.topicText = topicText;
      existing.topic = topic;
      existing.filter = filter;
      existing.filterText = filterText;
      existing.delta = delta;
    }
    sub.oof = opts.has('oof');
    sub.noSowKey = opts.has('no_sowkey');
    sub.timestamp = opts.has('timestamp');
    sub.withBookmark = bookmark !== undefined || opts.has('bookmark');
    sub.sendKeys = !opts.has('no_keys');
    sub.noEmpties = opts.has('no_empties');
    const conflation = opts.get('conflation');
    if (typeof conflation === 'string' && conflation !== 'none' && queue === undefined) {
      const ms = conflation === 'auto' ? 100 : parseInterval(conflation);
      if (ms === undefined) throw new CommandFailure(Reasons.INVALID_OPTIONS, `bad conflation interval '${conflation}'`);
      const keyOpt = opts.get('conflation_key');
      const keys = typeof keyOpt === 'string'
        ? keyOpt.replace(/^\[|\]$/g, '').split(',').map((k) => parsePath(k.trim())).filter((p): p is PathStep[] => p !== undefined)
        : [];
      if (sub.conflation?.timer !== undefined) clearTimeout(sub.conflation.timer);
      sub.conflation = { conflator: new Conflator(ms, { clock: this.broker.clock }), keys, seq: 0 };
    } else if (sub.conflation !== undefined) {
      if (sub.conflation.timer !== undefined) clearTimeout(sub.conflation.timer);
      sub.conflation = undefined;
    }
    if (startPaused) {
      sub.paused = true;
      sub.pausedAt = this.broker.txlog.lastLogBookmark ?? '0|1|';
    }

    // Queue subscription.
    if (queue !== undefined) {
      const requested = intOption(opts, 'max_backlog');
      const granted = queue.subscribe(sub.key, {
        ...(filter !== undefined ? { filter } : {}),
        ...(requested !== undefined ? { maxBacklog: requested } : {}),
      }).grantedBacklog;
      sub.queue = queue;
      sub.grantedBacklog = granted;
      this.subscriptions.set(subId, sub);
      this.broker.addSubscription(sub);
      if (acks.has('processed')) this.ack(h, 'processed', { ...ids, options: `max_backlog=${granted}` } as Partial<Header>);
      if (acks.has('completed')) this.ack(h, 'completed', ids);
      this.broker.dispatchQueue(queue);
      return;
    }

    // Bookmark subscription: replay the log, then live (same event-loop turn: no gap, no duplicate).
    if (bookmark !== undefined) {
      if (!topic.isRegex && !this.broker.isLogged(topicText)) {
        if (existing) this.broker.addSubscription(existing);
        throw new CommandFailure(Reasons.INVALID_TOPIC, `topic '${topicText}' is not recorded in the transaction log`);
      }
      const notFound = opts.get('bookmark_not_found');
      const plan = this.broker.txlog.replay(bookmark, {
        topic,
        ...(filter !== undefined ? { filter } : {}),
        ...(notFound === 'now' || notFound === 'epoch' || notFound === 'fail' ? { notFound } : {}),
      });
      if (acks.has('processed')) this.ack(h, 'processed', ids);
      let last: string | undefined;
      for (const e of plan.messages) {
        const d = { command: 'publish', topic: e.topic, subscriptionIds: subId, bookmark: e.bookmark } as Header;
        if (e.sowKey !== undefined && !sub.noSowKey) d.sowKey = e.sowKey;
        if (e.correlationId !== undefined) d.correlationId = e.correlationId;
        if (sub.timestamp) d.timestamp = formatAmpsTimestamp(e.timestamp);
        this.send(d, e.doc);
        last = e.bookmark;
      }
      const position = this.broker.txlog.lastLogBookmark ?? last ?? bookmark;
      if (plan.completed) {
        if (existing) this.subscriptions.delete(subId);
        if (acks.has('completed')) this.ack(h, 'completed', { ...ids, bookmark: last ?? position } as Partial<Header>);
        return;
      }
      sub.inRange = (e) => plan.inRange(e);
      sub.rangeDone = () => {
        // A range whose end lies in the future: the end was reached live.
        if (this.subscriptions.get(subId) === sub) {
          this.subscriptions.delete(subId);
          this.broker.removeSubscription(sub);
        }
        if (acks.has('completed')) this.ack(h, 'completed', { ...ids, bookmark: this.broker.txlog.lastLogBookmark ?? position } as Partial<Header>);
      };
      sub.persistedAcks = acks.has('persisted');
      this.subscriptions.set(subId, sub);
      this.broker.addSubscription(sub);
      // A range ending in the future is completed when its end is reached (rangeDone), not after the replay.
      if (acks.has('completed') && parseBookmarkRange(bookmark) === undefined) {
        this.ack(h, 'completed', { ...ids, bookmark: position } as Partial<Header>);
      }
      return;
    }

    // sow_and_subscribe: the query and the registration happen in the same turn.
    if (isQuery) {
      const result = this.runQuery(h, topic, filter, opts, !topic.isRegex && !this.broker.sow.hasTopic(topicText));
      this.subscriptions.set(subId, sub);
      this.broker.addSubscription(sub);
      if (acks.has('processed')) this.ack(h, 'processed', ids);
      const previously = existing?.delivered;
      // replace re-runs the query but sends only the records the subscriber does not hold yet, and an oof
      // (if asked) for the ones that left the new filter.
      const toSend = previously ? { ...result, records: result.records.filter((r) => !previously.has(r.sowKey)) } : result;
      this.sendQuery(toSend, queryId, sub.noSowKey, sub.timestamp);
      const now = new Set(result.records.map((r) => r.sowKey));
      if (previously && sub.oof) {
        for (const key of previously) {
          if (now.has(key)) continue;
          const rec = findRecord(this.broker, key);
          if (!rec) continue;
          const o = { command: 'oof', topic: rec.topic, subscriptionIds: subId, sowKey: key, reason: 'match' } as Header;
          if (rec.correlationId !== undefined) o.correlationId = rec.correlationId;
          this.send(o, rec.doc);
        }
      }
      sub.delivered = result.records.length > 0 || previously ? now : new Set();
      this.finishQuery(h, acks, ids, result);
      // Historical sow_and_subscribe: after the state as of `bm`, replay what was logged since, then live.
      const hist = str(h.bookmark);
      if (hist !== undefined && this.broker.historicalTopics((t) => topic.matches(t)).length > 0) {
        sub.withBookmark = true;
        const plan = this.broker.txlog.replay(hist, { topic, ...(filter !== undefined ? { filter } : {}) });
        for (const e of plan.messages) {
          const d = { command: 'publish', topic: e.topic, subscriptionIds: subId, bookmark: e.bookmark } as Header;
          if (e.sowKey !== undefined && !sub.noSowKey) d.sowKey = e.sowKey;
          if (e.correlationId !== undefined) d.correlationId = e.correlationId;
          this.send(d, e.doc);
        }
      }
      return;
    }

    this.subscriptions.set(subId, sub);
    this.broker.addSubscription(sub);
    if (acks.has('processed')) this.ack(h, 'processed', ids);
    if (acks.has('completed')) this.ack(h, 'completed', ids);
  }

  private pauseSubscription(id: string): void {
    const sub = this.subscriptions.get(id);
    if (!sub || sub.paused || sub.queue) return;
    sub.paused = true;
    sub.pausedAt = this.broker.txlog.lastLogBookmark ?? '0|1|';
  }

  private resumeSubscription(id: string): void {
    const sub = this.subscriptions.get(id);
    if (!sub || !sub.paused) return;
    if (sub.pausedAt !== undefined && this.broker.isLogged(sub.topicText)) {
      const plan = this.broker.txlog.replay(sub.pausedAt, { topic: sub.topic, ...(sub.filter ? { filter: sub.filter } : {}) });
      for (const e of plan.messages) {
        if (sub.inRange && !sub.inRange(e)) break;
        const d = { command: 'publish', topic: e.topic, subscriptionIds: sub.subId, bookmark: e.bookmark } as Header;
        if (e.sowKey !== undefined && !sub.noSowKey) d.sowKey = e.sowKey;
        if (e.correlationId !== undefined) d.correlationId = e.correlationId;
        this.send(d, e.doc);
      }
    }
    sub.paused = false;
    sub.pausedAt = undefined;
  }

  private unsubscribe(h: Header, acks: Set<AckKind>): void {
    const ids = str(h.subscriptionId) ?? (str(h.queryId) === undefined ? 'all' : undefined);
    if (ids !== undefined) {
      if (ids === 'all') {
        for (const sub of this.subscriptions.values()) this.broker.removeSubscription(sub);
        this.subscriptions.clear();
      } else {
        for (const id of ids.split(',').map((s) => s.trim()).filter(Boolean)) {
          const sub = this.subscriptions.get(id);
          if (!sub) continue;
          this.subscriptions.delete(id);
          this.broker.removeSubscription(sub);
        }
      }
    }
    if (acks.has('processed')) this.ack(h, 'processed', ids && ids !== 'all' && !ids.includes(',') ? { subscriptionId: ids } : {});
  }

  // ------------------------------------------------------------------------------------------------------
  // sow

  private sow(h: Header, acks: Set<AckKind>): void {
    const opts = parseOptions(typeof h.options === 'string' ? h.options : undefined);
    const topicText = h.topic as string;
    const topic = compileTopic(topicText, { literal: opts.has('non_regex_topic') });
    if (!topic.isRegex && !this.broker.sow.hasTopic(topicText) && !this.broker.queues.has(topicText)) {
      throw new CommandFailure(Reasons.INVALID_TOPIC, `topic '${topicText}' has no SOW`);
    }
    const filter = compileOptionalFilter(typeof h.filter === 'string' ? h.filter : undefined);
    const queryId = str(h.queryId) ?? str(h.commandId) ?? `q${this.id}`;
    const ids: Partial<Header> = { queryId };
    if (str(h.subscriptionId) !== undefined) ids.subscriptionId = h.subscriptionId;
    const result = this.runQuery(h, topic, filter, opts, this.broker.queues.has(topicText));
    if (acks.has('processed')) this.ack(h, 'processed', ids);
    this.sendQuery(result, queryId, opts.has('no_sowkey'), opts.has('timestamp'));
    this.finishQuery(h, acks, ids, result);
  }

  /** Runs the query (errors here fail the command before any ack or group is sent). */
  private runQuery(
    h: Header,
    topic: TopicMatcher,
    filter: CompiledFilter | undefined,
    opts: ParsedOptions,
    empty: boolean,
  ): { records: SowRecord[]; matches: number; topicMatches: number; batchSize: number } {
    const store = this.historicalStore(h, topic);
    let bs = typeof h.batchSize === 'number' && h.batchSize > 0 ? Math.floor(h.batchSize) : 1;
    if (bs > this.broker.config.maxBatchSize) bs = this.broker.config.maxBatchSize;
    if (empty) return { records: [], matches: 0, topicMatches: 0, batchSize: bs };
    const topN = typeof h.topN === 'number' && h.topN >= 0 ? h.topN : intOption(opts, 'top_n');
    const skipN = intOption(opts, 'skip_n');
    const orderBy = str(h.orderBy) ?? (typeof opts.get('orderby') === 'string' ? (opts.get('orderby') as string) : undefined);
    const sowKeys = typeof h.sowKeys === 'string' && h.sowKeys !== '' ? parseSowKeys(h.sowKeys) : undefined;
    const res = (store ?? this.broker.sow).query(topic, {
      ...(filter !== undefined ? { filter } : {}),
      ...(orderBy !== undefined ? { orderBy } : {}),
      ...(topN !== undefined ? { topN } : {}),
      ...(skipN !== undefined ? { skipN } : {}),
      ...(sowKeys !== undefined ? { sowKeys } : {}),
    });
    return { records: res.records, matches: res.matches, topicMatches: res.topicMatches, batchSize: bs };
  }

  /**
   * Historical query: a `bm` on sow / sow_and_subscribe over SOW topics with `historical: true` returns the state
   * as of that bookmark or timestamp (rebuilt from the transaction log). Without history the bookmark is ignored.
   */
  private historicalStore(h: Header, topic: TopicMatcher): SowStore | undefined {
    const bm = str(h.bookmark);
    if (bm === undefined) return undefined;
    const topics = this.broker.historicalTopics((t) => topic.matches(t));
    if (topics.length === 0) return undefined;
    const store = sowAsOf(this.broker.txlog, topics, bm);
    if (store === undefined) throw new CommandFailure(Reasons.INVALID_BOOKMARK, `bookmark '${bm}' not found for a historical query`);
    return store;
  }

  /** group_begin, the batches (one topic per batch), group_end. */
  private sendQuery(
    result: { records: SowRecord[]; batchSize: number },
    queryId: string,
    noSowKey: boolean,
    timestamp: boolean,
  ): void {
    this.send({ command: 'group_begin', queryId } as Header);
    const records = result.records;
    let start = 0;
    while (start < records.length && !this.conn.closed) {
      const topic = records[start].topic;
      let end = start + 1;
      while (end < records.length && records[end].topic === topic) end++;
      for (const batch of sliceBatches(records.slice(start, end), result.batchSize)) {
        if (this.conn.closed) return;
        this.sendSowBatch(
          { command: 'sow', topic, queryId } as Header,
          batch.map((r) => {
            const rh = {} as Header;
            if (!noSowKey) rh.sowKey = r.sowKey;
            if (r.correlationId !== undefined) rh.correlationId = r.correlationId;
            if (timestamp) rh.timestamp = formatAmpsTimestamp(r.timestamp);
            return { header: rh, body: r.doc.data };
          }),
        );
      }
      start = end;
    }
    this.send({ command: 'group_end', queryId } as Header);
  }

  private finishQuery(
    h: Header,
    acks: Set<AckKind>,
    ids: Partial<Header>,
    result: { records: SowRecord[]; matches: number; topicMatches: number },
  ): void {
    if (acks.has('completed')) this.ack(h, 'completed', ids);
    if (acks.has('stats')) {
      this.ack(h, 'stats', {
        ...ids,
        matches: result.matches,
        topicMatches: result.topicMatches,
        recordsReturned: result.records.length,
      } as Partial<Header>);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // sow_delete (SOW deletes and queue acks)

  private sowDelete(h: Header, body: Uint8Array, acks: Set<AckKind>): void {
    const opts = parseOptions(typeof h.options === 'string' ? h.options : undefined);
    const topicText = h.topic as string;
    const ids: Partial<Header> = {};
    if (str(h.queryId) !== undefined) ids.queryId = h.queryId;
    if (str(h.subscriptionId) !== undefined) ids.subscriptionId = h.subscriptionId;
    const seq = typeof h.sequence === 'bigint' ? h.sequence : undefined;
    const filterText = typeof h.filter === 'string' && h.filter.trim() !== '' ? h.filter : undefined;
    const bookmarks = typeof h.bookmark === 'string' && h.bookmark !== '' ? h.bookmark : undefined;
    const keys = typeof h.sowKeys === 'string' && h.sowKeys !== '' ? parseSowKeys(h.sowKeys) : undefined;
    const hasData = body.length > 0;
    const selectors = [filterText, bookmarks, keys].filter((x) => x !== undefined).length + (hasData ? 1 : 0);
    if (selectors > 1) throw new CommandFailure(Reasons.SOW_DELETE_ONE_SELECTOR);

    let matches: number;
    let deleted: number;
    let topicMatches: number;
    const queue = this.broker.queues.get(topicText);
    if (queue !== undefined) {
      const leaseMs = typeof opts.get('lease_extension') === 'string' ? parseInterval(opts.get('lease_extension') as string) : undefined;
      const ackOpts = {
        ...(opts.has('cancel') ? { cancel: true } : {}),
        ...(opts.has('expire') ? { expire: true } : {}),
        ...(leaseMs !== undefined ? { leaseExtensionMs: leaseMs } : {}),
      };
      const filter = compileOptionalFilter(filterText);
      const r = bookmarks !== undefined ? queue.ack(undefined, splitBookmarkList(bookmarks), ackOpts) : queue.ackByFilter(filter, ackOpts);
      this.broker.dispatchQueue(queue);
      matches = r.matched.length;
      deleted = r.removals.length;
      topicMatches = r.matched.length;
      if (seq !== undefined) this.broker.noteSequencePublic(this.clientName ?? '', seq);
    } else {
      if (bookmarks !== undefined) throw new CommandFailure(Reasons.INVALID_TOPIC, 'bookmarks acknowledge queue messages only');
      const topic = compileTopic(topicText, { literal: opts.has('non_regex_topic') });
      if (!topic.isRegex && !this.broker.sow.hasTopic(topicText)) {
        throw new CommandFailure(Reasons.INVALID_TOPIC, `topic '${topicText}' has no SOW`);
      }
      const filter = compileOptionalFilter(filterText);
      const r = this.broker.sowDelete({
        clientName: this.clientName ?? `anonymous-${this.id}`,
        sequence: seq,
        topic: topicText,
        topicMatcher: topic,
        filter,
        filterText,
        sowKeys: keys,
        data: hasData && keys === undefined && filterText === undefined ? body : undefined,
        sowKey: str(h.sowKey),
      });
      matches = r.matches;
      deleted = r.deleted;
      topicMatches = r.topicMatches;
    }
    if (acks.has('processed')) this.ack(h, 'processed', ids);
    if (acks.has('completed')) this.ack(h, 'completed', ids);
    if (acks.has('persisted')) {
      if (seq !== undefined) this.notePersisted(seq);
      else this.ack(h, 'persisted', ids);
    }
    if (acks.has('stats')) {
      this.ack(h, 'stats', { ...ids, matches, topicMatches, recordsDeleted: deleted } as Partial<Header>);
    }
  }

  // ------------------------------------------------------------------------------------------------------
  // flush, heartbeat

  private flush(h: Header, acks: Set<AckKind>): void {
    // Commands are processed in order, synchronously: everything before this one is done. Pending conflated
    // persisted acks go out first so "flush persisted" really covers earlier publishes.
    if (this.pendingPersisted !== undefined) this.flushPersisted();
    for (const t of ['processed', 'completed', 'persisted'] as const) if (acks.has(t)) this.ack(h, t);
  }

  private heartbeat(h: Header, acks: Set<AckKind>): void {
    const { action, interval } = parseHeartbeatOptions(typeof h.options === 'string' ? h.options : undefined);
    if (action === 'start' && interval !== undefined) this.startHeartbeat(interval * 1000);
    else if (action === 'stop') this.stopHeartbeat();
    if (acks.has('processed')) this.ack(h, 'processed');
  }

  private startHeartbeat(ms: number): void {
    this.stopHeartbeat();
    this.heartbeatMs = ms;
    this.conn.lastReceived = Date.now();
    const tick = Math.max(20, Math.min(1000, Math.floor(ms / 8)));
    this.heartbeatTimer = setInterval(() => this.broker.guard(() => this.checkHeartbeat()), tick);
    this.heartbeatTimer.unref?.();
  }

  private stopHeartbeat(): void {
    if (this.heartbeatTimer) clearInterval(this.heartbeatTimer);
    this.heartbeatTimer = undefined;
    this.heartbeatMs = 0;
  }

  private checkHeartbeat(): void {
    if (this.conn.closed || this.heartbeatMs === 0) return;
    if (this.conn.stalled) return;
    const now = Date.now();
    if (now - this.conn.lastReceived > this.broker.config.heartbeatFactor * this.heartbeatMs) {
      this.hooks.log('warn', `connection ${this.describe()}: missed heartbeats; closing`);
      this.conn.close('heartbeat timeout', 4000);
      return;
    }
    // Heartbeats every half interval while idle (the server guarantees traffic at least every interval). Half,
    // because the official JS client answers a server beat only when strictly more than one interval has passed
    // since its own last beat, and its absence timer (two intervals) is re-armed only when it sends: with beats
    // every full interval it replies to every second one and races its own timeout; with half-interval beats it
    // replies at most 1.5 intervals apart. Also beat when the client has been silent for half an interval while
    // we were busy: clients that only answer server heartbeats (the C++/Python client) then stay alive.
    const half = this.heartbeatMs / 2;
    const idle = now - this.conn.lastSent >= half;
    const poke = now - this.conn.lastReceived >= half && now - this.lastBeatSent >= half;
    if (idle || poke) {
      this.lastBeatSent = now;
      this.send({ command: 'heartbeat' } as Header);
    }
  }

  // ------------------------------------------------------------------------------------------------------

  private onClose(reason: string): void {
    this.stopHeartbeat();
    if (this.persistedTimer) clearTimeout(this.persistedTimer);
    if (this.persistedImmediate) clearImmediate(this.persistedImmediate);
    for (const sub of this.subscriptions.values()) this.broker.removeSubscription(sub);
    this.subscriptions.clear();
    if (this.clientName !== undefined && this.broker.clientNames.get(this.clientName) === this) {
      this.broker.clientNames.delete(this.clientName);
    }
    this.broker.sessions.delete(this);
    this.hooks.log('info', `connection ${this.describe()}: closed (${reason})`);
    this.hooks.closed?.(reason);
  }
}

function findRecord(broker: Broker, sowKey: string): SowRecord | undefined {
  for (const t of broker.sow.topics()) {
    const r = broker.sow.get(t, sowKey);
    if (r) return r;
  }
  return undefined;
}

function str(v: unknown): string | undefined {
  return typeof v === 'string' && v !== '' ? v : undefined;
}

function idsFor(name: CommandName, h: Header): Partial<Header> {
  const ids: Partial<Header> = {};
  if (name === 'sow' || name === 'sow_and_subscribe' || name === 'sow_and_delta_subscribe') {
    const q = str(h.queryId) ?? str(h.commandId);
    if (q !== undefined) ids.queryId = q;
  }
  if (name === 'subscribe' || name === 'delta_subscribe' || name === 'sow_and_subscribe' || name === 'sow_and_delta_subscribe') {
    const s = str(h.subscriptionId) ?? str(h.commandId);
    if (s !== undefined) ids.subscriptionId = s;
  }
  return ids;
}

function missingReason(field: string): string {
  switch (field) {
    case 'topic':
      return Reasons.NO_TOPIC;
    case 'clientName':
      return Reasons.NO_CLIENT_NAME;
    case 'filter':
      return Reasons.NO_TOPIC_OR_FILTER;
    case 'subscriptionId':
      return Reasons.INVALID_SUBID;
    default:
      return Reasons.INVALID_OPTIONS;
  }
}

