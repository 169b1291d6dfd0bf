// Regex topic subscriptions, after the guide's example: one regex that matches orders-north-america,
// orders-europe and new-orders, including topics that did not exist when the subscription was placed.

import type { Scenario } from './scenario.js';
import { check, isDelivery } from './scenario.js';
import { checkSameSet, deliveries, doc, field } from './helpers.js';

export const regexScenarios: Scenario[] = [
  {
    id: 'regex.guide-orders',
    group: 'regex',
    title: "a regex topic receives every matching topic (the guide's orders example) with the real topic on each message",
    requires: ['publish', 'subscribe', 'regex-topic'],
    needs: ['regex-topic'],
    async run(ctx) {
      const p = ctx.topic('rx');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic: `^${p}-.*orders` });
      const topics = [`${p}-orders-north-america`, `${p}-orders-europe`, `${p}-new-orders`, `${p}-trades`];
      for (const [n, t] of topics.entries()) await c.publish(t, doc(ctx, { n }));
      await ctx.waitFor(sub, isDelivery, 3, 'regex deliveries');
      await ctx.settle(150);
      const got = deliveries(sub);
      checkSameSet(field(got, 'n'), [0, 1, 2], 'delivered messages');
      for (const m of got) {
        const n = JSON.parse(m.data ?? '{}').n as number;
        check(m.topic === topics[n], `message ${n} carries topic ${topics[n]}, got ${m.topic}`);
      }
    },
  },
  {
    id: 'regex.alternation',
    group: 'regex',
    title: 'alternation and anchors in a regex topic select exactly the named topics',
    requires: ['publish', 'subscribe', 'regex-topic'],
    needs: ['regex-topic'],
    async run(ctx) {
      const p = ctx.topic('rxa');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic: `^${p}-(LN|NY)_ORDERS$` });
      const topics = [`${p}-LN_ORDERS`, `${p}-NY_ORDERS`, `${p}-TK_ORDERS`, `${p}-LN_ORDERS_OLD`];
      for (const [n, t] of topics.entries()) await c.publish(t, doc(ctx, { n }));
      await ctx.waitFor(sub, isDelivery, 2, 'regex deliveries');
      await ctx.settle(150);
      checkSameSet(field(deliveries(sub), 'n'), [0, 1], 'delivered messages');
    },
  },
  {
    id: 'regex.with-filter',
    group: 'regex',
    title: 'a content filter applies across all topics of a regex subscription',
    requires: ['publish', 'subscribe', 'regex-topic', 'filter'],
    needs: ['regex-topic'],
    async run(ctx) {
      const p = ctx.topic('rxf');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic: `^${p}-.*`, filter: "/sender = 'mom'" });
      await c.publish(`${p}-a`, doc(ctx, { n: 0, sender: 'mom' }));
      await c.publish(`${p}-b`, doc(ctx, { n: 1, sender: 'dad' }));
      await c.publish(`${p}-c`, doc(ctx, { n: 2, sender: 'mom' }));
      await ctx.waitFor(sub, isDelivery, 2, 'filtered regex deliveries');
      await ctx.settle(150);
      checkSameSet(field(deliveries(sub), 'n'), [0, 2], 'delivered messages');
    },
  },
];
