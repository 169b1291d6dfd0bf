// Process kills: a publishing child killed with SIGKILL mid-stream and restarted on the same store files loses
// and duplicates nothing; a subscribing child killed and restarted on its bookmark file resumes right after its
// last discarded message. Children run with process.execPath --import tsx; everything is bounded in time.
import { afterEach, describe, expect, it } from 'vitest';
import { spawn, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { MockServer } from '../../mock-server/index.js';
import { Client } from '../../runtime/client/client.js';
import { DefaultServerChooser, FixedDelayStrategy, HAClient } from '../../runtime/ha/index.js';
import { timeDerivedSequence } from '../../runtime/store/index.js';
import { sleep, tempDir, waitFor } from './helpers.js';

const here = dirname(fileURLToPath(import.meta.url));
const repoRoot = join(here, '..', '..');
const PUB_TOTAL = Number(process.env.HA_KILL_PUB_COUNT ?? 20_000);
const SUB_TOTAL = Number(process.env.HA_KILL_SUB_COUNT ?? 10_000);

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

interface Child {
  readonly proc: ChildProcess;
  readonly lines: string[];
  readonly exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  stderr(): string;
}

function startChild(script: string, args: string[]): Child {
  const proc = spawn(process.execPath, ['--import', 'tsx', join(here, 'fixtures', script), ...args], {
    cwd: repoRoot,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: string[] = [];
  let partial = '';
  let err = '';
  proc.stdout!.setEncoding('utf8');
  proc.stdout!.on('data', (chunk: string) => {
    const parts = (partial + chunk).split('\n');
    partial = parts.pop()!;
    lines.push(...parts);
  });
  proc.stderr!.setEncoding('utf8');
  proc.stderr!.on('data', (chunk: string) => {
    if (err.length < 20_000) err += chunk;
  });
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    proc.on('exit', (code, signal) => resolve({ code, signal })),
  );
  cleanups.push(async () => {
    if (proc.exitCode === null && proc.signalCode === null) {
      proc.kill('SIGKILL');
      await exited;
    }
  });
  return { proc, lines, exited, stderr: () => err };
}

function lastProgress(c: Child): number {
  for (let i = c.lines.length - 1; i >= 0; i--) {
    const m = /^progress (\d+)/.exec(c.lines[i]!);
    if (m) return Number(m[1]);
  }
  return -1;
}

async function exitOf(c: Child, timeoutMs: number): Promise<{ code: number | null; signal: NodeJS.Signals | null }> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`child did not exit within ${timeoutMs} ms; stderr: ${c.stderr()}`)), timeoutMs);
  });
  try {
    return await Promise.race([c.exited, t]);
  } finally {
    clearTimeout(timer);
  }
}

async function startServer(): Promise<MockServer> {
  const s = await MockServer.start();
  cleanups.push(() => s.close());
  return s;
}

// Three rounds in every run: issue #5 asks that both kill tests pass repeatedly, not once by luck.
describe.each([1, 2, 3])('process kills, round %i', () => {
  it(
    `publisher killed with SIGKILL mid-stream, restarted on its store files: ${PUB_TOTAL} messages, no loss, no duplicate`,
    async () => {
      const server = await startServer();
      const tmp = tempDir('amps-ha-killpub-');
      cleanups.push(() => tmp.cleanup());
      const topic = `killpub-${Date.now()}`;

      const sub = HAClient.createMemoryBacked('killpub-subscriber', {
        serverChooser: new DefaultServerChooser().add(server.uri('tcp')),
        delayStrategy: new FixedDelayStrategy(10),
      });
      cleanups.push(() => sub.close());
      await sub.connectAndLogon();
      const received: number[] = [];
      await sub.bookmarkSubscribe((m) => received.push((JSON.parse(m.data) as { n: number }).n), topic, '0');

      const args = [server.uri('tcp'), topic, String(PUB_TOTAL), join(tmp.dir, 'pub.log'), join(tmp.dir, 'bm.log'), String(timeDerivedSequence())];
      // The first run slows down after a third (a wide window for the kill); the restarted run goes full speed.
      const first = startChild('publisher.ts', [...args, String(Math.floor(PUB_TOTAL / 3))]);
      await waitFor(() => lastProgress(first) >= PUB_TOTAL / 3 || first.proc.exitCode !== null, 'first publisher progress', 30_000);
      // Stall the publisher's connection so what it stores from now on is neither received nor acknowledged; kill
      // it 1000 messages later. Its stalled socket still holds buffered publishes (and the client name) that the
      // server reads after the stall, racing the restarted publisher's logon and replay.
      const stalledAt = lastProgress(first);
      server.stall(1500);
      await waitFor(() => lastProgress(first) >= stalledAt + 1000 || first.proc.exitCode !== null, 'progress while stalled', 30_000);
      first.proc.kill('SIGKILL');
      const r1 = await exitOf(first, 10_000);
      expect(r1.signal, `exit ${JSON.stringify(r1)}; stdout ${first.lines.slice(-5).join(' | ')}; stderr ${first.stderr()}`).toBe('SIGKILL');
      const killedAt = lastProgress(first);
      expect(killedAt, first.lines.slice(-5).join(' | ')).toBeLessThan(PUB_TOTAL);

      const second = startChild('publisher.ts', args);
      const r2 = await exitOf(second, 45_000);
      expect(r2.code, `exit ${JSON.stringify(r2)}; stdout ${second.lines.slice(-5).join(' | ')}; stderr ${second.stderr()}`).toBe(0);
      expect(second.lines.at(-1)).toBe('done');
      const ready = /^ready (\d+) unpersisted (\d+)/.exec(second.lines[0] ?? '');
      expect(ready).not.toBeNull();
      // It resumed at or after the last progress report of the killed run (the store had accepted those).
      expect(Number(ready![1])).toBeGreaterThanOrEqual(killedAt);

      await waitFor(() => received.length >= PUB_TOTAL, `all ${PUB_TOTAL} messages (have ${received.length})`, 20_000, 10);
      await sleep(100);
      expect(received.length).toBe(PUB_TOTAL);
      for (let i = 0; i < PUB_TOTAL; i++) if (received[i] !== i) expect(received[i]).toBe(i);
      console.log(`kill publisher: killed at progress ${killedAt}, restart resumed at n=${ready![1]} with ${ready![2]} unpersisted to replay`);
    },
    60_000,
  );

  it(
    `subscriber killed with SIGKILL, restarted on its bookmark file: resumes right after its last discarded message (${SUB_TOTAL} messages)`,
    async () => {
      const server = await startServer();
      const tmp = tempDir('amps-ha-killsub-');
      cleanups.push(() => tmp.cleanup());
      const topic = `killsub-${Date.now()}`;
      const pub = new Client('killsub-publisher');
      await pub.connect(server.uri('tcp'));
      await pub.logon();
      cleanups.push(() => pub.disconnect());
      for (let i = 0; i < SUB_TOTAL; i++) pub.publish(topic, `{"n":${i}}`);
      await pub.flush();

      const outPath = join(tmp.dir, 'out.txt');
      const args = [server.uri('tcp'), topic, String(SUB_TOTAL), join(tmp.dir, 'pub.log'), join(tmp.dir, 'bm.log'), outPath, '20'];
      const first = startChild('subscriber.ts', [...args, String(Math.floor(SUB_TOTAL / 3))]);
      await waitFor(() => lastProgress(first) >= SUB_TOTAL / 3 || first.proc.exitCode !== null, 'first subscriber progress', 30_000);
      first.proc.kill('SIGKILL');
      const r1 = await exitOf(first, 10_000);
      expect(r1.signal, `exit ${JSON.stringify(r1)}; stdout ${first.lines.slice(-5).join(' | ')}; stderr ${first.stderr()}`).toBe('SIGKILL');

      const before = parseOut(readFileSync(outPath, 'utf8'));
      const lastDiscarded = before.d.at(-1)!;
      expect(lastDiscarded).toBeLessThan(SUB_TOTAL - 1);
      // Sequential and gap-free up to the kill.
      before.d.forEach((n, i) => expect(n).toBe(i));
      const beforeLen = readFileSync(outPath, 'utf8').length;

      const second = startChild('subscriber.ts', args);
      const r2 = await exitOf(second, 45_000);
      expect(r2.code, `exit ${JSON.stringify(r2)}; stdout ${second.lines.slice(-5).join(' | ')}; stderr ${second.stderr()}`).toBe(0);

      const after = parseOut(readFileSync(outPath, 'utf8').slice(beforeLen));
      // Resumes after the last discarded message: the first message of the restarted run is the next one.
      expect(after.r[0]).toBe(lastDiscarded + 1);
      after.r.forEach((n, i) => expect(n).toBe(lastDiscarded + 1 + i));
      expect(after.r.at(-1)).toBe(SUB_TOTAL - 1);
      // Only a message received but not yet discarded at the kill may be seen twice.
      const redelivered = before.r.filter((n) => n > lastDiscarded);
      expect(redelivered.length).toBeLessThanOrEqual(1);
      console.log(
        `kill subscriber: last discarded before kill ${lastDiscarded}, received-not-discarded at kill ${redelivered.length}, restart resumed at ${after.r[0]}`,
      );
    },
    60_000,
  );
});

function parseOut(text: string): { r: number[]; d: number[] } {
  const r: number[] = [];
  const d: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^([RD]) (\d+)$/.exec(line);
    if (!m) continue;
    (m[1] === 'R' ? r : d).push(Number(m[2]));
  }
  return { r, d };
}
