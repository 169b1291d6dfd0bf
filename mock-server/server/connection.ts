// One client connection, TCP or WebSocket, as the session layer sees it: whole AMPS messages in, whole AMPS
// messages out. Framing comes from runtime/wire (the codec our client uses too). Writes are batched per
// event-loop turn; a connection whose unsent output grows past its limit is closed as a slow client; fault
// injection (stall, cut during a sow batch) lives here because it acts on bytes.

import type { Socket } from 'node:net';
import type { WebSocket } from 'ws';
import type { Header } from '../../generated/header-fields.js';
import { decodeHeader } from '../../runtime/wire/header-codec.js';
import { FrameDecoder, encodeFrameHead, encodeSowBatchParts, type SowRecord } from '../../runtime/wire/tcp-framing.js';
import { WsCommandAssembler, encodeWsServerMessage, encodeWsSowBatch, type WsBodyType } from '../../runtime/wire/ws-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

export type TransportKind = 'tcp' | 'ws';

/**
 * A message body shared by every subscriber of one delivery: the bytes, and (for WebSocket text frames) the
 * text decoded once. The engine's Doc satisfies this interface.
 */
export interface BodyLike {
  readonly data: Uint8Array;
  readonly text: string;
}

export type OutBody = Uint8Array | BodyLike;

const textDecoder = new TextDecoder();

/** Wraps bytes so their text is decoded at most once across subscribers. */
export class SharedBody implements BodyLike {
  private cached: string | undefined;
  constructor(readonly data: Uint8Array) {}
  get text(): string {
    this.cached ??= textDecoder.decode(this.data);
    return this.cached;
  }
}

const EMPTY = new Uint8Array(0);

function bodyBytes(b: OutBody | undefined): Uint8Array {
  if (b === undefined) return EMPTY;
  return b instanceof Uint8Array ? b : b.data;
}

function bodyText(b: OutBody): string {
  return b instanceof Uint8Array ? textDecoder.decode(b) : b.text;
}

export interface ConnectionEvents {
  /** A complete client command. */
  message(msg: InboundMessage): void;
  /** Bytes that cannot be framed or parsed; the connection decides whether to continue. */
  protocolError(err: Error, fatal: boolean): void;
  close(reason: string): void;
}

export interface ConnectionOptions {
  maxFrameBytes: number;
  /** Unsent output above which the client is disconnected as slow. */
  maxOutboundBytes: number;
  /** Message type from the URI path (ws) or the transport default (tcp). */
  messageType: string;
}

let nextConnectionId = 1;

export abstract class Connection {
  readonly id = nextConnectionId++;
  abstract readonly transport: TransportKind;
  readonly connectedAt = Date.now();
  remoteAddress = '';
  remotePort = 0;
  messageType: string;
  closed = false;
  closeReason = '';
  /** Time (ms) of the last byte sent, for idle heartbeats. */
  lastSent = Date.now();
  /** Time (ms) of the last byte received, for missed heartbeats. */
  lastReceived = Date.now();
  protected handlers: ConnectionEvents | undefined;
  protected stalledUntil = 0;
  private stallTimer: NodeJS.Timeout | undefined;
  protected cutNextSow = false;

  constructor(protected readonly options: ConnectionOptions) {
    this.messageType = options.messageType;
  }

  attach(handlers: ConnectionEvents): void {
    this.handlers = handlers;
  }

  /** Sends one message (never a sow batch). `body` may be shared across connections. Never throws. */
  send(header: Header, body?: OutBody): void {
    if (this.closed) return;
    try {
      this.doSend(header, body);
    } catch (err) {
      this.handlers?.protocolError(new Error(`cannot send ${String(header.command)}: ${(err as Error).message}`), false);
    }
  }

  /** Sends one sow batch (TCP: one frame; WS: header then record header/body pairs). Never throws. */
  sendSowBatch(batchHeader: Header, records: readonly SowRecord[]): void {
    if (this.closed) return;
    try {
      this.doSendSowBatch(batchHeader, records);
    } catch (err) {
      this.handlers?.protocolError(new Error(`cannot send a sow batch: ${(err as Error).message}`), false);
    }
  }

  protected abstract doSend(header: Header, body?: OutBody): void;
  protected abstract doSendSowBatch(batchHeader: Header, records: readonly SowRecord[]): void;
  /** Unsent bytes queued for this client. */
  abstract get outboundBytes(): number;
  protected abstract pauseReading(): void;
  protected abstract resumeReading(): void;
  protected abstract flushStalled(): void;
  protected abstract destroy(code: number, reason: string): void;

  /** Closes the connection (idempotent). */
  close(reason = 'closed', code = 1000): void {
    if (this.closed) return;
    this.closed = true;
    this.closeReason = reason;
    if (this.stallTimer) clearTimeout(this.stallTimer);
    try {
      this.destroy(code, reason);
    } catch {
      // already gone
    }
    this.handlers?.close(reason);
  }

  /** Fault injection: stop reading and writing for `ms` (writes are queued, then flushed). */
  stall(ms: number): void {
    if (this.closed) return;
    this.stalledUntil = Math.max(this.stalledUntil, Date.now() + ms);
    this.pauseReading();
    if (this.stallTimer) clearTimeout(this.stallTimer);
    this.stallTimer = setTimeout(() => {
      this.stallTimer = undefined;
      this.stalledUntil = 0;
      if (this.closed) return;
      this.resumeReading();
      this.flushStalled();
    }, ms);
    this.stallTimer.unref?.();
  }

  get stalled(): boolean {
    return this.stalledUntil !== 0;
  }

  /** Fault injection: the next sow batch is cut in the middle and the connection dropped. */
  cutDuringNextSowBatch(): void {
    this.cutNextSow = true;
  }

  protected checkBackpressure(): void {
    if (!this.closed && this.outboundBytes > this.options.maxOutboundBytes) {
      this.close('slow client', 1011);
    }
  }

  protected received(msg: InboundMessage): void {
    this.lastReceived = Date.now();
    this.handlers?.message(msg);
  }
}

// ---------------------------------------------------------------------------------------------------------
// TCP

export class TcpConnection extends Connection {
  readonly transport = 'tcp' as const;
  private readonly decoder: FrameDecoder;
  private corked = false;
  private queued: Uint8Array[] = [];
  private queuedBytes = 0;
  private readingPaused = false;

  constructor(
    private readonly socket: Socket,
    options: ConnectionOptions,
  ) {
    super(options);
    this.remoteAddress = socket.remoteAddress ?? '';
    this.remotePort = socket.remotePort ?? 0;
    socket.setNoDelay(true);
    this.decoder = new FrameDecoder((payload) => this.onFrame(payload), { maxFrameBytes: options.maxFrameBytes });
    socket.on('data', (chunk: Buffer) => this.onData(chunk));
    socket.on('error', () => undefined);
    socket.on('close', () => this.close('connection closed'));
    socket.on('drain', () => {
      if (this.readingPaused && !this.stalled) {
        this.readingPaused = false;
        socket.resume();
      }
    });
  }

  private onData(chunk: Buffer): void {
    if (this.closed) return;
    this.lastReceived = Date.now();
    try {
      this.decoder.push(chunk);
    } catch (err) {
      this.handlers?.protocolError(err as Error, true);
      this.close('bad frame', 1002);
    }
  }

  private onFrame(payload: Uint8Array): void {
    if (this.closed) return;
    // A client frame is always one command (parseFrame would read a client `sow` command as a server batch).
    let msg: InboundMessage;
    try {
      const { header, end } = decodeHeader(payload, 0, payload.length);
      msg = { header, body: payload.subarray(end) };
    } catch (err) {
      // The length prefix was sound, so the stream is still in sync: report and keep the connection.
      this.handlers?.protocolError(err as Error, false);
      return;
    }
    this.received(msg);
  }

  get outboundBytes(): number {
    return this.socket.writableLength + this.queuedBytes;
  }

  private write(chunk: Uint8Array): void {
    if (this.closed) return;
    if (this.stalled) {
      this.queued.push(chunk);
      this.queuedBytes += chunk.length;
      this.checkBackpressure();
      return;
    }
    if (!this.corked) {
      this.corked = true;
      this.socket.cork();
      process.nextTick(() => {
        this.corked = false;
        if (!this.socket.destroyed) this.socket.uncork();
      });
    }
    const ok = this.socket.write(chunk);
    this.lastSent = Date.now();
    if (!ok && !this.readingPaused) {
      // This client is not reading its output: stop reading its input until the socket drains.
      this.readingPaused = true;
      this.socket.pause();
    }
    this.checkBackpressure();
  }

  // The body is written as its own chunk: one buffer serves every subscriber a publish is delivered to.
  protected doSend(header: Header, body?: OutBody): void {
    const bytes = bodyBytes(body);
    const c = header.command;
    const h =
      (c === 'publish' || c === 'oof') && header.messageLength !== bytes.length ? { ...header, messageLength: bytes.length } : header;
    this.write(encodeFrameHead(h, bytes.length, { server: true }));
    if (bytes.length > 0) this.write(bytes);
  }

  protected doSendSowBatch(batchHeader: Header, records: readonly SowRecord[]): void {
    const parts = encodeSowBatchParts(batchHeader, records, { server: true });
    if (this.cutNextSow) {
      this.cutNextSow = false;
      const frame = Buffer.concat(parts);
      const cut = frame.subarray(0, Math.max(5, Math.floor(frame.length / 2)));
      this.socket.write(cut, () => this.close('cut during sow batch (fault injection)', 1011));
      this.socket.uncork();
      return;
    }
    for (const p of parts) if (p.length > 0) this.write(p);
  }

  protected pauseReading(): void {
    this.socket.pause();
  }

  protected resumeReading(): void {
    this.readingPaused = false;
    this.socket.resume();
  }

  protected flushStalled(): void {
    const q = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    for (const c of q) this.write(c);
  }

  protected destroy(): void {
    this.queued = [];
    this.queuedBytes = 0;
    // Let already-written bytes (e.g. a failure ack) reach the client, then close.
    this.socket.end();
    const t = setTimeout(() => this.socket.destroy(), 200);
    t.unref?.();
  }
}

// ---------------------------------------------------------------------------------------------------------
// WebSocket

type WsOut = string | Uint8Array;

/** Unsent WebSocket output above which the connection's input is paused until it drains. */
const WS_HIGH_WATER = 4 * 1024 * 1024;

export class WsConnection extends Connection {
  readonly transport = 'ws' as const;
  private assembler: WsCommandAssembler;
  private queued: WsOut[] = [];
  private queuedBytes = 0;
  private readingPaused = false;

  constructor(
    private readonly ws: WebSocket,
    options: ConnectionOptions,
    remote: { address?: string; port?: number },
  ) {
    super(options);
    this.assembler = new WsCommandAssembler(options.maxFrameBytes);
    this.remoteAddress = remote.address ?? '';
    this.remotePort = remote.port ?? 0;
    ws.on('message', (data, isBinary) => this.onFrame(data as Buffer | ArrayBuffer | Buffer[], isBinary));
    ws.on('error', () => undefined);
    ws.on('close', () => this.close('connection closed'));
  }

  /** Body frame type the client asked for (`text` for json). */
  get bodyType(): WsBodyType {
    return this.assembler.bodyType ?? (this.messageType === 'json' ? 'text' : 'binary');
  }

  private onFrame(data: Buffer | ArrayBuffer | Buffer[], isBinary: boolean): void {
    if (this.closed) return;
    this.lastReceived = Date.now();
    let bytes: Buffer;
    if (Array.isArray(data)) bytes = Buffer.concat(data);
    else if (data instanceof ArrayBuffer) bytes = Buffer.from(data);
    else bytes = data;
    if (bytes.length > this.options.maxFrameBytes) {
      this.handlers?.protocolError(new Error(`frame of ${bytes.length} bytes exceeds the limit`), true);
      this.close('frame too large', 1009);
      return;
    }
    let msg: InboundMessage | undefined;
    try {
      msg = this.assembler.push(isBinary ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.length) : bytes.toString('utf8'));
    } catch (err) {
      if (this.assembler.overLimit) {
        // A command assembled past the frame limit closes the connection, as an oversized TCP frame does.
        this.handlers?.protocolError(err as Error, true);
        this.close('command too large', 1009);
        return;
      }
      // A WebSocket keeps message boundaries; a bad header resets the assembler to await the next count frame.
      this.handlers?.protocolError(err as Error, false);
      this.resetAssembler();
      return;
    }
    if (msg) this.received(msg);
  }

  private resetAssembler(): void {
    const bodyType = this.assembler.bodyType;
    this.assembler = new WsCommandAssembler(this.options.maxFrameBytes);
    this.assembler.bodyType = bodyType;
  }

  get outboundBytes(): number {
    return this.ws.bufferedAmount + this.queuedBytes;
  }

  private frame(f: WsOut): void {
    if (this.closed) return;
    if (this.stalled) {
      this.queued.push(f);
      this.queuedBytes += typeof f === 'string' ? f.length : f.length;
      this.checkBackpressure();
      return;
    }
    if (this.ws.readyState !== 1) return;
    this.ws.send(f, { binary: typeof f !== 'string' });
    this.lastSent = Date.now();
    this.checkBackpressure();
    if (!this.readingPaused && this.ws.bufferedAmount > WS_HIGH_WATER) this.pauseUntilDrained();
  }

  /** This client is not reading its output: stop reading its input until the output drains. */
  private pauseUntilDrained(): void {
    this.readingPaused = true;
    this.pauseReading();
    const poll = setInterval(() => {
      if (this.closed || this.ws.bufferedAmount <= WS_HIGH_WATER / 2) {
        clearInterval(poll);
        this.readingPaused = false;
        if (!this.closed && !this.stalled) this.resumeReading();
      }
    }, 20);
    poll.unref?.();
  }

  private bodyFrame(body: OutBody): WsOut {
    return this.bodyType === 'text' ? bodyText(body) : bodyBytes(body);
  }

  protected doSend(header: Header, body?: OutBody): void {
    const length = bodyBytes(body).length;
    const frame = length > 0 ? this.bodyFrame(body as OutBody) : undefined;
    for (const f of encodeWsServerMessage(header, frame, this.bodyType, length)) this.frame(f);
  }

  protected doSendSowBatch(batchHeader: Header, records: readonly SowRecord[]): void {
    const frames = encodeWsSowBatch(batchHeader, records, this.bodyType);
    if (this.cutNextSow) {
      // Fault injection: the batch header and half of the records, then the connection drops.
      this.cutNextSow = false;
      for (const f of frames.slice(0, 1 + 2 * Math.floor(records.length / 2))) this.frame(f);
      this.close('cut during sow batch (fault injection)', 1011);
      return;
    }
    for (const f of frames) this.frame(f);
  }


  protected pauseReading(): void {
    (this.ws as unknown as { _socket?: Socket })._socket?.pause();
  }

  protected resumeReading(): void {
    (this.ws as unknown as { _socket?: Socket })._socket?.resume();
  }

  protected flushStalled(): void {
    const q = this.queued;
    this.queued = [];
    this.queuedBytes = 0;
    for (const f of q) this.frame(f);
  }

  protected destroy(code: number, reason: string): void {
    this.queued = [];
    this.queuedBytes = 0;
    if (this.ws.readyState === 0 || this.ws.readyState === 1) {
      try {
        this.ws.close(validCloseCode(code) ? code : 1011, reason.slice(0, 100));
      } catch {
        this.ws.terminate();
      }
      const t = setTimeout(() => this.ws.terminate(), 500);
      t.unref?.();
    }
  }
}

function validCloseCode(code: number): boolean {
  return code === 1000 || (code >= 1001 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
}
