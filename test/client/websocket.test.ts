import { afterEach, describe, expect, it } from 'vitest';
import { WebSocketServer, type WebSocket } from 'ws';
import type { AddressInfo } from 'node:net';
import { Client, LOGON_VERSION } from '../../runtime/client/index.js';
import type { Header } from '../../generated/header-fields.js';
import { WsCommandAssembler, encodeWsServerMessage, type WsFrame } from '../../runtime/wire/ws-framing.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

let wss: WebSocketServer | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.disconnect().catch(() => undefined);
  for (const c of wss?.clients ?? []) c.terminate();
  await new Promise<void>((r) => (wss ? wss.close(() => r()) : r()));
  wss = client = undefined;
});

describe('over WebSocket', () => {
  it('logs on without mt, subscribes and receives a delivery', async () => {
    const received: InboundMessage[] = [];
    wss = new WebSocketServer({ host: '127.0.0.1', port: 0 });
    await new Promise<void>((r) => wss!.once('listening', () => r()));
    const port = (wss.address() as AddressInfo).port;
    wss.on('connection', (ws: WebSocket) => {
      const asm = new WsCommandAssembler();
      const send = (h: Header, body?: string) => {
        for (const f of encodeWsServerMessage(h, body, 'text')) ws.send(f as WsFrame, { binary: typeof f !== 'string' });
      };
      ws.on('message', (data, isBinary) => {
        const frame: WsFrame = isBinary ? new Uint8Array(data as Buffer) : (data as Buffer).toString('utf8');
        const m = asm.push(frame);
        if (m === undefined) return;
        received.push(m);
        const h = m.header;
        if (h.command === 'logon') {
          send({ command: 'ack', commandId: h.commandId, ackType: 'processed', sequence: 0n, status: 'success', clientName: h.clientName, bookmark: '9|0|', version: '5.3.4.0' } as Header);
        } else if (h.command === 'subscribe') {
          send({ command: 'ack', commandId: h.commandId, ackType: 'processed', status: 'success' } as Header);
          send({ command: 'p', topic: h.topic, subscriptionIds: h.subscriptionId, messageLength: 8 } as Header, '{"id":1}');
        }
      });
    });
    client = new Client('web1');
    await client.connect(`ws://alice:secret@127.0.0.1:${port}/amps/json`);
    await client.logon();
    const logon = received[0].header;
    expect(logon.messageType).toBeUndefined();
    expect(logon.version).toBe(LOGON_VERSION);
    expect(logon.userId).toBe('alice');
    const stream = await client.subscribe('orders');
    const { value } = await stream.next();
    expect(value!.json()).toEqual({ id: 1 });
    expect(value!.subscriptionId).toBe(stream.subscriptionId);
  });
});
