import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../runtime/client/index.js';
import type { CommandLike, Message, MessageHandler, SubscriptionManager } from '../../runtime/client/index.js';
import { ConnectionState } from '../../generated/enums.js';
import type { Header } from '../../generated/header-fields.js';
import { MemoryPublishStore } from '../../runtime/store/publish-store.js';
import { MemoryBookmarkStore } from '../../runtime/store/memory-bookmark-store.js';
import { Bookmarks } from '../../runtime/wire/bookmark.js';
import { Peer, autoResponder, logonAck, until, type Frame } from './peer.js';

let peer: Peer | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.disconnect().catch(() => undefined);
  await peer?.close();
  peer = client = undefined;
});

const BIG = 1795494787122000000n; // > 2^53, like the Python HAClient's time-derived sequences

describe('publish store', () => {
  it('numbers publishes with s (as exact 64-bit digits), asks for persisted, discards on persisted acks', async () => {
    peer = await Peer.start();
    const store = new MemoryPublishStore<Header>({ initialSequence: BIG });
    client = new Client('durable').setPublishStore(store);
    await client.connect(peer.uri());
    await client.logon();
    client.publish('orders', '{"id":1}');
    client.publish('orders', { id: 2 }, { expiration: 5 });
    const p1 = await peer.nextCommand('p');
    const p2 = await peer.nextCommand('p');
    expect(p1.raw).toBe(`{"c":"p","s":${BIG + 1n},"t":"orders","a":"persisted"}`);
    expect(p2.header.sequence).toBe(BIG + 2n);
    expect(p2.header.expiration).toBe(5);
    expect(store.unpersistedCount()).toBe(2);
    peer.send({ command: 'ack', ackType: 'persisted', sequence: BIG + 1n, status: 'success' } as Header);
    await until(() => store.unpersistedCount() === 1);
    const flushed = client.publishFlush(2000);
    peer.send({ command: 'ack', ackType: 'persisted', sequence: BIG + 2n, status: 'success' } as Header);
    await flushed;
    expect(store.unpersistedCount()).toBe(0);
  });

  it('reports a failed write with the stored message', async () => {
    peer = await Peer.start();
    const store = new MemoryPublishStore<Header>({ initialSequence: 100n });
    client = new Client('fw').setPublishStore(store);
    const failed: string[] = [];
    client.setFailedWriteHandler((m, reason) => failed.push(`${m.topic} ${m.sequence} ${m.data} ${reason}`));
    await client.connect(peer.uri());
    await client.logon();
    client.publish('orders', 'x');
    await peer.nextCommand('p');
    peer.send({ command: 'ack', ackType: 'persisted', sequence: 101n, status: 'failure', reason: 'not entitled' } as Header);
    await until(() => failed.length === 1);
    expect(failed).toEqual(['orders 101 x not entitled']);
    expect(store.unpersistedCount()).toBe(0);
  });

  it('after logon drops what the server has (logon ack s) and replays the rest, then PublishReplayed', async () => {
    const store = new MemoryPublishStore<Header>({ initialSequence: 0n });
    peer = await Peer.start();
    client = new Client('replayer').setPublishStore(store);
    await client.connect(peer.uri());
    await client.logon();
    for (const id of [1, 2, 3]) client.publish('orders', `{"id":${id}}`);
    await until(() => peer!.frames.filter((f) => f.wire.c === 'p').length === 3);
    await client.disconnect();
    expect(store.unpersistedCount()).toBe(3);

    const states: number[] = [];
    client.addConnectionStateListener((s) => states.push(s));
    peer.responder = (f, p) => {
      if (f.header.command === 'logon') p.send(logonAck(f, { sequence: 1n }));
      else autoResponder(f, p);
    };
    const before = peer.frames.length;
    await client.connect(peer.uri());
    await client.logon();
    await until(() => peer!.frames.length >= before + 3);
    const replayed = peer.frames.slice(before + 1);
    expect(replayed.map((f) => `${f.header.sequence} ${f.body}`)).toEqual(['2 {"id":2}', '3 {"id":3}']);
    expect(states).toEqual([ConnectionState.Connected, ConnectionState.LoggedOn, ConnectionState.PublishReplayed]);
    expect(store.unpersistedCount()).toBe(2);
  });
});

describe('bookmark store', () => {
  function replayPeerFrames(sid: string, seqs: number[]): void {
    for (const n of seqs) {
      peer!.send({ command: 'p', topic: 'replay', subscriptionIds: sid, bookmark: `555|${n}|`, messageLength: 2 } as Header, '{}');
    }
  }

  it('MOST_RECENT with an empty store subscribes from EPOCH and asks for persisted acks', async () => {
    peer = await Peer.start();
    client = new Client('bm').setBookmarkStore(new MemoryBookmarkStore());
    await client.connect(peer.uri());
    await client.logon();
    await client.bookmarkSubscribe(() => undefined, 'replay', Bookmarks.MOST_RECENT, undefined, { subId: 'sub-1' });
    const f = await peer.nextCommand('subscribe');
    expect(f.wire).toEqual({ c: 'subscribe', t: 'replay', cid: f.header.commandId, sub_id: 'sub-1', bm: '0', a: 'processed,persisted' });
  });

  it('drops replayed duplicates, records discards and persisted acks, resumes from the recovery point', async () => {
    peer = await Peer.start();
    const store = new MemoryBookmarkStore();
    client = new Client('bm2').setBookmarkStore(store);
    await client.connect(peer.uri());
    await client.logon();
    const got: Message[] = [];
    await client.bookmarkSubscribe((m) => got.push(m), 'replay', Bookmarks.EPOCH, undefined, { subId: 'sub-2' });
    replayPeerFrames('sub-2', [1, 2, 2, 1, 3]);
    await until(() => got.length === 3);
    await client.flush();
    expect(got.map((m) => m.bookmark)).toEqual(['555|1|', '555|2|', '555|3|']);
    got[0].discard();
    got[1].discard();
    expect(store.getMostRecent('sub-2')).toBe('555|2|');
    await client.unsubscribe('sub-2');
    await client.bookmarkSubscribe(() => undefined, 'replay', Bookmarks.MOST_RECENT, undefined, { subId: 'sub-2' });
    const frames = peer.frames.filter((f: Frame) => f.header.command === 'subscribe');
    await until(() => peer!.frames.filter((f: Frame) => f.header.command === 'subscribe').length === 2);
    const resub = peer.frames.filter((f: Frame) => f.header.command === 'subscribe')[1];
    expect(frames.length).toBeGreaterThanOrEqual(1);
    expect(resub.header.bookmark).toBe('555|2|');
  });

  it('passes persisted acks of a bookmark subscription to the store', async () => {
    peer = await Peer.start();
    const calls: string[] = [];
    const store = new MemoryBookmarkStore();
    const orig = store.persisted.bind(store);
    store.persisted = (sub: string, bm: string) => {
      calls.push(`${sub} ${bm}`);
      orig(sub, bm);
    };
    client = new Client('bm3').setBookmarkStore(store);
    await client.connect(peer.uri());
    await client.logon();
    const sid = await client.bookmarkSubscribe(() => undefined, 'replay', Bookmarks.NOW);
    peer.send({ command: 'ack', commandId: sid, subscriptionId: sid, ackType: 'persisted', status: 'success', bookmark: '555|9|' } as Header);
    await until(() => calls.length === 1);
    expect(calls).toEqual([`${sid} 555|9|`]);
  });
});

describe('recovery hooks', () => {
  it('runs heartbeat → publish replay → resubscribe after logon, in the guide order', async () => {
    peer = await Peer.start();
    const tracked: string[] = [];
    let resubscribed = 0;
    const manager: SubscriptionManager = {
      subscribe(_h: MessageHandler, command: CommandLike, acks: string) {
        tracked.push(`${command.header.subscriptionId} ${command.header.topic} [${acks}]`);
      },
      unsubscribe(subId: string) {
        tracked.push(`- ${subId}`);
      },
      clear() {
        tracked.push('clear');
      },
      async resubscribe(c: Client) {
        expect(c).toBe(client);
        resubscribed++;
      },
    };
    client = new Client('recover')
      .setHeartbeat(30)
      .setPublishStore(new MemoryPublishStore<Header>())
      .setSubscriptionManager(manager);
    const states: number[] = [];
    client.addConnectionStateListener((s) => states.push(s));
    await client.connect(peer.uri());
    await client.logon();
    expect(states).toEqual([
      ConnectionState.Connected,
      ConnectionState.LoggedOn,
      ConnectionState.HeartbeatInitiated,
      ConnectionState.PublishReplayed,
      ConnectionState.Resubscribed,
    ]);
    expect(resubscribed).toBe(1);
    const sid = await client.subscribe(() => undefined, 'orders', undefined, { subId: 's1' });
    await client.subscribe('streams-are-not-tracked');
    await client.unsubscribe(sid);
    await client.unsubscribe();
    expect(tracked).toEqual(['s1 orders []', '- s1', 'clear']);
  });
});

describe('subscription manager and failures', () => {
  it('a timed-out subscribe is forgotten, but not when it times out during resubscribe', async () => {
    peer = await Peer.start((f, p) => {
      if (f.header.command === 'logon') p.send(logonAck(f));
      // subscribes are never acknowledged
    });
    const events: string[] = [];
    let reenter: (() => Promise<unknown>) | undefined;
    const manager: SubscriptionManager = {
      subscribe: (_h, cmd) => events.push(`+ ${cmd.header.subscriptionId}`),
      unsubscribe: (id) => events.push(`- ${id}`),
      clear: () => events.push('clear'),
      async resubscribe() {
        if (reenter) await reenter().catch((e: Error) => events.push(`resubscribe failed: ${e.name}`));
      },
    };
    client = new Client('sm').setSubscriptionManager(manager);
    await client.connect(peer.uri());
    await client.logon();
    await expect(client.subscribe(() => undefined, 't', undefined, { subId: 'A', timeout: 30 })).rejects.toThrow();
    expect(events).toEqual(['+ A', '- A']);
    events.length = 0;
    await client.disconnect();
    reenter = () => client!.executeAsync({ commandName: 'subscribe', header: { topic: 't', subscriptionId: 'B' } as Header }, () => undefined, { timeout: 30 });
    await client.connect(peer.uri());
    await client.logon();
    expect(events).toEqual(['+ B', 'resubscribe failed: TimedOutException']);
  });
});
