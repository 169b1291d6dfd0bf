// HA failover.
//
// ha.* (proxy): the HA client is given two URIs, each a fault-injection proxy in front of the same target (works
// against the embedded mock and a real AMPS alike). "Failing" a server = dropping its connections and refusing
// new ones, so the client must fail over to the other URI, replay unacknowledged publishes, resubscribe, and
// lose nothing.
// ha.cluster-* : two replicated instances of the target's cluster (the embedded MockCluster; feature `cluster`):
// an instance really goes away, and the client continues on the other one, whose copy of the transaction log
// came from replication.

import type { ClientSession, Subscription } from '../types.js';
import type { Scenario, ScenarioContext } from './scenario.js';
import { body, isDelivery } from './scenario.js';
import { checkSameSet, deliveries, doc, field, range, runFilter } from './helpers.js';
import type { FaultProxy } from '../util/proxy.js';
import { NotApplicable } from './scenario.js';

interface Pair {
  a: FaultProxy;
  b: FaultProxy;
  uris: string[];
}

async function twoServers(ctx: ScenarioContext): Promise<Pair> {
  const a = await ctx.proxy();
  const b = await ctx.proxy();
  return { a, b, uris: [a.rewrite(ctx.uri()), b.rewrite(ctx.uri())] };
}

function failServer(p: FaultProxy): void {
  p.refuse(true);
  p.dropConnections();
}

/** Publishes probes until `sub` receives one (the subscription is live again); returns the probe count. */
async function probeUntilLive(ctx: ScenarioContext, pub: ClientSession, topic: string, sub: Subscription, timeoutMs = 8000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  let k = 0;
  while (!deliveries(sub).some((m) => body(m).probe !== undefined)) {
    if (Date.now() > deadline) throw new Error(`subscription not live again within ${timeoutMs} ms after failover`);
    await pub.publish(topic, doc(ctx, { probe: k++ }));
    await ctx.settle(150);
  }
}

export const haScenarios: Scenario[] = [
  {
    id: 'ha.resubscribe-after-failover',
    group: 'ha',
    title: 'after its server fails, the HA client connects to the next one and its subscription keeps delivering',
    requires: ['ha', 'publish', 'subscribe'],
    timeoutMs: 20_000,
    async run(ctx) {
      const { a, b, uris } = await twoServers(ctx);
      const topic = ctx.topic('ha');
      const ha = await ctx.connect({ uri: uris[0]!, haUris: uris });
      const sub = await ha.subscribe({ command: 'subscribe', topic });
      const pub = await ctx.connect();
      await pub.publish(topic, doc(ctx, { n: 1 }));
      await ctx.waitFor(sub, isDelivery, 1, 'delivery before failover');
      failServer(a);
      await ctx.until(() => b.connections > 0, 'HA client connected to the second server', 10_000);
      await probeUntilLive(ctx, pub, topic, sub);
      await pub.publish(topic, doc(ctx, { n: 2 }));
      await ctx.until(() => deliveries(sub).some((m) => body(m).n === 2), 'delivery after failover');
    },
  },
  {
    id: 'ha.publish-replay-no-loss',
    group: 'ha',
    title: 'publishes in flight during a failover are replayed from the publish store: none lost, none duplicated',
    requires: ['ha', 'publish-store', 'publish', 'subscribe', 'filter'],
    needs: ['txlog'],
    timeoutMs: 25_000,
    async run(ctx) {
      const { a, uris } = await twoServers(ctx);
      const topic = ctx.target.topics.txlog;
      const watcher = await ctx.connect();
      const sub = await watcher.subscribe({ command: 'subscribe', topic, filter: runFilter(ctx) });
      const ha = await ctx.connect({ uri: uris[0]!, haUris: uris, publishStore: `ps-${ctx.run}` });
      const total = 200;
      for (const n of range(1, total)) {
        await ha.publish(topic, doc(ctx, { n }));
        if (n === total / 2) failServer(a);
      }
      await ctx.until(() => deliveries(sub).length >= total, `all ${total} messages delivered`, 15_000);
      await ctx.settle(300);
      checkSameSet(field(deliveries(sub), 'n'), range(1, total), 'delivered messages');
    },
  },
  {
    id: 'ha.bookmark-failover-no-duplicate',
    group: 'ha',
    title: 'a bookmark subscription resumes on the next server with no gap and no duplicate',
    requires: ['ha', 'bookmark', 'bookmark-store', 'publish', 'subscribe', 'filter'],
    needs: ['txlog'],
    timeoutMs: 25_000,
    async run(ctx) {
      const { a, uris } = await twoServers(ctx);
      const topic = ctx.target.topics.txlog;
      const ha = await ctx.connect({ uri: uris[0]!, haUris: uris, bookmarkStore: `bs-${ctx.run}` });
      const sub = await ha.subscribe({ command: 'subscribe', topic, filter: runFilter(ctx), bookmark: 'EPOCH', subId: `ha${ctx.run}` });
      const pub = await ctx.connect();
      for (const n of range(1, 20)) await pub.publish(topic, doc(ctx, { n }));
      await ctx.waitFor(sub, isDelivery, 10, 'deliveries before failover');
      for (const m of deliveries(sub)) await sub.discard(m);
      failServer(a);
      for (const n of range(21, 40)) await pub.publish(topic, doc(ctx, { n }));
      await ctx.until(() => deliveries(sub).length >= 40, 'all 40 messages delivered', 15_000);
      await ctx.settle(300);
      checkSameSet(field(deliveries(sub), 'n'), range(1, 40), 'delivered messages');
    },
  },
  {
    id: 'ha.cluster-publisher-failover',
    group: 'ha',
    title: 'cluster: a publisher whose instance fails replays to the replica; a subscriber on the replica gets every message once',
    requires: ['ha', 'publish-store', 'publish', 'subscribe', 'filter'],
    needs: ['txlog', 'cluster'],
    timeoutMs: 25_000,
    async run(ctx) {
      const { uris, cluster } = clusterUris(ctx);
      const topic = ctx.target.topics.txlog;
      const watcher = await ctx.connect({ uri: uris[1]! });
      const sub = await watcher.subscribe({ command: 'subscribe', topic, filter: runFilter(ctx) });
      const ha = await ctx.connect({ uri: uris[0]!, haUris: [uris[0]!, uris[1]!], publishStore: `cps-${ctx.run}` });
      const total = 200;
      for (const n of range(1, total)) {
        await ha.publish(topic, doc(ctx, { n }));
        if (n === total / 2) {
          cluster.fail(0);
          ctx.defer(async () => cluster.recover(0));
        }
      }
      await ctx.until(() => deliveries(sub).length >= total, `all ${total} messages on the replica`, 15_000);
      await ctx.settle(300);
      checkSameSet(field(deliveries(sub), 'n'), range(1, total), 'messages on the replica');
    },
  },
  {
    id: 'ha.cluster-bookmark-failover',
    group: 'ha',
    title: 'cluster: a bookmark subscriber whose instance fails resumes on the replica with no gap and no duplicate',
    requires: ['ha', 'bookmark', 'bookmark-store', 'publish', 'subscribe', 'filter'],
    needs: ['txlog', 'cluster'],
    timeoutMs: 25_000,
    async run(ctx) {
      const { uris, cluster } = clusterUris(ctx);
      const topic = ctx.target.topics.txlog;
      const pub = await ctx.connect({ uri: uris[1]! });
      const ha = await ctx.connect({ uri: uris[0]!, haUris: [uris[0]!, uris[1]!], bookmarkStore: `cbs-${ctx.run}` });
      const sub = await ha.subscribe({ command: 'subscribe', topic, filter: runFilter(ctx), bookmark: 'EPOCH', subId: `cha${ctx.run}` });
      for (const n of range(1, 20)) await pub.publish(topic, doc(ctx, { n }));
      await ctx.waitFor(sub, isDelivery, 10, 'deliveries before the failure');
      for (const m of deliveries(sub)) await sub.discard(m);
      cluster.fail(0);
      ctx.defer(async () => cluster.recover(0));
      for (const n of range(21, 40)) await pub.publish(topic, doc(ctx, { n }));
      await ctx.until(() => deliveries(sub).length >= 40, 'all 40 messages delivered', 15_000);
      await ctx.settle(300);
      checkSameSet(field(deliveries(sub), 'n'), range(1, 40), 'delivered messages');
    },
  },
];

function clusterUris(ctx: ScenarioContext) {
  const cluster = ctx.target.cluster;
  const uris = cluster?.uris[ctx.adapter.transport];
  if (!cluster || !uris || uris.length < 2) throw new NotApplicable(`target has no ${ctx.adapter.transport} cluster of two instances`);
  return { cluster, uris };
}
