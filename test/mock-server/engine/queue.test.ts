import { describe, expect, it } from 'vitest';
import { compileFilter, Doc, formatAmpsTimestamp, ManualClock, Queue, type QueueDelivery } from '../../../mock-server/engine/index.js';

const bm = (i: number) => `111|${i}|`;
function setup(config: Partial<ConstructorParameters<typeof Queue>[0]> = {}) {
  const clock = new ManualClock();
  const q = new Queue({ name: 'work', leasePeriodMs: 10_000, ...config }, { clock });
  const offer = (i: number, topic = 'work', v: Record<string, unknown> = {}) =>
    q.offer({ topic, doc: Doc.fromJson({ id: i, ...v }), bookmark: bm(i) });
  return { clock, q, offer };
}
const ids = (ds: QueueDelivery[]) => ds.map((d) => (d.message.doc.root as { id: number }).id);

describe('queue: admission', () => {
  it('collects its own topic by default, or the configured source topics (+ filter)', () => {
    const a = setup();
    expect(a.offer(1)).toBe(true);
    expect(a.offer(2, 'other')).toBe(false);
    const b = setup({ sourceTopics: ['orders', 'fills.*'], filter: '/px > 10' });
    expect(b.offer(1, 'orders', { px: 20 })).toBe(true);
    expect(b.offer(2, 'fills-eu', { px: 20 })).toBe(true);
    expect(b.offer(3, 'orders', { px: 5 })).toBe(false);
    expect(b.offer(4, 'work', { px: 50 })).toBe(false);
    expect(b.offer(1, 'orders', { px: 20 })).toBe(false); // same bookmark twice
    expect(b.q.depth).toBe(2);
  });
});

describe('queue: backlog', () => {
  it('granted backlog = min(requested (default 1), queue max)', () => {
    const { q } = setup({ maxPerSubscriptionBacklog: 5 });
    expect(q.subscribe('s1').grantedBacklog).toBe(1);
    expect(q.subscribe('s2', { maxBacklog: 3 }).grantedBacklog).toBe(3);
    expect(q.subscribe('s3', { maxBacklog: 50 }).grantedBacklog).toBe(5);
    expect(setup().q.subscribe('x', { maxBacklog: 50 }).grantedBacklog).toBe(50);
  });
  it('a subscription holds at most its backlog; acks free slots so more flow', () => {
    const { q, offer } = setup();
    for (let i = 1; i <= 5; i++) offer(i);
    q.subscribe('s', { maxBacklog: 2 });
    const d1 = q.dispatch();
    expect(ids(d1)).toEqual([1, 2]);
    expect(q.dispatch()).toEqual([]);
    expect(q.outstanding('s')).toBe(2);
    const r = q.ack('s', [d1[0]!.message.bookmark]);
    expect(r.matched).toEqual([bm(1)]);
    expect(r.removals.map((x) => x.reason)).toEqual(['acked']);
    expect(ids(q.dispatch())).toEqual([3]);
    q.ack('s', [bm(2), bm(3)]);
    expect(ids(q.dispatch())).toEqual([4, 5]);
    expect(q.depth).toBe(0);
  });
  it('replace keeps leases and recomputes backlog', () => {
    const { q, offer } = setup();
    for (let i = 1; i <= 4; i++) offer(i);
    q.subscribe('s', { maxBacklog: 3 });
    expect(ids(q.dispatch())).toEqual([1, 2, 3]);
    q.subscribe('s', { maxBacklog: 1 }); // replace
    expect(q.outstanding('s')).toBe(3);
    q.ack('s', [bm(1)]);
    expect(q.dispatch()).toEqual([]); // still over the new maximum
    q.ack('s', [bm(2), bm(3)]);
    expect(ids(q.dispatch())).toEqual([4]);
  });
  it('round-robins between subscribers and honours subscription filters', () => {
    const { q, offer } = setup();
    q.subscribe('a', { maxBacklog: 10 });
    q.subscribe('b', { maxBacklog: 10, filter: compileFilter('/id > 2') });
    for (let i = 1; i <= 4; i++) offer(i);
    const d = q.dispatch();
    const by = (s: string) => ids(d.filter((x) => x.subscriberId === s));
    expect(by('a')).toEqual([1, 2, 4]);
    expect(by('b')).toEqual([3]);
  });
  it('a message no subscriber wants stays queued for later subscribers', () => {
    const { q, offer } = setup();
    q.subscribe('a', { filter: compileFilter('/id = 2') });
    offer(1);
    offer(2);
    expect(ids(q.dispatch())).toEqual([2]);
    q.subscribe('b');
    expect(ids(q.dispatch())).toEqual([1]);
  });
});

describe('queue: at-least-once', () => {
  it('deliveries carry the bookmark and a lease expiry (lp)', () => {
    const { q, offer, clock } = setup();
    offer(1);
    q.subscribe('s');
    const [d] = q.dispatch();
    expect(d!.message.bookmark).toBe(bm(1));
    expect(d!.leaseExpiresAt).toBe(clock.now() + 10_000);
    expect(d!.lp).toBe(formatAmpsTimestamp(clock.now() + 10_000));
    expect(d!.lp).toMatch(/^\d{8}T\d{6}\.\d{6}Z$/);
    expect(d!.message.deliveries).toBe(1);
    expect(q.leased).toBe(1);
    expect(q.nextLeaseExpiry()).toBe(d!.leaseExpiresAt);
  });
  it('lease expiry redelivers, before newer messages, with a delivery count', () => {
    const { q, offer, clock } = setup();
    offer(1);
    offer(2);
    q.subscribe('a', { maxBacklog: 1 });
    expect(ids(q.dispatch())).toEqual([1]);
    clock.advance(9_999);
    expect(q.tick()).toEqual([]);
    expect(q.dispatch()).toEqual([]);
    clock.advance(1);
    q.tick();
    expect(q.outstanding('a')).toBe(0);
    const d = q.dispatch();
    expect(ids(d)).toEqual([1]);
    expect(d[0]!.message.deliveries).toBe(2);
    // an ack for the old lease holder after expiry-by-another is refused
    q.subscribe('b');
    expect(q.ack('b', [bm(1)]).unknown).toEqual([bm(1)]);
  });
  it('cancel returns the message to the queue immediately, ahead of newer ones', () => {
    const { q, offer } = setup();
    for (let i = 1; i <= 3; i++) offer(i);
    q.subscribe('s', { maxBacklog: 2 });
    expect(ids(q.dispatch())).toEqual([1, 2]);
    const r = q.ack('s', [bm(1)], { cancel: true });
    expect(r.matched).toEqual([bm(1)]);
    expect(r.removals).toEqual([]);
    expect(q.depth).toBe(2);
    expect(ids(q.dispatch())).toEqual([1]);
    q.ack('s', [bm(1), bm(2)]);
    expect(ids(q.dispatch())).toEqual([3]);
  });
  it('expire drops the message (forced_expire)', () => {
    const { q, offer } = setup();
    offer(1);
    offer(2);
    q.subscribe('s');
    q.dispatch();
    const r = q.ack('s', [bm(1)], { expire: true });
    expect(r.removals.map((x) => [x.message.bookmark, x.reason])).toEqual([[bm(1), 'forced_expire']]);
    expect(ids(q.dispatch())).toEqual([2]);
  });
  it('unsubscribe (or disconnect) returns leased messages to the queue', () => {
    const { q, offer } = setup();
    offer(1);
    offer(2);
    q.subscribe('a', { maxBacklog: 2 });
    expect(ids(q.dispatch())).toEqual([1, 2]);
    q.unsubscribe('a');
    expect(q.leased).toBe(0);
    q.subscribe('b', { maxBacklog: 5 });
    expect(ids(q.dispatch())).toEqual([1, 2]);
  });
  it('max deliveries and max cancels expire the message', () => {
    const a = setup({ maxDeliveries: 2 });
    a.offer(1);
    a.q.subscribe('s');
    a.q.dispatch();
    a.clock.advance(10_000);
    expect(a.q.tick()).toEqual([]);
    expect(ids(a.q.dispatch())).toEqual([1]);
    a.clock.advance(10_000);
    expect(a.q.tick().map((r) => r.reason)).toEqual(['max_deliveries']);
    expect(a.q.dispatch()).toEqual([]);
    expect(a.q.depth).toBe(0);

    const b = setup({ maxCancels: 2 });
    b.offer(1);
    b.q.subscribe('s');
    b.q.dispatch();
    expect(b.q.ack('s', [bm(1)], { cancel: true }).removals).toEqual([]);
    b.q.dispatch();
    expect(b.q.ack('s', [bm(1)], { cancel: true }).removals.map((r) => r.reason)).toEqual(['max_cancels']);
    expect(b.q.dispatch()).toEqual([]);
  });
  it('queue expiration drops old messages (time_limit), leased or not', () => {
    const { q, offer, clock } = setup({ expirationMs: 30_000, leasePeriodMs: 100_000 });
    offer(1);
    clock.advance(10_000);
    offer(2);
    q.subscribe('s');
    expect(ids(q.dispatch())).toEqual([1]);
    expect(q.nextLeaseExpiry()).toBe(clock.now() + 20_000);
    clock.advance(20_000);
    expect(q.tick().map((r) => [r.message.bookmark, r.reason])).toEqual([[bm(1), 'time_limit']]);
    expect(q.outstanding('s')).toBe(0);
    expect(ids(q.dispatch())).toEqual([2]);
    clock.advance(10_000);
    expect(q.tick().map((r) => r.reason)).toEqual(['time_limit']);
    expect(q.depth + q.leased).toBe(0);
  });
  it('lease extension pushes the expiry out', () => {
    const { q, offer, clock } = setup();
    offer(1);
    q.subscribe('s');
    q.dispatch();
    q.ack('s', [bm(1)], { leaseExtensionMs: 5_000 });
    clock.advance(10_000);
    q.tick();
    expect(q.leased).toBe(1);
    clock.advance(5_000);
    q.tick();
    expect(q.leased).toBe(0);
  });
  it('ack by bookmark list; unknown bookmarks reported', () => {
    const { q, offer } = setup();
    for (let i = 1; i <= 3; i++) offer(i);
    q.subscribe('s', { maxBacklog: 3 });
    q.dispatch();
    const r = q.ack('s', [bm(1), bm(3), 'nope|1|']);
    expect(r.matched).toEqual([bm(1), bm(3)]);
    expect(r.unknown).toEqual(['nope|1|']);
    expect(q.outstanding('s')).toBe(1);
  });
  it('ack by filter removes matching messages, leased or not', () => {
    const { q, offer } = setup();
    for (let i = 1; i <= 4; i++) offer(i);
    q.subscribe('s');
    q.dispatch(); // 1 leased
    const r = q.ackByFilter(compileFilter('/id <= 2'));
    expect(r.matched.sort()).toEqual([bm(1), bm(2)]);
    expect(q.outstanding('s')).toBe(0);
    expect(ids(q.dispatch())).toEqual([3]);
  });
});

describe('queue: at-most-once', () => {
  it('removed on delivery; no redelivery; acks still free backlog', () => {
    const { q, offer, clock } = setup({ semantics: 'at-most-once' });
    for (let i = 1; i <= 3; i++) offer(i);
    q.subscribe('s', { maxBacklog: 2 });
    expect(ids(q.dispatch())).toEqual([1, 2]);
    expect(q.leased).toBe(0);
    expect(q.depth).toBe(1);
    clock.advance(1_000_000);
    expect(q.tick()).toEqual([]);
    expect(q.dispatch()).toEqual([]); // backlog full until acked
    expect(q.ack('s', [bm(1)]).matched).toEqual([bm(1)]);
    expect(ids(q.dispatch())).toEqual([3]);
    q.unsubscribe('s');
    q.subscribe('t', { maxBacklog: 10 });
    expect(q.dispatch()).toEqual([]); // nothing comes back
    // cancel has no effect
    expect(q.ack('t', [bm(2)], { cancel: true }).unknown).toEqual([bm(2)]);
  });
});

describe('queue: scale', () => {
  it('drains 20k messages through a backlog of 10 without quadratic behaviour', () => {
    const { q, offer } = setup();
    for (let i = 1; i <= 20_000; i++) offer(i);
    q.subscribe('s', { maxBacklog: 10 });
    let seen = 0;
    let next = 1;
    for (;;) {
      const d = q.dispatch();
      if (d.length === 0) break;
      for (const x of d) if ((x.message.doc.root as { id: number }).id !== next++) throw new Error('out of order');
      seen += d.length;
      q.ack('s', d.map((x) => x.message.bookmark));
    }
    expect(seen).toBe(20_000);
    expect(next).toBe(20_001);
    expect(q.depth).toBe(0);
  });
});
