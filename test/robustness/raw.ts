// Minimal raw peers for the robustness suites (our own copy, so other suites' helpers can change freely):
// a raw TCP client and a raw WebSocket client that send exactly what they are given and record what they get.

import { connect as netConnect, type Socket } from 'node:net';
import WebSocket from 'ws';
import type { Header } from '../../generated/header-fields.js';
import { encodeFrame, FrameDecoder, parseFrame } from '../../runtime/wire/tcp-framing.js';
import { encodeWsCommand, WsInboundParser } from '../../runtime/wire/ws-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

export const H = (h: Record<string, unknown>): Header => h as unknown as Header;

abstract class RawBase {
  readonly received: InboundMessage[] = [];
  closed = false;
  /** A decode error on what the server sent (the server must never send undecodable bytes). */
  decodeError: unknown;
  private waiters: (() => void)[] = [];

  protected deliver(m: InboundMessage): void {
    this.received.push(m);
    this.wake();
  }

  protected onClosed(): void {
    this.closed = true;
    this.wake();
  }

  private wake(): void {
    const w = this.waiters;
    this.waiters = [];
    for (const f of w) f();
  }

  /** The first received message matching `pred`, or undefined when the connection closes / `ms` elapse. */
  async waitFor(pred: (m: InboundMessage) => boolean, ms = 5000): Promise<InboundMessage | undefined> {
    const deadline = Date.now() + ms;
    for (;;) {
      const m = this.received.find(pred);
      if (m !== undefined) return m;
      if (this.closed || Date.now() >= deadline) return undefined;
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
  }

  ackFor(cid: string, ms = 5000): Promise<InboundMessage | undefined> {
    return this.waitFor((m) => m.header.command === 'ack' && m.header.commandId === cid && m.header.ackType === 'processed', ms);
  }

  /** Resolves true once the connection is closed, false after `ms`. */
  async whenClosed(ms = 5000): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (!this.closed && Date.now() < deadline) {
      await new Promise<void>((resolve) => {
        const t = setTimeout(resolve, Math.max(1, deadline - Date.now()));
        this.waiters.push(() => {
          clearTimeout(t);
          resolve();
        });
      });
    }
    return this.closed;
  }

  abstract send(header: Header, body?: string | Uint8Array): void;
  abstract close(): void;

  async logon(name: string): Promise<InboundMessage | undefined> {
    this.send(H({ command: 'logon', commandId: 'logon', clientName: name, version: '5.3.4.0:robust', userId: 'u', ackType: 'processed' }));
    return this.ackFor('logon');
  }
}

export class RawTcp extends RawBase {
  private constructor(readonly socket: Socket) {
    super();
    socket.setNoDelay(true);
    const decoder = new FrameDecoder((payload) => {
      for (const m of parseFrame(payload)) this.deliver(m);
    });
    socket.on('data', (chunk) => {
      try {
        decoder.push(chunk);
      } catch (e) {
        this.decodeError ??= e;
        socket.destroy();
      }
    });
    socket.on('error', () => undefined);
    socket.on('close', () => this.onClosed());
  }

  static connect(port: number): Promise<RawTcp> {
    return new Promise((resolve, reject) => {
      const s = netConnect({ port, host: '127.0.0.1' }, () => {
        s.off('error', reject);
        resolve(new RawTcp(s));
      });
      s.once('error', reject);
    });
  }

  send(header: Header, body?: string | Uint8Array): void {
    this.write(encodeFrame(header, body));
  }

  write(bytes: Uint8Array | string): void {
    if (!this.socket.destroyed) this.socket.write(bytes);
  }

  /** Sends a FIN (half close) and keeps reading. */
  end(): void {
    this.socket.end();
  }

  close(): void {
    this.socket.destroy();
  }
}

export class RawWs extends RawBase {
  private constructor(readonly ws: WebSocket) {
    super();
    const parser = new WsInboundParser();
    ws.on('message', (data, isBinary) => {
      const frame = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
      try {
        for (const m of parser.push(frame)) this.deliver(m);
      } catch (e) {
        this.decodeError ??= e;
        ws.terminate();
      }
    });
    ws.on('error', () => undefined);
    ws.on('close', () => this.onClosed());
  }

  static connect(url: string, preamble: string | null = 'text'): Promise<RawWs> {
    return new Promise((resolve, reject) => {
      const ws = new WebSocket(url);
      ws.once('open', () => {
        ws.off('error', reject);
        if (preamble !== null) ws.send(preamble);
        resolve(new RawWs(ws));
      });
      ws.once('error', reject);
    });
  }

  send(header: Header, body?: string | Uint8Array): void {
    for (const f of encodeWsCommand(header, body)) this.frame(f);
  }

  frame(f: string | Uint8Array): void {
    if (this.ws.readyState === WebSocket.OPEN) this.ws.send(f, { binary: typeof f !== 'string' });
  }

  close(): void {
    this.ws.terminate();
  }
}
