// Client throughput and latency, side by side in one run: this client over TCP and over WebSocket, the official
// `amps` npm client over WebSocket, and a raw-socket ceiling that writes pre-encoded frames. Peers run in a
// worker thread (sink / blaster / reflector from peers.ts) so the measured client owns its event loop.

import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createRequire } from 'node:module';
import { Client } from '../../runtime/index.js';
import { FrameDecoder, encodeFrame } from '../../runtime/wire/tcp-framing.js';
import { findHeaderEnd } from '../../runtime/wire/header-codec.js';
import { jsonBody } from './peers.js';
import type { PeerRequest } from './peer-worker.js';

const require = createRequire(import.meta.url);

interface Contender {
  readonly name: string;
  readonly transport: 'tcp' | 'ws';
  connect(port: number): Promise<void>;
  publish(topic: string, body: string): void;
  /** Lets buffered writes reach the socket (backpressure); called every BATCH publishes. */
  yieldToSocket(): Promise<void>;
  subscribe(topic: string, onMessage: (body: string) => void): Promise<void>;
  close(): Promise<void>;
}

const BATCH = 1000;
const immediate = () => new Promise<void>((r) => setImmediate(r));

function ours(transport: 'tcp' | 'ws'): Contender {
  const client = new Client(`bench-ours-${transport}-${process.pid}`);
  return {
    name: `amps-ts ${transport}`,
    transport,
    connect: async (port) => {
      await client.connect(`${transport}://127.0.0.1:${port}/amps/json`);
      await client.logon();
    },
    publish: (topic, body) => client.publish(topic, body),
    yieldToSocket: () => client.whenDrained(4 << 20),
    subscribe: async (topic, onMessage) => {
      await client.subscribe((m) => onMessage(m.data), topic);
    },
    close: () => client.disconnect(),
  };
}

function official(): Contender {
  const amps = require('amps') as { Client: new (name: string) => OfficialClient };
  const client = new amps.Client(`bench-official-${process.pid}`);
  return {
    name: 'official amps ws',
    transport: 'ws',
    connect: async (port) => {
      await client.connect(`ws://127.0.0.1:${port}/amps/json`);
    },
    publish: (topic, body) => client.publish(topic, body),
    yieldToSocket: immediate,
    subscribe: async (topic, onMessage) => {
      await client.subscribe((m) => onMessage(typeof m.data === 'string' ? m.data : JSON.stringify(m.data)), topic);
    },
    close: async () => {
      await client.disconnect();
    },
  };
}

interface OfficialClient {
  connect(uri: string): Promise<unknown>;
  publish(topic: string, data: unknown): void;
  subscribe(onMessage: (m: { data: unknown }) => void, topic: string): Promise<string>;
  disconnect(): Promise<unknown>;
}

/**
 * The ceiling: a plain socket writing frames encoded once; on receive it splits frames and JSON.parses each
 * header, the least work any client must do to route a message (no body decoding, no objects per message).
 */
function raw(): Contender {
  let socket: net.Socket;
  let frame: Uint8Array | undefined;
  let onFrame: (() => void) | undefined;
  let batch: Buffer | undefined;
  let pending = 0;
  const flushPending = () => {
    while (pending > 0) {
      const n = Math.min(pending, BATCH);
      socket.write(batch!.subarray(0, n * frame!.length));
      pending -= n;
    }
  };
  return {
    name: 'raw socket ceiling',
    transport: 'tcp',
    connect: async (port) => {
      socket = net.connect(port, '127.0.0.1');
      socket.setNoDelay(true);
      await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
      let acks = 0;
      const loggedOn = new Promise<void>((resolve) => (onFrame = () => { if (++acks === 1) resolve(); }));
      const utf8 = new TextDecoder();
      const decoder = new FrameDecoder((payload) => {
        const { close } = findHeaderEnd(payload, 0, payload.length);
        JSON.parse(utf8.decode(payload.subarray(0, close)));
        onFrame?.();
      });
      socket.on('data', (c) => decoder.push(c));
      socket.write(encodeFrame({ command: 'logon', commandId: '1', clientName: `raw-${process.pid}`, ackType: 'processed' }));
      await loggedOn;
    },
    // Frames are encoded once; each event-loop turn's publishes leave as one write of a pre-built buffer.
    publish: (topic, body) => {
      if (frame === undefined) {
        frame = encodeFrame({ command: 'publish', topic }, body);
        batch = Buffer.alloc(frame.length * BATCH);
        for (let i = 0; i < BATCH; i++) batch.set(frame, i * frame.length);
      }
      if (pending++ === 0) queueMicrotask(flushPending);
    },
    yieldToSocket: async () => {
      flushPending();
      if (socket.writableLength > 4 << 20) await new Promise((r) => socket.once('drain', r));
    },
    subscribe: async (topic, onMessage) => {
      let first = true; // the subscribe ack
      onFrame = () => (first ? (first = false) : onMessage(''));
      socket.write(encodeFrame({ command: 'subscribe', topic, commandId: 's', subscriptionId: 's', ackType: 'processed' }));
    },
    close: async () => {
      socket.destroy();
    },
  };
}

async function startPeer(req: PeerRequest): Promise<{ port: number; worker: Worker; done: Promise<void> }> {
  // Workers do not inherit tsx's loader: register it inside the worker, then load the TypeScript peer.
  const entry = new URL('./peer-worker.ts', import.meta.url).href;
  const bootstrap = `require('tsx/esm/api').register(); import(${JSON.stringify(entry)});`;
  const worker = new Worker(bootstrap, { eval: true, workerData: req });
  let signalDone!: () => void;
  const done = new Promise<void>((r) => (signalDone = r));
  const port = await new Promise<number>((resolve, reject) => {
    worker.on('message', (m: { port?: number; done?: boolean }) => {
      if (m.port !== undefined) resolve(m.port);
      if (m.done) signalDone();
    });
    worker.once('error', reject);
  });
  return { port, worker, done };
}

async function stopPeer(worker: Worker): Promise<void> {
  const exited = new Promise((r) => worker.once('exit', r));
  worker.postMessage({ close: true });
  await Promise.race([exited, new Promise((r) => setTimeout(r, 2000))]);
  await worker.terminate();
}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<T>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish in ${ms} ms`)), ms))),
  ]);
}

async function publishThroughput(make: () => Contender, count: number, size: number): Promise<number> {
  const c = make();
  const peer = await startPeer({ transport: c.transport, kind: 'sink', count, bodySize: size });
  try {
    await c.connect(peer.port);
    const body = jsonBody(size);
    const t0 = performance.now();
    for (let i = 0; i < count; i++) {
      c.publish('bench', body);
      if (i % BATCH === BATCH - 1) await c.yieldToSocket();
    }
    await withTimeout(peer.done, 60_000, `${c.name} publish`);
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await c.close().catch(() => {});
    await stopPeer(peer.worker);
  }
}

async function receiveThroughput(make: () => Contender, count: number, size: number): Promise<number> {
  const c = make();
  const peer = await startPeer({ transport: c.transport, kind: 'blaster', count, bodySize: size });
  try {
    await c.connect(peer.port);
    let got = 0;
    let t0 = 0;
    const all = new Promise<void>((resolve) => {
      t0 = performance.now();
      void c.subscribe('bench', () => {
        if (++got === count) resolve();
      });
    });
    await withTimeout(all, 60_000, `${c.name} receive`);
    return count / ((performance.now() - t0) / 1000);
  } finally {
    await c.close().catch(() => {});
    await stopPeer(peer.worker);
  }
}

/** Publish-to-receive round trips through a reflector, one message in flight at a time. */
async function latency(make: () => Contender, rounds: number, size: number): Promise<{ p50: number; p99: number }> {
  const c = make();
  const peer = await startPeer({ transport: c.transport, kind: 'reflector', count: 0, bodySize: size });
  try {
    await c.connect(peer.port);
    let arrived: () => void = () => {};
    await c.subscribe('lat', () => arrived());
    const body = jsonBody(size);
    const samples: number[] = [];
    for (let i = 0; i < rounds; i++) {
      const back = new Promise<void>((r) => (arrived = r));
      const t0 = performance.now();
      c.publish('lat', body);
      await withTimeout(back, 5_000, `${c.name} round trip`);
      samples.push(performance.now() - t0);
    }
    samples.sort((a, b) => a - b);
    return { p50: samples[Math.floor(rounds * 0.5)], p99: samples[Math.floor(rounds * 0.99)] };
  } finally {
    await c.close().catch(() => {});
    await stopPeer(peer.worker);
  }
}

export interface ClientBenchRow {
  client: string;
  payload: string;
  publishMsgsPerSec: number;
  publishMBPerSec: number;
  receiveMsgsPerSec: number;
  receiveMBPerSec: number;
  latencyP50Ms: number | null;
  latencyP99Ms: number | null;
}

export async function benchClients(opts: { quick?: boolean } = {}): Promise<ClientBenchRow[]> {
  const contenders: Array<() => Contender> = [() => ours('tcp'), () => ours('ws'), official, raw];
  const rows: ClientBenchRow[] = [];
  for (const size of [100, 1024]) {
    const count = opts.quick ? 5_000 : size === 100 ? 200_000 : 60_000;
    const rounds = opts.quick ? 200 : 2_000;
    for (const make of contenders) {
      const name = make().name;
      const pub = await publishThroughput(make, count, size);
      const rcv = await receiveThroughput(make, count, size);
      const lat = name === 'raw socket ceiling' ? undefined : await latency(make, rounds, size);
      rows.push({
        client: name,
        payload: size === 100 ? '100 B' : '1 KiB',
        publishMsgsPerSec: pub,
        publishMBPerSec: (pub * size) / 1e6,
        receiveMsgsPerSec: rcv,
        receiveMBPerSec: (rcv * size) / 1e6,
        latencyP50Ms: lat?.p50 ?? null,
        latencyP99Ms: lat?.p99 ?? null,
      });
    }
  }
  return rows;
}
