// HA benchmarks (wired into `npm run bench` by run.ts through `benchHa`):
//  - failover time: a mock instance is stopped (listeners closed, connections dropped) → the HAClient has failed
//    over to the other instance, logged on and re-entered its subscription (the Resubscribed state), p50/p99
//    over a bounded number of failovers; and the same with the server in its own process killed with SIGKILL;
//  - publish throughput, side by side in one run, as ratios to a plain Client publish: HAClient without a store,
//    with a memory publish store, and with a file publish store (fsync never / interval / always). Every run
//    ends when the server has everything: `flush` acknowledged (no store) or every message acknowledged
//    `persisted` (stores). The server is a sink peer in a child process (counts publishes, acknowledges
//    `persisted` with conflated acks, like AMPS), so the client's cost is what is measured.
// Loopback only; every loop is bounded by a count and a timeout.
//
// Standalone: `npx tsx test/bench/ha.ts [--quick]` prints the rows as JSON.

import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ConnectionState } from '../../generated/enums.js';
import type { Header } from '../../generated/header-fields.js';
import { MockCluster } from '../../mock-server/index.js';
import { Client } from '../../runtime/client/client.js';
import { DefaultServerChooser, FixedDelayStrategy, HAClient } from '../../runtime/ha/index.js';
import { FilePublishStore, MemoryPublishStore, type FsyncMode } from '../../runtime/store/index.js';
import { FrameDecoder, encodeFrame, parseFrame } from '../../runtime/wire/tcp-framing.js';

export interface HaBenchOptions {
  readonly quick?: boolean;
}

type Row = Record<string, unknown>;

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? NaN : sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))]!;

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`${what}: no result within ${ms} ms`)), ms);
    }),
  ]);
}

// ---- failover ---------------------------------------------------------------------------------------------------

async function benchFailover(count: number): Promise<Row[]> {
  const cluster = await MockCluster.start({ instances: 2 });
  const uris = cluster.uris('tcp');
  const client = new HAClient('bench-failover', {
    serverChooser: new DefaultServerChooser().add(uris[0]!).add(uris[1]!),
    delayStrategy: new FixedDelayStrategy(50),
  });
  const times: number[] = [];
  try {
    let resubscribed: (() => void) | undefined;
    client.addConnectionStateListener((s) => {
      if (s === ConnectionState.Resubscribed) resubscribed?.();
    });
    await client.connectAndLogon();
    let received = 0;
    await client.subscribe(() => void received++, 'bench-failover-topic');
    for (let i = 0; i < count; i++) {
      const port = client.uri?.match(/:(\d+)\//)?.[1];
      const idx = uris.findIndex((u) => u.includes(`:${port}/`));
      const done = new Promise<void>((r) => (resubscribed = r));
      const t0 = performance.now();
      await cluster.instance(idx).stop();
      await withTimeout(done, 10_000, `failover ${i}`);
      times.push(performance.now() - t0);
      await cluster.instance(idx).restart();
    }
    // the subscription works after the last failover
    const before = received;
    cluster.instances.forEach((s) => s.publish('bench-failover-topic', '{"x":1}'));
    for (let i = 0; i < 200 && received === before; i++) await new Promise((r) => setTimeout(r, 5));
    if (received === before) throw new Error('no delivery after failover');
  } finally {
    await client.disconnect();
    await cluster.stop();
  }
  const sorted = [...times].sort((a, b) => a - b);
  const base = { bench: 'failover: instance stopped → resubscribed', samples: String(times.length) };
  return [
    { ...base, variant: 'p50', value: percentile(sorted, 50), unit: 'ms', 'vs plain publish': '' },
    { ...base, variant: 'p99', value: percentile(sorted, 99), unit: 'ms', 'vs plain publish': '' },
    { ...base, variant: 'max', value: sorted.at(-1) ?? NaN, unit: 'ms', 'vs plain publish': '' },
  ];
}

/** A mock server in its own process (the conformance CLI), so a failover can start with a real SIGKILL. */
async function spawnServer(tcpPort: number): Promise<{ child: ChildProcess; port: number }> {
  const cli = fileURLToPath(new URL('../../conformance/cli.ts', import.meta.url));
  const child = spawn(process.execPath, ['--import', 'tsx', cli, 'mock-server', '--tcp-port', String(tcpPort), '--ws-port', '0', '--quiet'], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (c: string) => {
        buf += c;
        const m = /listening: tcp:\/\/[^:]+:(\d+)\//.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`mock server exited ${code}`)));
    }),
    30_000,
    'mock server start',
  );
  return { child, port };
}

async function benchFailoverKill(count: number): Promise<Row[]> {
  const servers = [await spawnServer(0), await spawnServer(0)];
  const uri = (port: number) => `tcp://127.0.0.1:${port}/amps/json`;
  const client = new HAClient('bench-failover-kill', {
    serverChooser: new DefaultServerChooser().add(uri(servers[0]!.port)).add(uri(servers[1]!.port)),
    delayStrategy: new FixedDelayStrategy(50),
  });
  const times: number[] = [];
  try {
    let resubscribed: (() => void) | undefined;
    client.addConnectionStateListener((st) => {
      if (st === ConnectionState.Resubscribed) resubscribed?.();
    });
    await client.connectAndLogon();
    await client.subscribe(() => undefined, 'bench-failover-topic');
    for (let i = 0; i < count; i++) {
      const idx = servers.findIndex((x) => client.uri?.includes(`:${x.port}/`));
      const victim = servers[idx]!;
      const done = new Promise<void>((r) => (resubscribed = r));
      const exited = new Promise((r) => victim.child.once('exit', r));
      const t0 = performance.now();
      victim.child.kill('SIGKILL');
      await withTimeout(done, 10_000, `failover ${i}`);
      times.push(performance.now() - t0);
      await exited;
      servers[idx] = await spawnServer(victim.port);
    }
  } finally {
    await client.disconnect();
    for (const x of servers) x.child.kill('SIGKILL');
  }
  const sorted = [...times].sort((a, b) => a - b);
  const base = { bench: 'failover: server process SIGKILLed → resubscribed', samples: String(times.length) };
  return [
    { ...base, variant: 'p50', value: percentile(sorted, 50), unit: 'ms', 'vs plain publish': '' },
    { ...base, variant: 'p99', value: percentile(sorted, 99), unit: 'ms', 'vs plain publish': '' },
  ];
}

// ---- publish throughput -------------------------------------------------------------------------------------------

/** The sink peer, run in a child process: counts publishes, conflated `persisted` acks, answers flush/logon. */
async function runSink(): Promise<void> {
  const P_PREFIX = Buffer.from('{"c":"p"');
  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    let lastS = '';
    let ackedS = '';
    let ackTimer: NodeJS.Timeout | undefined;
    const sendAck = () => {
      ackTimer = undefined;
      if (lastS === ackedS || socket.destroyed) return;
      ackedS = lastS;
      socket.write(encodeFrame({ command: 'ack', sequence: BigInt(lastS), ackType: 'persisted', status: 'success' } as Header, undefined, { server: true }));
    };
    const decoder = new FrameDecoder((payload) => {
      if (payload.length > 8 && Buffer.from(payload.buffer, payload.byteOffset, 8).equals(P_PREFIX)) {
        // `s` is written second by our encoder: {"c":"p","s":123,...
        if (payload[9] === 0x22 && payload[10] === 0x73 /* s */ && payload[11] === 0x22 && payload[12] === 0x3a) {
          let i = 13;
          let digits = '';
          while (i < payload.length && payload[i]! >= 48 && payload[i]! <= 57) digits += String.fromCharCode(payload[i++]!);
          lastS = digits;
          ackTimer ??= setTimeout(sendAck, 1);
        }
        return;
      }
      for (const m of parseFrame(payload)) {
        const h = m.header as Header & Record<string, unknown>;
        if (h.command === 'logon') {
          socket.write(encodeFrame({ command: 'ack', commandId: h.commandId, ackType: 'processed', sequence: 0n, status: 'success', clientName: h.clientName, bookmark: '1|0|', version: '5.3.4.0' } as Header, undefined, { server: true }));
        } else if (h.command === 'publish' || h.command === 'p') {
          if (h.sequence !== undefined) {
            lastS = String(h.sequence);
            ackTimer ??= setTimeout(sendAck, 1);
          }
        } else if (h.commandId !== undefined && typeof h.ackType === 'string' && h.ackType !== '') {
          for (const a of h.ackType.split(',')) {
            socket.write(encodeFrame({ command: 'ack', commandId: h.commandId, ackType: a, status: 'success' } as Header, undefined, { server: true }));
          }
        }
      }
    });
    socket.on('data', (chunk) => decoder.push(chunk));
    socket.on('error', () => socket.destroy());
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  process.stdout.write(`port ${(server.address() as AddressInfo).port}\n`);
  process.stdin.resume();
  process.stdin.on('end', () => process.exit(0));
}

async function startSink(): Promise<{ port: number; child: ChildProcess }> {
  const child = spawn(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--ha-sink'], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const port = await withTimeout(
    new Promise<number>((resolve, reject) => {
      let buf = '';
      child.stdout!.setEncoding('utf8');
      child.stdout!.on('data', (c: string) => {
        buf += c;
        const m = /port (\d+)/.exec(buf);
        if (m) resolve(Number(m[1]));
      });
      child.on('exit', (code) => reject(new Error(`sink exited ${code}`)));
    }),
    20_000,
    'sink start',
  );
  return { port, child };
}

type Variant = { name: string; fraction: number; make(uri: string, dir: string): Promise<{ client: Client; done(): Promise<void>; close(): Promise<void> }> };

async function benchPublish(count: number, bodyBytes: number, rounds: number): Promise<Row[]> {
  const sink = await startSink();
  const uri = `tcp://127.0.0.1:${sink.port}/amps/json`;
  const dir = mkdtempSync(join(tmpdir(), 'amps-ha-bench-'));
  const body = `{"pad":"${'x'.repeat(Math.max(0, bodyBytes - 11))}"}`;
  let run = 0;
  const ha = async (store?: () => MemoryPublishStore<Header> | FilePublishStore<Header>) => {
    const c = new HAClient(`bench-ha-${run++}`, { serverChooser: new DefaultServerChooser().add(uri) });
    if (store) c.setPublishStore(store());
    await c.connectAndLogon();
    return {
      client: c as Client,
      done: () => (store ? c.publishFlush(120_000) : c.flush(120_000)),
      close: () => c.close(),
    };
  };
  const file = (fsync: FsyncMode) => () => new FilePublishStore<Header>(join(dir, `pub-${fsync}-${run}.log`), { fsync });
  const variants: Variant[] = [
    {
      name: 'Client (plain publish)',
      fraction: 5,
      make: async () => {
        const c = new Client(`bench-plain-${run++}`);
        await c.connect(uri);
        await c.logon();
        return { client: c, done: () => c.flush(120_000), close: () => c.disconnect() };
      },
    },
    { name: 'HAClient, no store', fraction: 5, make: () => ha() },
    {
      name: 'Client + memory store (no HA)',
      fraction: 2,
      make: async () => {
        const c = new Client(`bench-plain-store-${run++}`);
        const store = new MemoryPublishStore<Header>();
        c.setPublishStore(store);
        await c.connect(uri);
        await c.logon();
        return { client: c, done: () => c.publishFlush(120_000), close: () => c.disconnect() };
      },
    },
    { name: 'HAClient + memory store', fraction: 2, make: () => ha(() => new MemoryPublishStore<Header>()) },
    { name: 'HAClient + file store (fsync never)', fraction: 0.5, make: () => ha(file('never')) },
    { name: 'HAClient + file store (fsync interval 100 ms)', fraction: 0.5, make: () => ha(file('interval')) },
    { name: 'HAClient + file store (fsync always)', fraction: 0.05, make: () => ha(file('always')) },
  ];
  const rates = new Map<string, number[]>();
  try {
    // Rounds interleave the variants, so load drift on a shared machine hits them alike; the median is reported.
    for (let round = 0; round < rounds; round++) {
      for (const v of variants) {
        const n = Math.max(100, Math.floor(count * v.fraction));
        const { client, done, close } = await v.make(uri, dir);
        try {
          // warm-up
          for (let i = 0; i < Math.min(2000, n); i++) client.publish('bench-ha', body);
          await withTimeout(done(), 60_000, `${v.name} warm-up`);
          const t0 = performance.now();
          for (let i = 0; i < n; ) {
            const end = Math.min(n, i + 1000);
            for (; i < end; i++) client.publish('bench-ha', body);
            await client.whenDrained(1 << 20);
          }
          await withTimeout(done(), 120_000, v.name);
          const rate = n / ((performance.now() - t0) / 1000);
          rates.set(v.name, [...(rates.get(v.name) ?? []), rate]);
        } finally {
          await close();
        }
      }
    }
  } finally {
    sink.child.stdin!.end();
    sink.child.kill();
    rmSync(dir, { recursive: true, force: true });
  }
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const plain = median(rates.get(variants[0]!.name)!);
  const rows: Row[] = variants.map((v) => {
    const rate = median(rates.get(v.name)!);
    return {
      bench: `publish ${bodyBytes} B until persisted/flushed (median of ${rounds})`,
      samples: String(Math.max(100, Math.floor(count * v.fraction))),
      variant: v.name,
      value: rate,
      unit: 'msg/s',
      'vs plain publish': `${(rate / plain).toFixed(2)}x`,
    };
  });
  return rows;
}

export async function benchHa(options: HaBenchOptions = {}): Promise<Record<string, unknown>[]> {
  const quick = options.quick === true;
  const failover = await benchFailover(quick ? 5 : 30);
  const failoverKill = await benchFailoverKill(quick ? 3 : 10);
  const publish = await benchPublish(quick ? 20_000 : 100_000, 128, quick ? 1 : 3);
  return [...failover, ...failoverKill, ...publish];
}

if (process.argv.includes('--ha-sink')) {
  void runSink();
} else if (process.argv[1] !== undefined && fileURLToPath(import.meta.url) === process.argv[1]) {
  const rows = await benchHa({ quick: process.argv.includes('--quick') });
  console.table(rows);
  process.exit(0);
}
