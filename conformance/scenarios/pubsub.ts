// Publish/subscribe and content filters. The filter cases follow the Python client guide's example
// (`/sender = 'mom'` on the `messages` topic) and the documented filter semantics (comparison, BETWEEN, IN,
// LIKE, NULL rules, precedence).

import type { Scenario } from './scenario.js';
import { body, check, checkEqual, isDelivery } from './scenario.js';
import { checkSequence, deliveries, doc, field, range } from './helpers.js';

interface FilterCase {
  filter: string;
  /** Indexes (into the published documents) that must be delivered. */
  expect: number[];
}

/** Publishes `docs` once and checks one subscription per filter case. */
function filterScenario(id: string, title: string, docs: Array<Record<string, unknown>>, cases: FilterCase[]): Scenario {
  return {
    id: `pubsub.${id}`,
    group: 'pubsub',
    title,
    requires: ['publish', 'subscribe', 'filter'],
    async run(ctx) {
      const topic = ctx.topic('flt');
      const sub = await ctx.connect();
      const subs = [];
      for (const c of cases) subs.push(await sub.subscribe({ command: 'subscribe', topic, filter: c.filter }));
      // A subscription without a filter marks the end of the stream.
      const all = await sub.subscribe({ command: 'subscribe', topic });
      const pub = await ctx.connect();
      for (const [i, d] of docs.entries()) await pub.publish(topic, JSON.stringify({ i, ...d }));
      await ctx.waitFor(all, isDelivery, docs.length, 'unfiltered subscription');
      await ctx.settle(100);
      for (const [k, c] of cases.entries()) {
        const got = field<number>(deliveries(subs[k]!), 'i');
        checkSequence(got, c.expect, `filter ${c.filter}`);
      }
    },
  };
}

// Message M1 of the server-semantics reference and variants.
const M1 = { sender: 'mom', qty: 10, px: '90.25', sym: 'IBM', country: 'us', state: 'Mississippi', name: 'Jane', code: '' };

export const pubsubScenarios: Scenario[] = [
  {
    id: 'pubsub.publish-subscribe',
    group: 'pubsub',
    title: 'subscribe, then every published message arrives once, in order, with topic and body intact',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('ps');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic });
      const bodies = range(1, 5).map((n) => doc(ctx, { n, text: `hello ${n}` }));
      for (const b of bodies) await c.publish(topic, b);
      const got = await ctx.waitFor(sub, isDelivery, 5, 'deliveries');
      await ctx.settle(100);
      checkEqual(deliveries(sub).length, 5, 'delivery count');
      checkSequence(got.map((m) => m.data), bodies, 'bodies');
      check(got.every((m) => m.topic === topic), `every delivery carries topic ${topic}`);
    },
  },
  {
    id: 'pubsub.two-clients',
    group: 'pubsub',
    title: 'a message published by one client reaches subscribers on two other clients',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('ps2');
      const a = await ctx.connect();
      const b = await ctx.connect();
      const subA = await a.subscribe({ command: 'subscribe', topic });
      const subB = await b.subscribe({ command: 'subscribe', topic });
      const pub = await ctx.connect();
      await pub.publish(topic, doc(ctx, { n: 1 }));
      await ctx.waitFor(subA, isDelivery, 1, 'subscriber A');
      await ctx.waitFor(subB, isDelivery, 1, 'subscriber B');
    },
  },
  {
    id: 'pubsub.no-other-topics',
    group: 'pubsub',
    title: 'a subscription to a literal topic receives nothing published to other topics with the same prefix',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('lit');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic });
      await c.publish(`${topic}x`, doc(ctx, { n: 0 }));
      await c.publish(`x${topic}`, doc(ctx, { n: 1 }));
      await c.publish(topic, doc(ctx, { n: 2 }));
      await ctx.waitFor(sub, isDelivery, 1, 'delivery on the subscribed topic');
      await ctx.settle(150);
      checkSequence(field(deliveries(sub), 'n'), [2], 'delivered n');
    },
  },
  {
    id: 'pubsub.ordering',
    group: 'pubsub',
    title: '500 messages from one publisher arrive complete and in publish order',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('ord');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic });
      const pub = await ctx.connect();
      for (const n of range(1, 500)) await pub.publish(topic, doc(ctx, { n }));
      await ctx.waitFor(sub, isDelivery, 500, 'deliveries', 8000);
      checkSequence(field(deliveries(sub), 'n'), range(1, 500), 'order');
    },
  },
  {
    id: 'pubsub.large-message',
    group: 'pubsub',
    title: 'a 1 MiB message round-trips byte for byte',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('big');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic });
      const payload = doc(ctx, { blob: 'x'.repeat(1 << 20), tail: 'é✓' });
      await c.publish(topic, payload);
      const [m] = await ctx.waitFor(sub, isDelivery, 1, 'large delivery', 5000);
      check(m!.data === payload, `body differs (got ${m!.data?.length ?? 0} chars, sent ${payload.length})`);
    },
  },
  {
    id: 'pubsub.correlation-id',
    group: 'pubsub',
    title: 'a correlation id set on publish reaches the subscriber unchanged',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('cid');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic });
      await c.publish(topic, doc(ctx, { n: 1 }), { correlationId: 'b3JkZXItNDI=' });
      await c.publish(topic, doc(ctx, { n: 2 }));
      const [first, second] = await ctx.waitFor(sub, isDelivery, 2, 'deliveries');
      checkEqual(first!.correlationId, 'b3JkZXItNDI=', 'correlation id of message 1');
      checkEqual(second!.correlationId, undefined, 'correlation id of message 2');
    },
  },
  {
    id: 'pubsub.unsubscribe',
    group: 'pubsub',
    title: 'after unsubscribe no further messages are delivered',
    requires: ['publish', 'subscribe'],
    async run(ctx) {
      const topic = ctx.topic('uns');
      const c = await ctx.connect();
      const sub = await c.subscribe({ command: 'subscribe', topic });
      await c.publish(topic, doc(ctx, { n: 1 }));
      await ctx.waitFor(sub, isDelivery, 1, 'first delivery');
      await sub.close();
      const other = await c.subscribe({ command: 'subscribe', topic });
      await c.publish(topic, doc(ctx, { n: 2 }));
      await ctx.waitFor(other, isDelivery, 1, 'delivery to the remaining subscription');
      await ctx.settle(150);
      checkSequence(field(deliveries(sub), 'n'), [1], 'deliveries to the closed subscription');
    },
  },
  {
    id: 'pubsub.replace-filter',
    group: 'pubsub',
    title: "replacing a subscription's filter takes effect for the next message",
    requires: ['publish', 'subscribe', 'filter', 'replace'],
    async run(ctx) {
      const topic = ctx.topic('rep');
      const c = await ctx.connect();
      const subId = `rep${ctx.run}`;
      const sub = await c.subscribe({ command: 'subscribe', topic, filter: "/sender = 'mom'", subId });
      await c.publish(topic, doc(ctx, { n: 1, sender: 'mom' }));
      await c.publish(topic, doc(ctx, { n: 2, sender: 'dad' }));
      await ctx.waitFor(sub, isDelivery, 1, 'before replace');
      await c.subscribe({ command: 'subscribe', topic, filter: "/sender = 'dad'", subId, options: ['replace'] });
      await c.publish(topic, doc(ctx, { n: 3, sender: 'mom' }));
      await c.publish(topic, doc(ctx, { n: 4, sender: 'dad' }));
      await ctx.until(() => deliveries(sub).some((m) => body(m).n === 4), 'delivery after replace');
      await ctx.settle(100);
      checkSequence(field(deliveries(sub), 'n'), [1, 4], 'delivered n');
    },
  },
  filterScenario(
    'filter-guide-sender',
    "the guide's content filter /sender = 'mom' delivers mom's messages only",
    [
      { sender: 'mom', text: 'dinner is ready' },
      { sender: 'dad', text: 'where are my keys' },
      { sender: 'mom', text: 'call me' },
      { text: 'no sender' },
    ],
    [
      { filter: "/sender = 'mom'", expect: [0, 2] },
      { filter: "/sender != 'mom'", expect: [1] },
      { filter: '/sender = "dad"', expect: [1] },
    ],
  ),
  filterScenario(
    'filter-comparison',
    'comparison, BETWEEN, IN, arithmetic and string/number coercion',
    [M1, { ...M1, qty: 11, px: '91.5' }, { ...M1, qty: 7 }],
    [
      { filter: '/qty > 9', expect: [0, 1] },
      { filter: '/qty BETWEEN 0 AND 10', expect: [0, 2] },
      { filter: '/qty NOT BETWEEN 11 AND 20', expect: [0, 2] },
      { filter: '/qty IN (5, 10, 15)', expect: [0] },
      { filter: '/qty NOT IN (5, 15)', expect: [0, 1, 2] },
      { filter: '/px < 91.0', expect: [0, 2] },
      { filter: '(/qty % 3) == 1', expect: [0, 2] },
      { filter: "/sender = 'dad' OR /qty = 10 AND /sym = 'IBM'", expect: [0] },
      { filter: "(/sender = 'dad' OR /qty = 10) AND /sym = 'XYZ'", expect: [] },
    ],
  ),
  filterScenario(
    'filter-strings',
    'LIKE (unanchored, (?i), back-references), BEGINS WITH, case-sensitive equality, string functions',
    [M1, { ...M1, sym: 'IBMX', country: 'US', state: 'Ohio' }, { ...M1, country: 'USA', name: 'JANE' }],
    [
      { filter: '/sym LIKE "^IB.?$"', expect: [0, 2] },
      { filter: "/sym LIKE 'B'", expect: [0, 1, 2] },
      { filter: '/country LIKE "(?i)^us$"', expect: [0, 1] },
      { filter: '/country LIKE "^US$"', expect: [1] },
      { filter: "/state LIKE '(.)\\1'", expect: [0, 2] },
      { filter: "/name = 'JANE'", expect: [2] },
      { filter: "UPPER(/name) = 'JANE'", expect: [0, 1, 2] },
      { filter: "/sym BEGINS WITH ('I')", expect: [0, 1, 2] },
      { filter: "/sym ENDS WITH ('Q', 'M')", expect: [0, 2] },
    ],
  ),
  filterScenario(
    'filter-null',
    "NULL rules: missing fields and '' are NULL and never equal anything",
    [M1, { ...M1, code: 'A1' }],
    [
      { filter: '/code IS NULL', expect: [0] },
      { filter: "/code = ''", expect: [] },
      { filter: '/missing IS NULL', expect: [0, 1] },
      { filter: '/missing IS NOT NULL', expect: [] },
      { filter: '/missing = 1', expect: [] },
    ],
  ),
];
