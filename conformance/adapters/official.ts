// Adapter for the official AMPS JavaScript client (npm `amps`, WebSocket only). Written from the typings
// (amps.d.ts); the package is CommonJS, loaded on first use so that the rest of the suite does not need it.

import { createRequire } from 'node:module';
import type * as Amps from 'amps';
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
} from '../types.js';
import { AdapterError, CAPABILITIES } from '../types.js';
import { BufferedSubscription, DisconnectLatch, NamedStores, compact, mapBookmark, normaliseCommand } from './common.js';

type AmpsModule = typeof Amps;
let ampsModule: AmpsModule | undefined;
function amps(): AmpsModule {
  ampsModule ??= createRequire(import.meta.url)('amps') as AmpsModule;
  return ampsModule;
}

// Every capability but two the official JS client lacks: a bookmark store kept on disk (it ships only a memory
// store), and a timeout on connect/logon (its connect() takes none).
const OFFICIAL_LACKS: readonly Capability[] = ['persistent-bookmark-store', 'command-timeout'];
export const OFFICIAL_CAPABILITIES: readonly Capability[] = CAPABILITIES.filter((c) => !OFFICIAL_LACKS.includes(c));

const REASON = /^[a-z][a-z _/:-]*$/;

function toError(err: unknown, kind: AdapterErrorInfo['kind'] = 'server'): AdapterError {
  const message = err instanceof Error ? err.message : typeof err === 'string' ? err : JSON.stringify(err);
  // The client rejects a failed command with Error(<server reason>).
  const info: AdapterErrorInfo = { kind, message, type: err instanceof Error ? err.constructor.name : typeof err };
  if (kind === 'server' && REASON.test(message.trim())) info.reason = message.trim();
  return new AdapterError(info);
}

function bodyText(data: unknown): string | undefined {
  if (data === undefined || data === null) return undefined;
  if (typeof data === 'string') return data;
  if (data instanceof ArrayBuffer) return Buffer.from(data).toString('utf8');
  if (ArrayBuffer.isView(data)) return Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('utf8');
  return JSON.stringify(data);
}

function received(m: Amps.Message): ReceivedMessage {
  const h = m.header;
  return compact({
    command: normaliseCommand(h.command()),
    topic: h.topic(),
    data: bodyText(m.data),
    sowKey: h.sowKey(),
    bookmark: h.bookmark(),
    reason: h.reason(),
    subId: h.subId(),
    queryId: h.queryId(),
    leasePeriod: h.leasePeriod(),
    correlationId: h.correlationId(),
    ackType: h.ackType(),
    status: h.status(),
    options: h.options(),
  });
}

class OfficialSession implements ClientSession {
  private client: Amps.Client | undefined;
  private readonly latch = new DisconnectLatch();
  private readonly originals = new WeakMap<ReceivedMessage, Amps.Message>();
  /** Live subscriptions by id: a `replace` keeps delivering into the subscription it replaces. */
  private readonly live = new Map<string, BufferedSubscription>();
  readonly disconnected = this.latch.promise;

  constructor(private readonly adapter: OfficialAdapter) {}

  private get c(): Amps.Client {
    if (!this.client) throw new AdapterError({ kind: 'other', message: 'not connected' });
    return this.client;
  }

  async connect(o: ConnectOptions): Promise<void> {
    const A = amps();
    const client = new A.Client(o.name);
    this.client = client;
    let lastError: string | undefined;
    client.errorHandler((e: unknown) => {
      lastError = e instanceof Error ? e.message : typeof e === 'object' && e && 'message' in e ? String((e as { message: unknown }).message) : String(e);
    });
    if (o.heartbeatSeconds) client.heartbeat(o.heartbeatSeconds);
    if (o.bookmarkStore) client.bookmarkStore(this.adapter.bookmarkStores.get(o.bookmarkStore));
    if (o.publishStore) client.publishStore(this.adapter.publishStores.get(o.publishStore));
    if (o.autoAck) client.autoAck(true);
    if (o.ackBatchSize) client.ackBatchSize(o.ackBatchSize);
    if (o.ackTimeoutMs) client.ackTimeout(o.ackTimeoutMs);
    client.addConnectionStateListener((state) => {
      if (state === A.Client.ConnectionStateListener.Disconnected && !o.haUris) {
        this.latch.report({ kind: 'disconnected', message: `connection lost${lastError ? `: ${lastError}` : ''}` });
      }
    });
    try {
      if (o.haUris) {
        const chooser = new A.DefaultServerChooser();
        for (const u of o.haUris) chooser.add(u);
        client.serverChooser(chooser);
        client.delayStrategy(new A.FixedDelayStrategy({ delay: 100 }));
        client.subscriptionManager(new A.DefaultSubscriptionManager());
        await client.connect();
      } else {
        await client.connect(o.uri);
      }
    } catch (err) {
      this.latch.closing = true;
      const e = toError(err, 'connection');
      // A failure ack on logon carries the server's reason (auth failure, name in use).
      if (REASON.test(e.message.trim())) throw new AdapterError({ ...e.toInfo(), kind: 'server', reason: e.message.trim() });
      throw e;
    }
  }

  async publish(topic: string, data: string, options?: PublishOptions): Promise<void> {
    try {
      this.c.publish(topic, data, compact({ expiration: options?.expiration, correlationId: options?.correlationId }));
    } catch (err) {
      throw toError(err, 'other');
    }
  }

  async deltaPublish(topic: string, data: string, options?: PublishOptions): Promise<void> {
    try {
      this.c.deltaPublish(topic, data, compact({ expiration: options?.expiration, correlationId: options?.correlationId }));
    } catch (err) {
      throw toError(err, 'other');
    }
  }

  async flush(): Promise<void> {
    try {
      await this.c.flush();
    } catch (err) {
      throw toError(err);
    }
  }

  async subscribe(r: SubscribeRequest): Promise<Subscription> {
    const A = amps();
    const cmd = new A.Command(r.command).topic(r.topic);
    if (r.filter) cmd.filter(r.filter);
    if (r.options?.length) cmd.options(r.options.join(','));
    const bookmark = mapBookmark(r.bookmark, A.Client.Bookmarks);
    if (bookmark !== undefined) cmd.bookmark(bookmark);
    if (r.batchSize) cmd.batchSize(r.batchSize);
    if (r.topN) cmd.topN(r.topN);
    if (r.orderBy) cmd.orderBy(r.orderBy);
    if (r.subId) cmd.subId(r.subId);
    const pending: ReceivedMessage[] = [];
    const replaced = r.options?.includes('replace') && r.subId ? this.live.get(r.subId) : undefined;
    let sub: BufferedSubscription | undefined = replaced;
    const handler = (m: Amps.Message) => {
      const rm = received(m);
      this.originals.set(rm, m);
      if (sub) sub.push(rm);
      else pending.push(rm);
    };
    let subId: string;
    try {
      subId = await this.c.execute(cmd, handler);
    } catch (err) {
      throw toError(err);
    }
    if (replaced) return replaced;
    sub = new BufferedSubscription(subId, {
      ack: (m, options) => this.c.ack(m.topic ?? r.topic, m.bookmark ?? '', options),
      discard: (m) => {
        const orig = this.originals.get(m);
        if (orig) this.c.bookmarkStore().discard(orig);
      },
      close: async () => {
        this.live.delete(subId);
        await this.c.unsubscribe(subId);
      },
    });
    for (const m of pending) sub.push(m);
    this.live.set(subId, sub);
    return sub;
  }

  async sow(r: SowRequest): Promise<SowResult> {
    const A = amps();
    const cmd = new A.Command('sow').topic(r.topic);
    if (r.filter) cmd.filter(r.filter);
    if (r.batchSize) cmd.batchSize(r.batchSize);
    if (r.topN) cmd.topN(r.topN);
    if (r.orderBy) cmd.orderBy(r.orderBy);
    if (r.options?.length) cmd.options(r.options.join(','));
    const records: ReceivedMessage[] = [];
    let done!: () => void;
    const ended = new Promise<void>((resolve) => (done = resolve));
    try {
      await this.c.execute(cmd, (m) => {
        const c = m.header.command();
        if (c === 'sow') records.push(received(m));
        else if (c === 'group_end') done();
      });
    } catch (err) {
      throw toError(err);
    }
    await ended;
    return { records };
  }

  async sowDelete(r: SowDeleteRequest): Promise<SowDeleteResult> {
    let ack: Amps.Message;
    try {
      if ('filter' in r) ack = await this.c.sowDelete(r.topic, r.filter);
      else if ('keys' in r) ack = await this.c.sowDeleteByKeys(r.topic, r.keys);
      else ack = await this.c.sowDeleteByData(r.topic, r.data);
    } catch (err) {
      throw toError(err);
    }
    const matches = ack?.header?.matches?.();
    const deleted = ack?.header?.recordsDeleted?.();
    const n = typeof deleted === 'number' ? deleted : typeof matches === 'number' ? matches : undefined;
    return n === undefined ? {} : { deleted: n };
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
  }
}

export class OfficialAdapter implements ClientAdapter {
  readonly id = 'official';
  readonly description = `official AMPS JavaScript client (npm amps) over WebSocket`;
  readonly transport = 'ws' as const;
  readonly capabilities: ReadonlySet<Capability> = new Set(OFFICIAL_CAPABILITIES);
  readonly bookmarkStores = new NamedStores(() => new (amps().MemoryBookmarkStore)());
  readonly publishStores = new NamedStores(() => new (amps().MemoryPublishStore)());

  async createSession(): Promise<ClientSession> {
    amps();
    return new OfficialSession(this);
  }

  async close(): Promise<void> {
    this.bookmarkStores.clear();
    this.publishStores.clear();
  }
}
