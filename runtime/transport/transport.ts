// The Transport contract: moves whole AMPS messages, not bytes. The protocol code above (Client, HAClient)
// never learns whether it talks to a TCP stream (length-prefixed frames) or a WebSocket (count/header/body
// frames).
//
// Lifecycle: one Transport instance is one connection attempt. `connect()` once; after the connection ends
// (`close()`, peer close, error) the instance is spent: create a new one (createTransport) to reconnect.
//
// Events:
//  - onMessage: every inbound message, in order (a TCP `sow` batch is expanded to one message per record).
//  - onClose: exactly once per successful connect, when the connection is over. `err` is undefined after our
//    own close(); DisconnectedException when the peer closed or the socket failed; StreamException when the
//    peer sent corrupt or oversized data. onClose is NOT called when connect() rejects (it never opened).
//
// Node modules (net, tls, ws) are loaded lazily inside connect(), so this module and the WebSocket transport
// can be bundled for browsers.

import type { Header } from '../../generated/header-fields.js';
import type { InboundMessage } from '../wire/message.js';
import type { EncodedHeader } from '../wire/header-codec.js';
import { parseUri, type ParsedUri } from './uri.js';
import { TcpTransport } from './tcp.js';
import { TlsTransport } from './tls.js';
import { UnixTransport } from './unix.js';
import { WebSocketTransport } from './ws.js';

export type { InboundMessage } from '../wire/message.js';

/** Raw bytes as they cross the wire: whole TCP frames (outgoing) or socket chunks (incoming); WS frames. */
export type RawFilter = (bytes: Uint8Array | string, outgoing: boolean) => void;

export interface TlsOptions {
  /** Trusted CA certificate(s), PEM. Default: Node's bundled roots. */
  readonly ca?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Client certificate chain, PEM (mutual TLS). */
  readonly cert?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Client private key, PEM. */
  readonly key?: string | Uint8Array | readonly (string | Uint8Array)[];
  /** Passphrase of `key`. */
  readonly passphrase?: string;
  /** Verify the server certificate (default true). Turning this off is for tests only. */
  readonly rejectUnauthorized?: boolean;
  /** SNI and certificate host name check; default: the URI host when it is a name (not an IP literal). */
  readonly servername?: string;
  /** Minimum TLS version, e.g. 'TLSv1.2'. */
  readonly minVersion?: 'TLSv1' | 'TLSv1.1' | 'TLSv1.2' | 'TLSv1.3';
}

/** A WHATWG-style WebSocket constructor (the browser/global one, the `ws` package's, or a test double). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  readonly bufferedAmount: number;
  readonly protocol?: string;
  onopen: ((ev: unknown) => void) | null;
  onmessage: ((ev: { data: unknown }) => void) | null;
  onclose: ((ev: { code: number; reason: string; wasClean?: boolean }) => void) | null;
  onerror: ((ev: unknown) => void) | null;
  send(data: string | ArrayBufferLike | ArrayBufferView): void;
  close(code?: number, reason?: string): void;
}
export type WebSocketConstructor = new (url: string, protocolsOrOptions?: unknown, options?: unknown) => WebSocketLike;

export interface TransportOptions {
  /** Give up connecting (TCP connect + TLS handshake, or WebSocket upgrade) after this long. Default 10000. */
  readonly connectTimeoutMs?: number;
  /** TLS settings for tcps and wss. */
  readonly tls?: TlsOptions;
  /** Largest inbound frame accepted; larger → StreamException and the connection closes. Default 256 MiB. */
  readonly maxFrameBytes?: number;
  /**
   * WebSocket implementation (ws/wss). 'auto' (default): the global WebSocket when present, except in Node when
   * the URI carries credentials (the `ws` package is used then, so they travel as an `Authorization: Basic`
   * upgrade header, never in the URL); the `ws` package when there is no global. 'global', 'ws', or a
   * constructor force one.
   */
  readonly webSocket?: 'auto' | 'global' | 'ws' | WebSocketConstructor;
  /**
   * Receives exceptions thrown by onMessage/onClose listeners and the raw filter (they never disturb the
   * connection). Default: rethrown asynchronously, like an event listener's exception.
   */
  readonly onListenerError?: (err: unknown) => void;
  /** Extra HTTP headers on the WebSocket upgrade request (Node `ws` only). */
  readonly webSocketHeaders?: Readonly<Record<string, string>>;
}

export interface Transport {
  /** The parsed URI (its `toString()` is redacted). */
  readonly uri: ParsedUri;
  /** True between a successful connect() and the end of the connection. */
  readonly connected: boolean;
  /**
   * Bytes accepted by send() but not yet handed to the operating system: the pending batch plus the socket's
   * (or WebSocket's) own buffer. Use with whenDrained() for backpressure.
   */
  readonly bufferedAmount: number;
  /** Opens the connection. Rejects with ConnectionRefusedException, TimedOutException, ConnectionException
   *  (TLS failures, with the cause), DisconnectedException (closed during connect). */
  connect(): Promise<void>;
  /**
   * Queues one command. Encoded at once; all sends of one event-loop turn go out in one socket write.
   * Throws DisconnectedException when not connected.
   */
  send(header: Header, body?: Uint8Array | string): void;
  /** As send(), with a header encoded once beforehand (the client's per-topic publish headers). */
  sendEncoded(header: EncodedHeader, body?: Uint8Array | string): void;
  /** Registers a message listener; returns a function that removes it. */
  onMessage(cb: (m: InboundMessage) => void): () => void;
  /** Registers a close listener (called once per connection); returns a function that removes it. */
  onClose(cb: (err?: Error) => void): () => void;
  /** Flushes what is queued and closes. Resolves when the connection is closed. Idempotent. */
  close(): Promise<void>;
  /** Observes raw bytes both ways (Client.setTransportFilter); undefined removes it. Must not throw. */
  setRawFilter(fn: RawFilter | undefined): void;
  /** Resolves once bufferedAmount is at or below `threshold` bytes (default 0), or the connection ends. */
  whenDrained(threshold?: number): Promise<void>;
}

export { DEFAULT_CONNECT_TIMEOUT_MS } from './defaults.js';

/**
 * Picks the transport for the URI's scheme. Parses (and validates) the URI synchronously, so a bad URI throws
 * here (InvalidUriException, InvalidTransportOptionsException, TransportTypeException); the connection itself
 * starts with connect(). Node modules are only loaded by connect().
 */
export function createTransport(uri: string | ParsedUri, options: TransportOptions = {}): Transport {
  const parsed = typeof uri === 'string' ? parseUri(uri) : uri;
  switch (parsed.scheme) {
    case 'tcp':
      return new TcpTransport(parsed, options);
    case 'tcps':
      return new TlsTransport(parsed, options);
    case 'unix':
      return new UnixTransport(parsed, options);
    case 'ws':
    case 'wss':
      return new WebSocketTransport(parsed, options);
  }
}
