// Test peers for the transport tests: a scripted byte-stream server (net or tls, TCP or unix socket) that
// decodes what the client sends with the shared wire codec, and a self-signed certificate made with openssl.

import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import tls from 'node:tls';
import { FrameDecoder, parseFrame } from '../../runtime/wire/tcp-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

export interface PeerConnection {
  readonly socket: net.Socket;
  /** Messages decoded from what the client sent. */
  readonly messages: InboundMessage[];
  /** Sizes of the raw chunks as they arrived. */
  readonly chunks: number[];
  /** Resolves when `n` messages have arrived. */
  waitForMessages(n: number): Promise<InboundMessage[]>;
  /** Resolves when the client side has closed the connection. */
  readonly closed: Promise<{ hadError: boolean; error?: Error }>;
}

export interface StreamPeer {
  readonly port: number;
  readonly path?: string;
  /** The next accepted connection. */
  nextConnection(): Promise<PeerConnection>;
  close(): Promise<void>;
}

function wrap(socket: net.Socket): PeerConnection {
  const messages: InboundMessage[] = [];
  const chunks: number[] = [];
  let waiters: { n: number; resolve: (m: InboundMessage[]) => void }[] = [];
  const decoder = new FrameDecoder((payload) => {
    // Copy: the payload is a view into a chunk the test may keep looking at.
    for (const m of parseFrame(Uint8Array.from(payload))) messages.push(m);
    waiters = waiters.filter((w) => {
      if (messages.length >= w.n) {
        w.resolve(messages.slice(0, w.n));
        return false;
      }
      return true;
    });
  });
  let lastError: Error | undefined;
  socket.on('data', (chunk: Buffer) => {
    chunks.push(chunk.length);
    try {
      decoder.push(chunk);
    } catch {
      // not amps framing (e.g. a TLS ClientHello sent to a plain peer): ignore
    }
  });
  socket.on('error', (err) => {
    lastError = err;
  });
  const closed = new Promise<{ hadError: boolean; error?: Error }>((resolve) =>
    socket.on('close', (hadError) => resolve({ hadError, error: lastError })),
  );
  return {
    socket,
    messages,
    chunks,
    closed,
    waitForMessages(n) {
      if (messages.length >= n) return Promise.resolve(messages.slice(0, n));
      return new Promise((resolve) => waiters.push({ n, resolve }));
    },
  };
}

function acceptQueue(server: net.Server | tls.Server, event: 'connection' | 'secureConnection') {
  const pending: PeerConnection[] = [];
  const takers: ((c: PeerConnection) => void)[] = [];
  const all: net.Socket[] = [];
  server.on(event, (socket: net.Socket) => {
    all.push(socket);
    const c = wrap(socket);
    const take = takers.shift();
    if (take) take(c);
    else pending.push(c);
  });
  return {
    all,
    next(): Promise<PeerConnection> {
      const c = pending.shift();
      if (c) return Promise.resolve(c);
      return new Promise((resolve) => takers.push(resolve));
    },
  };
}

async function listen(server: net.Server, target: { port: number; host: string } | { path: string }): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(target, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function closer(server: net.Server, sockets: net.Socket[]): () => Promise<void> {
  return () =>
    new Promise<void>((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    });
}

export async function startTcpPeer(host = '127.0.0.1'): Promise<StreamPeer> {
  const server = net.createServer();
  const q = acceptQueue(server, 'connection');
  await listen(server, { port: 0, host });
  return { port: (server.address() as net.AddressInfo).port, nextConnection: q.next, close: closer(server, q.all) };
}

export async function startUnixPeer(path: string): Promise<StreamPeer> {
  const server = net.createServer();
  const q = acceptQueue(server, 'connection');
  await listen(server, { path });
  return { port: 0, path, nextConnection: q.next, close: closer(server, q.all) };
}

export async function startTlsPeer(cert: TestCert, extra: tls.TlsOptions = {}): Promise<StreamPeer> {
  const server = tls.createServer({ key: cert.key, cert: cert.cert, ...extra });
  server.on('tlsClientError', () => {
    // a client that rejects our certificate: expected in the negative tests
  });
  const q = acceptQueue(server, 'secureConnection');
  await listen(server, { port: 0, host: '127.0.0.1' });
  return { port: (server.address() as net.AddressInfo).port, nextConnection: q.next, close: closer(server, q.all) };
}

/** A port nothing listens on (bound, then released). */
export async function freePort(): Promise<number> {
  const server = net.createServer();
  await listen(server, { port: 0, host: '127.0.0.1' });
  const port = (server.address() as net.AddressInfo).port;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

export interface TestCert {
  readonly dir: string;
  readonly key: string;
  readonly cert: string;
  cleanup(): void;
}

/** A self-signed certificate for localhost / 127.0.0.1 / ::1, generated with the openssl CLI. */
export function makeSelfSignedCert(): TestCert {
  const dir = mkdtempSync(join(tmpdir(), 'amps-ts-cert-'));
  const keyPath = join(dir, 'key.pem');
  const certPath = join(dir, 'cert.pem');
  execFileSync(
    'openssl',
    [
      'req', '-x509', '-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1', '-nodes',
      '-keyout', keyPath, '-out', certPath, '-days', '2', '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1',
    ],
    { stdio: 'ignore', timeout: 20_000 },
  );
  return {
    dir,
    key: readFileSync(keyPath, 'utf8'),
    cert: readFileSync(certPath, 'utf8'),
    cleanup: () => rmSync(dir, { recursive: true, force: true }),
  };
}

export function tempDir(prefix = 'amps-ts-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves with the first value `register` delivers (e.g. an onClose error). */
export function once<T>(register: (cb: (v: T) => void) => unknown): Promise<T> {
  return new Promise((resolve) => register(resolve));
}

export const text = (b: Uint8Array) => new TextDecoder().decode(b);
export const bytes = (s: string) => new TextEncoder().encode(s);

/** Big-endian length prefix + payload. */
export function rawFrame(payload: Uint8Array | string): Buffer {
  const p = typeof payload === 'string' ? Buffer.from(payload) : Buffer.from(payload);
  const out = Buffer.alloc(4 + p.length);
  out.writeUInt32BE(p.length, 0);
  p.copy(out, 4);
  return out;
}
