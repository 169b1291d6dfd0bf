// Client: one connection to one AMPS server. Connect, log on, publish, subscribe, query, acknowledge.
//
// Threading model: everything runs on the event loop. Inbound messages are routed synchronously from the
// transport's read callback to handlers (handler mode) or MessageStream buffers (stream mode). A handler that
// throws never reaches the socket code: the error goes to the exception listener.
//
// Routing: acks by command id (`cid`), else query id, else subscription id; deliveries (`p`, `oof`) by each id in
// `sids` (else `sub_id`); `sow` records and group_begin/group_end by query id (the route table is CommandRouter,
// command-router.ts). Messages nobody claims go to the last-chance handler. Heartbeats: HeartbeatMonitor
// (heartbeat.ts); queue ack batching: QueueAckBatcher (queue-acks.ts); what a command sends and which acks settle
// it: prepareCommand (prepare-command.ts); encoded publish headers: PublishHeaderCache (publish-headers.ts).
//
// Extension (runtime/ha subclasses this): the protected hooks are
//   onConnectionLost(error)        the disconnect handler step (default: call the handler set with
//                                  setDisconnectHandler);
//   afterLogon(logonAck)           recovery after a logon: startHeartbeat() → replayPublishStore(ack) →
//                                  resubscribe(), broadcasting HeartbeatInitiated / PublishReplayed /
//                                  Resubscribed as each step applies;
//   broadcastConnectionState(s)    to deliver states of its own (e.g. Shutdown);
//   createTransport(uri, options)  to choose transports;
// and the stores and subscription manager are reachable through their getters.

import type { Header } from '../../generated/header-fields.js';
import { ConnectionState } from '../../generated/enums.js';
import {
  Reasons,
  AlreadyConnectedException,
  AMPSException,
  DisconnectedException,
  UsageException,
  exceptionForReason,
} from '../../generated/errors.js';
import { Bookmarks, EPOCH, MOST_RECENT, parseBookmarkRange } from '../wire/bookmark.js';
import type { InboundMessage } from '../wire/message.js';
import { createTransport as defaultCreateTransport, type Transport, type TransportOptions } from '../transport/transport.js';
import { parseUri, redactUri, type ParsedUri } from '../transport/uri.js';
import { DefaultAuthenticator } from './authenticator.js';
import { Message, type MessageOwner } from './message.js';
import { MessageStream, type StreamOwner } from './message-stream.js';
import { QueueAckBatcher } from './queue-acks.js';
import { HeartbeatMonitor } from './heartbeat.js';
import { PublishHeaderCache } from './publish-headers.js';
import { PERSISTED, PROCESSED, STATS, ackList } from './ack-bits.js';
import { CommandRouter, type SendSpec } from './command-router.js';
import { prepareCommand, subscriptionCommand, type PrepareEnv, type PreparedCommand } from './prepare-command.js';
import type {
  CommandLike,
  ClientBookmarkStore,
  ClientPublishStore,
  ConnectOptions,
  DisconnectHandler,
  ExceptionListener,
  ExecuteOptions,
  FailedWriteHandler,
  LogonParams,
  MessageData,
  MessageHandler,
  PublishParams,
  SowAndSubscribeParams,
  SowParams,
  SubscribeParams,
  SubscriptionManager,
  TransportFilter,
  CommonParams,
} from './types.js';

/** Our version. */
export const CLIENT_VERSION = '0.1.0';
/**
 * The `version` a logon sends: the first four parts state the protocol level we implement (servers read them
 * as they read an official client's), the rest names this client, and `:typescript` the language.
 */
export const LOGON_VERSION = `5.3.5.1.amps-ts.${CLIENT_VERSION}:typescript`;

const utf8Encoder = new TextEncoder();

export type ConnectionStateListener = (state: ConnectionState) => void;

export class Client implements MessageOwner, StreamOwner {
  private clientName: string;
  private transport: Transport | undefined;
  private parsedUri: ParsedUri | undefined;
  private redactedUri: string | undefined;
  private loggedOn = false;
  private connecting = false;
  private closingExplicitly = false;
  private serverVersionText: string | undefined;
  private serverVersionNum = 0;
  private serverNameHash: string | undefined;
  private logonSequence: bigint | undefined;
  private nextId = 0;
  private readonly router: CommandRouter;
  private readonly prepareEnv: PrepareEnv;
  private readonly stateListeners = new Set<ConnectionStateListener>();
  private exceptionListener: ExceptionListener | undefined;
  private lastChanceHandler: MessageHandler | undefined;
  private failedWriteHandler: FailedWriteHandler | undefined;
  private disconnectHandler: DisconnectHandler<this> | undefined;
  private transportFilter: TransportFilter | undefined;
  private publishStoreRef: ClientPublishStore | undefined;
  private bookmarkStoreRef: ClientBookmarkStore | undefined;
  private subscriptionManagerRef: SubscriptionManager | undefined;
  private defaultTimeout = 0;
  /** True while the subscription manager re-enters subscriptions (afterLogon). */
  private resubscribing = false;
  private autoAck = false;
  private readonly queueAcks: QueueAckBatcher;
  /** Encoded headers of parameterless publishes, per topic. */
  private readonly publishHeaders = new PublishHeaderCache('p');
  private readonly deltaPublishHeaders = new PublishHeaderCache('delta_publish');
  private readonly heartbeat: HeartbeatMonitor;

  constructor(name?: string) {
    this.clientName = name ?? `amps-ts-${Date.now()}-${Math.floor(Math.random() * 1e6)}`;
    // Queue acks are sent from handlers and from the ack timer: a send that fails (connection closing) is
    // reported, never thrown into a timer.
    this.queueAcks = new QueueAckBatcher((h) => {
      try {
        this.transport?.send(h);
      } catch (e) {
        this.reportException(e);
      }
    });
    this.router = new CommandRouter(
      {
        currentTransport: () => this.transport,
        isOpen: () => this.transport !== undefined && !this.connecting,
        newCommandId: () => this.newCommandId(),
        reportException: (e) => this.reportException(e),
        lastChance: (msg) => this.lastChance(msg),
        failedWrite: (msg, reason) => {
          if (this.failedWriteHandler !== undefined) this.callFailedWrite(msg, reason);
          else this.lastChance(msg);
        },
        publishPersisted: (h, body) => this.onPublishPersisted(h, body),
        forgetTracked: (subId) => this.forgetTracked(subId),
        bookmarkStore: () => this.bookmarkStoreRef,
        autoAck: () => this.autoAck,
      },
      this,
    );
    this.prepareEnv = {
      newCommandId: () => this.newCommandId(),
      resolveBookmark: (subId, requested) => this.resolveBookmark(subId, requested),
      serialize: (data) => this.serialize(data),
      bookmarkStore: () => this.bookmarkStoreRef,
      publishStore: () => this.publishStoreRef,
    };
    this.heartbeat = new HeartbeatMonitor({
      currentTransport: () => this.transport,
      connectionFailed: (t, error) => this.onTransportClosed(t, error),
    });
  }

  /** Bookmark constants, as on the official clients (`Client.Bookmarks.EPOCH`, `NOW`, `MOST_RECENT`). */
  static readonly Bookmarks = Bookmarks;

  /** This client library's version. */
  static version(): string {
    return CLIENT_VERSION;
  }

  // ---- identity and state -----------------------------------------------------------------------------------------

  /** Client name: the session identity on the server (must be unique and stable for durable publishers). */
  get name(): string {
    return this.clientName;
  }
  set name(value: string) {
    if (this.transport !== undefined) throw new UsageException('cannot change the client name while connected');
    this.clientName = value;
  }
  /** Server version from the logon ack, e.g. `5.3.4.0`. */
  get serverVersion(): string | undefined {
    return this.serverVersionText;
  }
  /** Server version as a number: major·10^6 + minor·10^4 + patch·10^2 + build (5.3.4.0 → 5030400), 0 if unknown. */
  get serverVersionNumber(): number {
    return this.serverVersionNum;
  }
  /** The connection URI with its password masked. */
  get uri(): string | undefined {
    return this.redactedUri;
  }
  /** The publisher id the server derives from our name (from the logon ack's bookmark). */
  get nameHash(): string | undefined {
    return this.serverNameHash;
  }
  /** True while a connection is open (whether or not logged on). */
  get isConnected(): boolean {
    return this.transport !== undefined && !this.connecting;
  }
  /** True after a successful logon on the current connection. */
  get isLoggedOn(): boolean {
    return this.loggedOn;
  }
  /** Message type from the URI (`json`, `fix`, ...), undefined when not connected or not given. */
  get messageType(): string | undefined {
    return this.parsedUri?.messageType;
  }

  // ---- handlers and settings --------------------------------------------------------------------------------------

  /** Receives errors that no caller can catch: handler exceptions, late subscription failures, ... */
  setExceptionListener(listener: ExceptionListener | undefined): this {
    this.exceptionListener = listener;
    return this;
  }
  getExceptionListener(): ExceptionListener | undefined {
    return this.exceptionListener;
  }
  /** Receives messages no handler claims (late deliveries after unsubscribe, unexpected acks, failed writes
   *  when no failed-write handler is set). */
  setLastChanceMessageHandler(handler: MessageHandler | undefined): this {
    this.lastChanceHandler = handler;
    return this;
  }
  /** Receives writes the server rejected (failure `persisted`/`processed` acks for publishes, sow_deletes). The
   *  message is the stored command when the publish store can provide it, else the ack. */
  setFailedWriteHandler(handler: FailedWriteHandler | undefined): this {
    this.failedWriteHandler = handler;
    return this;
  }
  /** Called when the connection is lost (never after `disconnect()`), after Disconnected is broadcast. */
  setDisconnectHandler(handler: DisconnectHandler<this> | undefined): this {
    this.disconnectHandler = handler;
    return this;
  }
  getDisconnectHandler(): DisconnectHandler<this> | undefined {
    return this.disconnectHandler;
  }
  /** Observes raw bytes both ways (see TransportFilter). Takes effect at once and on later connections. */
  setTransportFilter(filter: TransportFilter | undefined): this {
    this.transportFilter = filter;
    this.transport?.setRawFilter(filter);
    return this;
  }
  addConnectionStateListener(listener: ConnectionStateListener): this {
    this.stateListeners.add(listener);
    return this;
  }
  removeConnectionStateListener(listener: ConnectionStateListener): this {
    this.stateListeners.delete(listener);
    return this;
  }
  /** Default per-command ack timeout in milliseconds for commands without their own (0 = none, the default). */
  setDefaultTimeout(ms: number): this {
    this.defaultTimeout = ms > 0 ? ms : 0;
    return this;
  }
  getDefaultTimeout(): number {
    return this.defaultTimeout;
  }

  /** Publish store: numbers writes (`s`), requests `persisted` acks, replays unpersisted writes after logon. */
  setPublishStore(store: ClientPublishStore | undefined): this {
    this.publishStoreRef = store;
    return this;
  }
  getPublishStore(): ClientPublishStore | undefined {
    return this.publishStoreRef;
  }
  /** Bookmark store: dedupes replayed messages, records discards, provides MOST_RECENT recovery points. */
  setBookmarkStore(store: ClientBookmarkStore | undefined): this {
    this.bookmarkStoreRef = store;
    return this;
  }
  getBookmarkStore(): ClientBookmarkStore | undefined {
    return this.bookmarkStoreRef;
  }
  setSubscriptionManager(manager: SubscriptionManager | undefined): this {
    this.subscriptionManagerRef = manager;
    return this;
  }
  getSubscriptionManager(): SubscriptionManager | undefined {
    return this.subscriptionManagerRef;
  }

  /** Acknowledge queue messages automatically: after the handler returns (cancel if it throws), or when the
   *  application reads the next message from a stream. */
  setAutoAck(enabled: boolean): this {
    this.autoAck = enabled;
    return this;
  }
  getAutoAck(): boolean {
    return this.autoAck;
  }
  /** Queue acks per `sow_delete` (default 1: each ack sent at once). Capped by the backlog the server granted. */
  setAckBatchSize(n: number): this {
    this.queueAcks.batchSize = n >= 1 ? Math.floor(n) : 1;
    return this;
  }
  getAckBatchSize(): number {
    return this.queueAcks.batchSize;
  }
  /** Milliseconds before a partial ack batch is sent (default 1000; 0 = only when full). */
  setAckTimeout(ms: number): this {
    this.queueAcks.timeout = ms > 0 ? ms : 0;
    return this;
  }
  getAckTimeout(): number {
    return this.queueAcks.timeout;
  }

  /**
   * Heartbeats: after logon (at once if already logged on) send `heartbeat` `start,<interval>`, answer each
   * server beat, and close the connection (DisconnectedException) when nothing arrives for `timeoutSeconds`
   * (default 2 × interval). 0 turns heartbeats off for later logons.
   */
  setHeartbeat(intervalSeconds: number, timeoutSeconds?: number): this {
    this.heartbeat.configure(intervalSeconds, timeoutSeconds);
    if (this.loggedOn) {
      if (this.heartbeat.interval > 0) this.startHeartbeat();
      else this.heartbeat.stop();
    }
    return this;
  }

  // ---- connection -------------------------------------------------------------------------------------------------

  /**
   * Opens the connection (no logon). Throws InvalidUriException / InvalidTransportOptionsException for a bad URI,
   * AlreadyConnectedException when connected, and the transport's errors (ConnectionRefusedException, ...).
   */
  async connect(uri: string, options: ConnectOptions = {}): Promise<void> {
    if (this.transport !== undefined) throw new AlreadyConnectedException(`already connected to ${this.redactedUri}`);
    const parsed = parseUri(uri);
    const transport = await (options.transportFactory ?? this.createTransport.bind(this))(parsed, options.transport ?? {});
    if (this.transport !== undefined) {
      await transport.close();
      throw new AlreadyConnectedException(`already connected to ${this.redactedUri}`);
    }
    this.transport = transport;
    this.connecting = true;
    this.parsedUri = parsed;
    this.redactedUri = redactUri(uri);
    this.loggedOn = false;
    transport.onMessage((m) => this.onInbound(m));
    transport.onClose((err) => this.onTransportClosed(transport, err));
    if (this.transportFilter !== undefined) transport.setRawFilter(this.transportFilter);
    try {
      await transport.connect();
    } catch (err) {
      if (this.transport === transport) this.transport = undefined;
      this.connecting = false;
      throw err;
    }
    this.connecting = false;
    if (this.transport !== transport) throw new DisconnectedException('connection closed while connecting');
    this.broadcastConnectionState(ConnectionState.Connected);
  }

  /** Builds the transport for a URI; HA or tests may override. */
  protected createTransport(uri: ParsedUri, options: TransportOptions): Promise<Transport> | Transport {
    return defaultCreateTransport(uri, options);
  }

  /**
   * Logs on: sends `logon` (client name, user from the URI, the authenticator's token, our version, the message
   * type on TCP), retries with a new token on `retry`, then runs the recovery steps (heartbeat, publish store
   * replay, resubscribe). Resolves with the logon ack. A failure closes the connection and rejects with the
   * exception for the server's reason (AuthenticationException, NameInUseException, ...); so does a timeout
   * (TimedOutException). An error in a recovery step (e.g. PublishStoreGapException) rejects the logon but leaves
   * the connection open and logged on: the caller (HAClient) decides.
   */
  async logon(params: LogonParams = {}): Promise<Message> {
    const transport = this.transport;
    const uri = this.parsedUri;
    if (transport === undefined || uri === undefined || this.connecting) throw new DisconnectedException('not connected');
    const authenticator = params.authenticator ?? new DefaultAuthenticator();
    const user = uri.user ?? '';
    let password = await authenticator.authenticate(user, uri.password ?? '');
    const timeout = params.timeout ?? this.defaultTimeout;
    let options = params.options;
    if (uri.logonOptions !== undefined && uri.logonOptions.pretty === true) {
      options = options === undefined || options === '' ? 'pretty' : `${options},pretty`;
    }
    const sendsMessageType = uri.scheme === 'tcp' || uri.scheme === 'tcps' || uri.scheme === 'unix';
    let ack: Message | undefined;
    for (let attempt = 0; ; attempt++) {
      const header = {
        command: 'logon',
        commandId: this.newCommandId(),
        clientName: this.clientName,
        userId: user,
      } as Header & Record<string, unknown>;
      if (sendsMessageType && uri.messageType !== undefined) header.messageType = uri.messageType;
      header.ackType = 'processed';
      header.version = LOGON_VERSION;
      if (password !== '') header.password = password;
      if (params.correlationId !== undefined) header.correlationId = params.correlationId;
      if (options !== undefined && options !== '') header.options = options;
      try {
        ack = await this.sendTracked(header, undefined, {
          userAcks: 0,
          requestAcks: PROCESSED,
          resolveOn: PROCESSED,
          raw: true,
          timeout,
        });
      } catch (e) {
        // A timed-out logon leaves the connection in an unknown state (the server allows one logon per
        // connection): close it so the next attempt starts clean.
        if (this.transport === transport) await this.closeTransport(transport);
        throw e;
      }
      const status = ack?.header.status;
      if (status === 'retry' && attempt < 16) {
        password = await authenticator.retry(
          (ack?.header.userId as string | undefined) ?? user,
          (ack?.header.password as string | undefined) ?? password,
        );
        continue;
      }
      if (status !== 'success' || ack === undefined) {
        const reason = (ack?.header.reason as string | undefined) ?? (status === 'retry' ? Reasons.AUTH_FAILURE : 'logon failed');
        const error = exceptionForReason(reason, { command: 'logon', commandId: header.commandId as string });
        await this.closeTransport(transport);
        throw error;
      }
      break;
    }
    const h = ack.header;
    this.serverVersionText = h.version as string | undefined;
    this.serverVersionNum = versionNumber(this.serverVersionText);
    const bm = h.bookmark as string | undefined;
    if (bm !== undefined) {
      const bar = bm.indexOf('|');
      if (bar > 0) this.serverNameHash = bm.slice(0, bar);
    }
    this.logonSequence = h.sequence as bigint | undefined;
    authenticator.completed((h.userId as string | undefined) ?? user, password, (h.reason as string | undefined) ?? '');
    this.loggedOn = true;
    this.broadcastConnectionState(ConnectionState.LoggedOn);
    await this.afterLogon(ack);
    return ack;
  }

  /** Highest sequence the server reported for this client name at logon (publish store recovery point). */
  get lastLogonSequence(): bigint | undefined {
    return this.logonSequence;
  }

  /**
   * Recovery after logon, in the order the Python client guide lists: heartbeat (HeartbeatInitiated), publish
   * store replay (PublishReplayed), resubscribe (Resubscribed). Each state is broadcast only when its step applies.
   */
  protected async afterLogon(logonAck: Message): Promise<void> {
    if (this.startHeartbeat()) this.broadcastConnectionState(ConnectionState.HeartbeatInitiated);
    if (await this.replayPublishStore(logonAck)) this.broadcastConnectionState(ConnectionState.PublishReplayed);
    if (await this.resubscribe()) this.broadcastConnectionState(ConnectionState.Resubscribed);
  }

  /** Starts heartbeats when configured; true when a `start` was sent. */
  protected startHeartbeat(): boolean {
    return this.heartbeat.start();
  }

  /**
   * Publish store recovery: drops what the server already has (≤ the logon ack's `s`) and re-sends the rest with
   * their original sequence numbers. True when a store is set.
   */
  protected async replayPublishStore(logonAck: Message): Promise<boolean> {
    const store = this.publishStoreRef;
    const t = this.transport;
    if (store === undefined || t === undefined) return false;
    const seq = logonAck.header.sequence as bigint | undefined;
    if (seq !== undefined) store.discardUpTo(seq);
    store.replay((header, body) => t.send(header, body));
    return true;
  }

  /** Re-enters the subscription manager's subscriptions. True when a manager is set. */
  protected async resubscribe(): Promise<boolean> {
    const manager = this.subscriptionManagerRef;
    if (manager === undefined) return false;
    this.resubscribing = true;
    try {
      await manager.resubscribe(this);
    } finally {
      this.resubscribing = false;
    }
    return true;
  }

  /**
   * A tracked subscription failed (refused, timed out): the manager forgets it so it is not re-entered later.
   * While the manager itself is re-entering subscriptions it decides (a timeout then must not lose one).
   */
  private forgetTracked(subId: string): void {
    if (!this.resubscribing) this.subscriptionManagerRef?.unsubscribe(subId);
  }

  /**
   * Closes the connection: sends pending queue acks first, then closes. Pending commands reject and streams end
   * with DisconnectedException; the disconnect handler is not called. Broadcasts Disconnected then Shutdown.
   */
  async disconnect(): Promise<void> {
    const t = this.transport;
    if (t === undefined) return;
    try {
      this.queueAcks.flush();
    } catch {
      // connection already failing
    }
    this.closingExplicitly = true;
    try {
      await this.closeTransport(t);
    } finally {
      this.closingExplicitly = false;
    }
    this.broadcastConnectionState(ConnectionState.Shutdown);
  }

  private async closeTransport(t: Transport): Promise<void> {
    const wasExplicit = this.closingExplicitly;
    this.closingExplicitly = true;
    try {
      await t.close();
    } catch {
      // closing anyway
    }
    // onClose normally ran already; make sure the client state is reset even if it did not.
    this.onTransportClosed(t, undefined);
    this.closingExplicitly = wasExplicit;
  }

  private onTransportClosed(t: Transport, err: Error | undefined): void {
    if (this.transport !== t) return;
    const explicit = this.closingExplicitly;
    this.transport = undefined;
    this.connecting = false;
    this.loggedOn = false;
    this.heartbeat.stop();
    this.queueAcks.clear();
    const error =
      err instanceof DisconnectedException
        ? err
        : new DisconnectedException(explicit ? 'disconnected' : `connection lost${err ? `: ${err.message}` : ''}`, {
            cause: err,
          });
    this.router.failAll(error);
    this.broadcastConnectionState(ConnectionState.Disconnected);
    if (!explicit) {
      try {
        const p = this.onConnectionLost(error);
        if (p !== undefined) p.catch((e: unknown) => this.reportException(e));
      } catch (e) {
        this.reportException(e);
      }
    }
  }

  /**
   * The disconnect handler step, run after an unexpected connection loss (Disconnected already broadcast, pending
   * commands failed, streams ended). Default: the handler from setDisconnectHandler. HAClient overrides this to
   * reconnect.
   */
  protected onConnectionLost(error: Error): void | Promise<void> {
    const h = this.disconnectHandler;
    if (h !== undefined) return h(this, error);
  }

  protected broadcastConnectionState(state: ConnectionState): void {
    for (const l of [...this.stateListeners]) {
      try {
        l(state);
      } catch (e) {
        this.reportException(e);
      }
    }
  }

  /** Resolves once the bytes queued for the socket are at or below `threshold` (backpressure for publishers). */
  async whenDrained(threshold = 0): Promise<void> {
    await this.transport?.whenDrained(threshold);
  }

  // ---- writes -----------------------------------------------------------------------------------------------------

  /**
   * Publishes without waiting (no ack requested unless a publish store is set, which numbers the message and
   * requests `persisted`). Throws DisconnectedException when not connected. Failures the server reports later
   * go to the failed-write handler.
   */
  publish(topic: string, data: MessageData, params?: PublishParams): void {
    this.write(this.publishHeaders, 'p', topic, data, params);
  }

  /** Merges the message's fields into the SOW record with the same key (a publish on non-SOW topics). */
  deltaPublish(topic: string, data: MessageData, params?: PublishParams): void {
    this.write(this.deltaPublishHeaders, 'delta_publish', topic, data, params);
  }

  private write(headers: PublishHeaderCache, command: string, topic: string, data: MessageData, params: PublishParams | undefined): void {
    const t = this.transport;
    if (t === undefined) throw new DisconnectedException('not connected');
    const body = typeof data === 'string' || data instanceof Uint8Array ? data : this.serialize(data);
    const store = this.publishStoreRef;
    if (params === undefined && store === undefined) {
      t.sendEncoded(headers.encoded(topic), body);
      return;
    }
    const h = { command, topic } as Header & Record<string, unknown>;
    if (params !== undefined) {
      if (params.expiration !== undefined) h.expiration = params.expiration;
      if (params.correlationId !== undefined) h.correlationId = params.correlationId;
      if (params.sowKey !== undefined) h.sowKey = params.sowKey;
    }
    if (store !== undefined) {
      h.ackType = 'persisted';
      const bytes = typeof body === 'string' ? utf8Encoder.encode(body) : body;
      store.store(h, bytes);
      t.send(h, bytes);
      return;
    }
    t.send(h, body);
  }

  /** Serialises a non-string, non-bytes body for the connection's message type. */
  protected serialize(data: object): string {
    const mt = this.parsedUri?.messageType;
    if (mt === undefined || mt === 'json') return JSON.stringify(data);
    throw new UsageException(`cannot serialise an object for message type '${mt}': pass a string or bytes`);
  }

  /**
   * Waits until the server has processed every command sent before it (`flush` with a `processed` ack).
   * `timeout` in milliseconds (default: the client default).
   */
  async flush(timeout?: number): Promise<void> {
    await this.sendTracked({ command: 'flush', commandId: this.newCommandId(), ackType: 'processed' } as Header, undefined, {
      userAcks: 0,
      requestAcks: PROCESSED,
      resolveOn: PROCESSED,
      timeout: timeout ?? this.defaultTimeout,
    });
  }

  /**
   * With a publish store: waits until every stored write is persisted (store flush), rejecting with
   * TimedOutException after `timeout` ms. Without one: a `flush` command acknowledged `persisted` (servers ≥
   * 5.3.3.0) or `processed`.
   */
  async publishFlush(timeout?: number): Promise<void> {
    const store = this.publishStoreRef;
    if (store !== undefined) {
      await store.flush(timeout);
      return;
    }
    const ack = this.serverVersionNum === 0 || this.serverVersionNum >= 5030300 ? PERSISTED : PROCESSED;
    await this.sendTracked({ command: 'flush', commandId: this.newCommandId(), ackType: ackList(ack) } as Header, undefined, {
      userAcks: 0,
      requestAcks: ack,
      resolveOn: ack,
      timeout: timeout ?? this.defaultTimeout,
    });
  }

  /** Deletes the SOW records matching `filter`. Resolves with the `stats` ack (`matches`, `recordsDeleted`). */
  sowDelete(topic: string, filter: string, params?: CommonParams): Promise<Message> {
    const h = { command: 'sow_delete', topic, commandId: this.newCommandId(), filter } as Header & Record<string, unknown>;
    return this.sowDeleteCommand(h, undefined, params);
  }

  /** Deletes the SOW records with these keys (a comma list or an array). Resolves with the `stats` ack. */
  sowDeleteByKeys(topic: string, keys: string | readonly string[], params?: CommonParams): Promise<Message> {
    const h = { command: 'sow_delete', topic, commandId: this.newCommandId() } as Header & Record<string, unknown>;
    h.sowKeys = typeof keys === 'string' ? keys : keys.join(',');
    return this.sowDeleteCommand(h, undefined, params);
  }

  /** Deletes the SOW record this message would update. Resolves with the `stats` ack. */
  sowDeleteByData(topic: string, data: MessageData, params?: CommonParams): Promise<Message> {
    const h = { command: 'sow_delete', topic, commandId: this.newCommandId() } as Header & Record<string, unknown>;
    const body = typeof data === 'string' || data instanceof Uint8Array ? data : this.serialize(data);
    return this.sowDeleteCommand(h, body, params);
  }

  private async sowDeleteCommand(h: Header & Record<string, unknown>, body: Uint8Array | string | undefined, params: CommonParams | undefined): Promise<Message> {
    h.ackType = 'processed,stats';
    if (params?.options !== undefined) h.options = params.options;
    const ack = await this.sendTracked(h, body, {
      userAcks: STATS,
      requestAcks: PROCESSED | STATS,
      resolveOn: STATS,
      timeout: params?.timeout ?? this.defaultTimeout,
    });
    return ack!;
  }

  // ---- subscriptions and queries ----------------------------------------------------------------------------------

  /** Subscribes; returns a MessageStream of the deliveries. */
  subscribe(topic: string, filter?: string, params?: SubscribeParams): Promise<MessageStream>;
  /** Subscribes in handler mode; resolves with the subscription id once the server processed it. */
  subscribe(handler: MessageHandler, topic: string, filter?: string, params?: SubscribeParams): Promise<string>;
  subscribe(a: MessageHandler | string, ...rest: unknown[]): Promise<MessageStream | string> {
    return this.convenience('subscribe', a, rest);
  }

  /** Delta subscription (only changed fields plus the key fields); stream form. */
  deltaSubscribe(topic: string, filter?: string, params?: SubscribeParams): Promise<MessageStream>;
  deltaSubscribe(handler: MessageHandler, topic: string, filter?: string, params?: SubscribeParams): Promise<string>;
  deltaSubscribe(a: MessageHandler | string, ...rest: unknown[]): Promise<MessageStream | string> {
    return this.convenience('delta_subscribe', a, rest);
  }

  /**
   * SOW query; the stream yields group_begin, the `sow` records, group_end, and completes after the `completed`
   * ack.
   */
  sow(topic: string, filter?: string, params?: SowParams): Promise<MessageStream>;
  sow(handler: MessageHandler, topic: string, filter?: string, params?: SowParams): Promise<string>;
  sow(a: MessageHandler | string, ...rest: unknown[]): Promise<MessageStream | string> {
    return this.convenience('sow', a, rest);
  }

  /** SOW query then subscription (atomically): group_begin, records, group_end, then live deliveries. */
  sowAndSubscribe(topic: string, filter?: string, params?: SowAndSubscribeParams): Promise<MessageStream>;
  sowAndSubscribe(handler: MessageHandler, topic: string, filter?: string, params?: SowAndSubscribeParams): Promise<string>;
  sowAndSubscribe(a: MessageHandler | string, ...rest: unknown[]): Promise<MessageStream | string> {
    return this.convenience('sow_and_subscribe', a, rest);
  }

  /** SOW query then delta subscription. */
  sowAndDeltaSubscribe(topic: string, filter?: string, params?: SowAndSubscribeParams): Promise<MessageStream>;
  sowAndDeltaSubscribe(handler: MessageHandler, topic: string, filter?: string, params?: SowAndSubscribeParams): Promise<string>;
  sowAndDeltaSubscribe(a: MessageHandler | string, ...rest: unknown[]): Promise<MessageStream | string> {
    return this.convenience('sow_and_delta_subscribe', a, rest);
  }

  /**
   * Bookmark subscription (replay from the transaction log): `bookmark` is a bookmark, a comma list, a timestamp,
   * a range, or Bookmarks.EPOCH / NOW / MOST_RECENT (MOST_RECENT = the bookmark store's recovery point for the
   * subscription id, EPOCH when there is none). With a bookmark store, replayed duplicates are dropped and
   * `message.discard()` records progress.
   */
  bookmarkSubscribe(topic: string, bookmark: string, filter?: string, params?: SubscribeParams): Promise<MessageStream>;
  bookmarkSubscribe(handler: MessageHandler, topic: string, bookmark: string, filter?: string, params?: SubscribeParams): Promise<string>;
  bookmarkSubscribe(a: MessageHandler | string, ...rest: unknown[]): Promise<MessageStream | string> {
    if (typeof a === 'function') {
      const [topic, bookmark, filter, params] = rest as [string, string, string | undefined, SubscribeParams | undefined];
      return this.convenience('subscribe', a, [topic, filter, { ...params, bookmark }]);
    }
    const [bookmark, filter, params] = rest as [string, string | undefined, SubscribeParams | undefined];
    return this.convenience('subscribe', a, [filter, { ...params, bookmark }]);
  }

  private convenience(command: string, a: MessageHandler | string, rest: unknown[]): Promise<MessageStream | string> {
    let handler: MessageHandler | undefined;
    let topic: string;
    let filter: string | undefined;
    let params: (SowAndSubscribeParams & SubscribeParams) | undefined;
    if (typeof a === 'function') {
      handler = a;
      [topic, filter, params] = rest as [string, string | undefined, typeof params];
    } else {
      topic = a;
      [filter, params] = rest as [string | undefined, typeof params];
    }
    const cmd = subscriptionCommand(command, topic, filter, params);
    const opts = { timeout: params?.timeout };
    return handler !== undefined ? this.executeAsync(cmd, handler, opts) : this.execute(cmd, opts);
  }

  /**
   * Removes a subscription (default: all). The local handler / stream stops at once; messages already in flight
   * go to the last-chance handler. Resolves on the server's `processed` ack (at once when not connected).
   */
  async unsubscribe(subId = 'all'): Promise<void> {
    if (subId === 'all') {
      this.router.cancelAll();
      this.subscriptionManagerRef?.clear();
    } else {
      this.router.cancel(subId);
      this.subscriptionManagerRef?.unsubscribe(subId);
    }
    if (this.transport === undefined || this.connecting) return;
    await this.sendTracked(
      { command: 'unsubscribe', commandId: this.newCommandId(), subscriptionId: subId, ackType: 'processed' } as Header,
      undefined,
      { userAcks: 0, requestAcks: PROCESSED, resolveOn: PROCESSED, timeout: this.defaultTimeout },
    );
  }

  // ---- execute ----------------------------------------------------------------------------------------------------

  /**
   * Runs any command (see `Command` builders) and returns a MessageStream of what it produces: deliveries, sow
   * records, group_begin/group_end, and the acks the command itself asked for (acks the client adds for its own
   * bookkeeping are not delivered). Resolves once the command's `processed` ack (or first requested ack) arrives;
   * rejects with the exception for a failure reason, TimedOutException, or DisconnectedException.
   */
  async execute(command: CommandLike, options: ExecuteOptions = {}): Promise<MessageStream> {
    const prepared = this.prepare(command);
    const stream = new MessageStream(this, {
      commandId: prepared.header.commandId as string,
      subscriptionId: prepared.subscription ? (prepared.header.subscriptionId as string) : undefined,
      queryId: prepared.query ? (prepared.header.queryId as string) : undefined,
    });
    await this.sendTracked(prepared.header, prepared.body, {
      userAcks: prepared.userAcks,
      requestAcks: prepared.requestAcks,
      resolveOn: prepared.resolveOn,
      stream,
      timeout: options.timeout ?? this.defaultTimeout,
      bookmarkSub: prepared.bookmarkSub,
    });
    return stream;
  }

  /**
   * Runs any command in handler mode: `handler` receives what `execute` would stream. Resolves with the command
   * id (= the subscription id for subscriptions) once the command's `processed` ack (or first requested ack)
   * arrives. Subscriptions are registered with the subscription manager, when one is set.
   */
  async executeAsync(command: CommandLike, handler: MessageHandler | undefined, options: ExecuteOptions = {}): Promise<string> {
    const prepared = this.prepare(command);
    const h = prepared.header;
    const id = (prepared.subscription ? h.subscriptionId : prepared.query ? h.queryId : h.commandId) as string;
    if (prepared.subscription && handler !== undefined && this.subscriptionManagerRef !== undefined) {
      const requested = (command.header as Header).ackType as string | undefined;
      const tracked = {
        commandName: command.commandName,
        header: { ...(command.header as Header), commandId: h.commandId, subscriptionId: h.subscriptionId },
        data: command.data,
      } as unknown as CommandLike;
      this.subscriptionManagerRef.subscribe(handler, tracked, requested ?? '');
    }
    try {
      await this.sendTracked(h, prepared.body, {
        userAcks: prepared.userAcks,
        requestAcks: prepared.requestAcks,
        resolveOn: prepared.resolveOn,
        handler,
        timeout: options.timeout ?? this.defaultTimeout,
        bookmarkSub: prepared.bookmarkSub,
      });
    } catch (e) {
      if (prepared.subscription && handler !== undefined && !(e instanceof DisconnectedException)) {
        this.forgetTracked(h.subscriptionId as string);
      }
      throw e;
    }
    return id;
  }

  /** The header, body and ack bookkeeping for sending `command` (see prepare-command.ts). */
  private prepare(command: CommandLike): PreparedCommand {
    return prepareCommand(command, this.prepareEnv);
  }

  /**
   * The bookmark a (re)subscribe sends: MOST_RECENT becomes the bookmark store's recovery point (EPOCH without a
   * store or when the store knows nothing); a range's start becomes the recovery point (exclusive) when the store
   * has one, so a resumed bounded replay continues where it stopped; anything else is sent as is.
   */
  protected resolveBookmark(subId: string, requested: string): string {
    const store = this.bookmarkStoreRef;
    if (requested === MOST_RECENT) {
      const recent = store?.getMostRecent(subId);
      return recent !== undefined && recent !== '' ? recent : EPOCH;
    }
    if (store !== undefined) {
      const range = parseBookmarkRange(requested);
      if (range !== undefined) {
        const rp = store.getMostRecent(subId);
        if (rp !== '' && rp !== EPOCH) return `(${rp}:${range.end}${range.endInclusive ? ']' : ')'}`;
      }
    }
    return requested;
  }

  /** Sends a command whose acks or results come back, through the router (rejects when not connected). */
  private sendTracked(header: Header, body: Uint8Array | string | undefined, spec: SendSpec): Promise<Message | undefined> {
    const t = this.transport;
    if (t === undefined || (this.connecting && header.command !== 'logon')) {
      return Promise.reject(new DisconnectedException('not connected'));
    }
    return this.router.send(t, header, body, spec);
  }

  // ---- StreamOwner / MessageOwner ----------------------------------------------------------------------------------

  /** @internal */
  async closeStream(stream: MessageStream): Promise<void> {
    const id = this.router.detachStream(stream);
    // Sent, not awaited: leaving a `for await` loop must not hang on a server that is slow to ack.
    if (id !== undefined) this.unsubscribe(id).catch(() => undefined);
  }

  /** @internal */
  consumed(message: Message): void {
    if (this.autoAck && !message.acked && message.header.leasePeriod !== undefined) message.ack();
  }

  /** @internal */
  ackMessage(message: Message, options?: string): void {
    const h = message.header;
    const topic = h.topic as string | undefined;
    const bookmark = h.bookmark as string | undefined;
    if (topic === undefined || bookmark === undefined) return;
    this.ack(topic, bookmark, options, h.subscriptionId as string | undefined);
  }

  /**
   * Acknowledges a queue message by topic and bookmark (what `message.ack()` does). Batched like message acks;
   * `cancel`/`expire` are sent at once. No-op when not connected (the server releases the lease itself).
   */
  ack(topic: string, bookmark: string, options?: string, subId?: string): void;
  /** Acknowledges a queue message (same as `message.ack(options)`). */
  ack(message: Message, options?: string): void;
  ack(a: string | Message, b?: string, options?: string, subId?: string): void {
    if (typeof a !== 'string') {
      a.ack(b);
      return;
    }
    const topic = a;
    const bookmark = b as string;
    if (this.transport === undefined) return;
    const backlog = subId !== undefined ? this.router.maxBacklog(subId) : undefined;
    this.queueAcks.ack(topic, bookmark, options, backlog);
  }

  /** Sends queue acks waiting in partial batches now. */
  flushAcks(): void {
    this.queueAcks.flush();
  }

  /** @internal */
  discardMessage(message: Message): void {
    const store = this.bookmarkStoreRef;
    const h = message.header;
    const subId = h.subscriptionId as string | undefined;
    const bm = h.bookmark as string | undefined;
    if (store === undefined || subId === undefined || bm === undefined) return;
    store.discard(subId, bm);
  }

  // ---- inbound ------------------------------------------------------------------------------------------------------

  private onInbound(m: InboundMessage): void {
    this.heartbeat.received++;
    const h = m.header as Header & Record<string, unknown>;
    try {
      let command = h.command as string;
      if (command === 'p') command = h.command = 'publish';
      switch (command) {
        case 'publish':
        case 'oof':
        case 'delta':
          this.router.onDelivery(h, m.body);
          return;
        case 'sow':
        case 'group_begin':
        case 'group_end':
          this.router.onQueryMessage(h, m.body);
          return;
        case 'ack':
          this.router.onAck(h, m.body);
          return;
        case 'heartbeat':
          this.heartbeat.onServerBeat();
          return;
        default:
          this.lastChance(new Message(h, m.body, this));
      }
    } catch (e) {
      this.reportException(e);
    }
  }

  private onPublishPersisted(h: Header & Record<string, unknown>, body: Uint8Array): void {
    const seq = h.sequence as bigint;
    const status = h.status as string | undefined;
    const reason = h.reason as string | undefined;
    const store = this.publishStoreRef;
    const failed = status === 'failure' || reason === 'duplicate' || reason === 'not entitled';
    if (failed) {
      let msg: Message | undefined;
      const stored = store?.get?.(seq);
      if (stored !== undefined) msg = new Message({ ...stored.header }, stored.body, this);
      msg ??= new Message(h, body, this);
      if (this.failedWriteHandler !== undefined) this.callFailedWrite(msg, reason ?? status ?? 'failure');
      else this.lastChance(new Message(h, body, this));
    }
    if (store !== undefined) {
      try {
        store.discardUpTo(seq);
      } catch (e) {
        this.reportException(e);
      }
    }
  }

  private callFailedWrite(msg: Message, reason: string): void {
    try {
      this.failedWriteHandler?.(msg, reason);
    } catch (e) {
      this.reportException(e);
    }
  }

  private lastChance(msg: Message): void {
    const h = this.lastChanceHandler;
    if (h === undefined) return;
    try {
      h(msg);
    } catch (e) {
      this.reportException(e);
    }
  }

  /** Hands an error to the exception listener; never throws. Without a listener the error is dropped. */
  protected reportException(e: unknown): void {
    const l = this.exceptionListener;
    if (l === undefined) return;
    try {
      l(e instanceof Error ? e : new AMPSException(String(e)));
    } catch {
      // a listener must not throw; ignore it if it does
    }
  }

  // ---- ids ----------------------------------------------------------------------------------------------------------

  /** A new command id (`auto<N>`), unique for this client's lifetime (ids are not reused across reconnects). */
  newCommandId(): string {
    return `auto${++this.nextId}`;
  }
}

/** `5.3.4.0` → 5030400 (major·10^6 + minor·10^4 + patch·10^2 + build, as the Python client reports). */
export function versionNumber(version: string | undefined): number {
  if (version === undefined) return 0;
  const parts = version.split('.');
  let n = 0;
  const scale = [1_000_000, 10_000, 100, 1];
  for (let i = 0; i < 4; i++) {
    const v = Number.parseInt(parts[i] ?? '0', 10);
    if (!Number.isFinite(v)) break;
    n += Math.min(v, i === 0 ? 9999 : 99) * scale[i];
  }
  return n;
}
