import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, Message, MessageStreamOverflowException } from '../../runtime/client/index.js';
import { DisconnectedException, TimedOutException } from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';
import { encodeSowBatch } from '../../runtime/wire/tcp-framing.js';
import { Peer, until } from './peer.js';

const enc = new TextEncoder();
let peer: Peer;
let client: Client;

beforeEach(async () => {
  peer = await Peer.start();
  client = new Client('streams');
  await client.connect(peer.uri());
  await client.logon();
});

afterEach(async () => {
  await client.disconnect().catch(() => undefined);
  await peer.close();
});

function pub(sids: string, data: string, extra: Partial<Header> = {}): void {
  peer.send({ command: 'p', topic: 't', subscriptionIds: sids, messageLength: enc.encode(data).length, ...extra } as Header, data);
}

describe('MessageStream', () => {
  it('a sow yields group_begin, every record of a batch, group_end, then completes', async () => {
    peer.responder = (f, p) => {
      if (f.header.command === 'logon') return;
      const qid = f.header.queryId!;
      p.send({ command: 'ack', commandId: f.header.commandId, queryId: qid, ackType: 'processed', status: 'success' } as Header);
      p.send({ command: 'group_begin', queryId: qid } as Header);
      p.sendRaw(
        encodeSowBatch({ command: 'sow', topic: 'orders', queryId: qid } as Header, [
          { header: { sowKey: '11' } as Header, body: enc.encode('{"id":1}') },
          { header: { sowKey: '33' } as Header, body: enc.encode('{"id":3}') },
        ], { server: true }),
      );
      p.send({ command: 'group_end', queryId: qid } as Header);
      p.send({ command: 'ack', commandId: f.header.commandId, queryId: qid, ackType: 'completed', status: 'success' } as Header);
    };
    const stream = await client.sow('orders');
    const got = (await stream.toArray()).map((m) => `${m.command}${m.sowKey ? ` ${m.sowKey} ${m.data}` : ''}`);
    expect(got).toEqual(['group_begin', 'sow 11 {"id":1}', 'sow 33 {"id":3}', 'group_end']);
    expect(stream.isComplete).toBe(true);
  });

  it('sow in handler mode receives the same messages; the promise resolves with the query id', async () => {
    peer.responder = (f, p) => {
      if (f.header.command === 'logon') return;
      const qid = f.header.queryId!;
      p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'success' } as Header);
      p.send({ command: 'group_begin', queryId: qid } as Header);
      p.sendRaw(encodeSowBatch({ command: 'sow', topic: 'orders', queryId: qid } as Header, [{ header: { sowKey: '5' } as Header, body: enc.encode('{}') }], { server: true }));
      p.send({ command: 'group_end', queryId: qid } as Header);
    };
    const got: string[] = [];
    const id = await client.sow((m) => got.push(m.commandKind!), 'orders');
    await until(() => got.length === 3);
    expect(got).toEqual(['group_begin', 'sow', 'group_end']);
    expect(id).toMatch(/^auto\d+$/);
  });

  it('routes deliveries by each id in sids; unclaimed ids go to the last-chance handler', async () => {
    const a: string[] = [];
    const b: string[] = [];
    const last: string[] = [];
    client.setLastChanceMessageHandler((m) => last.push(m.data));
    const sa = await client.subscribe((m) => a.push(`${m.subscriptionId}:${m.data}`), 't');
    const sb = await client.subscribe((m) => b.push(`${m.subscriptionId}:${m.data}`), 't');
    pub(`${sa},${sb}`, 'both');
    pub(sb, 'only-b');
    pub('gone', 'nobody');
    await until(() => b.length === 2 && last.length === 1);
    expect(a).toEqual([`${sa}:both`]);
    expect(b).toEqual([`${sb}:both`, `${sb}:only-b`]);
    expect(last).toEqual(['nobody']);
  });

  it('oof messages reach the subscription', async () => {
    const stream = await client.sowAndSubscribe('t', undefined, { options: 'oof' });
    peer.send({ command: 'oof', topic: 't', subscriptionIds: stream.subscriptionId, sowKey: '77', reason: 'deleted', messageLength: 0 } as Header);
    const { value } = await stream.next();
    expect(value).toBeInstanceOf(Message);
    expect(value!.command).toBe('oof');
    expect(value!.reason).toBe('deleted');
  });

  it('delivers what it holds, then throws DisconnectedException when the connection drops', async () => {
    const stream = await client.subscribe('t');
    pub(stream.subscriptionId!, 'm1');
    pub(stream.subscriptionId!, 'm2');
    await until(() => stream.depthNow === 2);
    peer.dropClients();
    await until(() => !client.isConnected);
    const got: string[] = [];
    const err = await (async () => {
      for await (const m of stream) got.push(m.data);
    })().catch((e: unknown) => e);
    expect(got).toEqual(['m1', 'm2']);
    expect(err).toBeInstanceOf(DisconnectedException);
  });

  it('messages from a stream are distinct objects that stay valid', async () => {
    const stream = await client.subscribe('t');
    pub(stream.subscriptionId!, 'first');
    pub(stream.subscriptionId!, 'second');
    const m1 = (await stream.next()).value as Message;
    const m2 = (await stream.next()).value as Message;
    expect(m1).not.toBe(m2);
    expect(m1.data).toBe('first');
    expect(m2.data).toBe('second');
    expect(m1.body).toBeInstanceOf(Uint8Array);
    expect(m1.data).toBe('first');
  });

  it('close() (and break out of for await) unsubscribes', async () => {
    const stream = await client.subscribe('t');
    pub(stream.subscriptionId!, 'x');
    for await (const m of stream) {
      expect(m.data).toBe('x');
      break;
    }
    const u = await peer.nextCommand('unsubscribe');
    expect(u.header.subscriptionId).toBe(stream.subscriptionId);
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('await using disposes the stream', async () => {
    let subId: string | undefined;
    {
      await using stream = await client.subscribe('t');
      subId = stream.subscriptionId;
    }
    const u = await peer.nextCommand('unsubscribe');
    expect(u.header.subscriptionId).toBe(subId);
  });

  it('conflate() keeps only the newest held message per SowKey', async () => {
    const stream = (await client.subscribe('t')).conflate();
    const sid = stream.subscriptionId!;
    pub(sid, 'a1', { sowKey: 'a' });
    pub(sid, 'b1', { sowKey: 'b' });
    pub(sid, 'a2', { sowKey: 'a' });
    pub(sid, 'n1');
    pub(sid, 'b2', { sowKey: 'b' });
    await until(() => peer.frames.length > 0 && stream.depthNow === 3);
    const got: string[] = [];
    for (let i = 0; i < 3; i++) got.push(((await stream.next()).value as Message).data);
    expect(got).toEqual(['a2', 'b2', 'n1']);
    pub(sid, 'a3', { sowKey: 'a' });
    expect(((await stream.next()).value as Message).data).toBe('a3');
  });

  it("maxDepth 'drop-oldest' keeps the newest messages and counts the drops", async () => {
    const stream = (await client.subscribe('t')).maxDepth(2, 'drop-oldest');
    for (const d of ['1', '2', '3', '4']) pub(stream.subscriptionId!, d);
    await until(() => stream.droppedCount === 2);
    expect(((await stream.next()).value as Message).data).toBe('3');
    expect(((await stream.next()).value as Message).data).toBe('4');
  });

  it("maxDepth 'error' ends the stream with an overflow exception and unsubscribes", async () => {
    const stream = (await client.subscribe('t')).maxDepth(2);
    for (const d of ['1', '2', '3']) pub(stream.subscriptionId!, d);
    const u = await peer.nextCommand('unsubscribe');
    expect(u.header.subscriptionId).toBe(stream.subscriptionId);
    const got: string[] = [];
    const err = await (async () => {
      for await (const m of stream) got.push(m.data);
    })().catch((e: unknown) => e);
    expect(got).toEqual(['1', '2']);
    expect(err).toBeInstanceOf(MessageStreamOverflowException);
  });

  it('a per-read timeout rejects the read but leaves the stream usable', async () => {
    const stream = (await client.subscribe('t')).timeout(30);
    await expect(stream.next()).rejects.toBeInstanceOf(TimedOutException);
    pub(stream.subscriptionId!, 'late');
    expect(((await stream.next()).value as Message).data).toBe('late');
  });

  it('a failure ack after the subscription was established ends its stream with the exception', async () => {
    const stream = await client.subscribe('t');
    peer.send({ command: 'ack', commandId: stream.commandId, ackType: 'completed', status: 'failure', reason: 'not entitled' } as Header);
    await expect(stream.next()).rejects.toMatchObject({ reason: 'not entitled' });
  });
});

describe('subscription ids', () => {
  it('replace: the new handler takes over the id once the server accepts it', async () => {
    const a: string[] = [];
    const b: string[] = [];
    await client.subscribe((m) => a.push(m.data), 't', undefined, { subId: 'S' });
    pub('S', 'one');
    await until(() => a.length === 1);
    await client.subscribe((m) => b.push(m.data), 't', '/x = 1', { subId: 'S', options: 'replace' });
    pub('S', 'two');
    await until(() => b.length === 1);
    expect(a).toEqual(['one']);
    expect(b).toEqual(['two']);
  });

  it('a refused duplicate id leaves the first subscription in place', async () => {
    const a: string[] = [];
    await client.subscribe((m) => a.push(m.data), 't', undefined, { subId: 'D' });
    peer.responder = (f, p) => {
      p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'failure', reason: 'subid in use' } as Header);
    };
    await expect(client.subscribe(() => undefined, 't', undefined, { subId: 'D' })).rejects.toMatchObject({ reason: 'subid in use' });
    pub('D', 'still-mine');
    await until(() => a.length === 1);
    expect(a).toEqual(['still-mine']);
  });
});

describe('query completion', () => {
  it('a completed ack that overtakes group_end does not cut the group short', async () => {
    peer.responder = (f, p) => {
      if (f.header.command !== 'sow') return;
      const qid = f.header.queryId!;
      p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'success' } as Header);
      p.send({ command: 'group_begin', queryId: qid } as Header);
      p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'completed', status: 'success' } as Header);
      p.sendRaw(encodeSowBatch({ command: 'sow', topic: 'orders', queryId: qid } as Header, [{ header: { sowKey: '1' } as Header, body: enc.encode('{}') }], { server: true }));
      p.send({ command: 'group_end', queryId: qid } as Header);
    };
    const got = (await (await client.sow('orders')).toArray()).map((m) => m.command);
    expect(got).toEqual(['group_begin', 'sow', 'group_end']);
  });
});
