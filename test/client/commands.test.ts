import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { Client, Message } from '../../runtime/client/index.js';
import { Command } from '../../generated/command-builder.js';
import {
  AMPSException,
  BadFilterException,
  CommandException,
  DisconnectedException,
  InvalidTopicException,
  MissingFieldsException,
  NotEntitledException,
  PublishException,
  SubidInUseException,
  TimedOutException,
} from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';
import * as errors from '../../generated/errors.js';
import { Bookmarks } from '../../runtime/wire/bookmark.js';
import { Peer, autoResponder, until, type Frame } from './peer.js';

interface PyFrame {
  header: string;
  body: string;
}
const PY: PyFrame[] = JSON.parse(
  readFileSync('/work/shared/reference/vectors/python-client-tcp-frames.json', 'utf8'),
) as PyFrame[];
/** The recorded Python frame (wire keys) whose header contains `needle`. */
function py(needle: string): Record<string, unknown> {
  const f = PY.find((x) => x.header.includes(needle));
  if (f === undefined) throw new Error(`no vector with ${needle}`);
  return JSON.parse(f.header) as Record<string, unknown>;
}
/** Wire keys normalised to ours: the Python client writes `bookmark`/`batch_size`, we write `bm`/`bs`. */
function norm(w: Record<string, unknown>): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(w)) {
    const key = k === 'bookmark' ? 'bm' : k === 'batch_size' ? 'bs' : k;
    out[key] = v;
  }
  return out;
}
/** Same frame up to command ids (ours are numbered differently). */
function sameFrame(ours: Frame, theirs: Record<string, unknown>, notSent: string[] = []): void {
  const a = norm(ours.wire);
  const b = norm(theirs);
  for (const k of notSent) delete b[k];
  for (const k of ['cid', 'sub_id', 'query_id']) {
    if (k in b) {
      expect(a[k], `${k} present`).toBeDefined();
      delete a[k];
      delete b[k];
    }
  }
  expect(a).toEqual(b);
}

let peer: Peer;
let client: Client;

beforeEach(async () => {
  peer = await Peer.start();
  client = new Client('capture-ts');
  await client.connect(peer.uri());
  await client.logon();
  await peer.nextCommand('logon');
});

afterEach(async () => {
  await client.disconnect().catch(() => undefined);
  await peer.close();
});

describe('frames the convenience methods send (compared with the official Python client)', () => {
  it('publish, publish with expiration, delta_publish', async () => {
    client.publish('orders', '{"id":1,"symbol":"ROL"}');
    client.publish('orders', { id: 2 }, { expiration: 30 });
    client.deltaPublish('orders', '{"id":2,"qty":5}');
    const p1 = await peer.nextCommand('p');
    expect(p1.raw).toBe('{"c":"p","t":"orders"}');
    expect(p1.body).toBe('{"id":1,"symbol":"ROL"}');
    const p2 = await peer.nextCommand('p');
    // Python sends e as a string ("30"), the JS client as a number: the server accepts both.
    expect(p2.raw).toBe('{"c":"p","t":"orders","e":30}');
    expect(p2.body).toBe('{"id":2}');
    const d = await peer.nextCommand('delta_publish');
    expect(d.raw).toBe('{"c":"delta_publish","t":"orders"}');
    expect(d.body).toBe('{"id":2,"qty":5}');
  });

  it('publish with correlation id, sow key and bytes', async () => {
    client.publish('orders', new TextEncoder().encode('abc'), { correlationId: 'QUJD', sowKey: 'k1' });
    const p = await peer.nextCommand('p');
    expect(p.wire).toEqual({ c: 'p', t: 'orders', x: 'QUJD', k: 'k1' });
    expect(p.body).toBe('abc');
  });

  it('subscribe with filter resolves with a stream; unsubscribe', async () => {
    const stream = await client.subscribe('messages', "/sender = 'mom'");
    const sub = await peer.nextCommand('subscribe');
    sameFrame(sub, py('"t":"messages","cid":"auto2"'));
    expect(sub.header.subscriptionId).toBe(sub.header.commandId);
    expect(stream.subscriptionId).toBe(sub.header.subscriptionId);
    await client.unsubscribe(stream.subscriptionId);
    const u = await peer.nextCommand('unsubscribe');
    expect(u.wire).toEqual({ c: 'unsubscribe', cid: u.header.commandId, sub_id: sub.header.subscriptionId, a: 'processed' });
    await expect(stream.next()).resolves.toEqual({ done: true, value: undefined });
  });

  it('bookmark subscribe from EPOCH and queue subscribe with max_backlog', async () => {
    await client.bookmarkSubscribe(() => undefined, 'replay', Bookmarks.EPOCH);
    sameFrame(await peer.nextCommand('subscribe'), py('"bookmark":"0"'));
    await client.subscribe(() => undefined, 'work', undefined, { options: 'max_backlog=10' });
    sameFrame(await peer.nextCommand('subscribe'), py('max_backlog=10'));
  });

  it('sow, sow with top_n/orderby/batch size, sow_and_subscribe with oof, delta_subscribe', async () => {
    peer.responder = (f, p) => {
      autoResponder(f, p);
      if (f.header.command === 'sow') {
        p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'completed', status: 'success' } as Header);
      }
    };
    await client.sow('orders', "/symbol = 'ROL'");
    sameFrame(await peer.nextCommand('sow'), py("/symbol = 'ROL'"));
    await client.sow('orders', '/id > 20', { topN: 5, orderBy: '/qty DESC', batchSize: 100 });
    sameFrame(await peer.nextCommand('sow'), py('"orderby"'));
    await client.sowAndSubscribe('van_location', undefined, { options: 'oof' });
    sameFrame(await peer.nextCommand('sow_and_subscribe'), py('van_location'));
    await client.deltaSubscribe('orders');
    sameFrame(await peer.nextCommand('delta_subscribe'), py('"c":"delta_subscribe"'));
  });

  it('sow_delete by filter, keys and data resolve with the stats ack', async () => {
    peer.responder = (f, p) => {
      autoResponder(f, p);
      if (f.header.command === 'sow_delete') {
        p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'stats', status: 'success', matches: 1, recordsDeleted: 1 } as Header);
      }
    };
    const stats = await client.sowDelete('orders', '/id = 1');
    expect(stats).toBeInstanceOf(Message);
    expect(stats.ackType).toBe('stats');
    expect(stats.recordsDeleted).toBe(1);
    // The Python client also sets sub_id and query_id on sow_delete (meaningless there); we send what JS sends.
    const noIds = ['sub_id', 'query_id'];
    sameFrame(await peer.nextCommand('sow_delete'), py('"filter":"/id = 1"'), noIds);
    await client.sowDeleteByKeys('orders', ['123', '456']);
    sameFrame(await peer.nextCommand('sow_delete'), py('"sow_keys":"123,456"'), noIds);
    await client.sowDeleteByData('orders', { id: 2 });
    const d = await peer.nextCommand('sow_delete');
    sameFrame(d, py('"cid":"d"'), noIds);
    expect(d.body).toBe('{"id":2}');
  });

  it('flush and unsubscribe all', async () => {
    await client.flush();
    sameFrame(await peer.nextCommand('flush'), py('"c":"flush"'));
    await client.unsubscribe();
    const u = await peer.nextCommand('unsubscribe');
    expect(u.wire).toEqual({ c: 'unsubscribe', cid: u.header.commandId, sub_id: 'all', a: 'processed' });
  });

  it('execute(Command) builds the same sow as the convenience method', async () => {
    peer.responder = (f, p) => {
      autoResponder(f, p);
      if (f.header.command === 'sow') {
        p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'completed', status: 'success' } as Header);
      }
    };
    const stream = await client.execute(Command.sow('orders').filter('/id > 20'));
    const f = await peer.nextCommand('sow');
    expect(f.wire).toEqual({
      c: 'sow',
      t: 'orders',
      filter: '/id > 20',
      cid: f.header.commandId,
      query_id: f.header.commandId,
      bs: 10,
      a: 'processed,completed',
    });
    expect(await stream.toArray()).toEqual([]);
  });
});

describe('failure reasons (every reason the official Python client maps)', () => {
  const lines = readFileSync('/work/shared/reference/vectors/python-client-reason-to-exception.txt', 'utf8')
    .split('\n')
    .filter((l) => l.includes('->'));
  const table = lines.map((l) => {
    const [reason, cls] = l.split('->').map((x) => x.trim());
    return [reason, cls] as const;
  });

  it.each(table)('%s → %s', async (reason, clsName) => {
    peer.responder = (f, p) => {
      if (f.header.command === 'subscribe') {
        p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'failure', reason } as Header);
      }
    };
    const err = await client.subscribe('t').catch((e: unknown) => e);
    const cls = (errors as Record<string, unknown>)[clsName] as new (...a: never[]) => Error;
    expect(cls, clsName).toBeTypeOf('function');
    expect(err).toBeInstanceOf(cls);
    expect((err as AMPSException).reason).toBe(reason);
  });
});

describe('acks and errors', () => {
  it('a command resolves only when its processed ack arrives', async () => {
    peer.responder = () => undefined;
    let done = false;
    const p = client.subscribe(() => undefined, 'slow').then((id) => {
      done = true;
      return id;
    });
    const f = await peer.nextCommand('subscribe');
    await new Promise((r) => setTimeout(r, 20));
    expect(done).toBe(false);
    peer.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'success' } as Header);
    await expect(p).resolves.toBe(f.header.subscriptionId);
  });

  it('maps failure reasons to the generated exception classes', async () => {
    const table: [string, new (...a: never[]) => AMPSException][] = [
      ['bad filter', BadFilterException],
      ['invalid topic', InvalidTopicException],
      ['not entitled', NotEntitledException],
      ['no topic or filter', MissingFieldsException],
      ['subid in use', SubidInUseException],
      ['sow store failed', PublishException],
      ['something new', CommandException],
    ];
    let reason = '';
    peer.responder = (f, p) => {
      if (f.header.command === 'subscribe') {
        p.send({ command: 'ack', commandId: f.header.commandId, ackType: 'processed', status: 'failure', reason } as Header);
      }
    };
    for (const [r, cls] of table) {
      reason = r;
      const err = await client.subscribe('t', '/x = 1').catch((e: unknown) => e);
      expect(err, r).toBeInstanceOf(cls);
      expect((err as AMPSException).reason).toBe(r);
      expect((err as AMPSException).command).toBe('subscribe');
    }
  });

  it('a timed-out subscription rejects with TimedOutException and is unsubscribed', async () => {
    peer.responder = () => undefined;
    const err = await client.subscribe(() => undefined, 'never', undefined, { timeout: 50 }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(TimedOutException);
    const sub = await peer.nextCommand('subscribe');
    const u = await peer.nextCommand('unsubscribe');
    expect(u.header.subscriptionId).toBe(sub.header.subscriptionId);
    expect(u.header.ackType).toBeUndefined();
  });

  it('setDefaultTimeout applies to commands without their own timeout', async () => {
    peer.responder = () => undefined;
    client.setDefaultTimeout(30);
    await expect(client.flush()).rejects.toBeInstanceOf(TimedOutException);
  });

  it('pending commands reject with DisconnectedException when the connection drops', async () => {
    peer.responder = () => undefined;
    const p = client.sow('orders');
    await peer.nextCommand('sow');
    peer.dropClients();
    await expect(p).rejects.toBeInstanceOf(DisconnectedException);
  });

  it('a handler that throws reaches the exception listener and delivery continues', async () => {
    const errors: unknown[] = [];
    client.setExceptionListener((e) => errors.push(e));
    const got: string[] = [];
    const subId = await client.subscribe((m) => {
      got.push(m.data);
      if (m.data === 'boom') throw new Error('handler failed');
    }, 't');
    for (const d of ['a', 'boom', 'b']) peer.send({ command: 'p', topic: 't', subscriptionIds: subId } as Header, d);
    await until(() => got.length === 3);
    expect(got).toEqual(['a', 'boom', 'b']);
    expect(errors).toHaveLength(1);
    expect((errors[0] as Error).message).toBe('handler failed');
  });

  it('a failed write goes to the failed-write handler, or else to the last-chance handler', async () => {
    const failed: string[] = [];
    const last: string[] = [];
    client.setLastChanceMessageHandler((m) => last.push(`${m.ackType} ${m.reason}`));
    peer.send({ command: 'ack', ackType: 'persisted', sequence: 7n, status: 'failure', reason: 'not entitled' } as Header);
    await until(() => last.length === 1);
    client.setFailedWriteHandler((m, reason) => failed.push(`${m.sequence} ${reason}`));
    peer.send({ command: 'ack', ackType: 'persisted', sequence: 8n, status: 'failure', reason: 'duplicate' } as Header);
    await until(() => failed.length === 1);
    expect(last).toEqual(['persisted not entitled']);
    expect(failed).toEqual(['8 duplicate']);
  });

  it('the transport filter sees the raw bytes both ways', async () => {
    const out: string[] = [];
    const inn: string[] = [];
    const dec = new TextDecoder();
    client.setTransportFilter((data, outgoing) => {
      const text = typeof data === 'string' ? data : dec.decode(data);
      (outgoing ? out : inn).push(text);
    });
    client.publish('filtered', 'hello');
    await client.flush();
    expect(out.join('')).toContain('{"c":"p","t":"filtered"}hello');
    expect(out.join('')).toContain('"c":"flush"');
    expect(inn.join('')).toContain('"c":"ack"');
  });
});

describe('unsubscribe while a subscribe is pending', () => {
  it('rejects the pending subscribe instead of leaving it hanging', async () => {
    peer.responder = (f, p) => {
      if (f.header.command === 'unsubscribe') autoResponder(f, p);
    };
    const pending = client.subscribe(() => undefined, 'slow').catch((e: unknown) => e);
    await peer.nextCommand('subscribe');
    await client.unsubscribe();
    expect(await pending).toBeInstanceOf(CommandException);
  });
});
