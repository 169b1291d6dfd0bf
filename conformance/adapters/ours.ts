// Adapter for this project's client (runtime/, through its public entry point), over TCP (`ours`) or
// WebSocket (`ours-ws`). HA sessions use HAClient with a DefaultServerChooser over the given URIs and a short
// fixed reconnect delay; named stores are MemoryBookmarkStore / MemoryPublishStore objects shared by the
// adapter's sessions (a "restart" is a new client with the same store).

import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import * as runtime from '../../runtime/index.js';
import type { Client, Message } from '../../runtime/index.js';
import type {
  AdapterErrorInfo,
  Capability,
  ClientAdapter,
  ClientSession,
  ConnectOptions,
  PublishOptions,
  ReceivedMessage,
  SowDeleteRequest,
  SowDeleteResult,
  SowRequest,
  SowResult,
  SubscribeRequest,
  Subscription,
  Transport,
} from '../types.js';
import { AdapterError, CAPABILITIES } from '../types.js';
import { BufferedSubscription, DisconnectLatch, NamedStores, compact, mapBookmark, normaliseCommand } from './common.js';

export const OURS_CAPABILITIES: readonly Capability[] = CAPABILITIES; // every capability the suite knows

function errorKind(err: unknown): AdapterErrorInfo['kind'] {
  if (err instanceof runtime.TimedOutException) return 'timeout';
  if (err instanceof runtime.DisconnectedException) return 'disconnected';
  // A failure ack: the exception carries the server's reason (AuthenticationException, NameInUseException, ...).
  if (err instanceof runtime.AMPSException && typeof err.reason === 'string' && err.reason !== '') return 'server';
  if (err instanceof runtime.ConnectionException) return 'connection';
  return 'other';
}

export function toAdapterError(err: unknown): AdapterError {
  if (err instanceof AdapterError) return err;
  const e = err as { message?: string; reason?: unknown; name?: string };
  const info: AdapterErrorInfo = {
    kind: errorKind(err),
    message: e?.message ?? String(err),
    type: (err instanceof Error && (err.name || err.constructor.name)) || typeof err,
  };
  if (typeof e?.reason === 'string' && e.reason) info.reason = e.reason;
  return new AdapterError(info);
}

async function guard<T>(op: () => Promise<T> | T): Promise<T> {
  try {
    return await op();
  } catch (err) {
    throw toAdapterError(err);
  }
}

function received(m: Message): ReceivedMessage {
  const h = m.header as Record<string, unknown>;
  const s = (k: string) => (h[k] === undefined ? undefined : String(h[k]));
  return compact({
    command: normaliseCommand(m.commandKind),
    topic: s('topic'),
    data: m.body.length > 0 ? m.data : undefined,
    sowKey: s('sowKey'),
    bookmark: s('bookmark'),
    reason: s('reason'),
    subId: s('subscriptionId'),
    queryId: s('queryId'),
    leasePeriod: s('leasePeriod'),
    correlationId: s('correlationId'),
    ackType: s('ackType'),
    status: s('status'),
    options: s('options'),
  });
}

class OursSession implements ClientSession {
  private client: Client | undefined;
  private readonly latch = new DisconnectLatch();
  private readonly originals = new WeakMap<ReceivedMessage, Message>();
  /** Live subscriptions by id: a `replace` keeps delivering into the subscription it replaces. */
  private readonly live = new Map<string, BufferedSubscription>();
  /** A file-backed store this session opened (closed with the session, as a process exit would). */
  private ownedStore: runtime.LoggedBookmarkStore | undefined;
  readonly disconnected = this.latch.promise;

  constructor(private readonly adapter: OursAdapter) {}

  private get c(): Client {
    if (!this.client) throw new AdapterError({ kind: 'other', message: 'not connected' });
    return this.client;
  }

  async connect(o: ConnectOptions): Promise<void> {
    let client: Client;
    let ha: runtime.HAClient | undefined;
    if (o.haUris) {
      const chooser = new runtime.DefaultServerChooser();
      for (const u of o.haUris) chooser.add(u);
      ha = new runtime.HAClient(o.name, {
        serverChooser: chooser,
        delayStrategy: new runtime.FixedDelayStrategy({ delay: 100 }),
        ...(o.commandTimeoutMs ? { logon: { timeout: o.commandTimeoutMs } } : {}),
      });
      client = ha as unknown as Client;
    } else {
      client = new runtime.Client(o.name);
      client.setDisconnectHandler((_c, err) => {
        this.latch.report({ kind: 'disconnected', message: err.message });
      });
    }
    this.client = client;
    client.setExceptionListener(() => undefined);
    if (o.commandTimeoutMs) client.setDefaultTimeout(o.commandTimeoutMs);
    if (o.heartbeatSeconds) client.setHeartbeat(o.heartbeatSeconds);
    if (o.bookmarkStore) {
      const store = this.adapter.bookmarkStore(o.bookmarkStore, o.recoverBookmarkStore === true);
      if (store instanceof runtime.LoggedBookmarkStore) this.ownedStore = store;
      client.setBookmarkStore(store);
    }
    if (o.publishStore) client.setPublishStore(this.adapter.publishStores.get(o.publishStore));
    if (o.autoAck) client.setAutoAck(true);
    if (o.ackBatchSize) client.setAckBatchSize(o.ackBatchSize);
    if (o.ackTimeoutMs) client.setAckTimeout(o.ackTimeoutMs);
    try {
      if (ha) {
        await ha.connectAndLogon();
      } else {
        await client.connect(o.uri, o.commandTimeoutMs ? { transport: { connectTimeoutMs: o.commandTimeoutMs } } : {});
        await client.logon(o.commandTimeoutMs ? { timeout: o.commandTimeoutMs } : {});
      }
    } catch (err) {
      this.latch.closing = true;
      try {
        await client.disconnect();
      } catch {
        // not connected
      }
      throw toAdapterError(err);
    }
  }

  async publish(topic: string, data: string, options?: PublishOptions): Promise<void> {
    await guard(() => this.c.publish(topic, data, options && compact({ ...options })));
  }

  async deltaPublish(topic: string, data: string, options?: PublishOptions): Promise<void> {
    await guard(() => this.c.deltaPublish(topic, data, options && compact({ ...options })));
  }

  async flush(): Promise<void> {
    await guard(() => this.c.flush());
  }

  async subscribe(r: SubscribeRequest): Promise<Subscription> {
    const c = this.c;
    const pending: ReceivedMessage[] = [];
    const replaced = r.options?.includes('replace') && r.subId ? this.live.get(r.subId) : undefined;
    let sub: BufferedSubscription | undefined = replaced;
    const handler = (m: Message) => {
      const rm = received(m);
      this.originals.set(rm, m);
      if (sub) sub.push(rm);
      else pending.push(rm);
    };
    const params = compact({
      subId: r.subId,
      bookmark: mapBookmark(r.bookmark, runtime.Bookmarks),
      options: r.options?.join(','),
      batchSize: r.batchSize,
      topN: r.topN,
      orderBy: r.orderBy,
    });
    const subId = await guard(() => {
      switch (r.command) {
        case 'subscribe':
          return c.subscribe(handler, r.topic, r.filter, params);
        case 'delta_subscribe':
          return c.deltaSubscribe(handler, r.topic, r.filter, params);
        case 'sow_and_subscribe':
          return c.sowAndSubscribe(handler, r.topic, r.filter, params);
        case 'sow_and_delta_subscribe':
          return c.sowAndDeltaSubscribe(handler, r.topic, r.filter, params);
      }
    });
    if (replaced) return replaced;
    sub = new BufferedSubscription(subId, {
      ack: (m, options) => {
        const orig = this.originals.get(m);
        if (orig) orig.ack(options);
        else if (m.topic && m.bookmark) c.ack(m.topic, m.bookmark, options);
      },
      discard: (m) => this.originals.get(m)?.discard(),
      close: () => {
        this.live.delete(subId);
        return guard(() => c.unsubscribe(subId));
      },
    });
    for (const m of pending) sub.push(m);
    this.live.set(subId, sub);
    return sub;
  }

  async sow(r: SowRequest): Promise<SowResult> {
    const c = this.c;
    const stream = await guard(() =>
      c.sow(r.topic, r.filter, compact({ batchSize: r.batchSize, topN: r.topN, orderBy: r.orderBy, options: r.options?.join(',') })),
    );
    const records: ReceivedMessage[] = [];
    const sizes: number[] = [];
    await guard(async () => {
      for await (const m of stream) {
        if (m.commandKind !== 'sow') continue;
        records.push(received(m));
        sizes.push(Number((m.header as Record<string, unknown>).batchSize));
      }
    });
    // A TCP batch expands to one message per record, each carrying its batch's size (bs): count batches.
    let batches: number | undefined;
    if (sizes.length > 0 && sizes.every((n) => Number.isInteger(n) && n > 0)) {
      batches = 0;
      for (let i = 0; i < sizes.length; i += sizes[i]!) batches++;
    }
    return batches === undefined ? { records } : { records, batches };
  }

  async sowDelete(r: SowDeleteRequest): Promise<SowDeleteResult> {
    const c = this.c;
    const ack = await guard(() => {
      if ('filter' in r) return c.sowDelete(r.topic, r.filter);
      if ('keys' in r) return c.sowDeleteByKeys(r.topic, r.keys);
      return c.sowDeleteByData(r.topic, r.data);
    });
    const h = ack.header as Record<string, unknown>;
    const n = h.recordsDeleted ?? h.matches;
    return typeof n === 'number' ? { deleted: n } : {};
  }

  async disconnect(): Promise<void> {
    this.latch.closing = true;
    const c = this.client;
    this.client = undefined;
    if (!c) return;
    try {
      await c.disconnect();
    } catch {
      // already disconnected
    }
    const store = this.ownedStore;
    this.ownedStore = undefined;
    await store?.close();
  }
}

export class OursAdapter implements ClientAdapter {
  readonly id: string;
  readonly description: string;
  readonly capabilities: ReadonlySet<Capability> = new Set(OURS_CAPABILITIES);
  readonly bookmarkStores = new NamedStores(() => new runtime.MemoryBookmarkStore());
  readonly publishStores = new NamedStores(() => new runtime.MemoryPublishStore());
  private storeDir: string | undefined;
  private readonly opened: runtime.LoggedBookmarkStore[] = [];

  constructor(readonly transport: Transport = 'tcp') {
    this.id = transport === 'tcp' ? 'ours' : 'ours-ws';
    this.description = `amps-ts client over ${transport === 'tcp' ? 'TCP' : 'WebSocket'}`;
  }

  async createSession(): Promise<ClientSession> {
    return new OursSession(this);
  }

  /** The named store: shared in memory, or (recover) a LoggedBookmarkStore re-opened from its file. */
  bookmarkStore(name: string, recover: boolean): runtime.BookmarkStore {
    if (!recover) return this.bookmarkStores.get(name);
    this.storeDir ??= mkdtempSync(path.join(tmpdir(), 'amps-ts-conformance-'));
    const store = new runtime.LoggedBookmarkStore(path.join(this.storeDir, `${name.replace(/[^\w.-]/g, '_')}.bm`));
    this.opened.push(store);
    return store;
  }

  async close(): Promise<void> {
    this.bookmarkStores.clear();
    this.publishStores.clear();
    await Promise.allSettled(this.opened.splice(0).map((s) => s.close()));
    if (this.storeDir) rmSync(this.storeDir, { recursive: true, force: true });
    this.storeDir = undefined;
  }
}
