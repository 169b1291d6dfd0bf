// The amps-ts client running in a real browser (headless Chromium) against the mock server over WebSocket.
//
// Node side: the mock server (tcp + ws listeners), a static HTTP server for the page and the browser bundle of
// runtime/index.ts, and our client over tcp that publishes to (and reads from) the browser. Page side: the bundle
// loaded as an ES module, the global WebSocket wrapped by a spy, and a Client driven through page.evaluate.
//
// The bundle is the one test/browser/bundle.test.ts checks, with Node-only modules left external. The page maps
// them (import map) to stub modules that record being loaded: a static Node import (flagged by bundle.test.ts) is
// loaded as an empty stub so the WebSocket client is still tested; `ws`, `node:net`, `node:tls`, `node:dns` must
// never be loaded in the browser (the WebSocket transport runs on the global WebSocket).

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { MockServer } from '../../mock-server/index.js';
import { Client } from '../../runtime/index.js';
import { buildBrowserBundle, type BrowserBundle } from './bundle.js';
import { chromiumNote, skipChromium, withPage } from './chromium.js';
import { startStaticServer, type StaticFile, type StaticServer } from './serve.js';

type Amps = typeof import('../../runtime/index.js');

interface Received {
  command: string | undefined;
  topic: string | undefined;
  data: string;
  sowKey: string | undefined;
  subscriptionId: string | undefined;
}

declare global {
  interface Window {
    amps: Amps;
    ampsReady: boolean;
    nodeModulesLoaded: string[];
    wsSpy: { urls: string[]; sockets: WebSocket[]; firstFrame: unknown; framesSent: number };
    client: InstanceType<Amps['Client']>;
    received: Received[];
  }
}

/** Modules that only the tcp/tcps/unix transports and Node's `ws` path load: never in a browser. */
const TRANSPORT_ONLY = ['ws', 'node:net', 'node:tls', 'node:dns'];

const FILTER = "/symbol = 'ROL' AND /qty > 10";
const ORDERS = [
  { id: 1, symbol: 'ROL', qty: 20 }, // match
  { id: 2, symbol: 'IBM', qty: 50 },
  { id: 3, symbol: 'ROL', qty: 5 },
  { id: 4, symbol: 'ROL', qty: 11 }, // match
  { id: 5, symbol: 'MSFT', qty: 100 },
  { id: 6, symbol: 'ROL', qty: 99 }, // match, published last: once it arrives every earlier delivery has too
];

let dir: string;
let bundle: BrowserBundle;
let mock: MockServer;
let web: StaticServer;
let publisher: Client;

function pageHtml(stubbed: readonly string[]): string {
  const imports = Object.fromEntries(stubbed.map((s) => [s, `/stub/${encodeURIComponent(s)}.js`]));
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>amps-ts in the browser</title><link rel="icon" href="data:,">
<script type="importmap">${JSON.stringify({ imports })}</script>
<script type="module">
window.nodeModulesLoaded = [];
const spy = (window.wsSpy = { urls: [], sockets: [], firstFrame: undefined, framesSent: 0 });
const NativeWebSocket = window.WebSocket;
class SpyWebSocket extends NativeWebSocket {
  constructor(url, protocols) {
    super(url, protocols);
    spy.urls.push(String(url));
    spy.sockets.push(this);
  }
  send(data) {
    if (spy.framesSent++ === 0) spy.firstFrame = data;
    super.send(data);
  }
}
window.WebSocket = SpyWebSocket;
window.amps = await import('/amps.js');
window.ampsReady = true;
</script></head><body><h1>amps-ts browser test</h1></body></html>`;
}

function stubModule(specifier: string): string {
  return `window.nodeModulesLoaded.push(${JSON.stringify(specifier)});\nexport {};\n`;
}

async function openClientPage(page: Page): Promise<void> {
  await page.goto(`${web.origin}/`);
  await page.waitForFunction(() => window.ampsReady === true, undefined, { timeout: 10_000 });
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'amps-browser-client-'));
  bundle = await buildBrowserBundle(dir);
  mock = await MockServer.start();
  publisher = new Client('node-publisher');
  await publisher.connect(mock.uri('tcp'));
  await publisher.logon({ timeout: 5000 });
  const stubbed = [...new Set([...bundle.nodeImports.map((i) => i.specifier), ...TRANSPORT_ONLY])];
  const files = new Map<string, StaticFile>([
    ['/', { type: 'text/html; charset=utf-8', body: pageHtml(stubbed) }],
    ['/amps.js', { type: 'text/javascript; charset=utf-8', body: bundle.code }],
    ...stubbed.map((s): [string, StaticFile] => [`/stub/${encodeURIComponent(s)}.js`, { type: 'text/javascript', body: stubModule(s) }]),
  ]);
  web = await startStaticServer(files);
});

afterAll(async () => {
  await publisher?.disconnect().catch(() => undefined);
  await web?.close();
  await mock?.close();
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe(`amps-ts Client in headless Chromium over WebSocket${chromiumNote}`, () => {
  it.skipIf(skipChromium)(
    'connects with the global WebSocket, logs on, receives filtered publishes from Node, runs a sow, publishes back, disconnects',
    async () => {
      await withPage(async (page, errors) => {
        await openClientPage(page);
        const wsUri = mock.uri('ws');

        // Connect and log on from the page.
        const logon = await page.evaluate(async (uri) => {
          const client = (window.client = new window.amps.Client('browser-1'));
          await client.connect(uri);
          const ack = await client.logon({ timeout: 5000 });
          return {
            loggedOn: client.isLoggedOn,
            name: client.name,
            status: ack.header.status,
            serverVersion: client.serverVersion,
            hasProcess: 'process' in globalThis,
            hasBuffer: 'Buffer' in globalThis,
          };
        }, wsUri);
        expect(logon).toEqual({ loggedOn: true, name: 'browser-1', status: 'success', serverVersion: mock.config.version, hasProcess: false, hasBuffer: false });

        // The client used the page's global WebSocket (our spy), once, on the server's ws URI, and sent the
        // json preamble first (the official JavaScript client's framing).
        const spy = await page.evaluate(() => ({ urls: window.wsSpy.urls, firstFrame: window.wsSpy.firstFrame, open: window.wsSpy.sockets[0]?.readyState }));
        expect(spy).toEqual({ urls: [wsUri], firstFrame: 'text', open: 1 });
        const browserConn = mock.connections.find((c) => c.clientName === 'browser-1');
        expect(browserConn).toMatchObject({ transport: 'ws', loggedOn: true, remoteAddress: expect.stringMatching(/127\.0\.0\.1/) });

        // Subscribe with a filter (handler mode), then publish from Node over tcp.
        const subId = await page.evaluate(async (filter) => {
          window.received = [];
          return window.client.subscribe(
            (m) => {
              window.received.push({ command: m.commandKind, topic: m.topic, data: m.data, sowKey: m.sowKey, subscriptionId: m.subscriptionId });
            },
            'orders',
            filter,
          );
        }, FILTER);
        expect(typeof subId).toBe('string');
        expect(mock.connections.find((c) => c.clientName === 'browser-1')?.subscriptions).toBe(1);

        publisher.publish('browser/other-topic', JSON.stringify({ id: 99, symbol: 'ROL', qty: 1000 })); // other topic
        for (const o of ORDERS) publisher.publish('orders', JSON.stringify(o));
        await publisher.flush(5000);
        await page.waitForFunction(() => window.received.length >= 3, undefined, { timeout: 5000 });
        const received = await page.evaluate(() => window.received);
        expect(received.map((r) => ({ ...r, sowKey: undefined }))).toEqual(
          [1, 4, 6].map((id) => ({
            command: 'publish',
            topic: 'orders',
            data: JSON.stringify(ORDERS.find((o) => o.id === id)),
            sowKey: undefined,
            subscriptionId: subId,
          })),
        );
        // orders is a SOW topic keyed by /id: each delivery carries its record's SowKey, one per record.
        expect(new Set(received.map((r) => r.sowKey)).size).toBe(3);

        // A sow query on orders from the page: the current records matching the filter, in a stream.
        const sow = await page.evaluate(async () => {
          const stream = await window.client.sow('orders', '/qty > 10');
          const kinds: string[] = [];
          const records: Array<{ id: number; qty: number; sowKey: string | undefined }> = [];
          for await (const m of stream) {
            kinds.push(m.commandKind ?? '?');
            if (m.commandKind === 'sow') records.push({ ...m.json<{ id: number; qty: number }>(), sowKey: m.sowKey });
          }
          return { kinds, records };
        });
        expect(sow.kinds[0]).toBe('group_begin');
        expect(sow.kinds.filter((k) => k === 'group_end')).toHaveLength(1);
        expect(sow.records.map((r) => r.id).sort((a, b) => a - b)).toEqual([1, 2, 4, 5, 6]);
        expect(sow.records.find((r) => r.id === 6)).toMatchObject({ qty: 99, sowKey: received[2]!.sowKey });

        // The browser publishes; Node (tcp) receives.
        const inbound = await publisher.subscribe('browser/outbound');
        inbound.timeout(5000);
        await page.evaluate(() => {
          for (let n = 1; n <= 3; n++) window.client.publish('browser/outbound', JSON.stringify({ from: 'browser-1', n }));
        });
        const fromBrowser: unknown[] = [];
        for await (const m of inbound) {
          fromBrowser.push(m.json());
          if (fromBrowser.length === 3) break;
        }
        expect(fromBrowser).toEqual([1, 2, 3].map((n) => ({ from: 'browser-1', n })));

        // Disconnect: the socket closes and the server drops the session.
        const closed = await page.evaluate(async () => {
          await window.client.disconnect();
          return { connected: window.client.isConnected, readyState: window.wsSpy.sockets[0]!.readyState };
        });
        expect(closed.connected).toBe(false);
        expect([2, 3]).toContain(closed.readyState); // CLOSING or CLOSED
        await expect.poll(() => mock.connections.some((c) => c.clientName === 'browser-1'), { timeout: 5000 }).toBe(false);

        // Only the modules the bundle imports statically were loaded as stubs; no transport-only module.
        const loaded = await page.evaluate(() => window.nodeModulesLoaded);
        expect(loaded.filter((m) => TRANSPORT_ONLY.includes(m))).toEqual([]);
        if (loaded.length > 0) console.log(`page loaded stubs for statically imported Node modules: ${loaded.join(', ')} (see bundle.test.ts)`);
        expect(errors).toEqual([]);
      });
    },
    30_000,
  );

  it.skipIf(skipChromium)(
    'reports failures as the generated exception classes: a bad filter, a refused connection',
    async () => {
      await withPage(async (page, errors) => {
        await openClientPage(page);
        const result = await page.evaluate(
          async ({ uri, deadUri }) => {
            const { Client, BadFilterException, CommandException, ConnectionException, AMPSException } = window.amps;
            const client = new Client('browser-2');
            await client.connect(uri);
            await client.logon({ timeout: 5000 });
            let badFilter: { name: string; isBadFilter: boolean; isCommand: boolean; isAmps: boolean } | undefined;
            try {
              await client.subscribe('orders', '/qty >>> (', { timeout: 5000 });
            } catch (err) {
              badFilter = {
                name: (err as Error).constructor.name,
                isBadFilter: err instanceof BadFilterException,
                isCommand: err instanceof CommandException,
                isAmps: err instanceof AMPSException,
              };
            }
            await client.disconnect();
            let refused: { isConnection: boolean; name: string } | undefined;
            try {
              await new Client('browser-3').connect(deadUri);
            } catch (err) {
              refused = { isConnection: err instanceof ConnectionException, name: (err as Error).constructor.name };
            }
            return { badFilter, refused };
          },
          { uri: mock.uri('ws'), deadUri: await deadWsUri() },
        );
        expect(result.badFilter).toEqual({ name: 'BadFilterException', isBadFilter: true, isCommand: true, isAmps: true });
        expect(result.refused?.isConnection).toBe(true);
        // Chromium logs the refused WebSocket connection itself; nothing else may reach the console or be thrown.
        expect(errors.filter((e) => !/WebSocket connection to 'ws:\/\/127\.0\.0\.1:\d+\/amps\/json' failed/.test(e))).toEqual([]);
      });
    },
    30_000,
  );
});

/** A ws URI on a loopback port nobody listens on (bound, then released). */
async function deadWsUri(): Promise<string> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', () => r()));
  const { port } = srv.address() as { port: number };
  await new Promise<void>((r) => srv.close(() => r()));
  return `ws://127.0.0.1:${port}/amps/json`;
}
