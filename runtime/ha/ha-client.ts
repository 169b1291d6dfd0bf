// HAClient: a Client that keeps itself connected.
//
// It adds to Client a default disconnect handler that follows the Python client guide's reconnect sequence:
//   1. ask the ServerChooser for the URI and the authenticator (an empty URI: give up, with the chooser's
//      getError() text in the exception, delivered to the exception listener and to every waiting call);
//   2. ask the DelayStrategy how long to wait, and wait (a strategy that throws, e.g. maximum retry time: give up);
//   3. connect; on failure reportFailure() and start again at 1;
//   4. log on; on failure reportFailure() and start again at 1;
//   5. reportSuccess() (and reset the delay strategy);
//   6-8. the Client's after-logon recovery: heartbeat (HeartbeatInitiated) → discard from the publish store what
//      the logon ack's `s` says the server persisted, replay the rest (PublishReplayed) → re-enter subscriptions
//      through the SubscriptionManager (Resubscribed). A failure there (connection lost again, a publish gap, a
//      resubscription that timed out) counts as a failed attempt: the connection is dropped and the loop goes on.
//
// Calls made while the client is reconnecting (retryOnDisconnect = true, the default) wait for the reconnection
// and then run; a command whose connection is lost before its ack is retried on the new connection (a
// handler-mode subscription is not sent twice: the subscription manager re-enters it). With retryOnDisconnect =
// false a call waits for at most one reconnection attempt, and throws DisconnectedException when that attempt
// fails. publish() never waits (it is synchronous): with a publish store it stores the message and returns (the
// message is sent by the replay after the next logon); without one it throws DisconnectedException while
// disconnected.
//
// A disconnect handler set with setDisconnectHandler() replaces all of this: the HAClient then behaves like a
// Client on disconnect (the handler decides), and calls fail at once with DisconnectedException while disconnected.

import type { Header } from '../../generated/header-fields.js';
import { ConnectionState } from '../../generated/enums.js';
import { DisconnectedException } from '../../generated/errors.js';
import { Client } from '../client/client.js';
import type { Message } from '../client/message.js';
import type { MessageStream } from '../client/message-stream.js';
import type {
  CommandLike,
  CommonParams,
  ConnectOptions,
  ExecuteOptions,
  LogonParams,
  MessageData,
  MessageHandler,
  PublishParams,
  SubscriptionManager,
} from '../client/types.js';
import type { Transport } from '../transport/transport.js';
import { DefaultSubscriptionManager } from './subscription-manager.js';
import { DefaultServerChooser, redact, type ConnectionInfo, type ServerChooser } from './server-chooser.js';
import { ExponentialDelayStrategy, type DelayStrategy } from './delay-strategy.js';
import { FilePublishStore, MemoryPublishStore, type FilePublishStoreOptions } from '../store/index.js';
import { LoggedBookmarkStore, MemoryBookmarkStore, type LoggedBookmarkStoreOptions } from '../store/index.js';

const SUBSCRIBE_COMMANDS = new Set(['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe']);
const utf8 = new TextEncoder();
const WRITE_COMMANDS = new Set(['publish', 'p', 'delta_publish', 'sow_delete']);

export interface HAClientOptions {
  /** Default: an empty DefaultServerChooser (add URIs with `getServerChooser().add(...)` or pass one). */
  readonly serverChooser?: ServerChooser;
  /** Default: ExponentialDelayStrategy with its defaults (200 ms, ×2, max 20 s, jitter 1, never gives up). */
  readonly delayStrategy?: DelayStrategy;
  /** Default true: calls wait for the reconnection. */
  readonly retryOnDisconnect?: boolean;
  /** Default: a DefaultSubscriptionManager. Pass `null` for none (no resubscription, no Resubscribed state). */
  readonly subscriptionManager?: SubscriptionManager | null;
  /** Parameters for every logon (timeout default 10 000 ms; the chooser's authenticator overrides `authenticator`). */
  readonly logon?: LogonParams;
  /** Transport settings for every connection. */
  readonly connect?: ConnectOptions;
  /** createFileBacked: options of the FilePublishStore (fsync mode, ...). */
  readonly publishStore?: FilePublishStoreOptions;
  /** createFileBacked: options of the LoggedBookmarkStore (fsync mode, ...). */
  readonly bookmarkStore?: LoggedBookmarkStoreOptions;
}

/** Outcome of one connection attempt, for calls waiting with retryOnDisconnect = false. */
type AttemptWaiter = (error: Error | undefined) => void;

export class HAClient extends Client {
  private chooser: ServerChooser;
  private delay: DelayStrategy;
  private retry: boolean;
  private logonParams: LogonParams;
  private connectOptions: ConnectOptions;
  /** The running reconnect loop, if any. */
  private loop: Promise<void> | undefined;
  /** Set by disconnect()/close() and by giving up; cleared by connectAndLogon(). */
  private stopped = true;
  /** Why the last reconnect loop gave up (thrown by calls while stopped). */
  private gaveUp: Error | undefined;
  private everLoggedOn = false;
  private recovering = false;
  private attemptWaiters: AttemptWaiter[] = [];
  private currentTransport: Transport | undefined;
  private sleepTimer: ReturnType<typeof setTimeout> | undefined;
  private wakeSleep: (() => void) | undefined;
  private reconnectCount = 0;
  private directUri: string | undefined;

  constructor(name?: string, options: HAClientOptions = {}) {
    super(name);
    this.chooser = options.serverChooser ?? new DefaultServerChooser();
    this.delay = options.delayStrategy ?? new ExponentialDelayStrategy();
    this.retry = options.retryOnDisconnect ?? true;
    this.logonParams = { timeout: 10_000, ...options.logon };
    this.connectOptions = options.connect ?? {};
    if (options.subscriptionManager !== null) {
      this.setSubscriptionManager(options.subscriptionManager ?? new DefaultSubscriptionManager());
    }
  }

  // ---- settings ---------------------------------------------------------------------------------------------------

  setServerChooser(chooser: ServerChooser): this {
    this.chooser = chooser;
    return this;
  }
  getServerChooser(): ServerChooser {
    return this.chooser;
  }
  setDelayStrategy(strategy: DelayStrategy): this {
    this.delay = strategy;
    return this;
  }
  /** Python-style alias of setDelayStrategy. */
  setReconnectDelayStrategy(strategy: DelayStrategy): this {
    return this.setDelayStrategy(strategy);
  }
  getDelayStrategy(): DelayStrategy {
    return this.delay;
  }
  /** Python-style alias of getDelayStrategy. */
  getReconnectDelayStrategy(): DelayStrategy {
    return this.delay;
  }
  setRetryOnDisconnect(retry: boolean): this {
    this.retry = retry;
    return this;
  }
  getRetryOnDisconnect(): boolean {
    return this.retry;
  }
  /** Parameters of every logon the HAClient makes (timeout, authenticator, options, correlation id). */
  setLogonParams(params: LogonParams): this {
    this.logonParams = { ...params };
    return this;
  }
  getLogonParams(): LogonParams {
    return { ...this.logonParams };
  }
  /** Logon options (`o` of the logon command), e.g. `ack_conflation=100ms`. */
  setLogonOptions(options: string): this {
    this.logonParams = { ...this.logonParams, options };
    return this;
  }
  setConnectOptions(options: ConnectOptions): this {
    this.connectOptions = options;
    return this;
  }

  /** Successful reconnections since construction (not counting connectAndLogon). */
  get reconnections(): number {
    return this.reconnectCount;
  }

  /** True while the default disconnect handler is reconnecting. */
  get isReconnecting(): boolean {
    return this.loop !== undefined;
  }

  // ---- connection ---------------------------------------------------------------------------------------------------

  /**
   * Connects and logs on through the server chooser and delay strategy (the same loop as a reconnect), including
   * the recovery steps. Resolves once logged on and recovered; rejects when the chooser or the delay strategy gives
   * up, with the chooser's getError() text in the message.
   */
  async connectAndLogon(): Promise<void> {
    if (this.isLoggedOn && this.loop === undefined) return;
    this.stopped = false;
    this.gaveUp = undefined;
    await this.ensureLoop(false);
  }

  /**
   * Stops reconnecting and closes the connection. Broadcasts Shutdown (after Disconnected when a connection was
   * open). Calls waiting for a reconnection reject with DisconnectedException.
   */
  override async disconnect(): Promise<void> {
    const wasStopped = this.stopped;
    this.stopped = true;
    this.cancelSleep();
    const connected = this.isConnected || this.currentTransport?.connected === true;
    const loop = this.loop;
    if (connected) await super.disconnect();
    else if (!wasStopped || loop !== undefined) this.broadcastConnectionState(ConnectionState.Shutdown);
    this.failAttemptWaiters(new DisconnectedException('client disconnected'));
    if (loop !== undefined) await loop.catch(() => undefined);
  }

  /** disconnect(), then closes the publish and bookmark stores (files are released). */
  async close(): Promise<void> {
    await this.disconnect();
    for (const s of [this.getPublishStore(), this.getBookmarkStore()] as unknown[]) {
      const c = (s as { close?: () => unknown } | undefined)?.close;
      if (typeof c === 'function') await c.call(s);
    }
  }

  /**
   * Connecting directly (connect + logon, as with a Client) also works: after the logon the client reconnects
   * like after connectAndLogon(), and an empty DefaultServerChooser learns the URI (with the logon's
   * authenticator), so the reconnect goes back to that server.
   */
  override async connect(uri: string, options?: ConnectOptions): Promise<void> {
    this.directUri = uri;
    await super.connect(uri, options ?? this.connectOptions);
  }

  override async logon(params: LogonParams = {}): Promise<Message> {
    const ack = await super.logon({ ...this.logonParams, ...params });
    this.logonParams = { ...this.logonParams, ...params };
    const uri = this.directUri;
    this.directUri = undefined;
    if (this.chooser instanceof DefaultServerChooser && this.chooser.size === 0 && uri !== undefined) {
      this.chooser.add(uri, params.authenticator);
    }
    this.stopped = false;
    this.gaveUp = undefined;
    this.everLoggedOn = true;
    return ack;
  }

  /** The disconnect handler step: a custom handler replaces the default reconnect entirely. */
  protected override onConnectionLost(error: Error): void | Promise<void> {
    if (this.getDisconnectHandler() !== undefined) return super.onConnectionLost(error);
    if (this.stopped || this.loop !== undefined) return; // a running loop notices the loss itself
    // Giving up goes to the exception listener (the Client reports what this promise rejects with); a loop
    // ended by disconnect() is not an error.
    return this.ensureLoop(true).catch((e: unknown) => {
      if (e === this.gaveUp) throw e;
    });
  }

  protected override async afterLogon(logonAck: Message): Promise<void> {
    this.recovering = true;
    try {
      await super.afterLogon(logonAck);
    } finally {
      this.recovering = false;
    }
  }

  /** Starts the reconnect loop (or joins the running one). */
  private ensureLoop(isReconnect: boolean): Promise<void> {
    let loop = this.loop;
    if (loop === undefined) {
      loop = this.runLoop(isReconnect).finally(() => {
        if (this.loop === loop) this.loop = undefined;
      });
      loop.catch(() => undefined);
      this.loop = loop;
    }
    return loop;
  }

  private async runLoop(isReconnect: boolean): Promise<void> {
    let attempt = 0;
    let lastError: Error | undefined;
    // Bounded only by the chooser and the delay strategy, as the guide specifies; disconnect() stops it.
    for (;;) {
      if (this.stopped) throw new DisconnectedException('client disconnected');
      const uri = this.chooser.getCurrentURI();
      if (uri === '' || uri === undefined) {
        const detail = this.chooser.getError();
        throw this.giveUp(
          new DisconnectedException(
            `HAClient: no server available${detail ? `: ${detail}` : ''}${lastError && !detail ? ` (last error: ${lastError.message})` : ''}`,
            { cause: lastError },
          ),
        );
      }
      let wait: number;
      try {
        wait = this.delay.getConnectWaitDuration(uri);
      } catch (e) {
        const detail = this.chooser.getError();
        const why = e instanceof Error ? e.message : String(e);
        throw this.giveUp(
          new DisconnectedException(
            `HAClient: stopped reconnecting to ${redact(uri)}: ${why}${detail ? `; ${detail}` : ''}${lastError ? ` (last error: ${lastError.message})` : ''}`,
            { cause: lastError ?? e },
          ),
        );
      }
      if (wait > 0) await this.sleep(wait);
      if (this.stopped) throw new DisconnectedException('client disconnected');
      attempt++;
      const info: ConnectionInfo = { uri, attempt };
      const error = await this.attempt(uri);
      if (error === undefined) {
        this.chooser.reportSuccess(info);
        this.delay.reset();
        this.everLoggedOn = true;
        if (isReconnect) this.reconnectCount++;
        this.notifyAttempt(undefined);
        return;
      }
      lastError = error;
      this.chooser.reportFailure(error, info);
      this.notifyAttempt(error);
    }
  }

  /** One connect + logon + recovery. Returns the error, or undefined when the client is logged on and recovered. */
  private async attempt(uri: string): Promise<Error | undefined> {
    const userFactory = this.connectOptions.transportFactory;
    const options: ConnectOptions = {
      ...this.connectOptions,
      transportFactory: async (parsed, topts) => {
        const t = await (userFactory ?? this.createTransport.bind(this))(parsed, topts);
        this.currentTransport = t;
        return t;
      },
    };
    try {
      if (this.isConnected) await this.dropConnection();
      await super.connect(uri, options);
      if (this.stopped) {
        await this.dropConnection();
        return new DisconnectedException('client disconnected');
      }
      const authenticator = this.chooser.getCurrentAuthenticator() ?? this.logonParams.authenticator;
      await super.logon({ ...this.logonParams, authenticator });
      if (!this.isLoggedOn) return new DisconnectedException('connection lost during recovery');
      if (this.stopped) {
        await this.dropConnection();
        return new DisconnectedException('client disconnected');
      }
      return undefined;
    } catch (e) {
      const err = e instanceof Error ? e : new DisconnectedException(String(e));
      if (this.isConnected) await this.dropConnection();
      return err;
    }
  }

  /** Closes the current connection as a failure (the loop is running, so no new reconnect starts). */
  private async dropConnection(): Promise<void> {
    const t = this.currentTransport;
    if (t !== undefined) await t.close().catch(() => undefined);
  }

  private giveUp(error: Error): Error {
    this.stopped = true;
    this.gaveUp = error;
    this.failAttemptWaiters(error);
    this.broadcastConnectionState(ConnectionState.Shutdown);
    return error;
  }

  private sleep(ms: number): Promise<void> {
    return new Promise<void>((resolve) => {
      this.wakeSleep = resolve;
      this.sleepTimer = setTimeout(() => {
        this.sleepTimer = undefined;
        this.wakeSleep = undefined;
        resolve();
      }, ms);
    });
  }

  private cancelSleep(): void {
    if (this.sleepTimer !== undefined) clearTimeout(this.sleepTimer);
    this.sleepTimer = undefined;
    const w = this.wakeSleep;
    this.wakeSleep = undefined;
    w?.();
  }

  private notifyAttempt(error: Error | undefined): void {
    const ws = this.attemptWaiters;
    this.attemptWaiters = [];
    for (const w of ws) w(error);
  }

  private failAttemptWaiters(error: Error): void {
    this.notifyAttempt(error);
  }

  // ---- waiting for the connection ------------------------------------------------------------------------------------

  /** Logged on, recovered and not reconnecting. */
  private get ready(): boolean {
    return this.isLoggedOn && this.loop === undefined;
  }

  /**
   * Resolves when the client is ready to send; `oneAttempt` (retryOnDisconnect = false): wait for at most one
   * connection attempt. Throws DisconnectedException when the client is stopped or the attempt failed.
   */
  private async awaitReady(oneAttempt: boolean): Promise<void> {
    if (this.ready || this.recovering) return;
    if (this.stopped) {
      throw this.gaveUp !== undefined
        ? new DisconnectedException(this.gaveUp.message, { cause: this.gaveUp })
        : new DisconnectedException(this.everLoggedOn ? 'client disconnected' : 'not connected: call connectAndLogon()');
    }
    if (!oneAttempt) {
      await this.ensureLoop(this.everLoggedOn);
      return;
    }
    let loop = this.loop;
    if (loop === undefined) {
      if (this.isLoggedOn) return;
      loop = this.ensureLoop(this.everLoggedOn);
    }
    const error = await new Promise<Error | undefined>((resolve) => this.attemptWaiters.push(resolve));
    if (error !== undefined) {
      throw new DisconnectedException(`reconnection attempt failed: ${error.message}`, { cause: error });
    }
  }

  /**
   * Runs `op` once the client is ready; retries it on a new connection when its connection is lost before it
   * completes (retryOnDisconnect = true: until it succeeds or the client gives up; false: once).
   */
  private async withReconnect<T>(op: () => Promise<T>, onLost?: () => Promise<T> | undefined): Promise<T> {
    if (this.getDisconnectHandler() !== undefined || this.recovering) return op();
    const oneAttempt = !this.retry;
    let retried = false;
    for (let i = 0; ; i++) {
      await this.awaitReady(oneAttempt);
      try {
        return await op();
      } catch (e) {
        if (!(e instanceof DisconnectedException) || this.stopped) throw e;
        if (oneAttempt && retried) throw e;
        retried = true;
        const alt = onLost?.();
        if (alt !== undefined) {
          await this.awaitReady(oneAttempt);
          return alt;
        }
        // Unbounded retries would spin if the server kept dropping this command's connection: cap them.
        if (i >= 100) throw e;
      }
    }
  }

  // ---- commands -------------------------------------------------------------------------------------------------------

  override async execute(command: CommandLike, options: ExecuteOptions = {}): Promise<MessageStream> {
    const name = (command.commandName ?? (command.header as Header).command) as string;
    // A stored write (publish store set) is stored before it is sent: never send it twice.
    if (WRITE_COMMANDS.has(name) && name !== 'sow_delete' && this.getPublishStore() !== undefined) {
      await this.awaitReady(!this.retry);
      return super.execute(command, options);
    }
    return this.withReconnect(() => super.execute(command, options));
  }

  override async executeAsync(command: CommandLike, handler: MessageHandler | undefined, options: ExecuteOptions = {}): Promise<string> {
    const src = command.header as Header & Record<string, unknown>;
    const name = (command.commandName ?? src.command) as string;
    const manager = this.getSubscriptionManager();
    let cmd = command;
    let h = handler;
    let trackedSubId: string | undefined;
    if (SUBSCRIBE_COMMANDS.has(name) && handler !== undefined && manager !== undefined) {
      // Fix the ids now so a retry after a lost connection is the same subscription.
      const header = { ...src };
      if (header.commandId === undefined || header.commandId === '') header.commandId = this.newCommandId();
      if (header.subscriptionId === undefined || header.subscriptionId === '') header.subscriptionId = header.commandId;
      cmd = { commandName: command.commandName, header: header as Header, data: command.data } as CommandLike;
      trackedSubId = header.subscriptionId as string;
      if (manager instanceof DefaultSubscriptionManager) h = manager.wrapHandler(handler);
    }
    if (WRITE_COMMANDS.has(name) && name !== 'sow_delete' && this.getPublishStore() !== undefined) {
      await this.awaitReady(!this.retry);
      return super.executeAsync(cmd, h, options);
    }
    return this.withReconnect(
      () => super.executeAsync(cmd, h, options),
      // The manager keeps a subscription whose connection was lost and re-enters it: do not send it again.
      trackedSubId === undefined ? undefined : () => Promise.resolve(trackedSubId!),
    );
  }

  override flush(timeout?: number): Promise<void> {
    return this.withReconnect(() => super.flush(timeout));
  }

  override publishFlush(timeout?: number): Promise<void> {
    if (this.getPublishStore() !== undefined) return super.publishFlush(timeout);
    return this.withReconnect(() => super.publishFlush(timeout));
  }

  override sowDelete(topic: string, filter: string, params?: CommonParams): Promise<Message> {
    return this.withReconnect(() => super.sowDelete(topic, filter, params));
  }

  override sowDeleteByKeys(topic: string, keys: string | readonly string[], params?: CommonParams): Promise<Message> {
    return this.withReconnect(() => super.sowDeleteByKeys(topic, keys, params));
  }

  override sowDeleteByData(topic: string, data: MessageData, params?: CommonParams): Promise<Message> {
    return this.withReconnect(() => super.sowDeleteByData(topic, data, params));
  }

  /**
   * Publishes. While the client is reconnecting, a client with a publish store stores the message (the replay
   * after the next logon sends it, in order); without a store it throws DisconnectedException.
   */
  override publish(topic: string, data: MessageData, params?: PublishParams): void {
    this.writeHA('p', topic, data, params);
  }

  override deltaPublish(topic: string, data: MessageData, params?: PublishParams): void {
    this.writeHA('delta_publish', topic, data, params);
  }

  private writeHA(command: 'p' | 'delta_publish', topic: string, data: MessageData, params: PublishParams | undefined): void {
    const store = this.getPublishStore();
    if (this.isLoggedOn) {
      try {
        if (command === 'p') super.publish(topic, data, params);
        else super.deltaPublish(topic, data, params);
      } catch (e) {
        // With a store the message was stored before the send failed: the replay will send it.
        if (!(store !== undefined && e instanceof DisconnectedException)) throw e;
      }
      return;
    }
    if (store === undefined) {
      throw new DisconnectedException(this.stopped && this.gaveUp ? this.gaveUp.message : 'not connected (reconnecting)');
    }
    const h = { command, topic } as Header & Record<string, unknown>;
    if (params !== undefined) {
      if (params.expiration !== undefined) h.expiration = params.expiration;
      if (params.correlationId !== undefined) h.correlationId = params.correlationId;
      if (params.sowKey !== undefined) h.sowKey = params.sowKey;
    }
    h.ackType = 'persisted';
    const body = typeof data === 'string' || data instanceof Uint8Array ? data : this.serialize(data);
    store.store(h, typeof body === 'string' ? utf8.encode(body) : body);
  }

  // ---- factories --------------------------------------------------------------------------------------------------------

  /** An HAClient with memory-backed publish and bookmark stores. */
  static createMemoryBacked(name: string, options: HAClientOptions = {}): HAClient {
    const client = new HAClient(name, options);
    client.setPublishStore(new MemoryPublishStore<Header>());
    client.setBookmarkStore(new MemoryBookmarkStore());
    return client;
  }

  /**
   * An HAClient with a file-backed publish store at `publishLogPath` and a logged (file) bookmark store at
   * `bookmarkLogPath`. Existing files are recovered: unpersisted messages are replayed and bookmark subscriptions
   * resume after the last discarded message.
   */
  static createFileBacked(name: string, publishLogPath: string, bookmarkLogPath: string, options: HAClientOptions = {}): HAClient {
    const client = new HAClient(name, options);
    client.setPublishStore(new FilePublishStore<Header>(publishLogPath, options.publishStore));
    client.setBookmarkStore(new LoggedBookmarkStore(bookmarkLogPath, options.bookmarkStore));
    return client;
  }
}
