// Built-in filter functions (semantics §1.9). Arguments arrive as scalars (arrays → first element).
// Names/semantics confirmed by the docs: UPPER, LOWER, STREQUAL_I, INSTR, INSTR_I, SUBSTR, REVERSE, CONCAT,
// UNIX_TIMESTAMP, TRUE_VALUE, FALSE_VALUE, NAN_VALUE, CHAR_VALUE. The rest follow SQL conventions (INFERRED).
import { isNullish, toNum, toStr, truth, type Scalar } from './values.js';

export interface FunctionSpec {
  readonly min: number;
  readonly max: number;
  /** Receives raw argument values (not scalarised) when true. */
  readonly raw?: boolean;
  readonly fn: (args: unknown[]) => Scalar;
}

const str1 = (f: (s: string) => Scalar): FunctionSpec => ({
  min: 1,
  max: 1,
  fn: ([a]) => {
    const s = toStr(a as Scalar);
    return s === null ? null : f(s);
  },
});
const num1 = (f: (n: number) => number): FunctionSpec => ({
  min: 1,
  max: 1,
  fn: ([a]) => {
    const n = toNum(a as Scalar);
    return n === null ? null : f(n);
  },
});
const roundHalfAway = (n: number) => Math.sign(n) * Math.round(Math.abs(n));

const instr = (ci: boolean): FunctionSpec => ({
  min: 2,
  max: 2,
  fn: ([a, b]) => {
    let h = toStr(a as Scalar);
    let n = toStr(b as Scalar);
    if (h === null || n === null) return null;
    if (ci) {
      h = h.toLowerCase();
      n = n.toLowerCase();
    }
    return h.indexOf(n) + 1;
  },
});

const coalesce: FunctionSpec = {
  min: 1,
  max: Infinity,
  fn: (args) => {
    for (const a of args) if (!isNullish(a)) return a as Scalar;
    return null;
  },
};

export const FUNCTIONS: ReadonlyMap<string, FunctionSpec> = new Map<string, FunctionSpec>([
  ['UPPER', str1((s) => s.toUpperCase())],
  ['LOWER', str1((s) => s.toLowerCase())],
  ['LENGTH', str1((s) => s.length)],
  ['LEN', str1((s) => s.length)],
  ['REVERSE', str1((s) => [...s].reverse().join(''))],
  ['TRIM', str1((s) => s.trim())],
  ['LTRIM', str1((s) => s.trimStart())],
  ['RTRIM', str1((s) => s.trimEnd())],
  ['INSTR', instr(false)],
  ['INSTR_I', instr(true)],
  [
    'STREQUAL_I',
    {
      min: 2,
      max: 2,
      fn: ([a, b]) => {
        const x = toStr(a as Scalar);
        const y = toStr(b as Scalar);
        if (x === null || y === null) return null;
        return x.toLowerCase() === y.toLowerCase();
      },
    },
  ],
  [
    'SUBSTR',
    {
      min: 2,
      max: 3,
      fn: ([a, b, c]) => {
        const s = toStr(a as Scalar);
        const start = toNum(b as Scalar);
        if (s === null || start === null) return null;
        let from = Math.trunc(start);
        from = from > 0 ? from - 1 : from < 0 ? Math.max(0, s.length + from) : 0;
        if (c === undefined) return s.slice(from);
        const len = toNum(c as Scalar);
        if (len === null) return null;
        return len <= 0 ? '' : s.slice(from, from + Math.trunc(len));
      },
    },
  ],
  [
    'REPLACE',
    {
      min: 3,
      max: 3,
      fn: ([a, b, c]) => {
        const s = toStr(a as Scalar);
        const f = toStr(b as Scalar);
        const t = toStr(c as Scalar) ?? '';
        if (s === null || f === null || f === '') return s;
        return s.split(f).join(t);
      },
    },
  ],
  [
    'CONCAT',
    {
      min: 1,
      max: Infinity,
      fn: (args) => args.map((a) => toStr(a as Scalar) ?? '').join(''),
    },
  ],
  ['ABS', num1(Math.abs)],
  ['FLOOR', num1(Math.floor)],
  ['CEILING', num1(Math.ceil)],
  ['CEIL', num1(Math.ceil)],
  ['SQRT', num1(Math.sqrt)],
  ['EXP', num1(Math.exp)],
  ['LN', num1(Math.log)],
  ['LOG', num1(Math.log)],
  ['LOG10', num1(Math.log10)],
  ['SIGN', num1(Math.sign)],
  [
    'ROUND',
    {
      min: 1,
      max: 2,
      fn: ([a, b]) => {
        const n = toNum(a as Scalar);
        if (n === null) return null;
        const d = b === undefined ? 0 : toNum(b as Scalar);
        if (d === null) return null;
        const f = 10 ** Math.trunc(d);
        return roundHalfAway(n * f) / f;
      },
    },
  ],
  [
    'POWER',
    {
      min: 2,
      max: 2,
      fn: ([a, b]) => {
        const x = toNum(a as Scalar);
        const y = toNum(b as Scalar);
        return x === null || y === null ? null : x ** y;
      },
    },
  ],
  [
    'MOD',
    {
      min: 2,
      max: 2,
      fn: ([a, b]) => {
        const x = toNum(a as Scalar);
        const y = toNum(b as Scalar);
        return x === null || y === null || y === 0 ? null : x % y;
      },
    },
  ],
  ['COALESCE', coalesce],
  ['NVL', { ...coalesce, min: 2, max: 2 }],
  [
    'NULLIF',
    {
      min: 2,
      max: 2,
      fn: ([a, b]) => (toStr(a as Scalar) === toStr(b as Scalar) ? null : (a as Scalar)),
    },
  ],
  [
    'IF',
    {
      min: 2,
      max: 3,
      fn: ([c, t, f]) => (truth(c) === true ? (t as Scalar) : f === undefined ? null : (f as Scalar)),
    },
  ],
  ['UNIX_TIMESTAMP', { min: 0, max: 0, fn: () => Date.now() / 1000 }],
  ['TRUE_VALUE', { min: 0, max: 0, fn: () => true }],
  ['FALSE_VALUE', { min: 0, max: 0, fn: () => false }],
  ['NAN_VALUE', { min: 0, max: 0, fn: () => NaN }],
  [
    'CHAR_VALUE',
    {
      min: 1,
      max: 1,
      fn: ([a]) => {
        const n = toNum(a as Scalar);
        return n === null ? null : String.fromCharCode(Math.trunc(n) & 0xff);
      },
    },
  ],
  ['ISNAN', { min: 1, max: 1, fn: ([a]) => { const n = toNum(a as Scalar); return n === null ? null : Number.isNaN(n); } }],
]);
