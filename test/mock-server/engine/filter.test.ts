import { describe, expect, it } from 'vitest';
import { compileFilter, Doc, EngineError } from '../../../mock-server/engine/index.js';

const doc = (v: unknown) => Doc.fromJson(v);
const M1 = doc({
  sender: 'mom', qty: 10, px: '90.25', sym: 'IBM', country: 'us', state: 'Mississippi', name: 'Jane', code: '', flag: true,
});
const M2 = doc({ data: [1, 'cat', 'dog', 'zebra'], other: [1, 42, 17], empty: [] });
const EMPTY = doc({});

const matches = (f: string, d: Doc) => compileFilter(f).matches(d);

describe('§1.12 A: literal-only expressions', () => {
  const rows: [string, boolean][] = [
    ['1 < 2', true],
    ["10 < '2'", false],
    ["'2.000' <> '2.0'", true],
    ['2 = 2.0', true],
    ["10 < 'Crank It Up'", true],
    ["10 < ''", false],
    ["10 > ''", false],
    ["'' = ''", false],
    ["'' IS NULL", true],
    ["REVERSE(SUBSTR('fandango',5)) == 'ogna'", true],
    ['2 == 2.0', true],
    ['1 = 1', true],
  ];
  it.each(rows)('%s → %s', (f, want) => {
    expect(matches(f, EMPTY)).toBe(want);
    expect(matches(f, M1)).toBe(want);
  });
});

describe('§1.12 B: message M1', () => {
  const rows: [string, boolean][] = [
    ["/sender = 'mom'", true],
    ['/qty BETWEEN 0 AND 10', true],
    ['/qty NOT BETWEEN 11 AND 20', true],
    ['/qty IN (5, 10, 15)', true],
    ['/qty NOT IN (5, 15)', true],
    ['/px < 91.0', true],
    ['/px LIKE "^90\\..*" AND /px < 91.0', true],
    ['/sym LIKE "^IB.?$"', true],
    ["/sym LIKE 'B'", true],
    ['/country LIKE "(?i)^us$"', true],
    ['/country LIKE "^US$"', false],
    ["/state LIKE '(.)\\1'", true],
    ["/name = 'JANE'", false],
    ["STREQUAL_I(/name, 'JANE') == 1", true],
    ["UPPER(/name) = 'JANE'", true],
    ["LOWER(/name) IN ('jane', 'george')", true],
    ["INSTR(/state, 'ssi') != 0", true],
    ["INSTR(/state, 'ssi') = 3", true],
    ["INSTR(/state, 'xyz') = 0", true],
    ["INSTR_I(/state, 'MISS') != 0", true],
    ["/sym BEGINS WITH ('I')", true],
    ["/sym ENDS WITH ('Q', 'M')", true],
    ["/sym NOT BEGINS WITH ('X')", true],
    ['/code IS NULL', true],
    ["/code = ''", false],
    ['/missing IS NULL', true],
    ['/missing IS NOT NULL', false],
    ['/missing = 1', false],
    ['/missing != 1', false],
    ['NOT (/missing = 1)', false],
    ['(/qty % 3) == 1', true],
    ['(/qty * /px) BETWEEN 0 AND 1000', true],
    ["/sender = 'dad' OR /qty = 10 AND /sym = 'IBM'", true],
    ["(/sender = 'dad' OR /qty = 10) AND /sym = 'XYZ'", false],
    ['/flag = 1', true],
    ["/qty > 'abc'", false],
    ["/qty < 'abc'", true],
  ];
  it.each(rows)('%s → %s', (f, want) => {
    expect(matches(f, M1)).toBe(want);
  });

  it.each([
    ["/sender = 'mom'", { sender: 'dad' }],
    ['/qty BETWEEN 0 AND 10', { qty: 11 }],
    ['/qty IN (5, 10, 15)', { qty: 7 }],
    ['/px LIKE "^90\\..*" AND /px < 91.0', { px: '91.5' }],
    ['/sym LIKE "^IB.?$"', { sym: 'IBMX' }],
    ['/country LIKE "(?i)^us$"', { country: 'USA' }],
    ["/state LIKE '(.)\\1'", { state: 'Ohio' }],
  ])('%s does not match %j', (f, m) => {
    expect(matches(f, doc(m))).toBe(false);
  });
  it('(?i) also matches upper case', () => {
    expect(matches('/country LIKE "(?i)^us$"', doc({ country: 'US' }))).toBe(true);
  });
});

describe('§1.12 C: arrays (M2)', () => {
  const rows: [string, boolean][] = [
    ['/data = 1', true],
    ["/data = 'zebra'", true],
    ["/data != 'zebra'", true],
    ['/data = 42', false],
    ["/data LIKE 'z'", true],
    ['/other > 30', true],
    ['/other > 50', false],
    ['/data[0] = 1', true],
    ["/data[3] = 'zebra'", true],
    ['/data[1] != 1', true],
    ["/other[1] LIKE '4'", true],
    ['/data = /other', true],
    ['/other + 1 = 2', true],
    ['/empty IS NULL', true],
    ['/empty = 1', false],
    ['/other IN (17, 99)', true],
    ['/other IN (99)', false],
  ];
  it.each(rows)('%s → %s', (f, want) => {
    expect(matches(f, M2)).toBe(want);
  });
});

describe('§1.12 D: malformed filters', () => {
  const bad = ['/a =', "/a = 'unterminated", '(/a = 1', '/a BETWEEN 1', '/a IN 1, 2', '/a LIKE /b', "/a LIKE '('", 'AND /a = 1',
    '', '   ', '/a = 1 /b', 'NOSUCHFN(/a) = 1', 'UPPER(/a, /b) = 1', '/a = = 1', '/ = 1', '/a[x] = 1', '/a = 1 )', '/a $ 1',
    '/a BEGINS (1)', 'CASE WHEN /a = 1 THEN 2'];
  it.each(bad)('%j fails with reason "bad filter"', (f) => {
    let err: unknown;
    try {
      compileFilter(f);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(EngineError);
    expect((err as EngineError).reason).toBe('bad filter');
    expect(typeof (err as EngineError).position).toBe('number');
  });
  it('reports precise positions', () => {
    const pos = (f: string) => {
      try {
        compileFilter(f);
      } catch (e) {
        return (e as EngineError).position;
      }
      return undefined;
    };
    expect(pos('/a =')).toBe(4); // end of input
    expect(pos("/a = 'abc")).toBe(5);
    expect(pos('(/a = 1')).toBe(7);
    expect(pos('/a LIKE /b')).toBe(8);
    expect(pos("/a LIKE '('")).toBe(8);
    expect(pos('AND /a = 1')).toBe(0);
    expect(pos('/a = 1 AND FOO(1)')).toBe(11);
    try {
      compileFilter('/a =');
    } catch (e) {
      expect((e as Error).message).toMatch(/end of filter/);
    }
  });
});

describe('precedence and NULL semantics (SQL-92, inferred)', () => {
  it('arithmetic precedence', () => {
    expect(matches('1 + 2 * 3 = 7', EMPTY)).toBe(true);
    expect(matches('(1 + 2) * 3 = 9', EMPTY)).toBe(true);
    expect(matches('10 - 4 - 3 = 3', EMPTY)).toBe(true);
    expect(matches('-/qty = -10', M1)).toBe(true);
    expect(matches('/qty / 4 = 2.5', M1)).toBe(true);
    expect(matches('/qty/4 = 2.5', M1)).toBe(false); // `/qty/4` is the field path qty → 4
    expect(matches('/qty / 0 IS NULL', M1)).toBe(true);
  });
  it('AND binds tighter than OR; NOT applies to the following predicate', () => {
    expect(matches('1 = 1 OR 1 = 0 AND 1 = 0', EMPTY)).toBe(true);
    expect(matches('NOT 1 = 0 AND 1 = 1', EMPTY)).toBe(true);
    expect(matches('NOT (1 = 1 OR 1 = 0)', EMPTY)).toBe(false);
    expect(matches('NOT NOT 1 = 1', EMPTY)).toBe(true);
  });
  it('three-valued logic', () => {
    const ev = (f: string) => compileFilter(f).evaluate(EMPTY);
    expect(ev('/x = 1')).toBe(null);
    expect(ev('/x = 1 OR 1 = 1')).toBe(true);
    expect(ev('/x = 1 OR 1 = 0')).toBe(null);
    expect(ev('/x = 1 AND 1 = 0')).toBe(false);
    expect(ev('/x = 1 AND 1 = 1')).toBe(null);
    expect(ev('NOT /x = 1')).toBe(null);
    expect(ev('/x IN (1, 2)')).toBe(null);
    expect(ev('/x NOT IN (1, 2)')).toBe(null);
    expect(ev('/x BETWEEN 1 AND 2')).toBe(null);
    expect(compileFilter('/a IN (1, NULL)').evaluate(doc({ a: 2 }))).toBe(null);
    expect(compileFilter('/a IN (2, NULL)').evaluate(doc({ a: 2 }))).toBe(true);
  });
  it('keywords are case-insensitive and both quote styles work', () => {
    expect(matches("/sym like 'IB' and /qty between 1 and 10", M1)).toBe(true);
    expect(matches('/sym = "IBM"', M1)).toBe(true);
    expect(matches("/sym = 'I''B'", doc({ sym: "I'B" }))).toBe(true);
  });
  it('nested paths, bracket identifiers, functions', () => {
    const d = doc({ a: { b: { c: 5 } }, 'Name With Spaces': 'x', list: [{ v: 1 }, { v: 2 }] });
    expect(matches('/a/b/c = 5', d)).toBe(true);
    expect(matches("[/Name With Spaces] = 'x'", d)).toBe(true);
    expect(matches('/list[1]/v = 2', d)).toBe(true);
    expect(matches('LENGTH(/a/b/c) = 1', d)).toBe(true);
    expect(matches("CONCAT('a', 1, 'b') = 'a1b'", d)).toBe(true);
    expect(matches('COALESCE(/nope, /a/b/c) = 5', d)).toBe(true);
    expect(matches('ABS(-3) = 3 AND ROUND(2.5) = 3 AND ROUND(1.234, 2) = 1.23', d)).toBe(true);
    expect(matches("CASE WHEN /a/b/c > 3 THEN 'big' ELSE 'small' END = 'big'", d)).toBe(true);
    expect(matches("CASE /a/b/c WHEN 4 THEN 'four' WHEN 5 THEN 'five' END = 'five'", d)).toBe(true);
    expect(matches("IF(/a/b/c = 5, 'y', 'n') = 'y'", d)).toBe(true);
    expect(matches("CHAR_VALUE(65) = 'A' AND TRUE_VALUE() = 1 AND FALSE_VALUE() = 0", d)).toBe(true);
    expect(matches('TRUE = 1', d)).toBe(true);
    expect(matches("/flag = 'x' OR /flag", M1)).toBe(true);
  });
  it('documented IN with expression items; BETWEEN inside AND chains; compact spacing', () => {
    const d = doc({ '14': 200, '6': 5, '21964': 1000 });
    expect(matches('/21964 IN (/14*5, /6*/14, 1000, 2000)', d)).toBe(true);
    expect(matches('/21964 IN (/14*5, /6*/14)', d)).toBe(true); // 5*200 = 1000
    expect(matches('/21964 IN (/14*6, 7)', d)).toBe(false);
    expect(matches('/qty BETWEEN 1 AND 10 AND /sym = \'IBM\'', M1)).toBe(true);
    expect(matches('/qty BETWEEN 1 AND 9 OR /sym = \'IBM\'', M1)).toBe(true);
    expect(matches('/qty=10AND/sym=\'IBM\'', M1)).toBe(true);
  });
  it('NOT LIKE, NOT ENDS WITH', () => {
    expect(matches("/sym NOT LIKE '^X'", M1)).toBe(true);
    expect(matches("/sym NOT ENDS WITH ('M')", M1)).toBe(false);
  });
  it('NVFIX /tag identifiers', () => {
    const d = new Doc(new TextEncoder().encode('55=IBM\x0144=90.5\x01'), 'nvfix');
    expect(compileFilter("/55 = 'IBM' AND /44 > 90").matches(d)).toBe(true);
    expect(compileFilter('/14*5 > 1').matches(d)).toBe(false);
  });
  it('non-JSON opaque bodies: identifiers are NULL', () => {
    const d = new Doc(new TextEncoder().encode('whatever'), 'binary');
    expect(compileFilter('/a IS NULL').matches(d)).toBe(true);
    expect(compileFilter('/a = 1').matches(d)).toBe(false);
  });
});

describe('compilation', () => {
  it('absurd nesting is a bad filter, not a crash', () => {
    const deep = '('.repeat(100_000) + '1 = 1' + ')'.repeat(100_000);
    expect(() => compileFilter(deep)).toThrow(expect.objectContaining({ reason: 'bad filter' }));
  });
  it('identical filter texts share one compiled filter; errors are not cached', () => {
    expect(compileFilter('/a = 1')).toBe(compileFilter('/a = 1'));
    expect(() => compileFilter('/a =')).toThrow(EngineError);
    expect(() => compileFilter('/a =')).toThrow(EngineError);
  });
  it('evaluates against the shared parsed body without re-parsing', () => {
    const d = Doc.fromJson({ a: 1 });
    const root = d.root;
    compileFilter('/a = 1').matches(d);
    expect(d.root).toBe(root);
  });
  it('paths through arrays of objects use the first element; subscripts pick one', () => {
    const d = doc({ legs: [{ px: 1 }, { px: 2 }] });
    expect(matches('/legs/px = 1', d)).toBe(true);
    expect(matches('/legs[1]/px = 2', d)).toBe(true);
    expect(matches('/legs[5]/px IS NULL', d)).toBe(true);
  });
});

describe('XML bodies', () => {
  const xml = (s: string) => new Doc(new TextEncoder().encode(s), 'xml');
  it('elements, attributes, repeated elements, entities', () => {
    const d = xml('<?xml version="1.0"?><Order update="yes"><Symbol>IBM</Symbol><Qty>100</Qty><Tag>a</Tag><Tag>b</Tag><Note>R&amp;D</Note><Empty/></Order>');
    expect(compileFilter("/Order/Symbol = 'IBM' AND /Order/Qty > 50").matches(d)).toBe(true);
    expect(compileFilter("/Order/@update = 'yes'").matches(d)).toBe(true);
    expect(compileFilter("/Order/Tag = 'b'").matches(d)).toBe(true);
    expect(compileFilter("/Order/Note = 'R&D'").matches(d)).toBe(true);
    expect(compileFilter('/Order/Empty IS NULL').matches(d)).toBe(true);
    expect(compileFilter('/Order/Missing IS NULL').matches(d)).toBe(true);
  });
  it('bad character references do not throw', () => {
    expect(compileFilter('/a IS NULL').matches(xml('<a>&#x110000;</a>'))).toBe(true);
  });
  it('malformed XML → identifiers are NULL', () => {
    expect(compileFilter('/a IS NULL').matches(xml('<a>1</b>'))).toBe(true);
    expect(compileFilter('/a = 1').matches(xml('<a>1'))).toBe(false);
  });
});
