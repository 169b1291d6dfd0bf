// Shared machinery of the byte-stream transports (tcp, tcps, unix): `amps` length-prefixed framing over a
// node:net (or node:tls) socket.
//
// Outgoing: send() encodes the frame at once into the turn's FrameBuffer (prefix, header and body written in
// place, no string concatenation of bodies, no buffer per frame); the buffer is flushed once per event-loop turn
// (setImmediate), so a publish loop ends in ONE socket write per turn.
//
// Incoming: socket chunks feed a FrameDecoder; each frame is parsed (sow batches expanded) and delivered.
// A corrupt or oversized frame closes the connection with StreamException (to onClose); it never throws out
// of a socket callback.
//
// Node modules are loaded lazily (in connect()) so that importing this file costs a browser bundle nothing.

import type { Socket } from 'node:net';
import type { Header } from '../../generated/header-fields.js';
import {
  AMPSException,
  ConnectionException,
  ConnectionRefusedException,
  DisconnectedException,
  StreamException,
  TimedOutException,
} from '../../generated/errors.js';
import { FrameBuffer, FrameDecoder, parseFrame } from '../wire/tcp-framing.js';
import type { InboundMessage } from '../wire/message.js';
import type { EncodedHeader } from '../wire/header-codec.js';
import type { ParsedUri } from './uri.js';
import { DEFAULT_CONNECT_TIMEOUT_MS } from './defaults.js';
import { TransportListeners } from './listeners.js';
import type { RawFilter, Transport, TransportOptions } from './transport.js';

/** SO_LINGER default of the official clients: 10 s. */
export const DEFAULT_LINGER_SECONDS = 10;

type State = 'idle' | 'connecting' | 'open' | 'closing' | 'closed';

interface DrainWaiter {
  readonly threshold: number;
  readonly resolve: () => void;
}

/** What a concrete transport hands back from openSocket(): the socket and the event that means "ready". */
export interface OpeningSocket {
  readonly socket: Socket;
  readonly readyEvent: 'connect' | 'secureConnect';
}

export abstract class StreamTransport implements Transport {
  readonly uri: ParsedUri;
  protected readonly options: TransportOptions;

  private state: State = 'idle';
  private socket: Socket | undefined;
  private readonly decoder: FrameDecoder;
  private readonly out = new FrameBuffer();
  private flushScheduled = false;
  private readonly events: TransportListeners;
  private closeError: Error | undefined;
  private closeRequested = false;
  private lingerTimer: ReturnType<typeof setTimeout> | undefined;
  private drainWaiters: DrainWaiter[] = [];
  private closedPromise: Promise<void> | undefined;
  private resolveClosed: (() => void) | undefined;

  constructor(uri: ParsedUri, options: TransportOptions = {}) {
    this.uri = uri;
    this.options = options;
    this.events = new TransportListeners(options.onListenerError);
    this.decoder = new FrameDecoder((payload) => this.onFrame(payload), { maxFrameBytes: options.maxFrameBytes });
  }

  /** Creates the socket and starts connecting; the base class handles timeout, errors and events. */
  protected abstract openSocket(): Promise<OpeningSocket>;

  /** Human-readable destination for messages (never contains credentials). */
  protected abstract describeTarget(): string;

  get connected(): boolean {
    return this.state === 'open';
  }

  get bufferedAmount(): number {
    return this.out.length + (this.socket?.writableLength ?? 0);
  }

  async connect(): Promise<void> {
    if (this.state !== 'idle') {
      throw new ConnectionException(
        `transport to ${this.describeTarget()} was already used (state ${this.state}); create a new one to reconnect`,
      );
    }
    this.state = 'connecting';
    let socket: Socket;
    try {
      socket = await this.openWithTimeout();
    } catch (err) {
      this.state = 'closed';
      this.socket = undefined;
      this.resolveClosed?.();
      throw err;
    }
    if (this.state !== 'connecting') {
      // close() was called while the handshake finished.
      socket.destroy();
      this.state = 'closed';
      this.resolveClosed?.();
      throw new DisconnectedException(`connection to ${this.describeTarget()} was closed while connecting`);
    }
    this.state = 'open';
    this.attach(socket);
  }

  private async openWithTimeout(): Promise<Socket> {
    const timeoutMs = this.options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
    let opening: OpeningSocket;
    try {
      opening = await this.openSocket();
    } catch (err) {
      // e.g. tls.connect throwing on an unparsable key or certificate
      throw this.mapConnectError(err instanceof Error ? err : new Error(String(err)));
    }
    const { socket, readyEvent } = opening;
    this.socket = socket;
    if (this.closeRequested) {
      socket.destroy();
      throw new DisconnectedException(`connection to ${this.describeTarget()} was closed while connecting`);
    }
    return new Promise<Socket>((resolve, reject) => {
      const cleanup = () => {
        clearTimeout(timer);
        socket.off(readyEvent, onReady);
        socket.off('error', onError);
        socket.off('close', onClose);
        // A late second 'error' (e.g. from TLS after we destroyed the socket) must not become unhandled.
        socket.on('error', ignoreError);
      };
      const onReady = () => {
        cleanup();
        resolve(socket);
      };
      const onError = (err: Error) => {
        cleanup();
        socket.destroy();
        reject(this.mapConnectError(err));
      };
      const onClose = () => {
        cleanup();
        reject(
          new DisconnectedException(
            this.closeRequested
              ? `connection to ${this.describeTarget()} was closed while connecting`
              : `connection to ${this.describeTarget()} closed during the handshake`,
          ),
        );
      };
      const timer = setTimeout(() => {
        cleanup();
        socket.destroy();
        reject(new TimedOutException(`connecting to ${this.describeTarget()} timed out after ${timeoutMs} ms`));
      }, timeoutMs);
      socket.once(readyEvent, onReady);
      socket.once('error', onError);
      socket.once('close', onClose);
    });
  }

  /** ECONNREFUSED → ConnectionRefusedException; TLS and other failures → ConnectionException with the cause. */
  protected mapConnectError(err: Error): AMPSException {
    if (err instanceof AMPSException) return err;
    const code = (err as NodeJS.ErrnoException).code;
    const target = this.describeTarget();
    if (code === 'ECONNREFUSED' || code === 'ENOENT' || code === 'ECONNRESET') {
      // ENOENT: nothing listens at a unix socket path; ECONNRESET before ready: the server dropped us at once.
      return new ConnectionRefusedException(`connection to ${target} refused (${code})`, { cause: err });
    }
    return new ConnectionException(`cannot connect to ${target}: ${err.message}`, { cause: err });
  }

  private attach(socket: Socket): void {
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', (err: Error) => {
      if (this.closeError === undefined && !this.closeRequested) {
        this.closeError = new DisconnectedException(`connection to ${this.describeTarget()} failed: ${err.message}`, {
          cause: err,
        });
      }
    });
    socket.on('close', () => this.finish());
    socket.on('drain', () => this.checkDrainWaiters());
  }

  // ---- incoming -------------------------------------------------------------------------------------------

  private onData(chunk: Buffer): void {
    if (this.state !== 'open') return;
    if (this.events.hasRawFilter) this.events.raw(chunk, false);
    try {
      this.decoder.push(chunk);
    } catch (err) {
      this.fail(asStreamException(err));
    }
  }

  private onFrame(payload: Uint8Array): void {
    if (this.state !== 'open') return;
    let messages: InboundMessage[];
    try {
      messages = parseFrame(payload);
    } catch (err) {
      this.fail(asStreamException(err));
      return;
    }
    for (const m of messages) {
      if (this.state !== 'open') return;
      this.events.message(m);
    }
  }

  // ---- outgoing -------------------------------------------------------------------------------------------

  send(header: Header, body?: Uint8Array | string): void {
    this.checkOpen();
    this.queued(this.out.append(header, body));
  }

  sendEncoded(header: EncodedHeader, body?: Uint8Array | string): void {
    this.checkOpen();
    this.queued(this.out.appendEncoded(header, body));
  }

  private checkOpen(): void {
    if (this.state !== 'open') {
      throw new DisconnectedException(`not connected to ${this.describeTarget()} (state ${this.state})`);
    }
  }

  private queued(frame: Uint8Array): void {
    if (this.events.hasRawFilter) this.events.raw(frame.slice(), true);
    if (!this.flushScheduled) {
      this.flushScheduled = true;
      setImmediate(() => this.flush());
    }
  }

  /** Writes everything queued. Called once per turn, and by close(). */
  protected flush(): void {
    this.flushScheduled = false;
    const socket = this.socket;
    if (this.out.length === 0) return;
    const bytes = this.out.take();
    if (socket === undefined || socket.destroyed || !socket.writable) return;
    socket.write(bytes, () => this.checkDrainWaiters());
  }

  whenDrained(threshold = 0): Promise<void> {
    if (this.state !== 'open' || this.bufferedAmount <= threshold) return Promise.resolve();
    return new Promise((resolve) => this.drainWaiters.push({ threshold, resolve }));
  }

  private checkDrainWaiters(): void {
    if (this.drainWaiters.length === 0) return;
    const open = this.state === 'open';
    const buffered = this.bufferedAmount;
    const still: DrainWaiter[] = [];
    for (const w of this.drainWaiters) {
      if (!open || buffered <= w.threshold) w.resolve();
      else still.push(w);
    }
    this.drainWaiters = still;
  }

  // ---- hooks ----------------------------------------------------------------------------------------------

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

  /** Lingers like SO_LINGER: `tcp_linger=0` resets at once; otherwise FIN, then wait for the peer up to N s. */
  protected lingerSeconds(): number {
    const v = this.uri.socketOptions.tcp_linger;
    return typeof v === 'number' ? v : DEFAULT_LINGER_SECONDS;
  }

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
        this.state = 'closing';
        this.socket?.destroy();
        // connect() settles and resolves `promise`.
        return promise;
      case 'closing':
        // Already going down (fail()); finish() resolves `promise`.
        return promise;
      default:
        break;
    }
    const socket = this.socket as Socket;
    this.state = 'closing';
    this.flush();
    const linger = this.lingerSeconds();
    if (linger === 0 && typeof socket.resetAndDestroy === 'function') {
      socket.resetAndDestroy();
    } else {
      socket.end();
      this.lingerTimer = setTimeout(() => socket.destroy(), linger * 1000);
      this.lingerTimer.unref?.();
    }
    return promise;
  }

  /** Closes at once because of `err` (delivered to onClose). */
  protected fail(err: Error): void {
    if (this.state === 'closed') return;
    this.closeError ??= err;
    this.state = 'closing';
    this.out.take();
    this.socket?.destroy();
  }

  private finish(): void {
    if (this.lingerTimer !== undefined) clearTimeout(this.lingerTimer);
    const wasClosed = this.state === 'closed';
    this.state = 'closed';
    this.out.take();
    this.checkDrainWaiters();
    this.resolveClosed?.();
    if (wasClosed) return;
    const err =
      this.closeError ??
      (this.closeRequested
        ? undefined
        : new DisconnectedException(`connection to ${this.describeTarget()} was closed by the peer`));
    this.events.closed(err);
  }
}

function asStreamException(err: unknown): StreamException {
  if (err instanceof StreamException) return err;
  const message = err instanceof Error ? err.message : String(err);
  return new StreamException(`corrupt data on the connection: ${message}`, { cause: err });
}

function ignoreError(): void {
  // see openWithTimeout
}
