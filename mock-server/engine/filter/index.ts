// AMPS content filter language: lexer → parser (AST) → compiler to closures. Compile once per subscription;
// evaluation walks the message's already-parsed field tree (Doc.root) and never re-parses anything.
import { readPath, type Doc, type PathStep } from '../message.js';
import type { CmpOp, Node } from './ast.js';
import { FUNCTIONS } from './functions.js';
import { parseFilter } from './parser.js';
import { filterError } from './lexer.js';
import { compareScalars, elem, isNullish, scalar, toNum, toStr, truth, type Scalar } from './values.js';

export type { Node } from './ast.js';
export { parseFilter } from './parser.js';

/** A compiled content filter. `matches` never throws and never re-parses the filter text. */
export interface CompiledFilter {
  readonly text: string;
  /** True only when the expression evaluates to TRUE (NULL and FALSE do not match). */
  matches(doc: Doc): boolean;
  /** The raw three-valued result: true, false or null (SQL NULL). */
  evaluate(doc: Doc): boolean | null;
  /** Same as `evaluate` on an already-parsed field tree (JSON value or NVFIX tag map). */
  evaluateRoot(root: unknown): boolean | null;
}

/**
 * Compiles filter text. Throws EngineError with reason `bad filter` (message includes the 0-based position)
 * on any syntax error, an unknown function, a non-literal or invalid LIKE pattern.
 */
export function compileFilter(text: string): CompiledFilter {
  const hit = cache.get(text);
  if (hit) return hit;
  let compiledPred: PredFn;
  try {
    compiledPred = compilePred(parseFilter(text));
  } catch (e) {
    if (e instanceof RangeError) throw filterError(text, 0, 'filter nested too deeply');
    throw e;
  }
  // A compiled filter never throws: any runtime error (stack overflow, a bug) is "no match" for this filter only,
  // so one subscription's filter can never fail a publish or starve the other subscribers of the fan-out.
  const pred: PredFn = (root) => {
    try {
      return compiledPred(root);
    } catch {
      return null;
    }
  };
  // One-entry memo: subscriptions sharing this filter (same text) evaluate a published message once.
  // Safe because a Doc never changes after construction.
  let lastDoc: Doc | undefined;
  let lastResult = false;
  const compiled: CompiledFilter = Object.freeze({
    text,
    matches: (doc: Doc) => {
      if (doc === lastDoc) return lastResult;
      lastResult = pred(doc.root) === true;
      lastDoc = doc;
      return lastResult;
    },
    evaluate: (doc: Doc) => pred(doc.root),
    evaluateRoot: pred,
  });
  if (cache.size >= CACHE_LIMIT) cache.clear();
  cache.set(text, compiled);
  return compiled;
}

/** Compiled filters are pure, so subscriptions with the same filter text share one closure. */
const cache = new Map<string, CompiledFilter>();
const CACHE_LIMIT = 4096;

/** compileFilter for an optional header value: undefined/empty → undefined (matches everything). */
export function compileOptionalFilter(text: string | undefined): CompiledFilter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return compileFilter(text);
}

type ValFn = (root: unknown) => unknown;
type PredFn = (root: unknown) => boolean | null;

const PRED_KINDS = new Set(['cmp', 'and', 'or', 'not', 'between', 'in', 'like', 'begins', 'ends', 'isnull']);

function and3(a: boolean | null, b: boolean | null): boolean | null {
  if (a === false || b === false) return false;
  return a === true && b === true ? true : null;
}
const not3 = (a: boolean | null): boolean | null => (a === null ? null : !a);

const TESTS: Record<CmpOp, (c: number) => boolean> = {
  '=': (c) => c === 0,
  '!=': (c) => c !== 0,
  '<': (c) => c < 0,
  '<=': (c) => c <= 0,
  '>': (c) => c > 0,
  '>=': (c) => c >= 0,
};

/** Array-aware comparison (§1.8): true if any pair satisfies; an empty array is NULL. */
function compareValues(l: unknown, r: unknown, test: (c: number) => boolean): boolean | null {
  const la = Array.isArray(l);
  const ra = Array.isArray(r);
  if (!la && !ra) {
    const c = compareScalars(elem(l), elem(r));
    return c === null ? null : test(c);
  }
  const ls: readonly unknown[] = la ? (l as unknown[]) : [l];
  const rs: readonly unknown[] = ra ? (r as unknown[]) : [r];
  if (ls.length === 0 || rs.length === 0) return null;
  let sawNull = false;
  for (const x of ls) {
    const ex = elem(x);
    for (const y of rs) {
      const c = compareScalars(ex, elem(y));
      if (c === null) sawNull = true;
      else if (test(c)) return true;
    }
  }
  return sawNull ? null : false;
}

/** Applies `f` to each element of an array value (or to the value itself); any true → true (§1.8). */
function anyElement(v: unknown, f: (x: Scalar) => boolean | null): boolean | null {
  if (!Array.isArray(v)) return f(elem(v));
  if (v.length === 0) return null;
  let sawNull = false;
  for (const x of v) {
    const r = f(elem(x));
    if (r === true) return true;
    if (r === null) sawNull = true;
  }
  return sawNull ? null : false;
}

function compileIdent(path: readonly PathStep[]): ValFn {
  if (path.length === 1 && typeof path[0] === 'string') {
    const k = path[0];
    return (r) => (r !== null && typeof r === 'object' && !Array.isArray(r) ? (r as Record<string, unknown>)[k] : undefined);
  }
  if (path.length === 2 && typeof path[0] === 'string' && typeof path[1] === 'string') {
    const a = path[0];
    const b = path[1];
    return (r) => {
      if (r === null || typeof r !== 'object' || Array.isArray(r)) return undefined;
      const m = (r as Record<string, unknown>)[a];
      if (m === null || typeof m !== 'object' || Array.isArray(m)) return readPath(r, path);
      return (m as Record<string, unknown>)[b];
    };
  }
  return (r) => readPath(r, path);
}

function compileValue(n: Node): ValFn {
  if (PRED_KINDS.has(n.k)) return compilePred(n);
  switch (n.k) {
    case 'lit': {
      const v = n.v;
      return () => v;
    }
    case 'id':
      return compileIdent(n.path);
    case 'neg': {
      const e = compileValue(n.e);
      return (r) => {
        const x = toNum(scalar(e(r)));
        return x === null ? null : -x;
      };
    }
    case 'arith':
      return compileArith(n);
    case 'call': {
      const spec = FUNCTIONS.get(n.name)!;
      const args = n.args.map(compileValue);
      const fn = spec.fn;
      if (spec.raw) return (r) => fn(args.map((a) => a(r)));
      if (args.length === 1) {
        const a0 = args[0]!;
        return (r) => fn([scalar(a0(r))]);
      }
      return (r) => fn(args.map((a) => scalar(a(r))));
    }
    case 'case': {
      const base = n.base ? compileValue(n.base) : undefined;
      const whens = n.whens.map((w) => ({ when: base ? compileValue(w.when) : compilePred(w.when), then: compileValue(w.then) }));
      const otherwise = n.otherwise ? compileValue(n.otherwise) : undefined;
      return (r) => {
        const b = base ? base(r) : undefined;
        for (const w of whens) {
          const hit = base ? compareValues(b, w.when(r), TESTS['=']) : (w.when(r) as boolean | null);
          if (hit === true) return w.then(r);
        }
        return otherwise ? otherwise(r) : null;
      };
    }
    default:
      throw new Error(`unreachable node ${n.k}`);
  }
}

/**
 * AND / OR chains compile into one loop over the flattened operands (a 10,000-term chain is one closure, not
 * 10,000 nested ones, so evaluation never recurses per term). SQL three-valued logic as before.
 */
function compileChain(kind: 'and' | 'or', root: Node): PredFn {
  const operands: Node[] = [];
  const stack: Node[] = [root];
  while (stack.length > 0) {
    const x = stack.pop()!;
    if (x.k === kind) stack.push(x.r, x.l); // left first
    else operands.push(x);
  }
  const fns = operands.map(compilePred);
  const count = fns.length;
  if (kind === 'and') {
    return (r) => {
      let allTrue = true;
      for (let i = 0; i < count; i++) {
        const v = fns[i]!(r);
        if (v === false) return false;
        if (v !== true) allTrue = false;
      }
      return allTrue ? true : null;
    };
  }
  return (r) => {
    let allFalse = true;
    for (let i = 0; i < count; i++) {
      const v = fns[i]!(r);
      if (v === true) return true;
      if (v !== false) allFalse = false;
    }
    return allFalse ? false : null;
  };
}

/** Left-deep arithmetic chains (`1 + 2 - 3 + …`, `a * b / c …`) compile into one loop. */
function compileArith(root: Extract<Node, { k: 'arith' }>): ValFn {
  const steps: { op: Extract<Node, { k: 'arith' }>['op']; f: ValFn }[] = [];
  const rights: Extract<Node, { k: 'arith' }>[] = [];
  let base: Node = root;
  while (base.k === 'arith') {
    rights.push(base);
    base = base.l;
  }
  const first = compileValue(base);
  for (let i = rights.length - 1; i >= 0; i--) steps.push({ op: rights[i]!.op, f: compileValue(rights[i]!.r) });
  const count = steps.length;
  return (r) => {
    let a = toNum(scalar(first(r)));
    if (a === null) return null;
    for (let i = 0; i < count; i++) {
      const st = steps[i]!;
      const b = toNum(scalar(st.f(r)));
      if (b === null) return null;
      switch (st.op) {
        case '+':
          a = a + b;
          break;
        case '-':
          a = a - b;
          break;
        case '*':
          a = a * b;
          break;
        case '/':
          if (b === 0) return null;
          a = a / b;
          break;
        case '%':
          if (b === 0) return null;
          a = a % b;
          break;
      }
    }
    return a;
  };
}

function compileCmp(op: CmpOp, ln: Node, rn: Node): PredFn {
  const l = compileValue(ln);
  const test = TESTS[op];
  // Fast paths for `field op literal`.
  if (rn.k === 'lit' && typeof rn.v === 'number' && !Number.isNaN(rn.v)) {
    const lit = rn.v;
    if (op === '=') return (r) => { const v = l(r); return typeof v === 'number' ? v === lit : compareValues(v, lit, test); };
    if (op === '!=') return (r) => { const v = l(r); return typeof v === 'number' ? v !== lit : compareValues(v, lit, test); };
    if (op === '<') return (r) => { const v = l(r); return typeof v === 'number' ? v < lit : compareValues(v, lit, test); };
    if (op === '<=') return (r) => { const v = l(r); return typeof v === 'number' ? v <= lit : compareValues(v, lit, test); };
    if (op === '>') return (r) => { const v = l(r); return typeof v === 'number' ? v > lit : compareValues(v, lit, test); };
    return (r) => { const v = l(r); return typeof v === 'number' ? v >= lit : compareValues(v, lit, test); };
  }
  if (rn.k === 'lit' && typeof rn.v === 'string' && rn.v !== '' && (op === '=' || op === '!=')) {
    const lit = rn.v;
    const eq = op === '=';
    return (r) => {
      const v = l(r);
      if (typeof v === 'string') return v === '' ? null : (v === lit) === eq;
      return compareValues(v, lit, test);
    };
  }
  const rr = compileValue(rn);
  return (r) => compareValues(l(r), rr(r), test);
}

function compileIn(n: Extract<Node, { k: 'in' }>): PredFn {
  const e = compileValue(n.e);
  const eqTest = TESTS['='];
  let fn: PredFn;
  if (n.list.every((x) => x.k === 'lit')) {
    // Literal list: set lookups (same result as the `=` OR-chain, incl. NULL items).
    const nums = new Set<number>();
    const strs = new Set<string>();
    let hasNull = false;
    for (const x of n.list) {
      const v = (x as Extract<Node, { k: 'lit' }>).v;
      if (v === null || v === '') hasNull = true;
      else if (typeof v === 'number') nums.add(v);
      else if (typeof v === 'boolean') nums.add(v ? 1 : 0);
      else {
        strs.add(v);
        const nv = toNum(v);
        if (nv !== null) nums.add(nv);
      }
    }
    const numLits = new Set<number>();
    for (const x of n.list) {
      const v = (x as Extract<Node, { k: 'lit' }>).v;
      if (typeof v === 'number') numLits.add(v);
      else if (typeof v === 'boolean') numLits.add(v ? 1 : 0);
    }
    const one = (s: Scalar): boolean | null => {
      if (s === null || s === '') return null;
      if (typeof s === 'boolean') s = s ? 1 : 0;
      if (typeof s === 'number') return nums.has(s) ? true : hasNull ? null : false;
      if (strs.has(s)) return true;
      const sv = toNum(s);
      if (sv !== null && numLits.has(sv)) return true;
      return hasNull ? null : false;
    };
    fn = (r) => anyElement(e(r), one);
  } else {
    const items = n.list.map(compileValue);
    fn = (r) => {
      const v = e(r);
      let sawNull = false;
      for (const it of items) {
        const res = compareValues(v, it(r), eqTest);
        if (res === true) return true;
        if (res === null) sawNull = true;
      }
      return sawNull ? null : false;
    };
  }
  return n.not ? (r) => not3(fn(r)) : fn;
}

function compilePred(n: Node): PredFn {
  switch (n.k) {
    case 'cmp':
      return compileCmp(n.op, n.l, n.r);
    case 'and':
    case 'or':
      return compileChain(n.k, n);
    case 'not': {
      const e = compilePred(n.e);
      return (r) => not3(e(r));
    }
    case 'between': {
      const e = compileValue(n.e);
      const lo = compileValue(n.lo);
      const hi = compileValue(n.hi);
      const fn: PredFn = (r) => {
        const a = scalar(lo(r));
        const b = scalar(hi(r));
        return anyElement(e(r), (x) => {
          const c1 = compareScalars(x, a);
          const c2 = compareScalars(x, b);
          return and3(c1 === null ? null : c1 >= 0, c2 === null ? null : c2 <= 0);
        });
      };
      return n.not ? (r) => not3(fn(r)) : fn;
    }
    case 'in':
      return compileIn(n);
    case 'like': {
      const e = compileValue(n.e);
      const re = n.re;
      const one = (x: Scalar): boolean | null => {
        const s = toStr(x);
        return s === null || s === '' ? null : re.test(s);
      };
      const fn: PredFn = (r) => anyElement(e(r), one);
      return n.not ? (r) => not3(fn(r)) : fn;
    }
    case 'begins':
    case 'ends': {
      const e = compileValue(n.e);
      const items = n.list.map(compileValue);
      const begins = n.k === 'begins';
      const fn: PredFn = (r) => {
        const affixes: string[] = [];
        for (const it of items) {
          const s = toStr(scalar(it(r)));
          if (s !== null) affixes.push(s);
        }
        return anyElement(e(r), (x) => {
          const s = toStr(x);
          if (s === null || s === '') return null;
          for (const a of affixes) if (begins ? s.startsWith(a) : s.endsWith(a)) return true;
          return false;
        });
      };
      return n.not ? (r) => not3(fn(r)) : fn;
    }
    case 'isnull': {
      const e = compileValue(n.e);
      return n.not ? (r) => !isNullish(e(r)) : (r) => isNullish(e(r));
    }
    default: {
      const v = compileValue(n);
      return (r) => truth(v(r));
    }
  }
}
