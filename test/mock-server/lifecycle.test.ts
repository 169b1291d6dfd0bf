// Lifecycle, configuration, fault injection, cluster replication and the CLI.

import { mkdtempSync, readFileSync, writeFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { Header } from '../../generated/header-fields.js';
import {
  MockCluster,
  MockConfigError,
  MockServer,
  defaultConfig,
  defaultConfigPath,
  resolveConfig,
  runMockServerCli,
} from '../../mock-server/index.js';
import { DEFAULT_CONFIG_YAML } from '../../mock-server/config/default-yaml.js';
import { RawTcpClient, RawWsClient, sleep } from './raw-clients.js';

const H = (h: Record<string, unknown>) => h as unknown as Header;

const cleanup: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const f of cleanup.splice(0).reverse()) await f();
});

async function start(...args: Parameters<typeof MockServer.start>): Promise<MockServer> {
  const s = await MockServer.start(...args);
  cleanup.push(() => s.close());
  return s;
}

async function tcp(port: number, name?: string): Promise<RawTcpClient> {
  const c = await RawTcpClient.connect(port);
  cleanup.push(() => c.close());
  if (name) await c.logon(name);
  return c;
}

describe('configuration', () => {
  it('the embedded default serves the guide and conformance topics', () => {
    const c = resolveConfig();
    expect(c.sow.map((s) => [s.topic, s.key])).toEqual(
      expect.arrayContaining([
        ['orders', ['/id']],
        ['van_location', ['/van_id']],
      ]),
    );
    expect(c.transactionLogTopics).toEqual(['.*']);
    expect(c.queues.map((q) => q.name)).toEqual(expect.arrayContaining(['work', 'sample-queue']));
    expect(c.transports.map((t) => t.type).sort()).toEqual(['tcp', 'websocket']);
    expect(defaultConfig().name).toBe('amps-mock');
  });

  it('the embedded mirror of default.yaml is identical to the file', () => {
    expect(DEFAULT_CONFIG_YAML).toBe(readFileSync(defaultConfigPath(), 'utf8'));
  });

  it('reads a YAML file and resolves durations and sizes', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mockcfg-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'mock.yaml');
    writeFileSync(
      file,
      'name: t1\nmaxFrameBytes: 1MB\nsow:\n  - topic: a\n    key: [/k]\n    expiration: 90s\nqueues:\n  - name: q\n    leasePeriod: 500ms\n',
    );
    const c = resolveConfig(file);
    expect(c.name).toBe('t1');
    expect(c.maxFrameBytes).toBe(1024 * 1024);
    expect(c.sow[0].expirationMs).toBe(90_000);
    expect(c.queues[0].leasePeriodMs).toBe(500);
    expect(c.queues[0].underlyingTopic).toBe('q');
  });

  it('a bad config raises MockConfigError naming the path', () => {
    const bad = (cfg: unknown) => {
      try {
        resolveConfig(cfg as never);
      } catch (e) {
        expect(e).toBeInstanceOf(MockConfigError);
        return e as MockConfigError;
      }
      throw new Error('accepted a bad config');
    };
    expect(bad({ sow: [{ topic: 'x', key: ['id'] }] }).path).toBe('/sow/0/key/0');
    expect(bad({ transports: [{ type: 'udp' }] }).path).toBe('/transports/0/type');
    expect(bad({ queues: [{ name: 'q', leasePeriod: 'soon' }] }).message).toMatch(/\/queues\/0\/leasePeriod/);
    expect(bad({ bogus: 1 }).message).toMatch(/unknown key 'bogus'/);
    expect(bad({ transactionLog: { topics: ['(('] } }).path).toBe('/transactionLog/topics/0');
    const dir = mkdtempSync(join(tmpdir(), 'mockcfg-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    writeFileSync(join(dir, 'bad.yaml'), 'sow: [\n');
    expect(() => resolveConfig(join(dir, 'bad.yaml'))).toThrow(/invalid YAML/);
    expect(() => resolveConfig(join(dir, 'missing.yaml'))).toThrow(MockConfigError);
  });
});

describe('MockServer lifecycle', () => {
  it('uri() builds tcp and ws URIs with the real ports; connections lists clients', async () => {
    const s = await start();
    expect(s.uri('tcp')).toBe(`tcp://127.0.0.1:${s.port('tcp')}/amps/json`);
    expect(s.uri('ws')).toBe(`ws://127.0.0.1:${s.port('ws')}/amps/json`);
    expect(s.uri('ws', 'json', { user: 'a b', password: 'p' })).toBe(`ws://a%20b:p@127.0.0.1:${s.port('ws')}/amps/json`);
    const c = await tcp(s.port('tcp'), 'listed');
    expect(s.connections.map((x) => [x.clientName, x.transport, x.loggedOn])).toEqual([['listed', 'tcp', true]]);
    c.close();
  });

  it('restart() drops connections, keeps the ports and all data', async () => {
    const s = await start();
    const port = s.port('tcp');
    const c = await tcp(port, 'before');
    c.send(H({ command: 'p', topic: 'orders' }), '{"id":1,"v":"kept"}');
    c.send(H({ command: 'p', topic: 'messages' }), '{"m":1}');
    await c.request(H({ command: 'flush' }));
    await s.restart();
    await c.whenClosed();
    expect(s.port('tcp')).toBe(port);
    const d = await tcp(port, 'after');
    await d.request(H({ command: 'sow', topic: 'orders', ackType: 'completed' }), undefined, 'completed');
    expect(d.received.find((m) => m.header.command === 'sow')?.text).toBe('{"id":1,"v":"kept"}');
    await d.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 'r', bookmark: '0', ackType: 'completed' }), undefined, 'completed');
    expect(d.received.find((m) => m.header.command === 'publish')?.text).toBe('{"m":1}');
  });

  it('with a data directory, a new server process recovers the log and the SOW', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mockdata-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const cfg = { dataDirectory: dir, transports: [{ type: 'tcp' as const, port: 0 }], sow: [{ topic: 'orders', key: ['/id'] }], transactionLog: { topics: ['.*'] } };
    const first = await MockServer.start(cfg);
    const c = await tcp(first.port('tcp'), 'disk-pub');
    c.send(H({ command: 'p', topic: 'orders', sequence: 7n }), '{"id":1,"v":"on disk"}');
    await c.request(H({ command: 'flush' }));
    await first.close();
    const second = await start(cfg);
    const d = await tcp(second.port('tcp'));
    expect((await d.logon('disk-pub')).header.sequence).toBe(7n);
    await d.request(H({ command: 'sow', topic: 'orders', ackType: 'completed' }), undefined, 'completed');
    expect(d.received.find((m) => m.header.command === 'sow')?.text).toBe('{"id":1,"v":"on disk"}');
  });

  it('emits connect/disconnect events and log entries', async () => {
    const lines: string[] = [];
    const s = await start(undefined, { log: (e) => lines.push(e.message) });
    const events: string[] = [];
    s.on('connect', (i) => events.push(`connect ${i.transport}`));
    s.on('disconnect', (i) => events.push(`disconnect ${i.clientName}`));
    const c = await tcp(s.port('tcp'), 'evt');
    c.close();
    for (let i = 0; i < 100 && events.length < 2; i++) await sleep(10);
    expect(events).toEqual(['connect tcp', 'disconnect evt']);
    expect(lines.some((l) => l.includes('logged on'))).toBe(true);
  });

  it('server-side publish helper feeds subscribers and the SOW', async () => {
    const s = await start();
    const c = await tcp(s.port('tcp'), 'helper');
    await c.request(H({ command: 'subscribe', topic: 'van_location', subscriptionId: 'v' }));
    s.publish('van_location', '{"van_id":7,"lat":1}');
    expect((await c.nextOf('publish')).text).toBe('{"van_id":7,"lat":1}');
  });
});

describe('fault injection', () => {
  it('dropAllConnections and refuseConnections', async () => {
    const s = await start();
    const c = await tcp(s.port('tcp'), 'drop');
    s.dropAllConnections();
    await c.whenClosed();
    s.refuseConnections(true);
    const r = await RawTcpClient.connect(s.port('tcp'));
    cleanup.push(() => r.close());
    await r.whenClosed();
    await expect(RawWsClient.connect(s.uri('ws'))).rejects.toBeTruthy();
    s.refuseConnections(false);
    const ok = await tcp(s.port('tcp'), 'back');
    expect(ok.closed).toBe(false);
  });

  it('stall(ms) holds output, then delivers it in order', async () => {
    const s = await start();
    const c = await tcp(s.port('tcp'), 'stall');
    await c.request(H({ command: 'subscribe', topic: 'messages', subscriptionId: 's' }));
    s.stall(300);
    s.publish('messages', '{"n":1}');
    s.publish('messages', '{"n":2}');
    await sleep(100);
    expect(c.pending()).toEqual([]);
    const got = await c.take(2, (m) => m.header.command === 'publish', 3000);
    expect(got.map((m) => m.text)).toEqual(['{"n":1}', '{"n":2}']);
  });

  it('cutDuringNextSowBatch cuts the batch and drops that connection', async () => {
    const s = await start();
    for (let id = 0; id < 20; id++) s.publish('orders', `{"id":${id}}`);
    const c = await tcp(s.port('tcp'), 'cut');
    s.cutDuringNextSowBatch();
    c.send(H({ command: 'sow', topic: 'orders', commandId: 'q', queryId: 'q', batchSize: 20, ackType: 'processed,completed' }));
    await c.whenClosed();
    expect(c.received.some((m) => m.header.command === 'sow')).toBe(false);
    const d = await tcp(s.port('tcp'), 'uncut');
    await d.request(H({ command: 'sow', topic: 'orders', batchSize: 20, ackType: 'completed' }), undefined, 'completed');
    expect(d.received.filter((m) => m.header.command === 'sow').length).toBe(20);
  });
});

describe('MockCluster', () => {
  it('replicates publishes with their bookmarks; persisted means the peers have it; failover resumes', async () => {
    const cluster = await MockCluster.start({ instances: 2 });
    cleanup.push(() => cluster.stop());
    const [a, b] = cluster.instances;
    expect(cluster.uris('tcp')).toEqual([a.uri('tcp'), b.uri('tcp')]);
    const pub = await tcp(a.port('tcp'), 'ha-pub');
    pub.send(H({ command: 'p', topic: 'orders', sequence: 1n, ackType: 'persisted' }), '{"id":1}');
    pub.send(H({ command: 'p', topic: 'orders', sequence: 2n, ackType: 'persisted' }), '{"id":2}');
    const ack = await pub.nextOf('ack', 'persisted');
    expect(ack.header.sequence).toBe(2n);
    // The peer has both, with the same bookmarks.
    const onA = await tcp(a.port('tcp'), 'reader-a');
    await onA.request(H({ command: 'subscribe', topic: 'orders', subscriptionId: 'r', bookmark: '0', ackType: 'completed' }), undefined, 'completed');
    const onB = await tcp(b.port('tcp'), 'reader-b');
    await onB.request(H({ command: 'subscribe', topic: 'orders', subscriptionId: 'r', bookmark: '0', ackType: 'completed' }), undefined, 'completed');
    const bms = (c: RawTcpClient) => c.received.filter((m) => m.header.command === 'publish').map((m) => m.header.bookmark);
    expect(bms(onB)).toEqual(bms(onA));
    expect(bms(onB).length).toBe(2);
    // Fail over: a dies, the publisher logs on to b, which knows its last sequence.
    await a.stop();
    await pub.whenClosed();
    const again = await tcp(b.port('tcp'));
    const logon = await again.logon('ha-pub');
    expect(logon.header.sequence).toBe(2n);
    // A replayed duplicate is dropped on b too.
    again.send(H({ command: 'p', topic: 'orders', sequence: 2n, ackType: 'persisted' }), '{"id":2}');
    again.send(H({ command: 'p', topic: 'orders', sequence: 3n, ackType: 'persisted' }), '{"id":3}');
    expect((await again.nextOf('ack', 'persisted')).header.sequence).toBe(3n);
    const live = await onB.next((m) => m.header.command === 'publish' && m.text === '{"id":3}');
    expect(onB.received.filter((m) => m.header.command === 'publish').length).toBe(3);
    expect(live.header.bookmark).toMatch(/^\d+\|3\|$/);
    // a comes back with everything (it caught up while stopped).
    await a.restart();
    const back = await tcp(a.port('tcp'), 'reader-a2');
    await back.request(H({ command: 'sow', topic: 'orders', ackType: 'completed' }), undefined, 'completed');
    expect(back.received.filter((m) => m.header.command === 'sow').length).toBe(3);
  });
});

describe('CLI', () => {
  it('starts from a config file with port overrides, logs connections, stops on abort', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mockcli-'));
    cleanup.push(() => rmSync(dir, { recursive: true, force: true }));
    const file = join(dir, 'mock.yaml');
    writeFileSync(file, 'name: cli-test\ntransports:\n  - type: tcp\n    port: 0\n  - type: websocket\n    port: 0\n');
    const out: string[] = [];
    const err: string[] = [];
    const abort = new AbortController();
    let server: MockServer | undefined;
    const done = runMockServerCli(['--config', file, '--tcp-port', '0', '--ws-port=0'], {
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      signal: abort.signal,
      onStarted: (s) => (server = s),
    });
    for (let i = 0; i < 200 && !server; i++) await sleep(10);
    expect(server).toBeDefined();
    const c = await RawTcpClient.connect(server!.port('tcp'));
    await c.logon('cli-client');
    c.sendRaw(new Uint8Array([0xff, 0xff, 0xff, 0xff, 0]));
    await c.whenClosed();
    abort.abort();
    expect(await done).toBe(0);
    expect(out[0]).toMatch(/^amps-ts mock server 'cli-test' listening: tcp:\/\/127\.0\.0\.1:\d+\/amps\/json ws:\/\//);
    expect(out.some((l) => / connect #\d+ tcp /.test(l))).toBe(true);
    expect(out.some((l) => / disconnect #\d+ tcp cli-client/.test(l))).toBe(true);
    expect(err.some((l) => /ERROR .*exceeds the limit/.test(l))).toBe(true);
    expect(out[out.length - 1]).toMatch(/stopped/);
  });

  it('reports usage and config errors with exit codes', async () => {
    const out: string[] = [];
    const err: string[] = [];
    expect(await runMockServerCli(['--help'], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(0);
    expect(out.join('\n')).toMatch(/usage: amps-ts mock-server/);
    expect(await runMockServerCli(['--bogus'], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(2);
    expect(await runMockServerCli(['--tcp-port', 'x'], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(2);
    expect(await runMockServerCli(['--config', '/nonexistent/mock.yaml'], { out: (l) => out.push(l), err: (l) => err.push(l) })).toBe(1);
    expect(err.some((l) => /cannot read mock server config/.test(l))).toBe(true);
  });
});
