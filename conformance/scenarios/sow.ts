// SOW queries (filter, last value per key, batching, top_n, orderby), sow_and_subscribe (snapshot then live,
// no gap and no duplicate under concurrent publishing), OOF, and the three sow_delete forms.

import type { ClientSession, ReceivedMessage } from '../types.js';
import type { Scenario, ScenarioContext } from './scenario.js';
import { body, check, checkEqual, isDelivery, isOof, isSowRecord } from './scenario.js';
import { checkSameSet, checkSequence, doc, field, flushed, range, runFilter } from './helpers.js';

/** Publishes records with ids `<run>-<n>` and the given fields to the SOW topic. */
async function seed(ctx: ScenarioContext, c: ClientSession, records: Array<Record<string, unknown> & { n: number }>) {
  const topic = ctx.target.topics.sow;
  for (const r of records) await c.publish(topic, doc(ctx, { id: `${ctx.run}-${r.n}`, ...r }));
  await flushed(ctx, c);
}

const ns = (ms: readonly ReceivedMessage[]) => field<number>(ms, 'n');

export const sowScenarios: Scenario[] = [
  {
    id: 'sow.query-filter',
    group: 'sow',
    title: 'a SOW query returns exactly the current records matching the filter',
    requires: ['publish', 'sow', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, range(1, 6).map((n) => ({ n, qty: n * 10, sym: n % 2 ? 'IBM' : 'MSFT' })));
      const r = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx, "/qty > 20 AND /sym = 'IBM'") });
      checkSameSet(ns(r.records), [3, 5], 'records');
      check(r.records.every((m) => m.topic === ctx.target.topics.sow), 'records carry the SOW topic');
    },
  },
  {
    id: 'sow.last-value',
    group: 'sow',
    title: 'the SOW keeps one record per key: the last one published',
    requires: ['publish', 'sow', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [
        { n: 1, qty: 1 },
        { n: 2, qty: 2 },
        { n: 1, qty: 3 },
        { n: 1, qty: 4 },
      ]);
      const r = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      checkEqual(r.records.length, 2, 'record count');
      const one = r.records.find((m) => body(m).n === 1);
      check(one !== undefined && body(one).qty === 4, `record 1 holds the last value (qty 4), got ${one?.data}`);
    },
  },
  {
    id: 'sow.sow-keys',
    group: 'sow',
    title: 'every SOW record carries a SowKey, stable for the same key across queries',
    requires: ['publish', 'sow', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [{ n: 1 }, { n: 2 }]);
      const first = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      check(first.records.every((m) => typeof m.sowKey === 'string' && m.sowKey.length > 0), 'each record has a SowKey');
      const keys = new Set(first.records.map((m) => m.sowKey));
      checkEqual(keys.size, 2, 'distinct SowKeys');
      await seed(ctx, c, [{ n: 1, v: 2 }]);
      const second = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx, '/n = 1') });
      const before = first.records.find((m) => body(m).n === 1)?.sowKey;
      checkEqual(second.records[0]?.sowKey, before, 'SowKey of record 1 after an update');
    },
  },
  {
    id: 'sow.batching',
    group: 'sow',
    title: 'a query over 25 records with batch size 10 returns all 25 records, in batches of at most 10',
    requires: ['publish', 'sow', 'filter', 'sow-batching'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, range(1, 25).map((n) => ({ n })));
      const r = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx), batchSize: 10 });
      checkSameSet(ns(r.records), range(1, 25), 'records');
      if (r.batches !== undefined) check(r.batches >= 3, `at least 3 batches for 25 records of batch size 10, got ${r.batches}`);
      const one = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx), batchSize: 1 });
      checkEqual(one.records.length, 25, 'record count with batch size 1');
    },
  },
  {
    id: 'sow.order-by',
    group: 'sow',
    title: 'orderby sorts ascending and descending',
    requires: ['publish', 'sow', 'filter', 'order-by'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const qty = [30, 10, 50, 20, 40];
      await seed(ctx, c, qty.map((q, i) => ({ n: i + 1, qty: q })));
      const asc = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx), orderBy: '/qty' });
      checkSequence(field(asc.records, 'qty'), [10, 20, 30, 40, 50], 'ascending');
      const desc = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx), orderBy: '/qty DESC' });
      checkSequence(field(desc.records, 'qty'), [50, 40, 30, 20, 10], 'descending');
    },
  },
  {
    id: 'sow.top-n',
    group: 'sow',
    title: 'top_n with orderby returns the N first records of the ordering',
    requires: ['publish', 'sow', 'filter', 'order-by', 'top-n'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, range(1, 8).map((n) => ({ n, qty: (n * 37) % 11 })));
      const r = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx), orderBy: '/qty DESC', topN: 3, batchSize: 1 });
      const expected = range(1, 8)
        .map((n) => (n * 37) % 11)
        .sort((a, b) => b - a)
        .slice(0, 3);
      checkSequence(field(r.records, 'qty'), expected, 'top 3 by qty descending');
    },
  },
  {
    id: 'sow.empty-result',
    group: 'sow',
    title: 'a query that matches nothing completes with no records',
    requires: ['sow', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const r = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      checkEqual(r.records.length, 0, 'record count');
    },
  },
  {
    id: 'sow.expiration',
    group: 'sow',
    title: 'a record published with a 1 s expiration leaves the SOW',
    requires: ['publish', 'sow', 'filter'],
    needs: ['sow'],
    timeoutMs: 10_000,
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      await c.publish(topic, doc(ctx, { id: `${ctx.run}-1`, n: 1 }), { expiration: 1 });
      await c.publish(topic, doc(ctx, { id: `${ctx.run}-2`, n: 2 }));
      await flushed(ctx, c);
      const before = await c.sow({ topic, filter: runFilter(ctx) });
      checkSameSet(ns(before.records), [1, 2], 'records before expiry');
      await ctx.until(
        async () => ns((await c.sow({ topic, filter: runFilter(ctx) })).records).join() === '2',
        'record 1 expired',
        5000,
      );
    },
  },

  // ---- sow_and_subscribe
  {
    id: 'sow-and-subscribe.snapshot-then-live',
    group: 'sow-and-subscribe',
    title: 'sow_and_subscribe returns the current records, then live updates',
    requires: ['publish', 'sow-and-subscribe', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [{ n: 1 }, { n: 2 }, { n: 3 }]);
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      await ctx.waitFor(sub, isSowRecord, 3, 'SOW records');
      await seed(ctx, c, [{ n: 4 }, { n: 1, v: 2 }]);
      await ctx.waitFor(sub, isDelivery, 2, 'live updates');
      const data = sub.messages.filter((m) => isSowRecord(m) || isDelivery(m));
      checkSameSet(ns(data.slice(0, 3)), [1, 2, 3], 'snapshot');
      checkSequence(ns(data.slice(3)), [4, 1], 'live updates after the snapshot');
      const lastSow = sub.messages.reduce((last, m, i) => (isSowRecord(m) ? i : last), -1);
      const firstLive = sub.messages.findIndex(isDelivery);
      check(lastSow < firstLive, 'every SOW record arrives before the first live update');
    },
  },
  {
    id: 'sow-and-subscribe.no-gap-no-duplicate',
    group: 'sow-and-subscribe',
    title: 'under concurrent publishing, every record is seen exactly once across snapshot and live updates',
    requires: ['publish', 'sow-and-subscribe', 'filter'],
    needs: ['sow'],
    timeoutMs: 15_000,
    async run(ctx) {
      const pub = await ctx.connect();
      const c = await ctx.connect();
      const total = 400;
      const topic = ctx.target.topics.sow;
      let n = 0;
      const publishing = (async () => {
        while (n < total) {
          n++;
          await pub.publish(topic, doc(ctx, { id: `${ctx.run}-${n}`, n }));
          if (n % 20 === 0) await new Promise((r) => setImmediate(r));
        }
        await flushed(ctx, pub);
      })();
      await ctx.until(() => n >= total / 4, 'publisher started');
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic, filter: runFilter(ctx), batchSize: 7 });
      await publishing;
      await ctx.until(
        () => sub.messages.filter((m) => isSowRecord(m) || isDelivery(m)).length >= total,
        `all ${total} records seen`,
        8000,
      );
      await ctx.settle(150);
      const seen = ns(sub.messages.filter((m) => isSowRecord(m) || isDelivery(m)));
      checkSameSet(seen, range(1, total), 'records across snapshot and live');
      const snapshot = sub.messages.filter(isSowRecord).length;
      ctx.note(`${snapshot} in snapshot, ${total - snapshot} live`);
    },
  },
  {
    id: 'sow-and-subscribe.filter',
    group: 'sow-and-subscribe',
    title: 'the filter applies to both the snapshot and the live part',
    requires: ['publish', 'sow-and-subscribe', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [
        { n: 1, sender: 'mom' },
        { n: 2, sender: 'dad' },
      ]);
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic: ctx.target.topics.sow, filter: runFilter(ctx, "/sender = 'mom'") });
      await ctx.waitFor(sub, isSowRecord, 1, 'snapshot');
      await seed(ctx, c, [
        { n: 3, sender: 'dad' },
        { n: 4, sender: 'mom' },
      ]);
      await ctx.waitFor(sub, isDelivery, 1, 'live');
      await ctx.settle(150);
      checkSequence(ns(sub.messages.filter((m) => isSowRecord(m) || isDelivery(m))), [1, 4], 'records');
    },
  },
  {
    id: 'sow-and-subscribe.non-sow-topic',
    group: 'sow-and-subscribe',
    title: 'on a topic without a SOW the snapshot is empty and live messages flow',
    requires: ['publish', 'sow-and-subscribe'],
    async run(ctx) {
      const topic = ctx.topic('nosow');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic });
      await c.publish(topic, doc(ctx, { n: 1 }));
      await ctx.waitFor(sub, isDelivery, 1, 'live message');
      checkEqual(sub.messages.filter(isSowRecord).length, 0, 'snapshot records');
    },
  },

  // ---- OOF
  {
    id: 'oof.deleted',
    group: 'oof',
    title: 'with the oof option, deleting a record sends an oof with reason deleted and its SowKey',
    requires: ['publish', 'sow-and-subscribe', 'oof', 'sow-delete', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [{ n: 1 }, { n: 2 }]);
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic: ctx.target.topics.sow, filter: runFilter(ctx), options: ['oof'] });
      const recs = await ctx.waitFor(sub, isSowRecord, 2, 'snapshot');
      await c.sowDelete({ topic: ctx.target.topics.sow, filter: runFilter(ctx, '/n = 1') });
      const [oof] = await ctx.waitFor(sub, isOof, 1, 'oof');
      checkEqual(oof!.reason, 'deleted', 'oof reason');
      const key = recs.find((m) => body(m).n === 1)?.sowKey;
      if (key !== undefined && oof!.sowKey !== undefined) checkEqual(oof!.sowKey, key, 'oof SowKey');
    },
  },
  {
    id: 'oof.match',
    group: 'oof',
    title: 'a record updated so that it no longer matches the filter sends an oof with reason match',
    requires: ['publish', 'sow-and-subscribe', 'oof', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [{ n: 1, status: 'open' }]);
      const sub = await c.subscribe({
        command: 'sow_and_subscribe',
        topic: ctx.target.topics.sow,
        filter: runFilter(ctx, "/status = 'open'"),
        options: ['oof'],
      });
      await ctx.waitFor(sub, isSowRecord, 1, 'snapshot');
      await seed(ctx, c, [{ n: 1, status: 'closed' }]);
      const [oof] = await ctx.waitFor(sub, isOof, 1, 'oof');
      checkEqual(oof!.reason, 'match', 'oof reason');
      checkEqual(sub.messages.filter(isDelivery).length, 0, 'deliveries of the out-of-focus update');
    },
  },
  {
    id: 'oof.expired',
    group: 'oof',
    title: 'an expiring record sends an oof with reason expired',
    requires: ['publish', 'sow-and-subscribe', 'oof', 'filter'],
    needs: ['sow'],
    timeoutMs: 10_000,
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic, filter: runFilter(ctx), options: ['oof'] });
      await c.publish(topic, doc(ctx, { id: `${ctx.run}-1`, n: 1 }), { expiration: 1 });
      await ctx.waitFor(sub, isDelivery, 1, 'delivery');
      const [oof] = await ctx.waitFor(sub, isOof, 1, 'oof', 6000);
      checkEqual(oof!.reason, 'expired', 'oof reason');
    },
  },
  {
    id: 'oof.requires-option',
    group: 'oof',
    title: 'without the oof option no oof messages are sent',
    requires: ['publish', 'sow-and-subscribe', 'sow-delete', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, [{ n: 1 }]);
      const sub = await c.subscribe({ command: 'sow_and_subscribe', topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      await ctx.waitFor(sub, isSowRecord, 1, 'snapshot');
      await c.sowDelete({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      await seed(ctx, c, [{ n: 2 }]);
      await ctx.waitFor(sub, isDelivery, 1, 'later delivery');
      checkEqual(sub.messages.filter(isOof).length, 0, 'oof messages');
    },
  },

  // ---- sow_delete
  {
    id: 'sow-delete.filter',
    group: 'sow-delete',
    title: 'sow_delete by filter removes exactly the matching records and reports the count',
    requires: ['publish', 'sow', 'sow-delete', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, range(1, 5).map((n) => ({ n })));
      const res = await c.sowDelete({ topic: ctx.target.topics.sow, filter: runFilter(ctx, '/n > 3') });
      if (res.deleted !== undefined) checkEqual(res.deleted, 2, 'deleted count');
      const left = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      checkSameSet(ns(left.records), [1, 2, 3], 'remaining records');
      const none = await c.sowDelete({ topic: ctx.target.topics.sow, filter: runFilter(ctx, '/n > 100') });
      if (none.deleted !== undefined) checkEqual(none.deleted, 0, 'deleted count of a filter matching nothing');
    },
  },
  {
    id: 'sow-delete.keys',
    group: 'sow-delete',
    title: 'sow_delete by SowKeys removes those records only',
    requires: ['publish', 'sow', 'sow-delete-keys', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, range(1, 4).map((n) => ({ n })));
      const all = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      const keys = all.records.filter((m) => [2, 4].includes(body(m).n as number)).map((m) => m.sowKey);
      check(keys.length === 2 && keys.every(Boolean), 'records carry SowKeys');
      const res = await c.sowDelete({ topic: ctx.target.topics.sow, keys: keys.join(',') });
      if (res.deleted !== undefined) checkEqual(res.deleted, 2, 'deleted count');
      const left = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      checkSameSet(ns(left.records), [1, 3], 'remaining records');
    },
  },
  {
    id: 'sow-delete.data',
    group: 'sow-delete',
    title: 'sow_delete by data removes the record with the same key',
    requires: ['publish', 'sow', 'sow-delete-data', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      await seed(ctx, c, range(1, 3).map((n) => ({ n })));
      const res = await c.sowDelete({ topic: ctx.target.topics.sow, data: doc(ctx, { id: `${ctx.run}-2`, n: 2 }) });
      if (res.deleted !== undefined) checkEqual(res.deleted, 1, 'deleted count');
      const left = await c.sow({ topic: ctx.target.topics.sow, filter: runFilter(ctx) });
      checkSameSet(ns(left.records), [1, 3], 'remaining records');
    },
  },
];
