// Queues: leases, backlog, ack, cancel, expire, lease expiry redelivery, redelivery after disconnect,
// exactly-one-consumer, auto-ack batching.

import type { ReceivedMessage, Subscription } from '../types.js';
import type { Scenario, ScenarioContext } from './scenario.js';
import { body, check, checkEqual, isDelivery } from './scenario.js';
import { checkSameSet, deliveries, doc, field, range, runFilter } from './helpers.js';

const queueSub = (ctx: ScenarioContext, backlog: number, topic = ctx.target.topics.queue) => ({
  command: 'subscribe' as const,
  topic,
  filter: runFilter(ctx),
  options: [`max_backlog=${backlog}`],
});

async function publishN(ctx: ScenarioContext, count: number, topic = ctx.target.topics.queue): Promise<void> {
  const c = await ctx.connect();
  for (const n of range(1, count)) await c.publish(topic, doc(ctx, { n }));
}

/** A fresh subscriber must receive nothing: the queue holds no message of this execution. */
async function checkDrained(ctx: ScenarioContext, what: string): Promise<void> {
  const probe = await ctx.connect();
  const sub = await probe.subscribe(queueSub(ctx, 10));
  await ctx.settle(400);
  checkEqual(field(deliveries(sub), 'n'), [], `${what}: messages left in the queue`);
}

const n = (m: ReceivedMessage) => body(m).n as number;

async function ackAll(sub: Subscription, msgs: readonly ReceivedMessage[], options?: string): Promise<void> {
  for (const m of msgs) await sub.ack(m, options);
}

export const queueScenarios: Scenario[] = [
  {
    id: 'queues.lease-and-ack',
    group: 'queues',
    title: 'queue deliveries carry a bookmark and a lease; acknowledged messages leave the queue',
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      await publishN(ctx, 3);
      const c = await ctx.connect();
      const sub = await c.subscribe(queueSub(ctx, 10));
      const got = await ctx.waitFor(sub, isDelivery, 3, 'queue deliveries');
      check(got.every((m) => !!m.bookmark), 'each queue delivery has a bookmark');
      check(got.every((m) => !!m.leasePeriod), 'each queue delivery has a lease period (lp)');
      await ackAll(sub, got);
      await ctx.settle(200);
      await sub.close();
      await checkDrained(ctx, 'after acking');
    },
  },
  {
    id: 'queues.backlog',
    group: 'queues',
    title: 'max_backlog=2 limits unacknowledged deliveries to 2; each ack releases one more',
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      await publishN(ctx, 5);
      const c = await ctx.connect();
      const sub = await c.subscribe(queueSub(ctx, 2));
      await ctx.waitFor(sub, isDelivery, 2, 'first backlog');
      await ctx.settle(300);
      checkEqual(deliveries(sub).length, 2, 'deliveries while 2 are unacknowledged');
      await sub.ack(deliveries(sub)[0]!);
      await ctx.waitFor(sub, isDelivery, 3, 'delivery after one ack');
      await ctx.settle(300);
      checkEqual(deliveries(sub).length, 3, 'deliveries after one ack');
      await ackAll(sub, deliveries(sub).slice(1));
      await ctx.waitFor(sub, isDelivery, 5, 'remaining deliveries');
      checkSameSet(deliveries(sub).map(n), range(1, 5), 'messages');
      await ackAll(sub, deliveries(sub).slice(3));
    },
  },
  {
    id: 'queues.cancel',
    group: 'queues',
    title: 'an ack with cancel returns the message to the queue and it is delivered again',
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      await publishN(ctx, 1);
      const c = await ctx.connect();
      const sub = await c.subscribe(queueSub(ctx, 1));
      const [first] = await ctx.waitFor(sub, isDelivery, 1, 'delivery');
      await sub.ack(first!, 'cancel');
      const again = await ctx.waitFor(sub, isDelivery, 2, 'redelivery after cancel');
      checkEqual(n(again[1]!), 1, 'redelivered message');
      await sub.ack(again[1]!);
      await ctx.settle(200);
      await sub.close();
      await checkDrained(ctx, 'after acking the redelivery');
    },
  },
  {
    id: 'queues.expire',
    group: 'queues',
    title: 'an ack with expire removes the message without redelivery',
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      await publishN(ctx, 2);
      const c = await ctx.connect();
      const sub = await c.subscribe(queueSub(ctx, 2));
      const got = await ctx.waitFor(sub, isDelivery, 2, 'deliveries');
      await sub.ack(got[0]!, 'expire');
      await sub.ack(got[1]!);
      await ctx.settle(300);
      checkEqual(deliveries(sub).length, 2, 'deliveries (no redelivery)');
      await sub.close();
      await checkDrained(ctx, 'after expire');
    },
  },
  {
    id: 'queues.lease-expiry-redelivery',
    group: 'queues',
    title: 'a message not acknowledged within its lease (1 s) is delivered again',
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    timeoutMs: 12_000,
    async run(ctx) {
      const topic = ctx.target.topics.leaseQueue;
      await publishN(ctx, 1, topic);
      const a = await ctx.connect();
      const subA = await a.subscribe(queueSub(ctx, 1, topic));
      await ctx.waitFor(subA, isDelivery, 1, 'first delivery');
      const b = await ctx.connect();
      const subB = await b.subscribe(queueSub(ctx, 1, topic));
      await ctx.until(() => deliveries(subA).length + deliveries(subB).length >= 2, 'redelivery after lease expiry', 6000);
      const redelivered = [...deliveries(subA).slice(1), ...deliveries(subB)][0]!;
      checkEqual(n(redelivered), 1, 'redelivered message');
      await (deliveries(subB).length > 0 ? subB : subA).ack(redelivered);
    },
  },
  {
    id: 'queues.redelivery-after-disconnect',
    group: 'queues',
    title: "a consumer's unacknowledged messages go to another consumer when it disconnects",
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      await publishN(ctx, 2);
      const a = await ctx.connect();
      const subA = await a.subscribe(queueSub(ctx, 5));
      await ctx.waitFor(subA, isDelivery, 2, 'deliveries to the first consumer');
      await a.disconnect();
      const b = await ctx.connect();
      const subB = await b.subscribe(queueSub(ctx, 5));
      const got = await ctx.waitFor(subB, isDelivery, 2, 'redelivery to the second consumer');
      checkSameSet(got.map(n), [1, 2], 'redelivered messages');
      await ackAll(subB, got);
    },
  },
  {
    id: 'queues.single-consumer',
    group: 'queues',
    title: 'with two consumers every message is delivered to exactly one of them',
    requires: ['publish', 'subscribe', 'queue', 'queue-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      const a = await ctx.connect();
      const b = await ctx.connect();
      const subA = await a.subscribe(queueSub(ctx, 20));
      const subB = await b.subscribe(queueSub(ctx, 20));
      await publishN(ctx, 20);
      await ctx.until(() => deliveries(subA).length + deliveries(subB).length >= 20, 'all 20 delivered');
      await ctx.settle(200);
      checkSameSet([...deliveries(subA), ...deliveries(subB)].map(n), range(1, 20), 'messages across consumers');
      await ackAll(subA, deliveries(subA));
      await ackAll(subB, deliveries(subB));
    },
  },
  {
    id: 'queues.auto-ack-batching',
    group: 'queues',
    title: 'auto-ack with batch size 3 and max_backlog=3 consumes 9 messages in fewer than 9 acks and leaves the queue empty',
    requires: ['publish', 'subscribe', 'queue', 'auto-ack', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      await publishN(ctx, 9);
      // Through a recording proxy, so that on TCP (plain JSON headers) the acks on the wire can be counted.
      const proxy = await ctx.proxy();
      const c = await ctx.connect({ uri: proxy.rewrite(ctx.uri()), autoAck: true, ackBatchSize: 3, ackTimeoutMs: 200 });
      proxy.record();
      const sub = await c.subscribe(queueSub(ctx, 3));
      const got = await ctx.waitFor(sub, isDelivery, 9, 'deliveries (only possible if acks flow)', 5000);
      checkSameSet(got.map(n), range(1, 9), 'messages');
      await ctx.settle(400);
      if (ctx.adapter.transport === 'tcp') {
        const acks = proxy.countSent('"sow_delete"');
        check(acks > 0 && acks < 9, `expected the 9 acknowledgements batched into fewer than 9 sow_delete commands, saw ${acks}`);
        ctx.note(`${acks} sow_delete command(s) for 9 messages`);
      }
      await sub.close();
      await checkDrained(ctx, 'after auto-ack');
    },
  },
  {
    id: 'queues.ack-by-filter',
    group: 'queues',
    title: "a sow_delete with a filter on a queue removes every matching message (the guide's manual acknowledgement)",
    requires: ['publish', 'subscribe', 'queue', 'sow-delete', 'filter'],
    needs: ['queue'],
    async run(ctx) {
      const topic = ctx.target.topics.queue;
      const c = await ctx.connect();
      for (const [i, order] of ['a', 'b', 'a', 'b', 'a'].entries()) await c.publish(topic, doc(ctx, { n: i + 1, order }));
      await c.sowDelete({ topic, filter: runFilter(ctx, "/order = 'a'") });
      const sub = await c.subscribe(queueSub(ctx, 10));
      await ctx.waitFor(sub, isDelivery, 2, 'remaining messages');
      await ctx.settle(300);
      checkSameSet(deliveries(sub).map(n), [2, 4], 'messages left after the filter ack');
      await ackAll(sub, deliveries(sub));
    },
  },
];
