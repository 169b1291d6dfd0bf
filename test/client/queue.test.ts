import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, QUEUE_ACK_COMMAND_ID } from '../../runtime/client/index.js';
import type { Message } from '../../runtime/client/index.js';
import type { Header } from '../../generated/header-fields.js';
import { Peer, autoResponder, until, type Frame } from './peer.js';

let peer: Peer;
let client: Client;
let backlog: number | undefined;

beforeEach(async () => {
  backlog = undefined;
  peer = await Peer.start((f, p) => {
    if (f.header.command === 'subscribe' && backlog !== undefined) {
      p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'success', options: `max_backlog=${backlog}` } as Header);
      return;
    }
    autoResponder(f, p);
  });
  client = new Client('queue');
  await client.connect(peer.uri());
  await client.logon();
});

afterEach(async () => {
  await client.disconnect().catch(() => undefined);
  await peer.close();
});

function deliver(sid: string, n: number, topic = 'sample-queue'): void {
  peer.send({ command: 'p', topic, subscriptionIds: sid, bookmark: `555|${n}|`, leasePeriod: '20261124T000000.000000Z', messageLength: 2 } as Header, '{}');
}

const acks = (): Frame[] => peer.frames.filter((f) => f.header.command === 'sow_delete');

describe('queue acknowledgements', () => {
  it('matches the official Python client: batch of 3 under backlog 6, cancel and expire at once, timeout flush', async () => {
    backlog = 6;
    client.setAckBatchSize(3).setAckTimeout(100);
    let i = 0;
    const sid = await client.subscribe(
      (m: Message) => {
        i++;
        if (i === 2) m.ack('cancel');
        else if (i === 4) m.ack('expire');
        else m.ack();
      },
      'sample-queue',
      undefined,
      { options: 'max_backlog=6' },
    );
    for (let n = 1; n <= 6; n++) deliver(sid, n);
    await until(() => acks().length === 4, 3000, 'four queue acks');
    expect(acks().map((f) => f.raw)).toEqual([
      `{"c":"sow_delete","t":"sample-queue","cid":"${QUEUE_ACK_COMMAND_ID}","bm":"555|2|","o":"cancel"}`,
      `{"c":"sow_delete","t":"sample-queue","cid":"${QUEUE_ACK_COMMAND_ID}","bm":"555|4|","o":"expire"}`,
      `{"c":"sow_delete","t":"sample-queue","cid":"${QUEUE_ACK_COMMAND_ID}","bm":"555|1|,555|3|,555|5|"}`,
      `{"c":"sow_delete","t":"sample-queue","cid":"${QUEUE_ACK_COMMAND_ID}","bm":"555|6|"}`,
    ]);
  });

  it('caps the batch at the backlog the server granted', async () => {
    backlog = 2;
    client.setAckBatchSize(10).setAckTimeout(0);
    const sid = await client.subscribe((m) => m.ack(), 'sample-queue', undefined, { options: 'max_backlog=10' });
    for (let n = 1; n <= 4; n++) deliver(sid, n);
    await until(() => acks().length === 2, 3000, 'two batches');
    expect(acks().map((f) => f.header.bookmark)).toEqual(['555|1|,555|2|', '555|3|,555|4|']);
  });

  it('batch size 1 sends each ack at once; a second ack() of the same message is ignored', async () => {
    const sid = await client.subscribe((m) => {
      m.ack();
      m.ack();
    }, 'sample-queue');
    deliver(sid, 1);
    deliver(sid, 2);
    await until(() => acks().length === 2);
    expect(acks().map((f) => f.header.bookmark)).toEqual(['555|1|', '555|2|']);
    expect(acks().every((f) => f.header.ackType === undefined)).toBe(true);
  });

  it('auto-ack acks after the handler returns and cancels when it throws', async () => {
    client.setAutoAck(true);
    client.setExceptionListener(() => undefined);
    const sid = await client.subscribe((m) => {
      if (m.bookmark === '555|2|') throw new Error('cannot process');
    }, 'sample-queue');
    deliver(sid, 1);
    deliver(sid, 2);
    await until(() => acks().length === 2);
    expect(acks().map((f) => `${f.header.bookmark} ${f.header.options ?? ''}`)).toEqual(['555|1| ', '555|2| cancel']);
  });

  it('auto-ack on a stream acks a message when the next one is read', async () => {
    client.setAutoAck(true);
    const stream = await client.subscribe('sample-queue');
    deliver(stream.subscriptionId!, 1);
    deliver(stream.subscriptionId!, 2);
    await stream.next();
    expect(acks()).toHaveLength(0);
    await stream.next();
    await until(() => acks().length === 1);
    expect(acks()[0].header.bookmark).toBe('555|1|');
  });

  it('messages without a lease are not acked', async () => {
    const sid = await client.subscribe((m) => m.ack(), 'plain');
    peer.send({ command: 'p', topic: 'plain', subscriptionIds: sid, bookmark: '1|1|' } as Header, '{}');
    await client.flush();
    expect(acks()).toHaveLength(0);
  });

  it('pending acks are flushed on disconnect()', async () => {
    client.setAckBatchSize(5).setAckTimeout(0);
    const sid = await client.subscribe((m) => m.ack(), 'sample-queue');
    deliver(sid, 1);
    deliver(sid, 2);
    await client.flush();
    expect(acks()).toHaveLength(0);
    await client.disconnect();
    await until(() => acks().length === 1);
    expect(acks()[0].header.bookmark).toBe('555|1|,555|2|');
  });
});
