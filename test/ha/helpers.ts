// Shared helpers for the HA tests: bounded waiting, temp dirs, state recording.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connectionStateName } from '../../generated/enums.js';
import type { ConnectionState } from '../../generated/enums.js';

/** Polls `cond` every `stepMs` until it holds; throws after `timeoutMs` (bounded in count and time). */
export async function waitFor(cond: () => boolean, what: string, timeoutMs = 5000, stepMs = 5): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  const maxSteps = Math.ceil(timeoutMs / stepMs) + 10;
  for (let i = 0; i < maxSteps; i++) {
    if (cond()) return;
    if (Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, stepMs));
  }
  if (cond()) return;
  throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
}

export function sleep(ms: number): Promise<void> {
  return new Promise((r) => setTimeout(r, ms));
}

/** Structural (an HAClient is not assignable to Client: see the report on DisconnectHandler<this>). */
export function recordStates(client: { addConnectionStateListener(l: (s: ConnectionState) => void): unknown }): string[] {
  const states: string[] = [];
  client.addConnectionStateListener((s) => states.push(connectionStateName(s)));
  return states;
}

export function tempDir(prefix = 'amps-ha-'): { dir: string; cleanup(): void } {
  const dir = mkdtempSync(join(tmpdir(), prefix));
  return { dir, cleanup: () => rmSync(dir, { recursive: true, force: true }) };
}

/** Resolves with the rejection of `p` (fails if it resolves), bounded by `timeoutMs`. */
export async function rejectionOf(p: Promise<unknown>, timeoutMs = 5000): Promise<Error> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no rejection within ${timeoutMs} ms`)), timeoutMs);
  });
  try {
    await Promise.race([p, timeout]);
  } catch (e) {
    return e as Error;
  } finally {
    clearTimeout(timer);
  }
  throw new Error('expected a rejection, got a resolution');
}
