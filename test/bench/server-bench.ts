// Mock-server throughput: fan-out from one publisher to N filtered subscribers, and SOW query rates. The
// server runs in a worker thread; subscribers are raw sockets that only split frames, so the server is what is
// measured. The SOW query goes through this client, as an application's would.

import net from 'node:net';
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { Client } from '../../runtime/index.js';
import { FrameDecoder, encodeFrame } from '../../runtime/wire/tcp-framing.js';

interface ServerWorker {
  readonly port: number;
  stop(): Promise<void>;
}

async function startServerWorker(): Promise<ServerWorker> {
  const entry = new URL('./server-worker.ts', import.meta.url).href;
  const worker = new Worker(`require('tsx/esm/api').register(); import(${JSON.stringify(entry)});`, { eval: true });
  const port = await new Promise<number>((resolve, reject) => {
    worker.once('message', (m: { port: number }) => resolve(m.port));
    worker.once('error', reject);
  });
  return {
    port,
    stop: async () => {
      worker.postMessage('stop');
      await Promise.race([new Promise((r) => worker.once('exit', r)), new Promise((r) => setTimeout(r, 3000))]);
      await worker.terminate();
    },
  };
}

/** A subscriber that logs on, subscribes with a filter and counts deliveries without decoding them. */
async function rawSubscriber(port: number, name: string, topic: string, filter: string, onDelivery: () => void): Promise<net.Socket> {
  const socket = net.connect(port, '127.0.0.1');
  await new Promise<void>((resolve, reject) => socket.once('connect', resolve).once('error', reject));
  let frames = 0;
  let subscribed!: () => void;
  const ready = new Promise<void>((r) => (subscribed = r));
  const decoder = new FrameDecoder(() => {
    if (++frames <= 2) {
      if (frames === 2) subscribed(); // logon ack, subscribe ack
    } else onDelivery();
  });
  socket.on('data', (c) => decoder.push(c));
  socket.write(encodeFrame({ command: 'logon', commandId: 'l', clientName: name, ackType: 'processed' }));
  socket.write(encodeFrame({ command: 'subscribe', commandId: 's', subscriptionId: 's', topic, filter, ackType: 'processed' }));
  await ready;
  return socket;
}

export interface FanOutRow {
  subscribers: number;
  published: number;
  publishedPerSec: number;
  deliveredPerSec: number;
}

export async function benchFanOut(opts: { quick?: boolean } = {}): Promise<FanOutRow[]> {
  const rows: FanOutRow[] = [];
  for (const n of [1, 10, 100]) {
    const server = await startServerWorker();
    const sockets: net.Socket[] = [];
    const publisher = new Client(`fanout-pub-${n}`);
    try {
      const published = opts.quick ? 2_000 : n === 100 ? 20_000 : 100_000;
      const expected = published * n;
      let delivered = 0;
      let allDelivered!: () => void;
      const done = new Promise<void>((r) => (allDelivered = r));
      // Each subscriber's filter matches every message, so deliveries = published x N and every filter runs.
      for (let i = 0; i < n; i++) {
        sockets.push(await rawSubscriber(server.port, `fanout-sub-${n}-${i}`, 'fanout', `/qty >= 0 AND /symbol <> 'ZZZ'`, () => {
          if (++delivered === expected) allDelivered();
        }));
      }
      await publisher.connect(`tcp://127.0.0.1:${server.port}/amps/json`);
      await publisher.logon();
      const t0 = performance.now();
      for (let i = 0; i < published; i++) {
        publisher.publish('fanout', `{"id":${i},"symbol":"ROL","qty":${i % 100}}`);
        if (i % 1000 === 999) await publisher.whenDrained(1 << 20);
      }
      await Promise.race([done, new Promise((_, reject) => setTimeout(() => reject(new Error(`fan-out to ${n}: ${delivered}/${expected} after 120 s`)), 120_000))]);
      const seconds = (performance.now() - t0) / 1000;
      rows.push({ subscribers: n, published, publishedPerSec: published / seconds, deliveredPerSec: expected / seconds });
    } finally {
      await publisher.disconnect().catch(() => {});
      for (const s of sockets) s.destroy();
      await server.stop();
    }
  }
  return rows;
}

export interface SowRow {
  records: number;
  loadPerSec: number;
  queryRecordsPerSec: number;
  filteredQueryRecordsPerSec: number;
}

export async function benchSow(opts: { quick?: boolean } = {}): Promise<SowRow[]> {
  const rows: SowRow[] = [];
  for (const records of opts.quick ? [2_000] : [10_000, 100_000]) {
    const server = await startServerWorker();
    const client = new Client(`sow-bench-${records}`);
    try {
      await client.connect(`tcp://127.0.0.1:${server.port}/amps/json`);
      await client.logon();
      const t0 = performance.now();
      for (let i = 0; i < records; i++) {
        client.publish('orders', `{"id":${i},"symbol":"${i % 2 ? 'ROL' : 'IBM'}","qty":${i % 1000},"price":${(i % 97) + 0.5}}`);
        if (i % 1000 === 999) await client.whenDrained(1 << 20);
      }
      await client.flush(120_000);
      const loadPerSec = records / ((performance.now() - t0) / 1000);
      const query = async (filter?: string) => {
        const start = performance.now();
        let n = 0;
        for await (const m of await client.sow('orders', filter, { batchSize: 100, timeout: 120_000 })) if (m.command === 'sow') n++;
        return n / ((performance.now() - start) / 1000);
      };
      const all = await query();
      const filtered = await query("/symbol = 'ROL' AND /qty < 500");
      rows.push({ records, loadPerSec, queryRecordsPerSec: all, filteredQueryRecordsPerSec: filtered });
    } finally {
      await client.disconnect().catch(() => {});
      await server.stop();
    }
  }
  return rows;
}
