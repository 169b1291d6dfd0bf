// WebSocket transport against a scripted peer made with msw's WebSocket interception (ws.link + setupServer).
// msw intercepts the global WebSocket; Node 20 has none, so the `ws` package's class is installed as the global
// first (the transport's 'auto' choice then uses the global, i.e. msw's interceptor). The same behaviours are
// proven against a real server in ws.test.ts.

import { ws } from 'msw';
import { setupServer } from 'msw/node';
import { WebSocket as NodeWebSocket } from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DisconnectedException, StreamException } from '../../generated/errors.js';
import { createTransport } from '../../runtime/transport/transport.js';
import type { InboundMessage } from '../../runtime/wire/message.js';
import { once, text } from './helpers.js';
import { until } from '../support/until.js';

const g = globalThis as { WebSocket?: unknown };
const hadGlobal = g.WebSocket !== undefined;
if (!hadGlobal) g.WebSocket = NodeWebSocket;

const URL_BASE = 'ws://amps.test:9008';
const amps = ws.link(`${URL_BASE}/amps/json`);

type Received = string | Uint8Array;
const received: Received[] = [];
let script: 'echo' | 'corrupt' | 'close4000' = 'echo';

function asReceived(data: unknown): Received {
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return new Uint8Array(data);
  if (ArrayBuffer.isView(data)) return new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
  return String(data);
}

const server = setupServer(
  amps.addEventListener('connection', ({ client }) => {
    let expected = 0;
    client.addEventListener('message', (event) => {
      const data = asReceived(event.data);
      received.push(data);
      if (typeof data !== 'string' && data.length === 4 && expected === 0) {
        expected = data[0] | (data[1] << 8) | (data[2] << 16) | (data[3] << 24);
        return;
      }
      if (typeof data === 'string' && (data === 'text' || data === 'binary') && expected === 0) return;
      if (--expected > 0) return;
      // A command completed: answer according to the script.
      if (script === 'echo') {
        client.send('{"c":"ack","a":"processed","cid":"auto0","status":"success"}');
        client.send('{"c":"p","t":"orders","sids":"auto0","l":7}');
        client.send('{"a":42}');
        client.send('{"c":"sow","t":"orders","query_id":"q","bs":1}');
        client.send('{"k":"1","l":2}');
        client.send(new Uint8Array([0x7b, 0x7d]));
      } else if (script === 'corrupt') {
        client.send('{"c":"ack",,,');
      } else {
        client.close(4000, 'credentials expired');
      }
    });
  }),
);

beforeAll(() => server.listen({ onUnhandledRequest: 'error' }));
afterAll(() => {
  server.close();
  if (!hadGlobal) delete g.WebSocket;
});


describe('ws transport with an msw-scripted peer', () => {
  it('sends the preamble and count/header/body frames; parses the replies', async () => {
    received.length = 0;
    script = 'echo';
    const t = createTransport(`${URL_BASE}/amps/json?pretty=true`);
    const got: InboundMessage[] = [];
    t.onMessage((m) => got.push(m));
    await t.connect();
    t.send({ command: 'logon', commandId: 'auto0', ackType: 'processed', clientName: 'c', userId: '' });
    await until(() => got.length >= 3);
    expect(received[0]).toBe('text');
    expect(received[1]).toEqual(new Uint8Array([1, 0, 0, 0]));
    expect(received[2]).toBe('{"c":"logon","cid":"auto0","a":"processed","client_name":"c","user_id":""}');
    expect(got.map((m) => m.header.command)).toEqual(['ack', 'publish', 'sow']);
    expect(got[0].header.status).toBe('success');
    expect(text(got[1].body)).toBe('{"a":42}');
    expect(got[2].header).toMatchObject({ queryId: 'q', sowKey: '1' });
    expect(text(got[2].body)).toBe('{}');
    t.send({ command: 'publish', topic: 'x' }, new Uint8Array([9, 9]));
    await until(() => received.length >= 6);
    expect(received[3]).toEqual(new Uint8Array([2, 0, 0, 0]));
    expect(received[4]).toBe('{"c":"publish","t":"x"}');
    expect(received[5]).toEqual(new Uint8Array([9, 9]));
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    await t.close();
    expect(await closed).toBeUndefined();
  });

  it('a corrupt header from the peer → StreamException', async () => {
    script = 'corrupt';
    const t = createTransport(`${URL_BASE}/amps/json`);
    await t.connect();
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    t.send({ command: 'heartbeat', options: 'beat' });
    expect(await closed).toBeInstanceOf(StreamException);
    expect(t.connected).toBe(false);
  });

  it('a peer close with code 4000 → DisconnectedException with a readable reason', async () => {
    script = 'close4000';
    const t = createTransport(`${URL_BASE}/amps/json`);
    await t.connect();
    const closed = once<Error | undefined>((cb) => t.onClose(cb));
    t.send({ command: 'heartbeat', options: 'beat' });
    const err = await closed;
    expect(err).toBeInstanceOf(DisconnectedException);
    expect(err!.message).toContain('4000');
    expect(err!.message).toContain('credentials expired');
  });
});
