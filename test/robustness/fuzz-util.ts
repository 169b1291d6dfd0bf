// Shared helpers for the robustness suites: a seeded PRNG (mulberry32) so every failure reproduces from its
// printed seed, byte mutators, and a bounded-loop guard (count AND wall time).

import { until } from '../support/until.js';
import { concatBytes } from '../../runtime/wire/tcp-framing.js';

export const SEED = Number(process.env.FUZZ_SEED ?? 0x5eed1234) >>> 0;

/** mulberry32: tiny, fast, good enough for fuzzing. */
export class Rng {
  private state: number;
  constructor(readonly seed: number) {
    this.state = seed >>> 0;
  }
  next(): number {
    let t = (this.state = (this.state + 0x6d2b79f5) >>> 0);
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
  int(n: number): number {
    return Math.floor(this.next() * n);
  }
  range(lo: number, hi: number): number {
    return lo + this.int(hi - lo + 1);
  }
  pick<T>(xs: readonly T[]): T {
    return xs[this.int(xs.length)];
  }
  chance(p: number): boolean {
    return this.next() < p;
  }
  bytes(n: number): Uint8Array {
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = this.int(256);
    return out;
  }
}

const enc = new TextEncoder();
export const utf8 = (s: string): Uint8Array => enc.encode(s);
export const hex = (b: Uint8Array, max = 400): string =>
  Buffer.from(b.subarray(0, max)).toString('hex') + (b.length > max ? `...(+${b.length - max} bytes)` : '');

export const concat = (...parts: Uint8Array[]): Uint8Array => concatBytes(parts);

/** A 4-byte big-endian length prefix followed by `payload` (the announced length may lie). */
export function lengthPrefixed(payload: Uint8Array | string, announced?: number): Uint8Array {
  const body = typeof payload === 'string' ? utf8(payload) : payload;
  const out = new Uint8Array(4 + body.length);
  new DataView(out.buffer).setUint32(0, (announced ?? body.length) >>> 0);
  out.set(body, 4);
  return out;
}

/** One random structural mutation of `input` (never longer than input + 64 bytes). */
export function mutate(rng: Rng, input: Uint8Array): { bytes: Uint8Array; how: string } {
  const b = new Uint8Array(input);
  const at = b.length === 0 ? 0 : rng.int(b.length);
  switch (rng.int(10)) {
    case 0: {
      const n = 1 + rng.int(4);
      for (let i = 0; i < n && b.length > 0; i++) b[rng.int(b.length)] ^= 1 << rng.int(8);
      return { bytes: b, how: `flip ${n} bits` };
    }
    case 1:
      if (b.length > 0) b[at] = rng.int(256);
      return { bytes: b, how: `set byte ${at}` };
    case 2: {
      const ins = rng.bytes(1 + rng.int(16));
      return { bytes: concat(b.subarray(0, at), ins, b.subarray(at)), how: `insert ${ins.length} at ${at}` };
    }
    case 3: {
      const n = 1 + rng.int(16);
      return { bytes: concat(b.subarray(0, at), b.subarray(Math.min(b.length, at + n))), how: `delete ${n} at ${at}` };
    }
    case 4:
      return { bytes: b.subarray(0, at), how: `truncate to ${at}` };
    case 5: {
      // Corrupt a length prefix (the first 4 bytes) with an interesting value.
      const v = rng.pick([0, 1, 3, 4, 0x7fffffff, 0x80000000, 0xffffffff, rng.int(1 << 20), b.length, b.length + 1]);
      if (b.length >= 4) new DataView(b.buffer, b.byteOffset).setUint32(0, v >>> 0);
      return { bytes: b, how: `length prefix := ${v}` };
    }
    case 6: {
      // Invalid UTF-8 sequences.
      const bad = rng.pick([[0xc3], [0xff], [0xed, 0xa0, 0x80], [0xf4, 0x90, 0x80, 0x80], [0xe2, 0x82], [0xc0, 0xaf]]);
      return { bytes: concat(b.subarray(0, at), Uint8Array.from(bad), b.subarray(at)), how: `invalid utf8 at ${at}` };
    }
    case 7: {
      // Structural JSON characters.
      const ch = utf8(rng.pick(['{', '}', '"', '\\', ',', ':', '[', ']', '\u0000', 'null', '{"a":{"b":', '"}']));
      return { bytes: concat(b.subarray(0, at), ch, b.subarray(at)), how: `insert json token at ${at}` };
    }
    case 8: {
      // Duplicate a slice (repeated records / headers).
      const from = rng.int(b.length + 1);
      const to = Math.min(b.length, from + rng.int(64));
      return { bytes: concat(b.subarray(0, at), b.subarray(from, to), b.subarray(at)), how: `dup [${from},${to}) at ${at}` };
    }
    default: {
      // Replace digits with other digits / signs (lengths, bs, l, s).
      for (let i = 0; i < b.length; i++) {
        if (b[i] >= 0x30 && b[i] <= 0x39 && rng.chance(0.3)) b[i] = utf8(rng.pick(['0', '9', '-', '.', 'e', '1']))[0];
      }
      return { bytes: b, how: 'mangle digits' };
    }
  }
}

/** Runs `body(i)` until `count` iterations or `ms` milliseconds, whichever comes first; returns iterations run. */
export function bounded(count: number, ms: number, body: (i: number) => void): number {
  const deadline = Date.now() + ms;
  let i = 0;
  for (; i < count && Date.now() < deadline; i++) body(i);
  return i;
}

export async function boundedAsync(count: number, ms: number, body: (i: number) => Promise<void>): Promise<number> {
  const deadline = Date.now() + ms;
  let i = 0;
  for (; i < count && Date.now() < deadline; i++) await body(i);
  return i;
}

export const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms));

/** Resolves when `pred()` holds, or rejects after `ms` (for waits only, never for timing assertions). */
export const waitFor = (pred: () => boolean, ms: number, what: string): Promise<void> => until(pred, ms, what);
