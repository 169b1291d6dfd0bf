// Replays the frames recorded from the official clients (shared/reference/vectors/) byte for byte against
// the mock server: every requested ack must come back successful, and every server frame must use only the
// keys the official C parser knows, with `s` never last.

import { existsSync, readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MockServer } from '../../mock-server/index.js';
import { RawTcpClient, RawWsClient, SERVER_KEYS, headerKeys, type Received } from './raw-clients.js';

const here = dirname(fileURLToPath(import.meta.url));
const VECTORS = [join(here, '../../../shared/reference/vectors'), '/work/shared/reference/vectors'].find((p) => existsSync(p));

interface TcpVector {
  header: string;
  body: string;
}
type WsFrame = { countFrameHex?: string; count?: number; text?: string; binaryHex?: string };
interface WsStep {
  step: string;
  path?: string;
  headers?: Record<string, string>;
  preamble?: { text?: string };
  frames?: WsFrame[];
}

let server: MockServer;

beforeAll(async () => {
  server = await MockServer.start(
    {
      transports: [{ type: 'tcp', port: 0 }, { type: 'websocket', port: 0 }],
      authentication: { users: [{ user: 'alice', password: 'secret' }] },
      sow: [
        { topic: 'orders', key: ['/id'], expiration: '1h' },
        { topic: 'van_location', key: ['/van_id'] },
      ],
      transactionLog: { topics: ['.*'] },
      queues: [{ name: 'work', maxPerSubscriptionBacklog: 10 }, { name: 'sample-queue', maxPerSubscriptionBacklog: 10 }],
    },
    { log: (e) => (e.level === 'error' ? console.error(e.message) : undefined) },
  );
});

afterAll(async () => {
  await server.close();
});

function checkServerFrame(m: Received): void {
  const keys = headerKeys(m.raw);
  for (const k of keys) expect(SERVER_KEYS.has(k), `key ${k} in ${m.raw}`).toBe(true);
  if (keys.includes('s')) expect(keys[keys.length - 1], m.raw).not.toBe('s');
  if (m.header.command === 'publish' || m.header.command === 'oof') {
    expect(typeof JSON.parse(m.raw).l).toBe('number');
    expect(m.header.subscriptionIds).toBeTruthy();
  }
}

function expectedAcks(headerText: string): { cid: string; acks: string[] } | undefined {
  const h = JSON.parse(headerText) as Record<string, unknown>;
  const cid = h.cid as string | undefined;
  const a = typeof h.a === 'string' ? h.a.split(',').filter(Boolean) : [];
  if (cid === undefined || a.length === 0) return undefined;
  return { cid, acks: a };
}

async function awaitAcks(c: RawTcpClient | RawWsClient, expected: { cid: string; acks: string[] }): Promise<void> {
  for (const a of expected.acks) {
    const ack = await c.next((m) => m.header.command === 'ack' && m.header.commandId === expected.cid && m.header.ackType === a);
    expect(ack.header.status, ack.raw).toBe('success');
  }
}

describe.skipIf(VECTORS === undefined)('recorded official client frames', () => {
  it('official Python client (TCP): every frame accepted, acks as requested', async () => {
    const frames = JSON.parse(readFileSync(join(VECTORS!, 'python-client-tcp-frames.json'), 'utf8')) as TcpVector[];
    const c = await RawTcpClient.connect(server.port('tcp'));
    try {
      for (const f of frames) {
        const payload = new TextEncoder().encode(f.header + f.body);
        const out = new Uint8Array(4 + payload.length);
        new DataView(out.buffer).setUint32(0, payload.length);
        out.set(payload, 4);
        c.sendRaw(out);
        const exp = expectedAcks(f.header);
        if (exp) await awaitAcks(c, exp);
      }
      expect(c.closed).toBe(false);
      for (const m of c.received) checkServerFrame(m);
      // The sow found the record published (as `p`) earlier in the session.
      expect(c.received.some((m) => m.header.command === 'sow' && m.header.queryId === 'auto7')).toBe(true);
      const logon = c.received[0];
      expect(logon.header.clientName).toBe('capture-py');
    } finally {
      c.close();
    }
  });

  it('official JS client (WebSocket): every frame accepted, acks as requested', async () => {
    const steps = JSON.parse(readFileSync(join(VECTORS!, 'js-client-ws-frames.json'), 'utf8')) as WsStep[];
    const upgrade = steps.find((s) => s.step === 'upgrade');
    const url = server.uri('ws').replace('/amps/json', upgrade?.path ?? '/amps/json');
    const c = await RawWsClient.connect(url, { preamble: null, headers: upgrade?.headers ?? {} });
    try {
      for (const s of steps) {
        if (s.preamble?.text !== undefined) c.sendFrame(s.preamble.text);
        if (!s.frames) continue;
        let headerText: string | undefined;
        for (const f of s.frames) {
          if (f.countFrameHex !== undefined) c.sendFrame(new Uint8Array(Buffer.from(f.countFrameHex, 'hex')));
          else if (f.text !== undefined) {
            headerText ??= f.text;
            c.sendFrame(f.text);
          } else if (f.binaryHex !== undefined) c.sendFrame(new Uint8Array(Buffer.from(f.binaryHex, 'hex')));
        }
        const exp = headerText ? expectedAcks(headerText) : undefined;
        if (exp) await awaitAcks(c, exp);
      }
      expect(c.closed).toBe(false);
      for (const m of c.received) checkServerFrame(m);
      expect(c.frames.every((f) => typeof f === 'string')).toBe(true);
    } finally {
      c.close();
    }
  });
});
