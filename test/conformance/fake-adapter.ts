// An in-memory ClientAdapter for testing the runner, reports and driver boundary without a server:
// literal-topic publish/subscribe through a shared in-process broker.

import type {
  AdapterErrorInfo,
  Capability,
  ClientAdapter,
  ClientSession,
  ConnectOptions,
  ReceivedMessage,
  SowResult,
  SubscribeRequest,
  Subscription,
  Transport,
} from '../../conformance/types.js';
import { AdapterError } from '../../conformance/types.js';
import { BufferedSubscription, DisconnectLatch } from '../../conformance/adapters/common.js';

class Broker {
  readonly subs = new Map<string, Set<BufferedSubscription>>();
  publish(topic: string, data: string): void {
    for (const s of this.subs.get(topic) ?? []) s.push({ command: 'publish', topic, data });
  }
}

export class FakeSession implements ClientSession {
  private readonly latch = new DisconnectLatch();
  readonly disconnected: Promise<AdapterErrorInfo> = this.latch.promise;
  connected = false;
  private mine: Array<{ topic: string; sub: BufferedSubscription }> = [];

  constructor(private readonly adapter: FakeAdapter) {}

  async connect(options: ConnectOptions): Promise<void> {
    if (!options.uri.includes('fake')) throw new AdapterError({ kind: 'connection', message: `cannot reach ${options.uri}` });
    this.connected = true;
    this.adapter.connects.push(options.name);
  }
  async publish(topic: string, data: string): Promise<void> {
    this.adapter.broker.publish(topic, data);
  }
  async deltaPublish(): Promise<void> {
    throw new AdapterError({ kind: 'unsupported', message: 'no delta' });
  }
  async flush(): Promise<void> {}
  async subscribe(r: SubscribeRequest): Promise<Subscription> {
    if (r.filter === 'bad') throw new AdapterError({ kind: 'server', reason: 'bad filter', message: 'bad filter' });
    const set = this.adapter.broker.subs.get(r.topic) ?? new Set();
    this.adapter.broker.subs.set(r.topic, set);
    const sub: BufferedSubscription = new BufferedSubscription(`sub${set.size}`, {
      ack: () => undefined,
      discard: () => undefined,
      close: () => void set.delete(sub),
    });
    set.add(sub);
    this.mine.push({ topic: r.topic, sub });
    return sub;
  }
  async sow(): Promise<SowResult> {
    return { records: [] as ReceivedMessage[] };
  }
  async sowDelete() {
    return {};
  }
  async disconnect(): Promise<void> {
    this.latch.closing = true;
    this.connected = false;
    for (const { topic, sub } of this.mine) this.adapter.broker.subs.get(topic)?.delete(sub);
    this.adapter.disconnects++;
  }
  /** Test hook: simulate a lost connection. */
  lose(): void {
    this.latch.report({ kind: 'disconnected', message: 'lost' });
  }
}

export class FakeAdapter implements ClientAdapter {
  readonly broker = new Broker();
  readonly connects: string[] = [];
  disconnects = 0;
  readonly description = 'in-memory fake client';
  readonly capabilities: ReadonlySet<Capability>;

  constructor(
    readonly id = 'fake',
    capabilities: Capability[] = ['publish', 'subscribe', 'filter'],
    readonly transport: Transport = 'tcp',
  ) {
    this.capabilities = new Set(capabilities);
  }

  async createSession(): Promise<ClientSession> {
    return new FakeSession(this);
  }
  async close(): Promise<void> {}
}
