// WebSocket framing exactly as the official JS client expects it (amps-protocol §1.3, §10.2 item 2).

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Header } from '../../generated/header-fields.js';
import { MockServer } from '../../mock-server/index.js';
import { RawWsClient } from './raw-clients.js';

const H = (h: Record<string, unknown>) => h as unknown as Header;

let server: MockServer;

beforeAll(async () => {
  server = await MockServer.start({
    transports: [{ type: 'websocket', port: 0 }],
    messageTypes: ['json', 'binary'],
    sow: [{ topic: 'orders', key: ['/id'] }],
    authentication: { users: [{ user: 'alice', password: 'secret' }] },
  });
});

afterAll(async () => {
  await server.close();
});

const basic = (u: string, p: string) => ({ authorization: `Basic ${Buffer.from(`${u}:${p}`).toString('base64')}` });

describe('WebSocket transport', () => {
  it('accepts the preamble and Basic auth at upgrade; headers are text frames, bodies separate, no count frame', async () => {
    const c = await RawWsClient.connect(server.uri('ws'), { headers: basic('alice', 'secret') });
    try {
      await c.logon('ws1', { userId: 'alice', password: 'secret' } as Partial<Header>);
      await c.request(H({ command: 'subscribe', topic: 'orders', subscriptionId: 's' }));
      c.send(H({ command: 'publish', topic: 'orders' }), '{"id":1,"q":2}');
      await c.nextOf('publish');
      const frames = c.frames;
      // logon ack, subscribe ack, delivery header, delivery body
      expect(frames.every((f) => typeof f === 'string')).toBe(true);
      const header = frames[2] as string;
      expect(header).toMatch(/^\{"c":"p","t":"orders","sids":"s","k":"\d+","l":14\}$/);
      expect(frames[3]).toBe('{"id":1,"q":2}');
    } finally {
      c.close();
    }
  });

  it('refuses bad Basic credentials at upgrade', async () => {
    await expect(RawWsClient.connect(server.uri('ws'), { headers: basic('alice', 'nope') })).rejects.toThrow(/401/);
  });

  it('sow batches: header with bs and query_id, then record header / body pairs; group frames carry query_id', async () => {
    const c = await RawWsClient.connect(server.uri('ws'));
    try {
      await c.logon('ws2', { userId: 'alice', password: 'secret' } as Partial<Header>);
      for (let id = 1; id <= 3; id++) c.send(H({ command: 'publish', topic: 'orders' }), `{"id":${id}}`);
      c.send(H({ command: 'sow', topic: 'orders', commandId: 'q', queryId: 'q', batchSize: 2, orderBy: '/id', ackType: 'processed,completed' }));
      await c.next((m) => m.header.ackType === 'completed');
      const start = c.frames.findIndex((f) => typeof f === 'string' && f.startsWith('{"c":"group_begin"'));
      const seq = c.frames.slice(start) as string[];
      expect(seq[0]).toBe('{"c":"group_begin","query_id":"q"}');
      expect(seq[1]).toBe('{"c":"sow","t":"orders","query_id":"q","bs":2}');
      expect(seq[2]).toMatch(/^\{"k":"\d+","l":8\}$/);
      expect(seq[3]).toBe('{"id":1}');
      expect(seq[4]).toMatch(/^\{"k":"\d+","l":8\}$/);
      expect(seq[5]).toBe('{"id":2}');
      expect(seq[6]).toBe('{"c":"sow","t":"orders","query_id":"q","bs":1}');
      expect(seq[8]).toBe('{"id":3}');
      expect(seq[9]).toBe('{"c":"group_end","query_id":"q"}');
      expect(seq[10]).toBe('{"c":"ack","a":"completed","cid":"q","query_id":"q","status":"success"}');
    } finally {
      c.close();
    }
  });

  it('the binary preamble selects binary body frames', async () => {
    const c = await RawWsClient.connect(server.uri('ws', 'binary'), { preamble: 'binary' });
    try {
      await c.logon('ws3', { userId: 'alice', password: 'secret' } as Partial<Header>);
      await c.request(H({ command: 'subscribe', topic: 'bin', subscriptionId: 'b' }));
      c.send(H({ command: 'publish', topic: 'bin' }), new Uint8Array([1, 2, 3]));
      const m = await c.nextOf('publish');
      expect([...m.body]).toEqual([1, 2, 3]);
      expect(c.frames[c.frames.length - 1]).toBeInstanceOf(Uint8Array);
    } finally {
      c.close();
    }
  });
});
