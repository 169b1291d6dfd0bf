// A child process stores into a FilePublishStore as fast as it can and is SIGKILLed mid-stream; every message
// it reported as stored (and not reported as discarded) must be there after reopening, with its bytes.
import { spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { FilePublishStore } from '../../runtime/store/index.js';
import { bodyFor } from './fixtures/publish-child.js';

const child = fileURLToPath(new URL('./fixtures/publish-child.ts', import.meta.url));

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amps-crash-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

interface Report {
  stored: bigint[];
  discarded: bigint;
}

/** Runs the child until it reported `lines` lines, then SIGKILLs it. */
function runAndKill(file: string, lines: number): Promise<Report> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ['--import', 'tsx', child, file], { stdio: ['ignore', 'pipe', 'pipe'] });
    const report: Report = { stored: [], discarded: 0n };
    let count = 0;
    let pending = '';
    let killed = false;
    let stderr = '';
    p.stderr.on('data', (d: Buffer) => {
      stderr += d.toString();
    });
    p.stdout.on('data', (d: Buffer) => {
      pending += d.toString();
      let nl: number;
      while ((nl = pending.indexOf('\n')) >= 0) {
        const line = pending.slice(0, nl);
        pending = pending.slice(nl + 1);
        const [kind, value] = line.split(' ');
        if (kind === 'S') report.stored.push(BigInt(value!));
        else if (kind === 'D') report.discarded = BigInt(value!);
        if (++count >= lines && !killed) {
          killed = true;
          p.kill('SIGKILL');
        }
      }
    });
    // Bounded: a child that stalls (e.g. a loaded machine) fails the test with what it printed.
    const watchdog = setTimeout(() => {
      killed = true;
      p.kill('SIGKILL');
      reject(new Error(`child stalled after ${count} lines: ${stderr}`));
    }, 40_000);
    p.on('error', reject);
    p.on('exit', (code, signal) => {
      clearTimeout(watchdog);
      if (signal === 'SIGKILL') resolve(report);
      else reject(new Error(`child exited ${code} ${signal}: ${stderr}`));
    });
  });
}

it('no message reported as stored is lost when the process is SIGKILLed mid-write', async () => {
  const file = path.join(dir, 'crash.store');
  let everStored: bigint[] = [];
  let lastReportedDiscard = 0n;
  for (const lines of [400, 3000, 1500]) {
    const report = await runAndKill(file, lines);
    expect(report.stored.length).toBeGreaterThan(100);
    everStored = everStored.concat(report.stored);
    if (report.discarded > lastReportedDiscard) lastReportedDiscard = report.discarded;

    const store = new FilePublishStore(file, { logger: { warn() {} } });
    // The child may have discarded past its last report before dying, never less.
    expect(store.lastPersisted() >= lastReportedDiscard).toBe(true);
    const present = new Map<bigint, Uint8Array>();
    store.replay((h, b) => present.set(h.sequence!, b));
    for (const seq of everStored) {
      if (seq <= store.lastPersisted()) continue;
      const body = present.get(seq);
      expect(body, `sequence ${seq} lost`).toBeDefined();
      expect(Buffer.from(body!).equals(Buffer.from(bodyFor(seq)))).toBe(true);
    }
    // Sequences keep increasing across crashes.
    expect(store.lastSequence() >= everStored[everStored.length - 1]!).toBe(true);
    await store.close();
  }
}, 150_000);
