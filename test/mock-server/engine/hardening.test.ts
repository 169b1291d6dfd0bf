// Engine hardening against hostile clients (NOTES.md "Hardening"): linear-time regexes, bounded body nesting,
// flat filter chains, compiled filters that never throw.
import { describe, expect, it } from 'vitest';
import { compileFilter, compileTopic, computeDelta, Doc, EngineError, jsonEqual, mergeDelta, SowStore } from '../../../mock-server/engine/index.js';
import { MAX_BODY_DEPTH } from '../../../mock-server/engine/message.js';
import { MAX_FILTER_NESTING } from '../../../mock-server/engine/filter/parser.js';
import { compileSafeRegex, MAX_LINEAR_WORK, MAX_PATTERN_LENGTH } from '../../../mock-server/engine/filter/regex.js';

const json = (text: string) => new Doc(new TextEncoder().encode(text), 'json');
const reasonOf = (f: () => unknown): string | undefined => {
  try {
    f();
  } catch (e) {
    return e instanceof EngineError ? e.reason : `not an EngineError: ${String(e)}`;
  }
  return undefined;
};
// No wall-clock thresholds here: with backtracking these inputs take ~2^40 steps or more, so a regression
// cannot pass; it shows as the test's own timeout (vitest.config.ts bounds every test).

describe('regexes run in linear time', () => {
  it('catastrophic-backtracking topic patterns are accepted and fast', () => {
    for (const p of ['(a+)+$', '(a*)*b', '(a|a)*b', '(a|aa)+$', '.*.*.*.*.*.*x', '(x+x+)+y']) {
      const m = compileTopic(p);
      expect(m.matches(`${'a'.repeat(5000)}!`), p).toBe(false);
    }
    expect(compileTopic('(a+)+$').matches('aaaa')).toBe(true);
  });

  it('catastrophic LIKE patterns are accepted and fast', () => {
    const f = compileFilter("/x LIKE '(a+)+$'");
    expect(f.matches(Doc.fromJson({ x: `${'a'.repeat(40)}!` }))).toBe(false);
    expect(f.matches(Doc.fromJson({ x: 'aaa' }))).toBe(true);
    const g = compileFilter("/x LIKE 'a*b'");
    expect(g.matches(Doc.fromJson({ x: 'a'.repeat(1 << 20) }))).toBe(false);
  });

  it('keeps PCRE-ish semantics: flags, anchors, counted repetition, classes, case folding', () => {
    const rows: [string, string, boolean][] = [
      ['(?i)abc', 'xABCx', true],
      ['(?i)[a-c]+x', 'BBX', true],
      ['(?i)[^a]', 'A', false],
      ['^a{2,4}$', 'aaaa', true],
      ['^a{2,4}$', 'aaaaa', false],
      ['^(ab){2,}$', 'ababab', true],
      ['\\d{4}-\\d{2}', '2024-01', true],
      ['\\Aorders\\z', 'orders', true],
      ['\\Aorders\\z', 'orders2', false],
      ['(?s)a.b', 'a\nb', true],
      ['a.b', 'a\nb', false],
      ['(?<n>x)|y', 'y', true],
      ['orders\\..*', 'orders.x', true],
      ['x{', 'x{', true],
    ];
    for (const [p, s, want] of rows) expect(compileSafeRegex(p).test(s), `${p} on ${s}`).toBe(want);
  });

  it('backreferences only in a restricted form (backtracking engine, bounded input)', () => {
    expect(compileSafeRegex('(.)\\1').test('Mississippi')).toBe(true);
    expect(compileSafeRegex('(.)\\1').test('Ohio')).toBe(false);
    expect(compileSafeRegex('(?i)(a)\\1').test('aA')).toBe(true);
    expect(compileSafeRegex('(?<x>b)\\k<x>').test('abba')).toBe(true);
  });

  it('rejects lookaround, unsafe backreference patterns and oversized patterns with the documented reasons', () => {
    for (const p of ['(?=a)b', '(?!a)b', '(?<=a)b', '(?<!a)b', '(a+)+\\1', '(a|b)\\1', '(.)\\1.*.*x', 'a{99999}', 'x'.repeat(MAX_PATTERN_LENGTH + 1)]) {
      expect(reasonOf(() => compileTopic(`t.${p}`)), p).toBe('bad regex topic');
      expect(reasonOf(() => compileFilter(`/x LIKE '${p}'`)), p).toBe('bad filter');
    }
  });

  it('an input beyond the work bound does not match (documented limit)', () => {
    const re = compileSafeRegex('a.*b');
    expect(re.test(`a${'x'.repeat(100)}b`)).toBe(true);
    expect(re.test(`a${'x'.repeat(MAX_LINEAR_WORK)}b`)).toBe(false);
  });
});

describe('message bodies nested too deeply', () => {
  const nested = (n: number) => `{"id":"deep","a":${'{"b":'.repeat(n)}1${'}'.repeat(n)}}`;
  const nestedArr = (n: number) => `{"id":"deep","a":${'['.repeat(n)}${']'.repeat(n)}}`;

  it('are unparseable beyond MAX_BODY_DEPTH, parseable up to it', () => {
    expect(json(nested(MAX_BODY_DEPTH - 2)).root).toBeDefined();
    expect(json(nested(MAX_BODY_DEPTH - 2)).tooDeep).toBe(false);
    for (const text of [nested(5000), nestedArr(5000), nested(MAX_BODY_DEPTH)]) {
      const d = json(text);
      expect(d.root).toBeUndefined();
      expect(d.tooDeep).toBe(true);
      expect(d.isJsonObject).toBe(false);
    }
    // brackets inside strings do not count
    expect(json(`{"s":"${'{['.repeat(5000)}\\"${'['.repeat(300)}"}`).root).toBeDefined();
    const xml = new Doc(new TextEncoder().encode(`${'<a>'.repeat(5000)}x${'</a>'.repeat(5000)}`), 'xml');
    expect(xml.root).toBeUndefined();
  });

  it('never reach the SOW: no key → not stored; ordered queries and re-publishes keep working', () => {
    const sow = new SowStore({ topics: [{ topic: 'orders', keys: ['/id'] }] });
    expect(sow.publish({ topic: 'orders', data: json('{"id":"ok","a":1}') }).kind).toBe('inserted');
    for (const text of [nested(5000), nestedArr(5000)]) {
      expect(sow.publish({ topic: 'orders', data: json(text) }).kind).toBe('no-key');
      expect(sow.publish({ topic: 'orders', data: json(text), delta: true }).kind).toBe('no-key');
    }
    expect(sow.query('orders', { orderBy: '/a DESC' }).records).toHaveLength(1);
  });

  it('on a user-key SOW topic the record is stored opaque and never walked', () => {
    const sow = new SowStore({ topics: [{ topic: 'uk' }] });
    for (const text of [nested(5000), nestedArr(5000)]) {
      expect(sow.publish({ topic: 'uk', data: json(text), sowKey: 'k1' }).kind).toMatch(/inserted|updated/);
      expect(sow.publish({ topic: 'uk', data: json(text), sowKey: 'k1' }).kind).toBe('updated');
      expect(sow.publish({ topic: 'uk', data: json(text), sowKey: 'k1', delta: true }).kind).toBe('updated');
    }
    expect(sow.query('uk', { orderBy: '/a DESC' }).records).toHaveLength(1);
    expect(sow.query('uk', { filter: compileFilter('/a/b = 1') }).records).toHaveLength(0);
  });

  it('delta helpers are iterative', () => {
    let a: unknown = 1;
    let b: unknown = 1;
    for (let i = 0; i < 100_000; i++) {
      a = { b: a };
      b = { b: b };
    }
    expect(jsonEqual(a, b)).toBe(true);
    const merged = mergeDelta(a, b);
    expect(jsonEqual(merged, a)).toBe(true);
    expect(computeDelta(a, b, []).empty).toBe(true);
    expect(mergeDelta({ x: 1 }, JSON.parse('{"__proto__":{"polluted":1}}'))).not.toHaveProperty('polluted');
  });
});

describe('long filters', () => {
  it('12,000-term AND / OR / + chains compile and evaluate', () => {
    const doc = Doc.fromJson({ a: 1 });
    expect(compileFilter(Array.from({ length: 12_000 }, () => '/a = 1').join(' AND ')).matches(doc)).toBe(true);
    expect(compileFilter(Array.from({ length: 12_000 }, () => '/a = 2').join(' OR ')).matches(doc)).toBe(false);
    expect(compileFilter(`${Array.from({ length: 11_999 }, () => '/a = 2').join(' OR ')} OR /a = 1`).matches(doc)).toBe(true);
    expect(compileFilter(`${Array.from({ length: 12_000 }, () => '1').join(' + ')} = 12000`).matches(doc)).toBe(true);
    expect(compileFilter(`${Array.from({ length: 12_000 }, () => '2').join(' * ')} > 0`).matches(doc)).toBe(true);
  });

  it('three-valued logic and arithmetic are unchanged by flattening', () => {
    const d = Doc.fromJson({ a: 1, b: 0, s: 'x' });
    const rows: [string, boolean | null][] = [
      ['/a = 1 AND /zz = 1', null],
      ['/a = 2 AND /zz = 1', false],
      ['/zz = 1 AND /a = 2', false],
      ['/a = 1 OR /zz = 1', true],
      ['/a = 2 OR /zz = 1', null],
      ['/a = 2 OR /b = 1', false],
      ['/a = 1 AND (/b = 0 OR /zz = 1) AND /s = \'x\'', true],
      ['10 - 2 - 3 = 5', true],
      ['12 / 2 / 3 = 2', true],
      ['7 % 4 * 2 = 6', true],
      ['1 + /zz = 1', null],
      ['1 / 0 + 1 IS NULL', true],
      ['1 + 2 * 3 = 7', true],
    ];
    for (const [f, want] of rows) expect(compileFilter(f).evaluate(d), f).toBe(want);
  });

  it('nesting beyond MAX_FILTER_NESTING is a bad filter, not a stack overflow', () => {
    const deep = (n: number) => `${'('.repeat(n)}/a = 1${')'.repeat(n)}`;
    expect(compileFilter(deep(MAX_FILTER_NESTING - 2)).matches(Doc.fromJson({ a: 1 }))).toBe(true);
    for (const f of [deep(100_000), `${'NOT '.repeat(100_000)}/a = 1`, `${'- '.repeat(100_000)}/a = 1`, `${'ABS('.repeat(100_000)}1${')'.repeat(100_000)} = 1`]) {
      expect(reasonOf(() => compileFilter(f))).toBe('bad filter');
    }
  });

  it('a compiled filter never throws while evaluating', () => {
    const f = compileFilter('/a = 1');
    const hostile = new Proxy({}, { get: () => { throw new RangeError('boom'); } });
    expect(() => f.evaluateRoot(hostile)).not.toThrow();
    expect(f.evaluateRoot(hostile)).toBeNull();
    expect(f.matches(new Doc(new Uint8Array(0), 'json', hostile))).toBe(false);
  });
});
