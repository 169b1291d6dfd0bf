// Minimal AMPS peers for benchmarks: they answer logon and subscribe, then only count (sink), blast
// pre-encoded deliveries (blaster) or bounce publishes back as deliveries (reflector), so the time measured is
// the client's, not a broker's. TCP and WebSocket variants speak the real framing from runtime/wire.

import net from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { FrameDecoder, encodeFrame, parseFrame } from '../../runtime/wire/tcp-framing.js';
import { WsCommandAssembler, encodeWsServerMessage, type WsFrame } from '../../runtime/wire/ws-framing.js';
import type { Header } from '../../generated/header-fields.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

export type PeerMode =
  | { kind: 'sink'; onPublish: () => void }
  | { kind: 'blaster'; count: number; body: Uint8Array }
  | { kind: 'reflector' };

export interface Peer {
  readonly port: number;
  close(): Promise<void>;
}

interface Link {
  /** The last subscription id seen on this connection (the reflector delivers to it). */
  subId?: string;
  send(header: Header, body?: Uint8Array): void;
  /** Raw pre-encoded frames, written in one go. */
  sendMany(header: Header, body: Uint8Array, count: number): void;
}

function answer(link: Link, m: InboundMessage, mode: PeerMode): void {
  const h = m.header;
  switch (h.command) {
    case 'logon':
      link.send({ command: 'ack', commandId: h.commandId, ackType: 'processed', sequence: 0n, status: 'success', clientName: h.clientName, bookmark: '1|0|', version: '5.3.4.0' });
      return;
    case 'publish':
      if (mode.kind === 'sink') mode.onPublish();
      else if (mode.kind === 'reflector') link.send({ command: 'publish', topic: h.topic, subscriptionIds: link.subId ?? 'bench' }, m.body);
      return;
    case 'subscribe':
      link.subId = h.subscriptionId ?? h.commandId;
      if (h.ackType?.includes('processed')) {
        link.send({ command: 'ack', commandId: h.commandId, subscriptionId: h.subscriptionId, ackType: 'processed', status: 'success' });
      }
      if (mode.kind === 'blaster') link.sendMany({ command: 'publish', topic: h.topic, subscriptionIds: h.subscriptionId ?? h.commandId }, mode.body, mode.count);
      return;
    default:
      if (h.ackType && h.commandId) link.send({ command: 'ack', commandId: h.commandId, ackType: h.ackType.split(',')[0], status: 'success' });
  }
}

export async function startTcpPeer(mode: PeerMode): Promise<Peer> {
  const sockets = new Set<net.Socket>();
  const server = net.createServer((socket) => {
    sockets.add(socket);
    socket.setNoDelay(true);
    const link: Link = {
      send: (header, body) => socket.write(encodeFrame(header, body, { server: true })),
      sendMany: (header, body, count) => {
        const one = encodeFrame(header, body, { server: true });
        const perChunk = Math.max(1, Math.floor((1 << 20) / one.length));
        let left = count;
        const pump = () => {
          while (left > 0) {
            const n = Math.min(perChunk, left);
            const chunk = Buffer.allocUnsafe(one.length * n);
            for (let i = 0; i < n; i++) chunk.set(one, i * one.length);
            left -= n;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        pump();
      },
    };
    // After logon a sink only counts frames: parsing them would make the peer, not the client, the bottleneck.
    let loggedOn = false;
    const decoder = new FrameDecoder((payload) => {
      if (loggedOn && mode.kind === 'sink') return mode.onPublish();
      for (const m of parseFrame(payload)) {
        if (m.header.command === 'logon') loggedOn = true;
        answer(link, m, mode);
      }
    });
    socket.on('data', (chunk) => decoder.push(chunk));
    socket.on('error', () => socket.destroy());
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: (server.address() as AddressInfo).port,
    close: () => {
      for (const s of sockets) s.destroy();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}

export async function startWsPeer(mode: PeerMode): Promise<Peer> {
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
  wss.on('connection', (ws: WebSocket) => {
    const assembler = new WsCommandAssembler();
    const sendFrames = (frames: WsFrame[]) => {
      for (const f of frames) ws.send(f, { binary: typeof f !== 'string' });
    };
    const link: Link = {
      send: (header, body) => sendFrames(encodeWsServerMessage(header, body, assembler.bodyType ?? 'text')),
      sendMany: (header, body, count) => {
        // Pre-built raw WebSocket frames written straight to the socket: the peer must not be the bottleneck.
        const one = Buffer.concat(encodeWsServerMessage(header, body, assembler.bodyType ?? 'text').map(rawWsFrame));
        const socket = (ws as unknown as { _socket: import('node:net').Socket })._socket;
        const perChunk = Math.max(1, Math.floor((1 << 20) / one.length));
        let left = count;
        const pump = () => {
          while (left > 0) {
            const n = Math.min(perChunk, left);
            const chunk = Buffer.allocUnsafe(one.length * n);
            for (let i = 0; i < n; i++) chunk.set(one, i * one.length);
            left -= n;
            if (!socket.write(chunk)) return void socket.once('drain', pump);
          }
        };
        pump();
      },
    };
    let loggedOn = false;
    ws.on('message', (data, isBinary) => {
      // After logon a sink counts commands by their 4-byte count frames without decoding anything.
      if (loggedOn && mode.kind === 'sink') {
        if (isBinary && (data as Buffer).length === 4) mode.onPublish();
        return;
      }
      const frame: WsFrame = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
      const m = assembler.push(frame);
      if (!m) return;
      if (m.header.command === 'logon') loggedOn = true;
      answer(link, m, mode);
    });
    ws.on('error', () => ws.terminate());
  });
  await new Promise<void>((resolve) => wss.once('listening', resolve));
  return {
    port: (wss.address() as AddressInfo).port,
    close: () => {
      for (const c of wss.clients) c.terminate();
      return new Promise((resolve) => wss.close(() => resolve()));
    },
  };
}

/** A JSON object of exactly `size` bytes (ASCII). */
export function jsonBody(size: number): string {
  const base = '{"id":1,"symbol":"ROL","pad":""}';
  return base.slice(0, -2) + 'x'.repeat(Math.max(0, size - base.length)) + '"}';
}

/** One unmasked server-to-client WebSocket frame (RFC 6455): FIN, opcode text or binary, length, payload. */
function rawWsFrame(frame: WsFrame): Buffer {
  const payload = typeof frame === 'string' ? Buffer.from(frame, 'utf8') : Buffer.from(frame);
  const opcode = typeof frame === 'string' ? 0x1 : 0x2;
  const len = payload.length;
  const head = len < 126 ? Buffer.from([0x80 | opcode, len]) : len < 65536 ? Buffer.from([0x80 | opcode, 126, len >> 8, len & 0xff]) : (() => {
    const h = Buffer.alloc(10);
    h[0] = 0x80 | opcode;
    h[1] = 127;
    h.writeBigUInt64BE(BigInt(len), 2);
    return h;
  })();
  return Buffer.concat([head, payload]);
}
