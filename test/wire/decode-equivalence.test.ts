import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeGeneral, decodeHeaderText, encodeHeader } from '../../runtime/wire/header-codec.js';
import { HEADER_FIELDS, type Header } from '../../generated/header-fields.js';

// The compact fast path must decode exactly as JSON.parse + remap does, or step aside.
function same(text: string): void {
  let expected: Header | Error;
  try {
    expected = decodeGeneral(text);
  } catch (e) {
    expected = e as Error;
  }
  if (expected instanceof Error) expect(() => decodeHeaderText(text)).toThrow(expected.constructor as new () => Error);
  else expect(decodeHeaderText(text)).toEqual(expected);
}

function mulberry32(seed: number): () => number {
  return () => {
    seed = (seed + 0x6d2b79f5) | 0;
    let t = Math.imul(seed ^ (seed >>> 15), 1 | seed);
    t = (t + Math.imul(t ^ (t >>> 7), 61 | t)) ^ t;
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

describe('compact header fast path', () => {
  it('agrees with the general path on every recorded client header', () => {
    const vectors = new URL('../../../shared/reference/vectors/', import.meta.url);
    const js = JSON.parse(readFileSync(new URL('js-client-ws-frames.json', vectors), 'utf8')) as Array<{ frames?: Array<{ text?: string }> }>;
    const py = JSON.parse(readFileSync(new URL('python-client-tcp-frames.json', vectors), 'utf8')) as Array<{ header: string }>;
    const texts = [...js.flatMap((s) => s.frames ?? []).map((f) => f.text ?? '').filter((t) => t.startsWith('{')), ...py.map((f) => f.header)];
    for (const t of texts) same(t);
  });

  it('agrees on seeded random headers and their mutations (2,000 cases)', () => {
    const rnd = mulberry32(20261124);
    const pick = <T>(xs: readonly T[]) => xs[Math.floor(rnd() * xs.length)];
    const strings = ['orders', 'a"b', 'x\\y', 'ü', '', '123', 'p', 'sow', 'line\nbreak'];
    for (let n = 0; n < 2000; n++) {
      const h: Record<string, unknown> = {};
      for (let k = 0; k < 1 + Math.floor(rnd() * 6); k++) {
        const f = pick(HEADER_FIELDS);
        h[f.name] =
          f.type === 'sequence' ? BigInt(Math.floor(rnd() * 1e9)) * 1_000_000_007n
          : f.type === 'integer' ? Math.floor(rnd() * 1e6)
          : f.type === 'boolean' ? rnd() < 0.5
          : pick(strings);
      }
      const text = encodeHeader(h as Header);
      same(text);
      // Mutations the fast path must refuse or match: spaces, quoted numbers, unknown keys, trailing bytes.
      same(text.replace(':', ': '));
      same(text.replace(/:(\d+)/, ':"$1"'));
      same(text.replace('{', '{"zz_unknown":1,'));
      same(text + ' ');
      same(text.replace(/:(\d+)/, ':-$1'));
      same(text.slice(0, -1));
    }
  });
});
