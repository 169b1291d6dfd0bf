// delta_publish (merge into the SOW record) and delta_subscribe (only changed fields).

import type { Scenario } from './scenario.js';
import { body, check, checkEqual, isDelivery, isSowRecord } from './scenario.js';
import { doc, flushed, runFilter } from './helpers.js';

export const deltaScenarios: Scenario[] = [
  {
    id: 'delta.publish-merge',
    group: 'delta',
    title: 'delta_publish merges fields into the existing record: changed fields replaced, new fields added, others kept',
    requires: ['publish', 'delta-publish', 'sow', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      const id = `${ctx.run}-1`;
      await c.publish(topic, doc(ctx, { id, a: 1, b: 2 }));
      await c.deltaPublish(topic, JSON.stringify({ id, b: 3, c: 4 }));
      await flushed(ctx, c);
      const r = await c.sow({ topic, filter: runFilter(ctx) });
      checkEqual(r.records.length, 1, 'record count');
      const rec = body(r.records[0]!);
      checkEqual({ a: rec.a, b: rec.b, c: rec.c, run: rec.run }, { a: 1, b: 3, c: 4, run: ctx.run }, 'merged record');
    },
  },
  {
    id: 'delta.publish-new-record',
    group: 'delta',
    title: 'delta_publish of a key not yet in the SOW stores the message as is',
    requires: ['delta-publish', 'sow', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      await c.deltaPublish(topic, doc(ctx, { id: `${ctx.run}-1`, a: 1 }));
      await flushed(ctx, c);
      const r = await c.sow({ topic, filter: runFilter(ctx) });
      checkEqual(r.records.length, 1, 'record count');
      checkEqual(body(r.records[0]!).a, 1, 'field a');
    },
  },
  {
    id: 'delta.publish-delivers-merged',
    group: 'delta',
    title: 'subscribers of a delta_publish receive the merged record',
    requires: ['publish', 'delta-publish', 'subscribe', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      const id = `${ctx.run}-1`;
      await c.publish(topic, doc(ctx, { id, a: 1, b: 2 }));
      await flushed(ctx, c);
      const sub = await c.subscribe({ command: 'subscribe', topic, filter: runFilter(ctx) });
      await c.deltaPublish(topic, JSON.stringify({ id, b: 5 }));
      const [m] = await ctx.waitFor(sub, isDelivery, 1, 'delivery');
      const rec = body(m!);
      checkEqual({ a: rec.a, b: rec.b }, { a: 1, b: 5 }, 'delivered record');
    },
  },
  {
    id: 'delta.subscribe-changed-fields',
    group: 'delta',
    title: 'delta_subscribe sends the full record first, then the key and the changed fields only',
    requires: ['publish', 'delta-subscribe', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      const id = `${ctx.run}-1`;
      const sub = await c.subscribe({ command: 'delta_subscribe', topic, filter: runFilter(ctx) });
      await c.publish(topic, doc(ctx, { id, a: 1, b: 2, c: 'same' }));
      await c.publish(topic, doc(ctx, { id, a: 1, b: 3, c: 'same' }));
      const [first, second] = await ctx.waitFor(sub, isDelivery, 2, 'deliveries');
      checkEqual(body(first!).c, 'same', 'first delivery is the full record (field c)');
      const delta = body(second!);
      checkEqual(delta.b, 3, 'changed field b');
      checkEqual(delta.id, id, 'key field id');
      check(!('c' in delta) && !('a' in delta), `unchanged fields are left out of the delta, got ${second!.data}`);
    },
  },
  {
    id: 'delta.sow-and-delta-subscribe',
    group: 'delta',
    title: 'sow_and_delta_subscribe: full records in the snapshot, deltas afterwards',
    requires: ['publish', 'sow-and-subscribe', 'delta-subscribe', 'filter'],
    needs: ['sow'],
    async run(ctx) {
      const c = await ctx.connect();
      const topic = ctx.target.topics.sow;
      const id = `${ctx.run}-1`;
      await c.publish(topic, doc(ctx, { id, a: 1, b: 2 }));
      await flushed(ctx, c);
      const sub = await c.subscribe({ command: 'sow_and_delta_subscribe', topic, filter: runFilter(ctx) });
      const [snap] = await ctx.waitFor(sub, isSowRecord, 1, 'snapshot');
      checkEqual({ a: body(snap!).a, b: body(snap!).b }, { a: 1, b: 2 }, 'snapshot record');
      await c.publish(topic, doc(ctx, { id, a: 9, b: 2 }));
      const [d] = await ctx.waitFor(sub, isDelivery, 1, 'delta');
      const delta = body(d!);
      checkEqual(delta.a, 9, 'changed field a');
      check(!('b' in delta), `unchanged field b is left out, got ${d!.data}`);
    },
  },
];
