// ws:// and wss:// transport, framed exactly as the official AMPS JavaScript client does (protocol §1.3):
//
//  - connects to the URI without its query string (path kept, e.g. `/amps/json`), binaryType 'arraybuffer';
//  - in Node, user/password go as an `Authorization: Basic base64(user:password)` header on the upgrade
//    request, never in the URL (the `ws` package is used for that); in a browser the URL carries them as the
//    official client does (browsers cannot set upgrade headers);
//  - right after open, one text frame: `text` for the json message type, `binary` otherwise;
//  - every command: [4-byte little-endian frame count][header text frame][body frame], built by
//    runtime/wire encodeWsCommand;
//  - inbound frames go through WsInboundParser (header text frame, then body frames per `l` / `bs`).
//
// Sends of one event-loop turn are corked into one socket write when the implementation exposes its socket
// (the Node `ws` package); elsewhere each frame is a WebSocket send.

import type { Header } from '../../generated/header-fields.js';
import {
  Reasons,
  AuthenticationException,
  type AMPSException,
  ConnectionException,
  ConnectionRefusedException,
  DisconnectedException,
  StreamException,
  TimedOutException,
} from '../../generated/errors.js';
import { encodeWsCommand, encodeWsCommandText, wsPreamble, WsInboundParser } from '../wire/ws-framing.js';
import type { EncodedHeader } from '../wire/header-codec.js';
import { DEFAULT_MAX_FRAME_BYTES } from '../wire/tcp-framing.js';
import type { InboundMessage } from '../wire/message.js';
import { DEFAULT_CONNECT_TIMEOUT_MS, loadNodeModule } from './defaults.js';
import { TransportListeners } from './listeners.js';
import type {
  RawFilter,
  Transport,
  TransportOptions,
  WebSocketConstructor,
  WebSocketLike,
} from './transport.js';
import { urlHost, type ParsedUri } from './uri.js';

/** Readable reasons for WebSocket close codes (RFC 6455 §7.4 and the ones the official client maps). */
export function closeCodeReason(code: number): string {
  switch (code) {
    case 1000:
      return 'normal closure';
    case 1001:
      return 'the server is going away';
    case 1002:
      return 'protocol error';
    case 1003:
      return 'AMPS received data of a type it cannot accept';
    case 1005:
      return 'closed without a status code';
    case 1006:
      return 'connection lost (closed abnormally, no close frame)';
    case 1007:
      return 'invalid frame payload data (e.g. text that is not UTF-8)';
    case 1008:
      return 'policy violation';
    case 1009:
      return 'message too big';
    case 1010:
      return 'a required extension was not negotiated';
    case 1011:
      return 'the server hit an unexpected condition';
    case 1012:
      return 'the server is restarting';
    case 1013:
      return 'try again later';
    case 1015:
      return 'TLS handshake failure';
    case 4000:
      return 'credentials must be renewed, or heartbeat lost';
    default:
      return code >= 4000 && code <= 4999 ? 'application-defined close' : 'unknown close code';
  }
}

type State = 'idle' | 'connecting' | 'open' | 'closing' | 'closed';

interface NodeWsExtras {
  /** ws package: the underlying net/tls socket (used to cork the sends of one turn). */
  _socket?: { cork(): void; uncork(): void; destroyed?: boolean } | null;
  terminate?: () => void;
}

function isNode(): boolean {
  const p = (globalThis as { process?: { versions?: { node?: string } } }).process;
  return typeof p?.versions?.node === 'string';
}

function base64Utf8(text: string): string {
  const bytes = new TextEncoder().encode(text);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return btoa(binary);
}

/** The URL the WebSocket connects to: scheme, host, port and path; no query, no credentials. */
export function webSocketUrl(uri: ParsedUri, withCredentials = false): string {
  let userinfo = '';
  if (withCredentials && (uri.user !== undefined || uri.password !== undefined)) {
    userinfo = encodeURIComponent(uri.user ?? '');
    if (uri.password !== undefined) userinfo += `:${encodeURIComponent(uri.password)}`;
    userinfo += '@';
  }
  return `${uri.scheme}://${userinfo}${urlHost(uri.host)}:${uri.port}${uri.path}`;
}

/** `Basic base64(user:password)` for the upgrade request; undefined when the URI has no credentials. */
export function basicAuthorization(uri: ParsedUri): string | undefined {
  if (uri.user === undefined && uri.password === undefined) return undefined;
  return `Basic ${base64Utf8(`${uri.user ?? ''}:${uri.password ?? ''}`)}`;
}

export class WebSocketTransport implements Transport {
  readonly uri: ParsedUri;
  private readonly options: TransportOptions;
  private state: State = 'idle';
  private socket: (WebSocketLike & NodeWsExtras) | undefined;
  private readonly parser = new WsInboundParser();
  private readonly events: TransportListeners;
  private closeError: Error | undefined;
  private closeRequested = false;
  private corked = false;
  private closedPromise: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;
  private closeTimer: ReturnType<typeof setTimeout> | undefined;

  constructor(uri: ParsedUri, options: TransportOptions = {}) {
    if (uri.scheme !== 'ws' && uri.scheme !== 'wss') {
      throw new ConnectionException(`WebSocketTransport needs a ws or wss URI, got ${uri.scheme}`);
    }
    this.uri = uri;
    this.options = options;
    this.events = new TransportListeners(options.onListenerError);
  }

  get connected(): boolean {
    return this.state === 'open';
  }

  get bufferedAmount(): number {
    return this.socket?.bufferedAmount ?? 0;
  }

  private describeTarget(): string {
    return webSocketUrl(this.uri);
  }

  // ---- connecting -----------------------------------------------------------------------------------------

  async connect(): Promise<void> {
    if (this.state !== 'idle') {
      throw new ConnectionException(
        `transport to ${this.describeTarget()} was already used (state ${this.state}); create a new one to reconnect`,
      );
    }
    this.state = 'connecting';
    try {
      const socket = await this.open();
      if (this.closeRequested) {
        socket.close(1000);
        throw new DisconnectedException(`connection to ${this.describeTarget()} was closed while connecting`);
      }
      this.socket = socket;
      this.state = 'open';
      this.attach(socket);
      // The preamble tells the server which frame type to use for bodies.
      this.sendFrame(wsPreamble(this.uri.messageType ?? 'json'));
    } catch (err) {
      if (this.socket !== undefined) {
        this.socket.onopen = this.socket.onmessage = this.socket.onclose = null;
        this.socket.onerror = ignore;
        if (this.state === 'open') abort(this.socket); // e.g. the preamble could not be sent
      }
      this.state = 'closed';
      this.resolveClosed?.();
      throw err;
    }
  }

  private async resolveConstructor(): Promise<{ ctor: WebSocketConstructor; nodeWs: boolean }> {
    const choice = this.options.webSocket ?? 'auto';
    if (typeof choice === 'function') return { ctor: choice, nodeWs: false };
    const global = (globalThis as { WebSocket?: WebSocketConstructor }).WebSocket;
    const hasCredentials = this.uri.user !== undefined || this.uri.password !== undefined;
    const wantsHeaders = hasCredentials || this.options.webSocketHeaders !== undefined || this.options.tls !== undefined;
    if (choice === 'global' || (choice === 'auto' && global !== undefined && !(isNode() && wantsHeaders))) {
      if (global === undefined) throw new ConnectionException('no global WebSocket in this environment');
      return { ctor: global, nodeWs: false };
    }
    if (choice === 'ws' || isNode()) {
      try {
        const mod = (await loadNodeModule<unknown>('ws')) as { WebSocket?: WebSocketConstructor; default?: WebSocketConstructor };
        const ctor = mod.WebSocket ?? mod.default;
        if (ctor === undefined) throw new Error('the ws module has no WebSocket export');
        return { ctor, nodeWs: true };
      } catch (err) {
        throw new ConnectionException(`cannot load the 'ws' package: ${(err as Error).message}`, { cause: err });
      }
    }
    if (global !== undefined) return { ctor: global, nodeWs: false };
    throw new ConnectionException('no WebSocket implementation available');
  }

  private async open(): Promise<WebSocketLike & NodeWsExtras> {
    const { ctor, nodeWs } = await this.resolveConstructor();
    if (this.closeRequested) {
      throw new DisconnectedException(`connection to ${this.describeTarget()} was closed while connecting`);
    }
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let socket: WebSocketLike & NodeWsExtras;
    try {
      if (nodeWs) {
        const headers: Record<string, string> = { ...this.options.webSocketHeaders };
        const authorization = basicAuthorization(this.uri);
        if (authorization !== undefined) headers.Authorization = authorization;
        const t = this.options.tls ?? {};
        const wsOptions: Record<string, unknown> = {
          headers,
          maxPayload: this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES,
          // No handshakeTimeout: our own timer (below) covers connect + upgrade and reports TimedOutException.
        };
        if (this.uri.scheme === 'wss') {
          for (const k of ['ca', 'cert', 'key', 'passphrase', 'servername', 'minVersion'] as const) {
            if (t[k] !== undefined) wsOptions[k] = t[k];
          }
          wsOptions.rejectUnauthorized = t.rejectUnauthorized ?? true;
        }
        socket = new ctor(this.describeTarget(), undefined, wsOptions) as WebSocketLike & NodeWsExtras;
      } else {
        // Browsers: the official client passes the credentials in the URL (no way to set headers).
        socket = new ctor(webSocketUrl(this.uri, !isNode())) as WebSocketLike & NodeWsExtras;
      }
    } catch (err) {
      throw new ConnectionException(`cannot open a WebSocket to ${this.describeTarget()}: ${(err as Error).message}`, {
        cause: err,
      });
    }
    socket.binaryType = 'arraybuffer';
    this.socket = socket;
    return new Promise((resolve, reject) => {
      let failure: AMPSException | undefined;
      const timer = setTimeout(() => {
        failure = new TimedOutException(`connecting to ${this.describeTarget()} timed out after ${timeoutMs} ms`);
        abort(socket);
        settle();
      }, timeoutMs);
      let settled = false;
      const settle = (ok?: boolean) => {
        if (settled) return;
        settled = true;
        clearTimeout(timer);
        socket.onopen = socket.onclose = null;
        // Keep an error listener: the `ws` package throws an 'error' event that has none.
        socket.onerror = ignore;
        if (ok) resolve(socket);
        else {
          reject(
            failure ??
              new DisconnectedException(
                this.closeRequested
                  ? `connection to ${this.describeTarget()} was closed while connecting`
                  : `connection to ${this.describeTarget()} closed during the handshake`,
              ),
          );
        }
      };
      socket.onopen = () => settle(true);
      socket.onerror = (ev: unknown) => {
        failure ??= this.mapConnectError(ev);
        // ws emits close after error; browsers too. Settle on close, or now if the socket is already done.
        if (socket.readyState >= 2) settle();
        else setTimeout(() => settle(), 0);
      };
      socket.onclose = (ev) => {
        if (failure === undefined && !this.closeRequested) {
          failure = new ConnectionException(
            `WebSocket to ${this.describeTarget()} closed before opening: code ${ev.code} (${closeCodeReason(ev.code)})`,
          );
        }
        settle();
      };
    });
  }

  private mapConnectError(ev: unknown): AMPSException {
    const err = (ev as { error?: unknown }).error;
    const cause = err instanceof Error ? err : undefined;
    const code = (cause as NodeJS.ErrnoException | undefined)?.code ?? '';
    const target = this.describeTarget();
    if (code === 'ECONNREFUSED') {
      return new ConnectionRefusedException(`connection to ${target} refused (${code})`, { cause });
    }
    // The server refused the upgrade itself: 401/403 is its answer to the credentials (AMPS's WWWAuthenticate).
    const refused = /Unexpected server response: (\d{3})/.exec(cause?.message ?? '');
    if (refused && (refused[1] === '401' || refused[1] === '403')) {
      return new AuthenticationException(`${target} refused the WebSocket upgrade with HTTP ${refused[1]}`, {
        cause,
        reason: Reasons.AUTH_FAILURE,
      });
    }
    if (cause !== undefined) {
      const tls = /^ERR_TLS_|^ERR_SSL_|CERT|SELF_SIGNED|UNABLE_TO_|HOSTNAME|ALTNAME/.test(code);
      return new ConnectionException(
        `${tls ? 'TLS handshake with' : 'cannot connect to'} ${target} failed: ${cause.message}`,
        { cause },
      );
    }
    const message = (ev as { message?: unknown }).message;
    return new ConnectionException(
      `WebSocket connection to ${target} failed${typeof message === 'string' && message ? `: ${message}` : ''}`,
    );
  }

  // ---- open connection ------------------------------------------------------------------------------------

  private attach(socket: WebSocketLike & NodeWsExtras): void {
    socket.onmessage = (ev) => this.onFrame(ev.data);
    socket.onerror = (ev: unknown) => {
      if (this.closeError === undefined && !this.closeRequested) {
        const err = (ev as { error?: unknown }).error;
        const code = (err as { code?: unknown } | undefined)?.code;
        if (typeof code === 'string' && code.startsWith('WS_ERR_')) {
          // The `ws` receiver rejected a frame (too big, bad opcode, bad UTF-8, ...): the stream is corrupt.
          this.closeError = new StreamException(`corrupt WebSocket data from ${this.describeTarget()}: ${(err as Error).message}`, {
            cause: err,
          });
          return;
        }
        this.closeError = new DisconnectedException(
          `WebSocket to ${this.describeTarget()} failed${err instanceof Error ? `: ${err.message}` : ''}`,
          { cause: err },
        );
      }
    };
    socket.onclose = (ev) => this.finish(ev.code, ev.reason);
  }

  private onFrame(data: unknown): void {
    if (this.state !== 'open') return;
    let frame: string | Uint8Array;
    if (typeof data === 'string') frame = data;
    else if (data instanceof ArrayBuffer) frame = new Uint8Array(data);
    else if (ArrayBuffer.isView(data)) frame = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
    else {
      this.fail(new StreamException(`unexpected WebSocket frame data (${Object.prototype.toString.call(data)})`));
      return;
    }
    if (this.events.hasRawFilter) this.events.raw(frame, false);
    const limit = this.options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
    if (frame.length > limit) {
      // (The `ws` package enforces this itself via maxPayload; this covers the other implementations.)
      this.fail(new StreamException(`frame of ${frame.length} bytes exceeds the limit of ${limit} bytes`));
      return;
    }
    let messages: InboundMessage[];
    try {
      messages = this.parser.push(frame);
    } catch (err) {
      this.fail(
        err instanceof StreamException
          ? err
          : new StreamException(`corrupt data on the connection: ${(err as Error).message}`, { cause: err }),
      );
      return;
    }
    for (const m of messages) {
      if (this.state !== 'open') return;
      this.events.message(m);
    }
  }

  send(header: Header, body?: Uint8Array | string): void {
    if (this.state !== 'open') {
      throw new DisconnectedException(`not connected to ${this.describeTarget()} (state ${this.state})`);
    }
    const frames = encodeWsCommand(header, body);
    this.cork();
    for (const f of frames) this.sendFrame(f);
  }

  sendEncoded(header: EncodedHeader, body?: Uint8Array | string): void {
    if (this.state !== 'open') {
      throw new DisconnectedException(`not connected to ${this.describeTarget()} (state ${this.state})`);
    }
    const frames = encodeWsCommandText(header.text, body);
    this.cork();
    for (const f of frames) this.sendFrame(f);
  }

  private sendFrame(frame: string | Uint8Array): void {
    if (this.events.hasRawFilter) this.events.raw(frame, true);
    (this.socket as WebSocketLike).send(frame);
  }

  /** Node `ws`: cork the underlying socket until the end of this turn, so a burst leaves in one write. */
  private cork(): void {
    if (this.corked) return;
    const raw = this.socket?._socket;
    if (raw == null || typeof raw.cork !== 'function' || typeof setImmediate !== 'function') return;
    this.corked = true;
    raw.cork();
    setImmediate(() => this.uncork());
  }

  private uncork(): void {
    if (!this.corked) return;
    this.corked = false;
    const raw = this.socket?._socket;
    if (raw != null && !raw.destroyed) raw.uncork();
  }

  whenDrained(threshold = 0): Promise<void> {
    if (this.state !== 'open' || this.bufferedAmount <= threshold) return Promise.resolve();
    // WebSocket has no drain event: poll (cheap, and only while someone waits).
    return new Promise((resolve) => {
      const check = () => {
        if (this.state !== 'open' || this.bufferedAmount <= threshold) resolve();
        else setTimeout(check, 5);
      };
      setTimeout(check, 5);
    });
  }

  onMessage(cb: (m: InboundMessage) => void): () => void {
    return this.events.onMessage(cb);
  }

  onClose(cb: (err?: Error) => void): () => void {
    return this.events.onClose(cb);
  }

  setRawFilter(fn: RawFilter | undefined): void {
    this.events.setRawFilter(fn);
  }



  // ---- closing --------------------------------------------------------------------------------------------

  close(): Promise<void> {
    this.closedPromise ??= new Promise<void>((resolve) => {
      this.resolveClosed = resolve;
    });
    const promise = this.closedPromise;
    if (this.closeRequested) return promise;
    this.closeRequested = true;
    switch (this.state) {
      case 'idle':
      case 'closed':
        this.state = 'closed';
        this.resolveClosed?.();
        return promise;
      case 'connecting':
        if (this.socket !== undefined) abort(this.socket);
        return promise; // connect() settles and resolves it
      default:
        break;
    }
    const socket = this.socket as WebSocketLike & NodeWsExtras;
    this.state = 'closing';
    this.uncork();
    try {
      socket.close(1000);
    } catch {
      abort(socket);
    }
    // A peer that never answers the close frame: give up after the connect timeout.
    this.closeTimer = setTimeout(() => {
      abort(socket);
      this.finish(1006, '');
    }, this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS);
    return promise;
  }

  private fail(err: Error): void {
    if (this.state === 'closed') return;
    this.closeError ??= err;
    this.state = 'closing';
    const socket = this.socket;
    if (socket === undefined) return;
    this.uncork();
    abort(socket);
    // Some implementations report the close asynchronously (or not at all after terminate): finish now.
    this.finish(1006, '');
  }

  private finish(code: number, reason: string): void {
    if (this.closeTimer !== undefined) clearTimeout(this.closeTimer);
    this.corked = false;
    const wasClosed = this.state === 'closed';
    this.state = 'closed';
    this.resolveClosed?.();
    if (wasClosed) return;
    if (this.socket !== undefined) {
      this.socket.onmessage = null;
      this.socket.onclose = null;
      this.socket.onerror = ignore;
    }
    let err: Error | undefined = this.closeError;
    if (err === undefined && !this.closeRequested) {
      err = new DisconnectedException(
        `connection to ${this.describeTarget()} was closed by the peer: code ${code} (${closeCodeReason(code)})` +
          (reason ? `: ${reason}` : ''),
      );
    }
    this.events.closed(err);
  }
}

function ignore(): void {
  // late events after the transport is done with the socket
}

/** Closes at once: ws's terminate() when there is one, else a normal close. Never throws. */
function abort(socket: WebSocketLike & NodeWsExtras): void {
  try {
    if (typeof socket.terminate === 'function') socket.terminate();
    else socket.close(1000);
  } catch {
    // already closed
  }
}
