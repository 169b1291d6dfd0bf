// HAClient behaviour against real mock servers on loopback: connection state sequences (the guide's table),
// reconnection, chooser rotation and giving up, retryOnDisconnect both ways, custom disconnect handlers,
// subscription re-entry.
import { afterEach, describe, expect, it } from 'vitest';
import { MockCluster, MockServer } from '../../mock-server/index.js';
import { Client } from '../../runtime/client/client.js';
import { DisconnectedException } from '../../generated/errors.js';
import {
  DefaultServerChooser,
  DefaultSubscriptionManager,
  FixedDelayStrategy,
  HAClient,
} from '../../runtime/ha/index.js';
import { MemoryPublishStore } from '../../runtime/store/index.js';
import type { Header } from '../../generated/header-fields.js';
import type { Message } from '../../runtime/client/message.js';
import { recordStates, rejectionOf, sleep, waitFor } from './helpers.js';

const cleanups: Array<() => Promise<unknown> | unknown> = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

async function server(): Promise<MockServer> {
  const s = await MockServer.start();
  cleanups.push(() => s.close());
  return s;
}

async function cluster(n: number): Promise<MockCluster> {
  const c = await MockCluster.start({ instances: n });
  cleanups.push(() => c.stop());
  return c;
}

function ha(name: string, uris: string[], opts: { delay?: number; retry?: boolean; maxFailures?: number } = {}): HAClient {
  const chooser = new DefaultServerChooser(opts.maxFailures !== undefined ? { maxConsecutiveFailures: opts.maxFailures } : {});
  for (const u of uris) chooser.add(u);
  const c = new HAClient(name, {
    serverChooser: chooser,
    delayStrategy: new FixedDelayStrategy({ delay: opts.delay ?? 10 }),
    retryOnDisconnect: opts.retry ?? true,
  });
  cleanups.push(() => c.disconnect());
  return c;
}

const RECOVERY = ['Connected', 'LoggedOn'];

describe('connection state sequences (guide table)', () => {
  const cases: Array<{ name: string; manager: boolean; store: boolean; heartbeat: boolean; expected: string[] }> = [
    { name: 'subscription manager + publish store', manager: true, store: true, heartbeat: false, expected: [...RECOVERY, 'PublishReplayed', 'Resubscribed'] },
    { name: 'subscription manager + publish store + heartbeat', manager: true, store: true, heartbeat: true, expected: [...RECOVERY, 'HeartbeatInitiated', 'PublishReplayed', 'Resubscribed'] },
    { name: 'subscription manager', manager: true, store: false, heartbeat: false, expected: [...RECOVERY, 'Resubscribed'] },
    { name: 'subscription manager + heartbeat', manager: true, store: false, heartbeat: true, expected: [...RECOVERY, 'HeartbeatInitiated', 'Resubscribed'] },
    { name: 'nothing set', manager: false, store: false, heartbeat: false, expected: [...RECOVERY] },
    // not in the guide's table (an HAClient has a manager by default), same rule: each step's state when it applies
    { name: 'publish store only', manager: false, store: true, heartbeat: false, expected: [...RECOVERY, 'PublishReplayed'] },
    { name: 'heartbeat only', manager: false, store: false, heartbeat: true, expected: [...RECOVERY, 'HeartbeatInitiated'] },
    { name: 'publish store + heartbeat', manager: false, store: true, heartbeat: true, expected: [...RECOVERY, 'HeartbeatInitiated', 'PublishReplayed'] },
  ];
  for (const k of cases) {
    it(`${k.name}: connect, reconnect after a drop, shutdown`, async () => {
      const s = await server();
      const c = new HAClient(`states-${k.name.replace(/\W+/g, '-')}`, {
        serverChooser: new DefaultServerChooser().add(s.uri('tcp')),
        delayStrategy: new FixedDelayStrategy(10),
        subscriptionManager: k.manager ? new DefaultSubscriptionManager() : null,
      });
      cleanups.push(() => c.disconnect());
      if (k.store) c.setPublishStore(new MemoryPublishStore<Header>());
      if (k.heartbeat) c.setHeartbeat(5);
      const states = recordStates(c);
      await c.connectAndLogon();
      expect(states).toEqual(k.expected);
      states.length = 0;
      s.dropAllConnections();
      await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection');
      expect(states).toEqual(['Disconnected', ...k.expected]);
      states.length = 0;
      await c.disconnect();
      expect(states).toEqual(['Disconnected', 'Shutdown']);
    });
  }

  it('a plain Client (default configuration) delivers Connected, LoggedOn', async () => {
    const s = await server();
    const c = new Client('plain-states');
    const states = recordStates(c);
    await c.connect(s.uri('tcp'));
    await c.logon();
    expect(states).toEqual(['Connected', 'LoggedOn']);
    await c.disconnect();
  });
});

describe('failover and the server chooser', () => {
  it('rotates to the next instance when the current one is stopped, and back', async () => {
    const cl = await cluster(3);
    const uris = cl.uris('tcp');
    const c = ha('rotate', uris);
    await c.connectAndLogon();
    const port = (u: string | undefined) => u?.match(/:(\d+)\//)?.[1];
    expect(port(c.uri)).toBe(port(uris[0]));
    await cl.instance(0).stop();
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'failover to instance 1');
    expect(port(c.uri)).toBe(port(uris[1]));
    await cl.instance(1).stop();
    await waitFor(() => c.reconnections === 2 && !c.isReconnecting, 'failover to instance 2');
    expect(port(c.uri)).toBe(port(uris[2]));
    await cl.instance(0).restart();
    await cl.instance(2).stop();
    await waitFor(() => c.reconnections === 3 && !c.isReconnecting, 'failover back to instance 0');
    expect(port(c.uri)).toBe(port(uris[0]));
  });

  it('uses the authenticator the chooser gives for each URI', async () => {
    const s = await server();
    const seen: string[] = [];
    const auth = (tag: string) => ({
      authenticate: (_u: string, p: string) => {
        seen.push(tag);
        return p;
      },
      retry: (_u: string, p: string) => p,
      completed: () => undefined,
    });
    const chooser = new DefaultServerChooser().add('tcp://127.0.0.1:1/amps/json', auth('dead')).add(s.uri('tcp'), auth('live'));
    const c = new HAClient('auth-per-uri', { serverChooser: chooser, delayStrategy: new FixedDelayStrategy(5) });
    cleanups.push(() => c.disconnect());
    await c.connectAndLogon();
    expect(seen).toEqual(['live']); // the dead URI never got as far as a logon
  });

  it('connectAndLogon gives up with the chooser getError() text; Shutdown is delivered', async () => {
    const c = ha('give-up', ['tcp://127.0.0.1:1/amps/json', 'tcp://127.0.0.1:2/amps/json'], { maxFailures: 4 });
    const states = recordStates(c);
    const err = await rejectionOf(c.connectAndLogon());
    expect(err).toBeInstanceOf(DisconnectedException);
    expect(err.message).toMatch(/no server available: DefaultServerChooser: gave up after 4 consecutive failed attempts over 2 URI/);
    expect(err.message).toMatch(/refused/);
    expect(states).toEqual(['Shutdown']);
    // calls after giving up fail at once with the same explanation
    const e2 = await rejectionOf(c.flush());
    expect(e2.message).toMatch(/gave up/);
  });

  it('a reconnect that gives up reports to the exception listener; the delay strategy can stop it', async () => {
    const s = await server();
    const chooser = new DefaultServerChooser().add(s.uri('tcp'));
    const c = new HAClient('give-up-later', {
      serverChooser: chooser,
      delayStrategy: new FixedDelayStrategy({ delay: 20, maximumRetryTime: 150 }),
    });
    cleanups.push(() => c.disconnect());
    const errors: Error[] = [];
    c.setExceptionListener((e) => errors.push(e));
    const states = recordStates(c);
    await c.connectAndLogon();
    await s.stop();
    await waitFor(() => errors.length > 0, 'give-up error', 5000);
    expect(errors[0]!.message).toMatch(/stopped reconnecting .*Maximum retry time exceeded/);
    expect(errors[0]!.message).toMatch(/refused/);
    expect(states.slice(-2)).toEqual(['Disconnected', 'Shutdown']);
    expect(c.isReconnecting).toBe(false);
  });
});

describe('retryOnDisconnect', () => {
  it('true: a call made while disconnected waits for the reconnection, then runs', async () => {
    const s = await server();
    const c = ha('retry-true', [s.uri('tcp')], { delay: 20 });
    await c.connectAndLogon();
    await s.stop();
    await waitFor(() => !c.isLoggedOn, 'disconnect noticed');
    let done = false;
    const p = c.flush().then(() => (done = true));
    await sleep(100);
    expect(done).toBe(false);
    await s.restart();
    await p;
    expect(done).toBe(true);
    expect(c.reconnections).toBe(1);
  });

  it('true: a subscription sent while disconnected waits and is entered once', async () => {
    const s = await server();
    const c = ha('retry-sub', [s.uri('tcp')], { delay: 20 });
    await c.connectAndLogon();
    await s.stop();
    await waitFor(() => !c.isLoggedOn, 'disconnect noticed');
    const got: string[] = [];
    const subP = c.subscribe((m) => got.push(m.data), 'retry-topic');
    await sleep(50);
    await s.restart();
    const subId = await subP;
    expect(typeof subId).toBe('string');
    s.publish('retry-topic', '{"n":1}');
    await waitFor(() => got.length === 1, 'delivery');
    await sleep(50);
    expect(got).toEqual(['{"n":1}']);
  });

  it('false: one reconnection attempt, then DisconnectedException', async () => {
    const s = await server();
    const c = ha('retry-false', [s.uri('tcp')], { retry: false, delay: 1000 });
    await c.connectAndLogon();
    await s.stop();
    await waitFor(() => !c.isLoggedOn, 'disconnect noticed');
    const err = await rejectionOf(c.flush());
    expect(err).toBeInstanceOf(DisconnectedException);
    expect(err.message).toMatch(/reconnection attempt failed/);
    // and with the server back, the single attempt succeeds
    await s.restart();
    await c.flush();
    expect(c.isLoggedOn).toBe(true);
  });

  it('publish while reconnecting: stored (and later sent) with a publish store, thrown without', async () => {
    const s = await server();
    const c = ha('pub-reconnecting', [s.uri('tcp')], { delay: 20 });
    await c.connectAndLogon();
    await s.stop();
    await waitFor(() => !c.isLoggedOn, 'disconnect noticed');
    expect(() => c.publish('t', 'x')).toThrow(DisconnectedException);
    const store = new MemoryPublishStore<Header>();
    c.setPublishStore(store);
    c.publish('pub-reconnecting-topic', '{"n":1}');
    c.publish('pub-reconnecting-topic', '{"n":2}');
    expect(store.unpersistedCount()).toBe(2);
    const sub = new Client('pub-reconnecting-sub');
    await s.restart();
    await sub.connect(s.uri('tcp'));
    await sub.logon();
    cleanups.push(() => sub.disconnect());
    const stream = await sub.bookmarkSubscribe('pub-reconnecting-topic', '0');
    await c.publishFlush(5000);
    expect(store.unpersistedCount()).toBe(0);
    const seen: string[] = [];
    for await (const m of stream) {
      seen.push(m.data);
      if (seen.length === 2) break;
    }
    expect(seen).toEqual(['{"n":1}', '{"n":2}']);
  });
});

describe('custom disconnect handler', () => {
  it('replaces the default reconnect entirely', async () => {
    const s = await server();
    const c = ha('custom-dh', [s.uri('tcp')]);
    const calls: Error[] = [];
    c.setDisconnectHandler((_client, e) => {
      calls.push(e);
    });
    const states = recordStates(c);
    await c.connectAndLogon();
    states.length = 0;
    s.dropAllConnections();
    await waitFor(() => calls.length === 1, 'handler call');
    await sleep(100);
    expect(c.isLoggedOn).toBe(false);
    expect(c.isReconnecting).toBe(false);
    expect(c.reconnections).toBe(0);
    expect(states).toEqual(['Disconnected']);
    // calls fail at once, like a Client's
    const err = await rejectionOf(c.flush(), 1000);
    expect(err).toBeInstanceOf(DisconnectedException);
  });
});

describe('subscription manager', () => {
  it('re-issues sow_and_subscribe in full, without replace, same sub id; streams end and are not resubscribed', async () => {
    const s = await server();
    const c = ha('resub', [s.uri('tcp')]);
    const sent: string[] = [];
    const dec = new TextDecoder();
    c.setTransportFilter((bytes, outgoing) => {
      if (outgoing) sent.push(typeof bytes === 'string' ? bytes : dec.decode(bytes));
    });
    await c.connectAndLogon();
    s.publish('orders', '{"id":1,"v":"a"}');
    s.publish('orders', '{"id":2,"v":"b"}');
    const got: Message[] = [];
    const subId = await c.sowAndSubscribe((m) => got.push(m), 'orders', undefined, { subId: 'orders-sub', options: 'replace,oof' });
    expect(subId).toBe('orders-sub');
    const stream = await c.subscribe('orders');
    await waitFor(() => got.filter((m) => m.header.command === 'sow').length === 2, 'sow records');
    sent.length = 0;
    s.dropAllConnections();
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection');
    await waitFor(() => got.filter((m) => m.header.command === 'sow').length === 4, 'sow records again');
    const resent = sent.filter((f) => f.includes('sow_and_subscribe'));
    expect(resent).toHaveLength(1);
    expect(resent[0]).toContain('"orders-sub"');
    expect(resent[0]).not.toContain('replace');
    expect(resent[0]).toContain('oof');
    expect(sent.filter((f) => f.includes('"c":"subscribe"'))).toHaveLength(0);
    await expect(
      (async () => {
        for await (const _m of stream) void _m;
      })(),
    ).rejects.toBeInstanceOf(DisconnectedException);
    const manager = c.getSubscriptionManager() as DefaultSubscriptionManager;
    expect(manager.subscriptionIds).toEqual(['orders-sub']);
    await c.unsubscribe('orders-sub');
    expect(manager.size).toBe(0);
  });

  it('bookmark subscription without a bookmark store resumes after the last delivered message', async () => {
    const s = await server();
    const c = ha('bm-nostore', [s.uri('tcp')]);
    await c.connectAndLogon();
    const got: string[] = [];
    await c.bookmarkSubscribe((m) => got.push(m.data), 'bm-nostore-topic', '0');
    for (let i = 0; i < 5; i++) s.publish('bm-nostore-topic', `{"n":${i}}`);
    await waitFor(() => got.length === 5, 'first five');
    s.dropAllConnections();
    for (let i = 5; i < 10; i++) s.publish('bm-nostore-topic', `{"n":${i}}`);
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection');
    await waitFor(() => got.length >= 10, 'all ten');
    await sleep(50);
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `{"n":${i}}`));
  });

  it('bookmark subscription with a memory bookmark store resumes from the recovery point (discarded)', async () => {
    const s = await server();
    const c = HAClient.createMemoryBacked('bm-store', {
      serverChooser: new DefaultServerChooser().add(s.uri('tcp')),
      delayStrategy: new FixedDelayStrategy(10),
    });
    cleanups.push(() => c.close());
    await c.connectAndLogon();
    const got: string[] = [];
    await c.bookmarkSubscribe(
      (m) => {
        got.push(m.data);
        m.discard();
      },
      'bm-store-topic',
      'recent',
      undefined,
      { subId: 'bm-store-sub' },
    );
    for (let i = 0; i < 5; i++) s.publish('bm-store-topic', `{"n":${i}}`);
    await waitFor(() => got.length === 5, 'first five');
    s.dropAllConnections();
    for (let i = 5; i < 10; i++) s.publish('bm-store-topic', `{"n":${i}}`);
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection');
    await waitFor(() => got.length >= 10, 'all ten');
    await sleep(50);
    expect(got).toEqual(Array.from({ length: 10 }, (_, i) => `{"n":${i}}`));
  });
});

describe('failure detection and logon failures', () => {
  it('heartbeat absence on a stalled server is detected and the client reconnects', async () => {
    // The stalled session still holds the client name: this server lets a new logon replace it.
    const s = await MockServer.start({ logon: { nameInUse: 'replace' } });
    cleanups.push(() => s.close());
    const c = ha('hb-stall', [s.uri('tcp')]);
    c.setHeartbeat(1);
    const states = recordStates(c);
    await c.connectAndLogon();
    states.length = 0;
    s.stall(4000);
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection after heartbeat absence', 8000, 20);
    expect(states).toEqual(['Disconnected', 'Connected', 'LoggedOn', 'HeartbeatInitiated', 'Resubscribed']);
  }, 15_000);

  it('while the stalled session holds the name (name in use), the client keeps retrying, then gets back on', async () => {
    const s = await server();
    const c = ha('hb-stall-reject', [s.uri('tcp')], { delay: 100 });
    c.setHeartbeat(1);
    const states = recordStates(c);
    await c.connectAndLogon();
    states.length = 0;
    s.stall(3000);
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection after the stall', 10_000, 20);
    expect(states.slice(-4)).toEqual(['Connected', 'LoggedOn', 'HeartbeatInitiated', 'Resubscribed']);
    expect(states.filter((x) => x === 'LoggedOn')).toHaveLength(1);
  }, 15_000);

  it('a logon failure (auth) is reported to the chooser, which moves on to the next server', async () => {
    const locked = await MockServer.start({ authentication: { users: [{ user: 'alice', password: 'right' }] } });
    cleanups.push(() => locked.close());
    const open = await server();
    const failures: string[] = [];
    const chooser = new DefaultServerChooser().add(locked.uri('tcp', 'json', { user: 'alice', password: 'wrong' })).add(open.uri('tcp'));
    const report = chooser.reportFailure.bind(chooser);
    chooser.reportFailure = (e, info) => {
      failures.push(`${info.attempt}:${e.constructor.name}`);
      report(e, info);
    };
    const c = new HAClient('auth-rotate', { serverChooser: chooser, delayStrategy: new FixedDelayStrategy(5) });
    cleanups.push(() => c.disconnect());
    await c.connectAndLogon();
    expect(failures).toEqual(['1:AuthenticationException']);
    expect(c.uri).toContain(`:${open.port('tcp')}/`);
  });

  it('disconnect() while reconnecting stops the loop and fails waiting calls (not an error for the listener)', async () => {
    const s = await server();
    const c = ha('stop-loop', [s.uri('tcp')], { delay: 50 });
    const errors: Error[] = [];
    c.setExceptionListener((e) => errors.push(e));
    const states = recordStates(c);
    await c.connectAndLogon();
    await s.stop();
    await waitFor(() => c.isReconnecting, 'reconnecting');
    const pending = c.flush();
    states.length = 0;
    await c.disconnect();
    const err = await rejectionOf(pending);
    expect(err).toBeInstanceOf(DisconnectedException);
    expect(c.isReconnecting).toBe(false);
    expect(states).toEqual(['Shutdown']);
    await s.restart();
    await sleep(120);
    expect(c.isLoggedOn).toBe(false);
    expect(errors).toEqual([]);
  });
});

describe('direct connect + logon', () => {
  it('an HAClient connected like a Client (connect, logon) reconnects to that server', async () => {
    const s = await server();
    const c = new HAClient('direct', { delayStrategy: new FixedDelayStrategy(10) });
    cleanups.push(() => c.disconnect());
    await c.connect(s.uri('tcp'));
    await c.logon();
    s.dropAllConnections();
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection');
    expect((c.getServerChooser() as DefaultServerChooser).size).toBe(1);
  });
});

describe('publish gap', () => {
  it('errorOnPublishGap: a server that has not seen what an earlier one persisted counts as a failed attempt', async () => {
    const a = await server();
    const b = await server(); // not replicated from a
    // b has an older history for this client name (s = 6); a fresh server (s = 0) is not a gap.
    const early = new Client('gap-publisher');
    early.setPublishStore(new MemoryPublishStore<Header>({ initialSequence: 5n }));
    await early.connect(b.uri('tcp'));
    await early.logon();
    early.publish('gap-topic', '{"n":-1}');
    await early.publishFlush(5000);
    await early.disconnect();
    const failures: string[] = [];
    const chooser = new DefaultServerChooser().add(a.uri('tcp')).add(b.uri('tcp'));
    const report = chooser.reportFailure.bind(chooser);
    chooser.reportFailure = (e, info) => {
      failures.push(`${info.uri.includes(`:${b.port('tcp')}/`) ? 'b' : 'a'}:${e.constructor.name}`);
      report(e, info);
    };
    const c = new HAClient('gap-publisher', { serverChooser: chooser, delayStrategy: new FixedDelayStrategy(20) });
    cleanups.push(() => c.disconnect());
    const store = new MemoryPublishStore<Header>({ errorOnPublishGap: true });
    c.setPublishStore(store);
    await c.connectAndLogon();
    for (let i = 0; i < 10; i++) c.publish('gap-topic', `{"n":${i}}`);
    await c.publishFlush(5000);
    await a.stop();
    await waitFor(() => failures.some((f) => f.startsWith('b:PublishStoreGap')), `gap detected on b (failures: ${failures.join(' ')}; reconnections ${c.reconnections})`);
    expect(c.isLoggedOn).toBe(false);
    await a.restart();
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'back on a', 5000);
    expect(c.uri).toContain(`:${a.port('tcp')}/`);
  });
});

describe('bookmark resume points', () => {
  it('a NOW subscription that received nothing resubscribes at NOW, not EPOCH (even with a bookmark store)', async () => {
    const s = await server();
    for (let i = 0; i < 3; i++) s.publish('now-topic', `{"old":${i}}`);
    const c = HAClient.createMemoryBacked('now-sub', {
      serverChooser: new DefaultServerChooser().add(s.uri('tcp')),
      delayStrategy: new FixedDelayStrategy(10),
    });
    cleanups.push(() => c.close());
    await c.connectAndLogon();
    const got: string[] = [];
    await c.bookmarkSubscribe((m) => got.push(m.data), 'now-topic', '0|1|', undefined, { subId: 'now-sub' });
    const manager = c.getSubscriptionManager() as DefaultSubscriptionManager;
    expect(manager.resubscribeCommand('now-sub', c)?.header.bookmark).toBe('0|1|');
    s.dropAllConnections();
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'reconnection');
    s.publish('now-topic', '{"new":1}');
    await waitFor(() => got.length === 1, 'the new message');
    await sleep(50);
    expect(got).toEqual(['{"new":1}']);
    // after a delivery (not discarded: the store has no point), it resumes after the last delivered bookmark
    expect(manager.resubscribeCommand('now-sub', c)?.header.bookmark).toMatch(/^\d+\|\d+\|$/);
  });
});

describe('WebSocket', () => {
  it('fails over between instances over ws:// with a bookmark subscription, exactly once', async () => {
    const cl = await cluster(2);
    const uris = cl.uris('ws');
    const c = HAClient.createMemoryBacked('ws-ha', {
      serverChooser: new DefaultServerChooser().add(uris[0]!).add(uris[1]!),
      delayStrategy: new FixedDelayStrategy(10),
    });
    cleanups.push(() => c.close());
    await c.connectAndLogon();
    const got: number[] = [];
    await c.bookmarkSubscribe(
      (m) => {
        got.push((JSON.parse(m.data) as { n: number }).n);
        m.discard();
      },
      'ws-topic',
      'recent',
      undefined,
      { subId: 'ws-sub' },
    );
    for (let i = 0; i < 20; i++) cl.instance(0).publish('ws-topic', `{"n":${i}}`);
    await waitFor(() => got.length === 20, 'first twenty');
    await cl.instance(0).stop();
    for (let i = 20; i < 40; i++) cl.instance(1).publish('ws-topic', `{"n":${i}}`);
    await waitFor(() => c.reconnections === 1 && !c.isReconnecting, 'failover');
    await waitFor(() => got.length >= 40, 'all forty');
    await sleep(50);
    expect(got).toEqual(Array.from({ length: 40 }, (_, i) => i));
  });
});

describe('factories', () => {
  it('createMemoryBacked / createFileBacked set the guide\'s stores; close() releases the files for a restart', async () => {
    const { FilePublishStore: FPS, LoggedBookmarkStore: LBS, MemoryBookmarkStore: MBS } = await import('../../runtime/store/index.js');
    const { tempDir } = await import('./helpers.js');
    const m = HAClient.createMemoryBacked('factory-mem');
    expect(m.getPublishStore()).toBeInstanceOf(MemoryPublishStore);
    expect(m.getBookmarkStore()).toBeInstanceOf(MBS);
    expect(m.getSubscriptionManager()).toBeInstanceOf(DefaultSubscriptionManager);
    const tmp = tempDir();
    cleanups.push(() => tmp.cleanup());
    const s = await server();
    const pubLog = `${tmp.dir}/p.log`;
    const bmLog = `${tmp.dir}/b.log`;
    const f = HAClient.createFileBacked('factory-file', pubLog, bmLog, { serverChooser: new DefaultServerChooser().add(s.uri('tcp')) });
    expect(f.getPublishStore()).toBeInstanceOf(FPS);
    expect(f.getBookmarkStore()).toBeInstanceOf(LBS);
    await f.connectAndLogon();
    f.publish('factory-topic', '{"n":1}');
    await f.publishFlush(5000);
    await f.close();
    // the same files open again (a restarted process)
    const g = HAClient.createFileBacked('factory-file', pubLog, bmLog, { serverChooser: new DefaultServerChooser().add(s.uri('tcp')) });
    cleanups.push(() => g.close());
    expect(g.getPublishStore()!.unpersistedCount()).toBe(0);
    await g.connectAndLogon();
    g.publish('factory-topic', '{"n":2}');
    await g.publishFlush(5000);
  });
});
