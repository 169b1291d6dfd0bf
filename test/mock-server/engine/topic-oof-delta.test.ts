import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  compileTopic,
  computeDelta,
  decideRemoval,
  decideUpdate,
  Doc,
  EngineError,
  isRegexTopic,
  mergeDelta,
  parsePath,
  TopicIndex,
} from '../../../mock-server/engine/index.js';

describe('topics', () => {
  it('exact topics match only themselves', () => {
    const m = compileTopic('orders');
    expect(m.isRegex).toBe(false);
    expect(m.matches('orders')).toBe(true);
    expect(m.matches('orders2')).toBe(false);
    expect(m.matches('new-orders')).toBe(false);
  });
  it('regex topics match by unanchored search', () => {
    const m = compileTopic('.*_ORDERS');
    expect(m.isRegex).toBe(true);
    expect(m.matches('LN_ORDERS')).toBe(true);
    expect(m.matches('NY_ORDERS')).toBe(true);
    expect(m.matches('NY_TRADES')).toBe(false);
    const s = compileTopic('orders.*');
    expect(s.matches('orders-north-america')).toBe(true);
    expect(s.matches('new-orders')).toBe(true);
    expect(compileTopic('^orders$|^trades$').matches('trades')).toBe(true);
    expect(compileTopic('^orders$|^trades$').matches('trades2')).toBe(false);
  });
  it('non_regex_topic forces literal matching', () => {
    const m = compileTopic('a.b', { literal: true });
    expect(m.matches('a.b')).toBe(true);
    expect(m.matches('axb')).toBe(false);
  });
  it('bad regex → bad regex topic', () => {
    expect(() => compileTopic('orders(')).toThrow(EngineError);
    try {
      compileTopic('[abc');
    } catch (e) {
      expect((e as EngineError).reason).toBe('bad regex topic');
    }
  });
  it('isRegexTopic', () => {
    expect(isRegexTopic('/a/b')).toBe(false);
    expect(isRegexTopic('a.b')).toBe(true);
    expect(isRegexTopic('a*')).toBe(true);
  });
  it('TopicIndex returns exact and regex subscribers, and updates on remove', () => {
    const idx = new TopicIndex<string>();
    idx.add('1', compileTopic('orders'), 'exact');
    idx.add('2', compileTopic('ord.*'), 'regex');
    idx.add('3', compileTopic('trades'), 'other');
    expect([...idx.forTopic('orders')].sort()).toEqual(['exact', 'regex']);
    expect(idx.forTopic('ordinary')).toEqual(['regex']);
    idx.remove('2');
    expect(idx.forTopic('orders')).toEqual(['exact']);
    expect(idx.size).toBe(2);
    idx.add('1', compileTopic('trades'), 'moved');
    expect(idx.forTopic('orders')).toEqual([]);
    expect([...idx.forTopic('trades')].sort()).toEqual(['moved', 'other']);
  });
});

describe('OOF decisions', () => {
  const f = compileFilter('/px > 10');
  const d = (px: number) => Doc.fromJson({ id: 1, px });
  it.each([
    ['new record, matches', undefined, 20, 'deliver'],
    ['new record, no match', undefined, 5, 'none'],
    ['matched → still matches', 20, 30, 'deliver'],
    ['matched → no longer matches', 20, 5, 'oof'],
    ['not matched → matches', 5, 20, 'deliver'],
    ['not matched → still not', 5, 6, 'none'],
  ] as const)('%s', (_name, prev, next, want) => {
    expect(decideUpdate(f, prev === undefined ? undefined : d(prev), d(next))).toBe(want);
  });
  it('no filter: always deliver; removal oof only if the removed state matched', () => {
    expect(decideUpdate(undefined, d(1), d(2))).toBe('deliver');
    expect(decideRemoval(f, d(20))).toBe(true);
    expect(decideRemoval(f, d(5))).toBe(false);
    expect(decideRemoval(undefined, d(5))).toBe(true);
  });
});

describe('delta merge (§5.1)', () => {
  it('documented: arrays replace wholesale', () => {
    expect(
      mergeDelta(
        { id: 42, contents: { packages: [{ box: 'chocolates' }, { bowl: 'noodles' }] } },
        { id: 42, contents: { packages: [{ basket: 'eggs' }] } },
      ),
    ).toEqual({ id: 42, contents: { packages: [{ basket: 'eggs' }] } });
  });
  it('documented: a missing field is unchanged (cannot delete)', () => {
    expect(mergeDelta({ id: 42, flowers: 'roses' }, { id: 42 })).toEqual({ id: 42, flowers: 'roses' });
  });
  it('overwrite and append fields', () => {
    expect(mergeDelta({ id: 1, a: 1, b: 2 }, { id: 1, b: 3, c: 4 })).toEqual({ id: 1, a: 1, b: 3, c: 4 });
  });
  it('inferred: nested objects merge path by path', () => {
    expect(mergeDelta({ id: 1, a: { x: 1, y: 2 } }, { id: 1, a: { x: 9 } })).toEqual({ id: 1, a: { x: 9, y: 2 } });
  });
  it('object replaced by scalar and vice versa', () => {
    expect(mergeDelta({ a: { x: 1 } }, { a: 5 })).toEqual({ a: 5 });
    expect(mergeDelta({ a: 5 }, { a: { x: 1 } })).toEqual({ a: { x: 1 } });
  });
  it('does not mutate its inputs', () => {
    const old = { id: 1, a: { x: 1 } };
    mergeDelta(old, { a: { x: 2 } });
    expect(old).toEqual({ id: 1, a: { x: 1 } });
  });
});

describe('delta subscribe output (§5.2)', () => {
  const keys = [parsePath('/id')!];
  it('keys + changed fields only', () => {
    const r = computeDelta({ id: 1, a: 1, b: 2 }, { id: 1, a: 1, b: 3 }, keys);
    expect(r).toEqual({ value: { id: 1, b: 3 }, empty: false });
  });
  it('no change → empty (suppressed by no_empties)', () => {
    const r = computeDelta({ id: 1, a: 1 }, { id: 1, a: 1 }, keys);
    expect(r.empty).toBe(true);
    expect(r.value).toEqual({ id: 1 });
  });
  it('nested changes carry only the changed sub-fields; arrays whole', () => {
    const r = computeDelta({ id: 1, a: { x: 1, y: 2 }, l: [1, 2] }, { id: 1, a: { x: 1, y: 3 }, l: [1, 2, 3] }, keys);
    expect(r.value).toEqual({ id: 1, a: { y: 3 }, l: [1, 2, 3] });
  });
  it('new record → full message; send_keys=false omits keys', () => {
    expect(computeDelta(undefined, { id: 1, a: 1 }, keys).value).toEqual({ id: 1, a: 1 });
    expect(computeDelta({ id: 1, a: 1 }, { id: 1, a: 2 }, keys, { sendKeys: false }).value).toEqual({ a: 2 });
  });
  it('nested key paths', () => {
    const r = computeDelta({ k: { id: 7 }, v: 1 }, { k: { id: 7 }, v: 2 }, [parsePath('/k/id')!]);
    expect(r.value).toEqual({ k: { id: 7 }, v: 2 });
  });
});
