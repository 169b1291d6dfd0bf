// A scripted AMPS peer for client tests: a net.Server on 127.0.0.1 that decodes the client's frames with
// runtime/wire and answers with frames built by the test (server-side encoding). Every wait is bounded.

import net from 'node:net';
import type { Header } from '../../generated/header-fields.js';
import { FrameDecoder, encodeFrame } from '../../runtime/wire/tcp-framing.js';
import { decodeHeader, findHeaderEnd } from '../../runtime/wire/header-codec.js';

export interface Frame {
  /** Decoded header (property names). */
  header: Header;
  /** The header JSON exactly as sent. */
  raw: string;
  /** The body as text. */
  body: string;
  /** Parsed raw header (wire keys), for comparing with recorded vectors. */
  wire: Record<string, unknown>;
}

export type Responder = (frame: Frame, peer: Peer) => void;

const utf8 = new TextDecoder();

/** Answers a logon with a success ack like a 5.3.4 server. */
export function logonAck(frame: Frame, extra: Partial<Header> = {}): Header {
  return {
    command: 'ack',
    commandId: frame.header.commandId,
    ackType: 'processed',
    sequence: 0n,
    status: 'success',
    clientName: frame.header.clientName,
    bookmark: '1234|0|',
    version: '5.3.4.0',
    ...extra,
  } as Header;
}

/** The default responder: logon success; processed acks for whatever asks for them (success). */
export const autoResponder: Responder = (f, peer) => {
  const h = f.header;
  if (h.command === 'logon') {
    peer.send(logonAck(f));
    return;
  }
  const acks = (h.ackType ?? '').split(',').filter(Boolean);
  if (h.commandId !== undefined && acks.includes('processed')) {
    peer.send({ command: 'ack', commandId: h.commandId, ackType: 'processed', status: 'success' } as Header);
  }
};

export class Peer {
  readonly frames: Frame[] = [];
  sockets: net.Socket[] = [];
  private waiters: { pred: (f: Frame) => boolean; resolve: (f: Frame) => void; from: number }[] = [];
  private connWaiters: (() => void)[] = [];
  private cursor = 0;
  responder: Responder | undefined;
  bytesIn = 0;

  private constructor(private readonly server: net.Server, readonly port: number) {}

  static async start(responder: Responder | undefined = autoResponder): Promise<Peer> {
    let peer!: Peer;
    const server = net.createServer((socket) => peer.accept(socket));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const port = (server.address() as net.AddressInfo).port;
    peer = new Peer(server, port);
    peer.responder = responder;
    return peer;
  }

  uri(path = '/amps/json', userinfo = ''): string {
    return `tcp://${userinfo}127.0.0.1:${this.port}${path}`;
  }

  private accept(socket: net.Socket): void {
    this.sockets.push(socket);
    socket.on('error', () => undefined);
    const decoder = new FrameDecoder((payload) => {
      const { open, close } = findHeaderEnd(payload, 0, payload.length);
      const raw = utf8.decode(payload.subarray(open, close));
      const { header, end } = decodeHeader(payload, 0, payload.length);
      const frame: Frame = { header, raw, body: utf8.decode(payload.subarray(end)), wire: JSON.parse(raw) };
      this.frames.push(frame);
      this.responder?.(frame, this);
      const idx = this.frames.length - 1;
      for (const w of [...this.waiters]) {
        if (idx >= w.from && w.pred(frame)) {
          this.waiters.splice(this.waiters.indexOf(w), 1);
          w.resolve(frame);
        }
      }
    });
    socket.on('data', (chunk) => {
      this.bytesIn += chunk.length;
      decoder.push(new Uint8Array(chunk.buffer, chunk.byteOffset, chunk.length));
    });
    for (const w of this.connWaiters.splice(0)) w();
  }

  /** Sends a server frame to the latest connection. */
  send(header: Header, body?: string | Uint8Array): void {
    const s = this.sockets[this.sockets.length - 1];
    s.write(encodeFrame(header, body, { server: true }));
  }

  /** Writes raw bytes to the latest connection. */
  sendRaw(bytes: Uint8Array): void {
    this.sockets[this.sockets.length - 1].write(bytes);
  }

  /** The next frame (after the ones already taken with next()) matching `pred`. */
  async next(pred: (f: Frame) => boolean = () => true, timeoutMs = 3000): Promise<Frame> {
    for (let i = this.cursor; i < this.frames.length; i++) {
      if (pred(this.frames[i])) {
        this.cursor = i + 1;
        return this.frames[i];
      }
    }
    const from = this.frames.length;
    const frame = await new Promise<Frame>((resolve, reject) => {
      const w = { pred, resolve, from };
      this.waiters.push(w);
      setTimeout(() => {
        const i = this.waiters.indexOf(w);
        if (i >= 0) {
          this.waiters.splice(i, 1);
          reject(new Error(`peer: no matching frame within ${timeoutMs} ms; got ${this.frames.map((f) => f.raw).join(' ')}`));
        }
      }, timeoutMs);
    });
    this.cursor = this.frames.indexOf(frame) + 1;
    return frame;
  }

  /** Next frame with this command. */
  nextCommand(command: string, timeoutMs?: number): Promise<Frame> {
    return this.next((f) => f.header.command === command || f.wire.c === command, timeoutMs);
  }

  /** Drops every client connection (server side close). */
  dropClients(): void {
    for (const s of this.sockets) s.destroy();
  }

  async close(): Promise<void> {
    this.dropClients();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}

export { until } from '../support/until.js';
