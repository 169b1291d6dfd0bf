// Minimal raw AMPS clients for the mock server tests, built on runtime/wire (not on our Client): they send
// exactly the frames they are given and record every message (and its raw header text) they receive.

import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { Header } from '../../generated/header-fields.js';
import { encodeFrame, FrameDecoder, parseFrame } from '../../runtime/wire/tcp-framing.js';
import { encodeWsCommand, WsInboundParser } from '../../runtime/wire/ws-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

export interface Received extends InboundMessage {
  /** The raw JSON text of the (first) header of the frame this message came from. */
  readonly raw: string;
  readonly text: string;
}

const dec = new TextDecoder();

type Waiter = { pred: (m: Received) => boolean; resolve: (m: Received) => void; reject: (e: Error) => void; timer: NodeJS.Timeout };

abstract class RawClientBase {
  readonly received: Received[] = [];
  /** Messages not yet consumed by next(). */
  protected inbox: Received[] = [];
  private waiters: Waiter[] = [];
  closed = false;
  closeCode: number | undefined;
  protected closeWaiters: (() => void)[] = [];
  private cidCounter = 0;

  nextCid(): string {
    return `c${++this.cidCounter}`;
  }

  protected deliver(m: Received): void {
    this.received.push(m);
    const i = this.waiters.findIndex((w) => w.pred(m));
    if (i >= 0) {
      const [w] = this.waiters.splice(i, 1);
      clearTimeout(w.timer);
      w.resolve(m);
      return;
    }
    this.inbox.push(m);
  }

  protected onClosed(code?: number): void {
    if (this.closed) return;
    this.closed = true;
    this.closeCode = code;
    for (const w of this.waiters) {
      clearTimeout(w.timer);
      w.reject(new Error('connection closed while waiting'));
    }
    this.waiters = [];
    for (const c of this.closeWaiters) c();
  }

  /** The next received message matching `pred` (consumes it and every earlier unmatched one stays queued). */
  next(pred: (m: Received) => boolean = () => true, timeoutMs = 5000): Promise<Received> {
    const i = this.inbox.findIndex(pred);
    if (i >= 0) return Promise.resolve(this.inbox.splice(i, 1)[0]);
    if (this.closed) return Promise.reject(new Error('connection closed'));
    return new Promise((resolve, reject) => {
      const w: Waiter = {
        pred,
        resolve,
        reject,
        timer: setTimeout(() => {
          this.waiters = this.waiters.filter((x) => x !== w);
          reject(new Error(`timed out waiting for a message; inbox: ${this.inbox.map((m) => m.raw).join(' ')}`));
        }, timeoutMs),
      };
      this.waiters.push(w);
    });
  }

  /** Next message with this command (and optionally ack type). */
  nextOf(command: string, ackType?: string, timeoutMs = 5000): Promise<Received> {
    return this.next((m) => m.header.command === command && (ackType === undefined || m.header.ackType === ackType), timeoutMs);
  }

  /** Collects `n` messages matching `pred`. */
  async take(n: number, pred: (m: Received) => boolean = () => true, timeoutMs = 5000): Promise<Received[]> {
    const out: Received[] = [];
    for (let i = 0; i < n; i++) out.push(await this.next(pred, timeoutMs));
    return out;
  }

  /** Messages received and not consumed yet. */
  pending(): Received[] {
    return [...this.inbox];
  }

  whenClosed(timeoutMs = 5000): Promise<void> {
    if (this.closed) return Promise.resolve();
    return new Promise((resolve, reject) => {
      const t = setTimeout(() => reject(new Error('connection did not close')), timeoutMs);
      this.closeWaiters.push(() => {
        clearTimeout(t);
        resolve();
      });
    });
  }

  abstract send(header: Header, body?: string | Uint8Array): void;
  abstract close(): void;

  /** Sends a command and waits for its ack of `ackType` (by cid). */
  async request(header: Header, body?: string, ackType = 'processed'): Promise<Received> {
    const cid = (header.commandId as string | undefined) ?? this.nextCid();
    this.send({ ...header, commandId: cid, ackType: header.ackType ?? ackType } as Header, body);
    return this.next((m) => m.header.command === 'ack' && m.header.commandId === cid && m.header.ackType === ackType);
  }

  async logon(clientName: string, extra: Partial<Header> = {}): Promise<Received> {
    return this.request({ command: 'logon', clientName, version: '5.3.4.0:test', userId: '', ...extra } as Header);
  }
}

export class RawTcpClient extends RawClientBase {
  private constructor(readonly socket: Socket) {
    super();
    socket.setNoDelay(true);
    const decoder = new FrameDecoder((payload) => {
      const raw = rawHeaderText(payload);
      for (const m of parseFrame(payload)) this.deliver({ ...m, raw, text: dec.decode(m.body) });
    });
    socket.on('data', (chunk) => {
      try {
        decoder.push(chunk);
      } catch {
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClosed());
  }

  static connect(port: number, host = '127.0.0.1'): Promise<RawTcpClient> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ port, host }, () => {
        s.off('error', reject);
        resolve(new RawTcpClient(s));
      });
      s.once('error', reject);
    });
  }

  send(header: Header, body?: string | Uint8Array): void {
    this.socket.write(encodeFrame(header, body));
  }

  sendRaw(bytes: Uint8Array | string): void {
    this.socket.write(bytes);
  }

  close(): void {
    this.socket.destroy();
  }
}

export class RawWsClient extends RawClientBase {
  /** Every frame received, in order (text or bytes). */
  readonly frames: (string | Uint8Array)[] = [];
  private constructor(readonly ws: WebSocket) {
    super();
    const parser = new WsInboundParser();
    let lastHeaderRaw = '';
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
      this.frames.push(frame);
      try {
        if (typeof frame === 'string' && frame.startsWith('{"c"')) lastHeaderRaw = frame;
        for (const m of parser.push(frame)) this.deliver({ ...m, raw: lastHeaderRaw, text: dec.decode(m.body) });
      } catch {
        ws.terminate();
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', (code) => this.onClosed(code));
  }

  static connect(url: string, opts: { preamble?: string | null; headers?: Record<string, string> } = {}): Promise<RawWsClient> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url, { headers: opts.headers ?? {} });
      ws.once('open', () => {
        ws.off('error', reject);
        if (opts.preamble !== null) ws.send(opts.preamble ?? 'text');
        resolve(new RawWsClient(ws));
      });
      ws.once('error', reject);
      ws.once('unexpected-response', (_req, res) => reject(new Error(`upgrade refused: ${res.statusCode}`)));
    });
  }

  send(header: Header, body?: string | Uint8Array): void {
    for (const f of encodeWsCommand(header, body)) this.ws.send(f, { binary: typeof f !== 'string' });
  }

  sendFrame(frame: string | Uint8Array): void {
    this.ws.send(frame, { binary: typeof frame !== 'string' });
  }

  close(): void {
    this.ws.terminate();
  }
}

function rawHeaderText(payload: Uint8Array): string {
  let depth = 0;
  let inStr = false;
  let start = -1;
  for (let i = 0; i < payload.length; i++) {
    const b = payload[i];
    if (start < 0) {
      if (b === 0x7b) {
        start = i;
        depth = 1;
      }
      continue;
    }
    if (inStr) {
      if (b === 0x5c) i++;
      else if (b === 0x22) inStr = false;
    } else if (b === 0x22) inStr = true;
    else if (b === 0x7b) depth++;
    else if (b === 0x7d && --depth === 0) return dec.decode(payload.subarray(start, i + 1));
  }
  return dec.decode(payload);
}

/** The keys a server may emit (amps-protocol §2.2 "Server → client key"). */
export const SERVER_KEYS = new Set([
  'c', 'cid', 'a', 'status', 'reason', 't', 'filter', 'opts', 'sub_id', 'sids', 'query_id', 'bs', 'top_n', 'k',
  'sow_keys', 'bm', 's', 'x', 'e', 'l', 'ts', 'lp', 'gseq', 'matches', 'topic_matches', 'records_returned',
  'records_deleted', 'records_inserted', 'records_updated', 'client_name', 'user_id', 'pw', 'version',
]);

/** Keys of a raw header, in order. */
export function headerKeys(raw: string): string[] {
  return Object.keys(JSON.parse(raw) as object);
}

export const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));
