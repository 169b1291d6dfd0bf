// SowRecoveryPointAdapter against a mock server with the /ADMIN/bookmark_store SOW topic.
import { afterEach, describe, expect, it } from 'vitest';
import { MockServer, defaultConfig, type MockServerConfig } from '../../mock-server/index.js';
import { Client } from '../../runtime/client/client.js';
import { DefaultServerChooser, FixedDelayStrategy, HAClient } from '../../runtime/ha/index.js';
import { SowRecoveryPointAdapter } from '../../runtime/ha/index.js';
import { RecoveryPointBookmarkStore, type RecoveryPoint } from '../../runtime/store/index.js';
import { sleep, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function serverWithAdminTopic(): Promise<MockServer> {
  const cfg: MockServerConfig = defaultConfig();
  cfg.sow = [...(cfg.sow ?? []), { topic: '/ADMIN/bookmark_store', key: ['/clientName', '/subId'] }];
  const s = await MockServer.start(cfg);
  cleanups.push(() => s.close());
  return s;
}

async function adminClient(s: MockServer, name: string): Promise<Client> {
  const c = new Client(name);
  await c.connect(s.uri('tcp'));
  await c.logon();
  cleanups.push(() => c.disconnect());
  return c;
}

async function loadAll(a: SowRecoveryPointAdapter): Promise<RecoveryPoint[]> {
  const out: RecoveryPoint[] = [];
  for await (const p of a.load()) out.push(p);
  return out.sort((x, y) => x.subId.localeCompare(y.subId));
}

describe('SowRecoveryPointAdapter', () => {
  it('stores, loads (per client name), replaces and purges points in the SOW topic', async () => {
    const s = await serverWithAdminTopic();
    const admin = await adminClient(s, 'rp-admin');
    const a = new SowRecoveryPointAdapter(admin, 'client-A', { waitForUpdates: true });
    const b = new SowRecoveryPointAdapter(admin, "client-'B'", { waitForUpdates: true });
    await a.update({ subId: 's1', bookmark: '11|1|' });
    await a.update({ subId: 's2', bookmark: '11|2|' });
    await a.update({ subId: 's1', bookmark: '11|5|,22|3|' });
    await b.update({ subId: 's1', bookmark: '33|1|' });
    expect(await loadAll(a)).toEqual([
      { subId: 's1', bookmark: '11|5|,22|3|' },
      { subId: 's2', bookmark: '11|2|' },
    ]);
    expect(await loadAll(b)).toEqual([{ subId: 's1', bookmark: '33|1|' }]);
    await a.purge('s1');
    expect(await loadAll(a)).toEqual([{ subId: 's2', bookmark: '11|2|' }]);
    await a.purge();
    expect(await loadAll(a)).toEqual([]);
    expect(await loadAll(b)).toHaveLength(1);
    await a.close();
  });

  it('a subscriber whose bookmark store lives in the SOW resumes after its last discarded message in a new process-like client', async () => {
    const s = await serverWithAdminTopic();
    const topic = `rp-topic-${Date.now()}`;
    const open = async () => {
      const admin = await adminClient(s, `rp-admin-${Math.random()}`);
      const store = await RecoveryPointBookmarkStore.open(new SowRecoveryPointAdapter(admin, 'rp-subscriber', { waitForUpdates: true }));
      const c = new HAClient('rp-subscriber', {
        serverChooser: new DefaultServerChooser().add(s.uri('tcp')),
        delayStrategy: new FixedDelayStrategy(10),
      });
      c.setBookmarkStore(store);
      cleanups.push(() => c.disconnect());
      await c.connectAndLogon();
      return { c, store };
    };
    const first = await open();
    const got1: number[] = [];
    await first.c.bookmarkSubscribe(
      (m) => {
        const n = (JSON.parse(m.data) as { n: number }).n;
        got1.push(n);
        if (n < 5) m.discard(); // 5..9 are received but not processed
      },
      topic,
      'recent',
      undefined,
      { subId: 'rp-sub' },
    );
    for (let i = 0; i < 10; i++) s.publish(topic, `{"n":${i}}`);
    await waitFor(() => got1.length === 10, 'first ten');
    await first.store.flush();
    await first.c.disconnect();

    const second = await open();
    const got2: number[] = [];
    await second.c.bookmarkSubscribe((m) => got2.push((JSON.parse(m.data) as { n: number }).n), topic, 'recent', undefined, { subId: 'rp-sub' });
    await waitFor(() => got2.length === 5, 'redelivery of the unprocessed five');
    await sleep(50);
    expect(got2).toEqual([5, 6, 7, 8, 9]);
  });
});
