// Recursive-descent parser for the AMPS filter language (grammar: semantics §1.10, plus CASE).
import type { ArithOp, CmpOp, Node } from './ast.js';
import { filterError, tokenize, type Token } from './lexer.js';
import { FUNCTIONS } from './functions.js';
import { compileSafeRegex } from './regex.js';

const RESERVED = new Set([
  'AND', 'OR', 'NOT', 'BETWEEN', 'IN', 'LIKE', 'IS', 'NULL', 'BEGINS', 'ENDS', 'WITH', 'TRUE', 'FALSE',
  'CASE', 'WHEN', 'THEN', 'ELSE', 'END',
]);

/**
 * Translates a PCRE pattern to a JS RegExp: leading inline flags `(?i)`, `(?s)`, `(?m)` (no `(?x)`); matching runs
 * in linear time (regex.ts). Throws Error on an invalid or unsupported pattern (backreferences, lookaround, ...).
 */
export function compileLikePattern(pattern: string): RegExp {
  return compileSafeRegex(pattern);
}

/**
 * Deepest nesting accepted (parentheses, NOT, unary signs, function arguments, CASE parts); deeper → `bad filter`.
 * Chains (`a AND b AND …`, `1 + 2 + …`) are loops, not nesting, and have no limit of their own.
 */
export const MAX_FILTER_NESTING = 256;

export function parseFilter(text: string): Node {
  const toks = tokenize(text);
  let p = 0;
  let depth = 0;
  /** Runs `f` one nesting level deeper; refuses beyond MAX_FILTER_NESTING (never a stack overflow). */
  const nested = <T>(f: () => T): T => {
    if (++depth > MAX_FILTER_NESTING) {
      depth = 0;
      throw filterError(text, peek().pos, `filter nested deeper than ${MAX_FILTER_NESTING} levels`);
    }
    try {
      return f();
    } finally {
      depth--;
    }
  };
  const peek = (): Token => toks[p]!;
  const next = (): Token => toks[p++]!;
  const isWord = (t: Token, w: string) => t.kind === 'word' && t.upper === w;
  const describe = (t: Token) => (t.kind === 'eof' ? 'end of filter' : `'${t.text}'`);
  const fail = (t: Token, what: string) => filterError(text, t.pos, `${what}, found ${describe(t)}`);
  const expectWord = (w: string) => {
    const t = next();
    if (!isWord(t, w)) throw fail(t, `expected ${w}`);
  };
  const expect = (k: Token['kind'], what: string) => {
    const t = next();
    if (t.kind !== k) throw fail(t, `expected ${what}`);
    return t;
  };

  const orExpr = (): Node => nested(orChain);
  const orChain = (): Node => {
    let l = andExpr();
    while (isWord(peek(), 'OR')) {
      const t = next();
      l = { k: 'or', pos: t.pos, l, r: andExpr() };
    }
    return l;
  };
  const andExpr = (): Node => {
    let l = notExpr();
    while (isWord(peek(), 'AND')) {
      const t = next();
      l = { k: 'and', pos: t.pos, l, r: notExpr() };
    }
    return l;
  };
  const notExpr = (): Node => {
    if (isWord(peek(), 'NOT')) {
      const t = next();
      return { k: 'not', pos: t.pos, e: nested(notExpr) };
    }
    return predicate();
  };
  const list = (): Node[] => {
    expect('(', "'('");
    const items = [orExpr()];
    while (peek().kind === ',') {
      next();
      items.push(orExpr());
    }
    expect(')', "')' or ','");
    return items;
  };
  const predicate = (): Node => {
    const e = sum();
    const t = peek();
    if (t.kind === 'op' && ['=', '==', '!=', '<>', '<', '<=', '>', '>='].includes(t.text)) {
      next();
      const op: CmpOp = t.text === '==' ? '=' : t.text === '<>' ? '!=' : (t.text as CmpOp);
      return { k: 'cmp', pos: t.pos, op, l: e, r: sum() };
    }
    if (t.kind !== 'word') return e;
    let not = false;
    let kw = t;
    if (t.upper === 'IS') {
      next();
      if (isWord(peek(), 'NOT')) {
        next();
        not = true;
      }
      expectWord('NULL');
      return { k: 'isnull', pos: t.pos, not, e };
    }
    if (t.upper === 'NOT') {
      const after = toks[p + 1]!;
      if (after.kind === 'word' && ['BETWEEN', 'IN', 'LIKE', 'BEGINS', 'ENDS'].includes(after.upper!)) {
        next();
        not = true;
        kw = after;
      } else return e;
    }
    switch (kw.upper) {
      case 'BETWEEN': {
        next();
        const lo = sum();
        expectWord('AND');
        const hi = sum();
        return { k: 'between', pos: kw.pos, not, e, lo, hi };
      }
      case 'IN':
        next();
        return { k: 'in', pos: kw.pos, not, e, list: list() };
      case 'LIKE': {
        next();
        const pt = next();
        if (pt.kind !== 'string') throw fail(pt, 'LIKE pattern must be a quoted string literal');
        let re: RegExp;
        try {
          re = compileLikePattern(pt.text);
        } catch (err) {
          throw filterError(text, pt.pos, `invalid regular expression in LIKE: ${(err as Error).message}`);
        }
        return { k: 'like', pos: kw.pos, not, e, pattern: pt.text, re };
      }
      case 'BEGINS':
      case 'ENDS':
        next();
        expectWord('WITH');
        return { k: kw.upper === 'BEGINS' ? 'begins' : 'ends', pos: kw.pos, not, e, list: list() };
      default:
        if (not) throw fail(kw, 'unexpected keyword');
        return e;
    }
  };
  const sum = (): Node => {
    let l = product();
    for (;;) {
      const t = peek();
      if (t.kind === 'op' && (t.text === '+' || t.text === '-')) {
        next();
        l = { k: 'arith', pos: t.pos, op: t.text as ArithOp, l, r: product() };
      } else return l;
    }
  };
  const product = (): Node => {
    let l = unary();
    for (;;) {
      const t = peek();
      if (t.kind === 'op' && (t.text === '*' || t.text === '/' || t.text === '%')) {
        next();
        l = { k: 'arith', pos: t.pos, op: t.text as ArithOp, l, r: unary() };
      } else return l;
    }
  };
  const unary = (): Node => {
    const t = peek();
    if (t.kind === 'op' && (t.text === '-' || t.text === '+')) {
      next();
      const e = nested(unary);
      if (t.text === '+') return e;
      if (e.k === 'lit' && typeof e.v === 'number') return { k: 'lit', pos: t.pos, v: -e.v };
      return { k: 'neg', pos: t.pos, e };
    }
    return primary();
  };
  const primary = (): Node => {
    const t = next();
    switch (t.kind) {
      case 'number':
        return { k: 'lit', pos: t.pos, v: t.num! };
      case 'string':
        return { k: 'lit', pos: t.pos, v: t.text };
      case 'ident':
        return { k: 'id', pos: t.pos, path: t.path!, text: t.text };
      case '(': {
        const e = orExpr();
        expect(')', "')'");
        return e;
      }
      case 'word': {
        const w = t.upper!;
        if (w === 'NULL') return { k: 'lit', pos: t.pos, v: null };
        if (w === 'TRUE') return { k: 'lit', pos: t.pos, v: true };
        if (w === 'FALSE') return { k: 'lit', pos: t.pos, v: false };
        if (w === 'CASE') return caseExpr(t);
        if (RESERVED.has(w)) throw fail(t, 'expected a value');
        if (peek().kind !== '(') throw fail(t, 'expected a value (unknown word; functions need parentheses)');
        const spec = FUNCTIONS.get(w);
        if (!spec) throw filterError(text, t.pos, `unknown function ${t.text}`);
        next();
        const args: Node[] = [];
        if (peek().kind !== ')') {
          args.push(orExpr());
          while (peek().kind === ',') {
            next();
            args.push(orExpr());
          }
        }
        expect(')', "')' or ','");
        if (args.length < spec.min || args.length > spec.max) {
          const want = spec.min === spec.max ? `${spec.min}` : spec.max === Infinity ? `at least ${spec.min}` : `${spec.min} to ${spec.max}`;
          throw filterError(text, t.pos, `${w} takes ${want} argument(s), got ${args.length}`);
        }
        return { k: 'call', pos: t.pos, name: w, args };
      }
      default:
        throw fail(t, 'expected a value');
    }
  };
  const caseExpr = (t: Token): Node => {
    let base: Node | undefined;
    if (!isWord(peek(), 'WHEN')) base = orExpr();
    const whens: { when: Node; then: Node }[] = [];
    while (isWord(peek(), 'WHEN')) {
      next();
      const when = orExpr();
      expectWord('THEN');
      whens.push({ when, then: orExpr() });
    }
    if (whens.length === 0) throw fail(peek(), 'expected WHEN');
    let otherwise: Node | undefined;
    if (isWord(peek(), 'ELSE')) {
      next();
      otherwise = orExpr();
    }
    expectWord('END');
    return { k: 'case', pos: t.pos, ...(base ? { base } : {}), whens, ...(otherwise ? { otherwise } : {}) };
  };

  if (peek().kind === 'eof') throw filterError(text, 0, 'empty filter');
  const root = orExpr();
  const end = peek();
  if (end.kind !== 'eof') throw fail(end, 'unexpected token');
  return root;
}
