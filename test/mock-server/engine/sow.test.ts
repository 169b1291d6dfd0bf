import { describe, expect, it } from 'vitest';
import {
  compileFilter,
  compileOrderBy,
  compileTopic,
  Doc,
  EngineError,
  ManualClock,
  sliceBatches,
  SowStore,
} from '../../../mock-server/engine/index.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));
const json = (d: Doc) => d.root as Record<string, unknown>;

function store(clock = new ManualClock()) {
  return new SowStore({
    clock,
    topics: [
      { topic: 'orders', keys: ['/id'] },
      { topic: 'quotes', keys: ['/sym', '/venue'] },
      { topic: 'user', keys: [] },
      { topic: 'exp', keys: ['/id'], expiration: 30 },
    ],
  });
}

describe('SOW keys and upsert', () => {
  it('keys are stable decimal digits of a u64, per key value', () => {
    const s = store();
    const k1 = s.computeKey('orders', Doc.fromJson({ id: 1, a: 1 }))!;
    expect(k1).toMatch(/^\d+$/);
    expect(BigInt(k1) < 1n << 64n).toBe(true);
    expect(s.computeKey('orders', Doc.fromJson({ id: 1, a: 2 }))).toBe(k1);
    expect(s.computeKey('orders', Doc.fromJson({ id: 2 }))).not.toBe(k1);
    expect(s.computeKey('quotes', Doc.fromJson({ sym: 'A', venue: 'B' }))).not.toBe(
      s.computeKey('quotes', Doc.fromJson({ sym: 'AB', venue: '' })),
    );
    expect(s.computeKey('nosow', Doc.fromJson({ id: 1 }))).toBeUndefined();
  });
  it('insert then update; counts; previous returned', () => {
    const s = store();
    const r1 = s.publish({ topic: 'orders', data: enc({ id: 1, px: 1 }) });
    expect(r1.kind).toBe('inserted');
    const r2 = s.publish({ topic: 'orders', data: enc({ id: 1, px: 2 }) });
    expect(r2.kind).toBe('updated');
    if (r2.kind !== 'updated') throw new Error();
    expect(json(r2.previous.doc).px).toBe(1);
    expect(json(r2.record.doc).px).toBe(2);
    expect(s.size('orders')).toBe(1);
    s.publish({ topic: 'orders', data: enc({ id: 2, px: 2 }) });
    expect(s.size('orders')).toBe(2);
  });
  it('no SOW / missing key field → not stored', () => {
    const s = store();
    expect(s.publish({ topic: 'nosow', data: enc({ id: 1 }) }).kind).toBe('no-sow');
    expect(s.publish({ topic: 'orders', data: enc({ other: 1 }) }).kind).toBe('no-key');
    expect(s.size('orders')).toBe(0);
  });
  it('user-supplied keys are echoed verbatim', () => {
    const s = store();
    const r = s.publish({ topic: 'user', data: enc({ a: 1 }), sowKey: 'abc=' });
    expect(r.kind).toBe('inserted');
    if (r.kind === 'inserted') expect(r.record.sowKey).toBe('abc=');
    expect(s.publish({ topic: 'user', data: enc({ a: 1 }) }).kind).toBe('no-key');
    expect(s.publish({ topic: 'user', data: enc({ a: 2 }), sowKey: 'abc=' }).kind).toBe('updated');
  });
  it('delta_publish merges into the stored record; absent record stores as is', () => {
    const s = store();
    const first = s.publish({ topic: 'orders', data: enc({ id: 1, a: 1 }), delta: true });
    expect(first.kind).toBe('inserted');
    s.publish({ topic: 'orders', data: enc({ id: 1, a: 1, b: { x: 1, y: 2 }, l: [1, 2] }) });
    const r = s.publish({ topic: 'orders', data: enc({ id: 1, b: { x: 9 }, l: [3] }), delta: true });
    expect(json(r.doc)).toEqual({ id: 1, a: 1, b: { x: 9, y: 2 }, l: [3] });
    expect(JSON.parse(new TextDecoder().decode(r.doc.data))).toEqual({ id: 1, a: 1, b: { x: 9, y: 2 }, l: [3] });
    // no SOW: delta_publish is a plain publish
    const n = s.publish({ topic: 'nosow', data: enc({ id: 1 }), delta: true });
    expect(n.kind).toBe('no-sow');
  });
  it('correlation id and bookmark are kept on the record', () => {
    const s = store();
    const r = s.publish({ topic: 'orders', data: enc({ id: 1 }), correlationId: 'cx', bookmark: '1|2|' });
    if (r.kind !== 'inserted') throw new Error();
    expect(r.record.correlationId).toBe('cx');
    expect(r.record.bookmark).toBe('1|2|');
  });
});

describe('SOW queries', () => {
  const s = store();
  const rows = [
    { id: 1, sym: 'B', px: 10, n: 'x' },
    { id: 2, sym: 'A', px: 30, n: 'y' },
    { id: 3, sym: 'C', px: 20 },
    { id: 4, sym: 'A', px: 5, n: 'z' },
  ];
  for (const r of rows) s.publish({ topic: 'orders', data: enc(r) });
  const ids = (rs: { doc: Doc }[]) => rs.map((r) => json(r.doc).id);

  it('filter, matches, topic_matches', () => {
    const q = s.query('orders', { filter: compileFilter('/px >= 10') });
    expect(ids(q.records).sort()).toEqual([1, 2, 3]);
    expect(q.matches).toBe(3);
    expect(q.topicMatches).toBe(4);
  });
  it('default order is insertion order', () => {
    expect(ids(s.query('orders').records)).toEqual([1, 2, 3, 4]);
  });
  it('orderby DESC / multi-field / ASC default', () => {
    expect(ids(s.query('orders', { orderBy: '/px DESC' }).records)).toEqual([2, 3, 1, 4]);
    expect(ids(s.query('orders', { orderBy: '/sym, /px DESC' }).records)).toEqual([2, 4, 1, 3]);
    expect(ids(s.query('orders', { orderBy: '/sym ASC, /px' }).records)).toEqual([4, 2, 1, 3]);
    // missing field sorts first ascending
    expect(ids(s.query('orders', { orderBy: '/n' }).records)).toEqual([3, 1, 2, 4]);
  });
  it('top_n, skip_n', () => {
    const q = s.query('orders', { orderBy: '/px', topN: 2 });
    expect(ids(q.records)).toEqual([4, 1]);
    expect(q.matches).toBe(4);
    expect(ids(s.query('orders', { orderBy: '/px', topN: 2, skipN: 1 }).records)).toEqual([1, 3]);
    expect(ids(s.query('orders', { orderBy: '/px', topN: 10, skipN: 3 }).records)).toEqual([2]);
    expect(s.query('orders', { topN: 0 }).records).toEqual([]);
    expect(s.query('orders', { topN: 0 }).matches).toBe(4);
  });
  it('skip_n without orderby → orderby required', () => {
    expect(() => s.query('orders', { topN: 1, skipN: 1 })).toThrow(expect.objectContaining({ reason: 'orderby required' }));
  });
  it('bad orderby → invalid order by', () => {
    for (const bad of ['px', '/px SIDEWAYS', '', '/a,,/b']) {
      let err: unknown;
      try {
        compileOrderBy(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(EngineError);
      expect((err as EngineError).reason).toBe('invalid order by');
    }
  });
  it('sow_keys restricts the query', () => {
    const k = s.computeKey('orders', Doc.fromJson({ id: 3 }))!;
    expect(ids(s.query('orders', { sowKeys: [k, '999'] }).records)).toEqual([3]);
  });
  it('regex topic queries span SOW topics', () => {
    const t = store();
    t.publish({ topic: 'orders', data: enc({ id: 1 }) });
    t.publish({ topic: 'quotes', data: enc({ sym: 'A', venue: 'X' }) });
    const q = t.query(compileTopic('orders|quotes'));
    expect(q.records.length).toBe(2);
    expect(new Set(q.records.map((r) => r.topic))).toEqual(new Set(['orders', 'quotes']));
  });
  it('batches', () => {
    expect(sliceBatches([1, 2, 3, 4, 5], 2)).toEqual([[1, 2], [3, 4], [5]]);
    expect(sliceBatches([1, 2], undefined)).toEqual([[1], [2]]);
    expect(sliceBatches([], 10)).toEqual([]);
  });
});

describe('SOW deletes', () => {
  const fresh = () => {
    const s = store();
    for (const id of [1, 2, 3, 4]) s.publish({ topic: 'orders', data: enc({ id, even: id % 2 === 0 }) });
    return s;
  };
  it('by filter (returns removed records)', () => {
    const s = fresh();
    const r = s.deleteByFilter('orders', compileFilter('/even = 1'));
    expect(r.deleted.map((x) => json(x.doc).id).sort()).toEqual([2, 4]);
    expect(r.matches).toBe(2);
    expect(r.topicMatches).toBe(4);
    expect(s.size('orders')).toBe(2);
    expect(s.deleteByFilter('orders', compileFilter('1 = 1')).deleted.length).toBe(2);
  });
  it('by keys', () => {
    const s = fresh();
    const k = s.computeKey('orders', Doc.fromJson({ id: 3 }))!;
    const r = s.deleteByKeys('orders', [k, 'nope']);
    expect(r.deleted.map((x) => json(x.doc).id)).toEqual([3]);
    expect(s.size('orders')).toBe(3);
  });
  it('by data', () => {
    const s = fresh();
    const r = s.deleteByData('orders', enc({ id: 2, anything: 'else' }));
    expect(r.deleted.map((x) => json(x.doc).id)).toEqual([2]);
    expect(s.deleteByData('orders', enc({ id: 2 })).deleted).toEqual([]);
  });
});

describe('SOW expiration', () => {
  it('topic default and per-message e; 0 = never; expire() returns removed records', () => {
    const clock = new ManualClock();
    const s = store(clock);
    s.publish({ topic: 'exp', data: enc({ id: 1 }) }); // 30 s default
    s.publish({ topic: 'exp', data: enc({ id: 2 }), expiration: 5 });
    s.publish({ topic: 'exp', data: enc({ id: 3 }), expiration: 0 }); // never
    s.publish({ topic: 'orders', data: enc({ id: 9 }), expiration: 1 }); // expiration disabled on topic
    expect(s.nextExpiry()).toBe(clock.now() + 5000);
    clock.advance(5000);
    expect(s.expire().map((r) => json(r.doc).id)).toEqual([2]);
    expect(s.query('exp').records.length).toBe(2);
    clock.advance(25_000);
    expect(s.expire().map((r) => json(r.doc).id)).toEqual([1]);
    clock.advance(1_000_000);
    expect(s.expire()).toEqual([]);
    expect(s.size('exp')).toBe(1);
    expect(s.size('orders')).toBe(1);
    expect(s.nextExpiry()).toBeUndefined();
  });
  it('an update resets expiry; stale heap entries are ignored', () => {
    const clock = new ManualClock();
    const s = store(clock);
    s.publish({ topic: 'exp', data: enc({ id: 1 }), expiration: 5 });
    clock.advance(4000);
    s.publish({ topic: 'exp', data: enc({ id: 1, v: 2 }), expiration: 5 });
    clock.advance(2000);
    expect(s.expire()).toEqual([]);
    clock.advance(3000);
    expect(s.expire().length).toBe(1);
  });
  it('queries skip records past expiry before the timer ran', () => {
    const clock = new ManualClock();
    const s = store(clock);
    s.publish({ topic: 'exp', data: enc({ id: 1 }), expiration: 1 });
    clock.advance(1000);
    expect(s.query('exp').records).toEqual([]);
  });
});
