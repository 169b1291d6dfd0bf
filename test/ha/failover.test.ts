// Failover under load: a durable publisher (file-backed publish store) publishes N messages while the mock
// cluster's instances are stopped and restarted at least 5 times; a bookmark subscriber must receive every
// message exactly once, in order.
import { afterEach, describe, expect, it } from 'vitest';
import { join } from 'node:path';
import { MockCluster } from '../../mock-server/index.js';
import { DefaultServerChooser, FixedDelayStrategy, HAClient } from '../../runtime/ha/index.js';
import { sleep, tempDir, waitFor } from './helpers.js';

const TOTAL = Number(process.env.HA_FAILOVER_COUNT ?? 50_000);
const FAULTS = 6;

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function portOf(uri: string | undefined): string | undefined {
  return uri?.match(/:(\d+)\//)?.[1];
}

describe('failover under load', () => {
  it(
    `${TOTAL} durable publishes across ${FAULTS} instance stops/restarts: exactly once, in order`,
    async () => {
      const cl = await MockCluster.start({ instances: 3 });
      cleanups.push(() => cl.stop());
      const tmp = tempDir('amps-ha-failover-');
      cleanups.push(() => tmp.cleanup());
      const uris = cl.uris('tcp');
      const topic = `failover-${Date.now()}`;
      const chooser = (start: number) => {
        const c = new DefaultServerChooser();
        for (let i = 0; i < uris.length; i++) c.add(uris[(start + i) % uris.length]!);
        return c;
      };

      const pub = HAClient.createFileBacked('fo-publisher', join(tmp.dir, 'pub.log'), join(tmp.dir, 'pub-bm.log'), {
        serverChooser: chooser(0),
        delayStrategy: new FixedDelayStrategy(10),
      });
      cleanups.push(() => pub.close());
      const sub = HAClient.createMemoryBacked('fo-subscriber', {
        serverChooser: chooser(1),
        delayStrategy: new FixedDelayStrategy(10),
      });
      cleanups.push(() => sub.close());

      const received: number[] = [];
      let outOfOrder = 0;
      await sub.connectAndLogon();
      await sub.bookmarkSubscribe(
        (m) => {
          const n = (JSON.parse(m.data) as { n: number }).n;
          if (received.length > 0 && n !== received[received.length - 1]! + 1) outOfOrder++;
          received.push(n);
          m.discard();
        },
        topic,
        'recent',
        undefined,
        { subId: 'fo-sub' },
      );
      await pub.connectAndLogon();

      // Publisher: chunks, yielding to the event loop; bounded backlog in the store.
      let published = 0;
      const publisher = (async () => {
        const store = pub.getPublishStore()!;
        for (let guard = 0; published < TOTAL && guard < 100_000; guard++) {
          const end = Math.min(TOTAL, published + 500);
          for (; published < end; published++) pub.publish(topic, `{"n":${published}}`);
          if (store.unpersistedCount() > 20_000) await sleep(5);
          else if (pub.isLoggedOn) await pub.whenDrained(1 << 20);
          await new Promise((r) => setImmediate(r));
        }
      })();

      // Chaos: stop the instance the publisher (even faults) or the subscriber (odd faults) is on, wait for that
      // client to fail over, restart the instance.
      const failoverMs: number[] = [];
      for (let k = 0; k < FAULTS; k++) {
        const target = k % 2 === 0 ? pub : sub;
        const progressAt = received.length;
        await waitFor(() => received.length >= Math.min(TOTAL, progressAt + TOTAL / (FAULTS + 2)) || received.length >= TOTAL, 'progress', 20_000);
        const idx = uris.findIndex((u) => portOf(u) === portOf(target.uri));
        expect(idx).toBeGreaterThanOrEqual(0);
        const before = target.reconnections;
        const t0 = performance.now();
        await cl.instance(idx).stop();
        await waitFor(() => target.reconnections > before && !target.isReconnecting, `failover ${k}`, 10_000);
        failoverMs.push(performance.now() - t0);
        await cl.instance(idx).restart();
      }

      await publisher;
      await waitFor(() => received.length >= TOTAL, `all ${TOTAL} messages (have ${received.length})`, 40_000, 20);
      await pub.publishFlush(10_000);
      await sleep(100); // anything extra (a duplicate) would arrive now
      expect(pub.reconnections + sub.reconnections).toBeGreaterThanOrEqual(FAULTS);
      expect(outOfOrder).toBe(0);
      expect(received.length).toBe(TOTAL);
      for (let i = 0; i < TOTAL; i++) if (received[i] !== i) expect(received[i]).toBe(i);
      console.log(
        `failover: ${TOTAL} msgs, ${FAULTS} faults, publisher reconnects ${pub.reconnections}, subscriber reconnects ${sub.reconnections}, failover ms ${failoverMs.map((x) => x.toFixed(1)).join(' ')}`,
      );
    },
    60_000,
  );
});
