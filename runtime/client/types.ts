// Public types of the client API and the narrow views the client has of its collaborators (transport, stores,
// subscription manager). The views are structural, so any implementation with these members plugs in.

import type { Header } from '../../generated/header-fields.js';
import type { ParsedUri } from '../transport/uri.js';
import type { Transport, TransportOptions } from '../transport/transport.js';
import type { Message } from './message.js';
import type { Authenticator } from './authenticator.js';
import type { Client } from './client.js';

/** Receives messages in handler mode. Called synchronously on the socket's read path: keep it short. */
export type MessageHandler = (message: Message) => void;

/**
 * A message body: a string (sent as UTF-8), bytes (sent as is), or any other value, serialised for the
 * connection's message type (JSON.stringify on a `json` connection; other message types need string or bytes).
 */
export type MessageData = string | Uint8Array | object;

/**
 * Raw bytes as they cross the connection; `outgoing` is true for what we send. TCP: whole outgoing frames and
 * incoming socket chunks (not aligned to messages), length prefixes included. WebSocket: each frame.
 */
export type TransportFilter = (data: Uint8Array | string, outgoing: boolean) => void;

/** Called with the failure ack and the reason when the server rejects a write (publish, delta_publish, sow_delete). */
export type FailedWriteHandler = (message: Message, reason: string) => void;

/** Called with errors that have no caller to reach: a handler that threw, a failed subscription, ... */
export type ExceptionListener = (error: Error) => void;

/** Called when the connection is lost (not on `disconnect()`). May reconnect (`client.connect` + `logon`). */
// Declared as a method so it is bivariant in C: a handler typed for a subclass (HAClient) keeps the subclass
// assignable to Client.
export type DisconnectHandler<C> = { handle(client: C, error: Error): void | Promise<void> }['handle'];

/**
 * A command to run: what the generated `Command` builders produce (`Command.sow('orders').filter(...)`), or any
 * object of this shape. `header` uses property names (`topic`, `filter`, `subscriptionId`, ...); `data` is the
 * body. The client copies the header; the command object is never modified.
 */
export interface CommandLike {
  readonly commandName?: string;
  readonly header: Header;
  readonly data?: MessageData | null;
}

// ---- store views ------------------------------------------------------------------------------------------------

/**
 * The client's view of a publish store (runtime/store: MemoryPublishStore, FilePublishStore). String bodies are
 * encoded to UTF-8 before they are stored.
 */
export interface ClientPublishStore {
  /** Stores a command about to be sent, sets `header.sequence` and returns that sequence (`s`). */
  store(header: Header, body: Uint8Array): bigint;
  /** Drops every stored command with a sequence ≤ `sequence` (the server persisted them). */
  discardUpTo(sequence: bigint): void;
  /** Re-sends every stored command (after a logon), in sequence order, with its original sequence. */
  replay(send: (header: Header, body: Uint8Array) => void): void;
  unpersistedCount(): number;
  /** Resolves when every stored command is persisted, or rejects with TimedOutException after `timeout` ms. */
  flush(timeout?: number): Promise<void>;
  /** The stored command with this sequence (for the failed-write handler). */
  get?(sequence: bigint): { readonly header: Header; readonly body: Uint8Array } | undefined;
}

/** The client's view of a bookmark store (runtime/store: MemoryBookmarkStore, file stores). */
export interface ClientBookmarkStore {
  /** Records a delivered bookmark; returns -1 (duplicate: not delivered), 0 (untracked) or its store number. */
  log(subId: string, bookmark: string): number;
  /** Marks a logged message processed. */
  discard(subId: string, bookmark: string): unknown;
  /** The recovery point for a subscription (a bookmark or comma list; `0` = EPOCH when unknown). */
  getMostRecent(subId: string): string;
  /** The server reported this bookmark as persisted for the subscription. */
  persisted(subId: string, bookmark: string): void;
}

// ---- subscription manager --------------------------------------------------------------------------------------

/**
 * Remembers handler-mode subscriptions so they can be re-entered after a reconnect (runtime/ha provides the
 * default one). The client calls `subscribe` for every subscription command run with a handler (streams are
 * not tracked, like the official clients), `unsubscribe` on unsubscribe, `clear` on `unsubscribe('all')`, and
 * `resubscribe(client)` as the last step after a logon.
 */
export interface SubscriptionManager {
  subscribe(handler: MessageHandler, command: CommandLike, requestedAckTypes: string): void;
  unsubscribe(subId: string): void;
  clear(): void;
  resubscribe(client: Client): Promise<void>;
}

// ---- options and parameters -------------------------------------------------------------------------------------

export interface ConnectOptions {
  /** Transport settings (connect timeout, TLS, WebSocket implementation, max frame size). */
  transport?: TransportOptions;
  /** Builds the transport; custom transports plug in here. Default: runtime/transport createTransport. */
  transportFactory?: (uri: ParsedUri, options: TransportOptions) => Transport | Promise<Transport>;
}

export interface LogonParams {
  /** Milliseconds to wait for the logon ack (0 = no limit, the default). */
  timeout?: number;
  /** Supplies the password token; default: DefaultAuthenticator (the password in the URI). */
  authenticator?: Authenticator;
  /** Logon correlation id (`x`, base64 characters only); the server only logs it. */
  correlationId?: string;
  /** Logon options (`o`), e.g. `ack_conflation=100ms`; `pretty` from the URI is added automatically. */
  options?: string;
}

export interface PublishParams {
  /** SOW expiration in seconds. */
  expiration?: number;
  /** Correlation id passed through to subscribers (base64 characters only). */
  correlationId?: string;
  /** Explicit SOW key, for topics with user-generated keys. */
  sowKey?: string;
}

export interface CommonParams {
  /** Milliseconds to wait for the command's ack; then the command fails with TimedOutException (0 = no limit). */
  timeout?: number;
  /** Command options (`o`), e.g. `oof,send_keys`. */
  options?: string;
}

export interface SubscribeParams extends CommonParams {
  /** Subscription id (default: the generated command id). */
  subId?: string;
  /** Start point for a bookmark subscription (see Bookmarks). */
  bookmark?: string;
  /** Replay limit for bookmark subscriptions. */
  topN?: number;
}

export interface SowParams extends CommonParams {
  /** Query id (default: the generated command id). */
  queryId?: string;
  /** Records per `sow` batch (default 10). */
  batchSize?: number;
  topN?: number;
  orderBy?: string;
  /** Historical query: a bookmark or timestamp. */
  bookmark?: string;
  /** Restrict to these SOW keys (comma list). */
  sowKeys?: string;
}

export interface SowAndSubscribeParams extends SowParams {
  subId?: string;
}

export interface ExecuteOptions {
  /** Milliseconds to wait for the ack the command resolves on (0 = no limit). */
  timeout?: number;
}
