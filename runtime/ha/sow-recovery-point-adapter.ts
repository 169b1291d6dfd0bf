// SowRecoveryPointAdapter: keeps each bookmark subscription's recovery point in an AMPS SOW topic, through a
// separate client (never the client whose subscriptions it records: resubscription would wait on itself).
//
// Default layout (the Python client guide's): topic `/ADMIN/bookmark_store`, JSON messages
// `{"clientName": <tracked client name>, "subId": <subscription id>, "bookmark": <recovery point>}`, with
// `/clientName` and `/subId` as the SOW key. The server needs a matching SOW topic definition, e.g. for the mock
// server: `sow: [{ topic: /ADMIN/bookmark_store, key: [/clientName, /subId] }]`.
//
// Plug it into a RecoveryPointBookmarkStore (runtime/store):
//   const admin = new Client('recovery-admin'); await admin.connect(uri); await admin.logon();
//   const store = await RecoveryPointBookmarkStore.open(new SowRecoveryPointAdapter(admin, 'my-subscriber'));
//   haClient.setBookmarkStore(store);
// On open the store loads this client name's points with a SOW query; every change of a point is published
// (the SOW keeps the latest per key); purge deletes the records. Subclasses may override the message format
// (serialize/parse) and the filters.

import type { Client } from '../client/client.js';
import type { RecoveryPoint, RecoveryPointAdapter } from '../store/recovery-point.js';

export interface SowRecoveryPointAdapterOptions {
  /** SOW topic. Default `/ADMIN/bookmark_store`. */
  readonly topic?: string;
  /** Field holding the tracked client's name. Default `clientName`. */
  readonly clientNameField?: string;
  /** Field holding the subscription id. Default `subId`. */
  readonly subIdField?: string;
  /** Field holding the recovery point. Default `bookmark`. */
  readonly bookmarkField?: string;
  /** Wait for the server to process each update (a `flush` round trip). Default false: updates are published. */
  readonly waitForUpdates?: boolean;
  /** Milliseconds for the load query, flushes and deletes. Default 10 000. */
  readonly timeout?: number;
  /** Disconnect the adapter's client on close(). Default false (the application owns it). */
  readonly closeClient?: boolean;
}

export class SowRecoveryPointAdapter implements RecoveryPointAdapter {
  readonly topic: string;
  protected readonly clientNameField: string;
  protected readonly subIdField: string;
  protected readonly bookmarkField: string;
  private readonly waitForUpdates: boolean;
  private readonly timeout: number;
  private readonly closeClient: boolean;
  private closed = false;

  /**
   * @param client a connected, logged-on client (or HAClient) for the instance holding the SOW topic; not the
   *   client whose subscriptions are tracked
   * @param trackedClientName name of the client whose recovery points are stored (part of the SOW key)
   */
  constructor(
    protected readonly client: Pick<Client, 'sow' | 'publish' | 'flush' | 'sowDelete' | 'disconnect'>,
    readonly trackedClientName: string,
    options: SowRecoveryPointAdapterOptions = {},
  ) {
    if (trackedClientName === '') throw new TypeError('SowRecoveryPointAdapter: empty client name');
    this.topic = options.topic ?? '/ADMIN/bookmark_store';
    this.clientNameField = options.clientNameField ?? 'clientName';
    this.subIdField = options.subIdField ?? 'subId';
    this.bookmarkField = options.bookmarkField ?? 'bookmark';
    this.waitForUpdates = options.waitForUpdates ?? false;
    this.timeout = options.timeout ?? 10_000;
    this.closeClient = options.closeClient ?? false;
  }

  /** Every stored point of the tracked client (a SOW query on the topic). */
  async *load(): AsyncIterable<RecoveryPoint> {
    const stream = await this.client.sow(this.topic, this.clientFilter(), { timeout: this.timeout });
    for await (const m of stream) {
      if (m.header.command !== 'sow') continue;
      const point = this.parse(m.data);
      if (point !== undefined) yield point;
    }
  }

  async update(point: RecoveryPoint): Promise<void> {
    if (this.closed) return;
    this.client.publish(this.topic, this.serialize(point));
    if (this.waitForUpdates) await this.client.flush(this.timeout);
  }

  async purge(subId?: string): Promise<void> {
    if (this.closed) return;
    const filter = subId === undefined ? this.clientFilter() : `${this.clientFilter()} AND ${this.fieldEquals(this.subIdField, subId)}`;
    await this.client.sowDelete(this.topic, filter, { timeout: this.timeout });
  }

  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.closeClient) await this.client.disconnect();
  }

  /** The SOW message for a point. */
  protected serialize(point: RecoveryPoint): string {
    return JSON.stringify({
      [this.clientNameField]: this.trackedClientName,
      [this.subIdField]: point.subId,
      [this.bookmarkField]: point.bookmark,
    });
  }

  /** A point from a SOW message (undefined to skip a record). */
  protected parse(data: string): RecoveryPoint | undefined {
    let o: unknown;
    try {
      o = JSON.parse(data);
    } catch {
      return undefined;
    }
    if (o === null || typeof o !== 'object') return undefined;
    const r = o as Record<string, unknown>;
    const subId = r[this.subIdField];
    const bookmark = r[this.bookmarkField];
    if (typeof subId !== 'string' || typeof bookmark !== 'string') return undefined;
    if (r[this.clientNameField] !== this.trackedClientName) return undefined;
    return { subId, bookmark };
  }

  /** Filter selecting the tracked client's records. */
  protected clientFilter(): string {
    return this.fieldEquals(this.clientNameField, this.trackedClientName);
  }

  protected fieldEquals(field: string, value: string): string {
    return `/${field} = ${quote(value)}`;
  }
}

/** An AMPS filter string literal. */
function quote(value: string): string {
  if (!value.includes("'")) return `'${value}'`;
  if (!value.includes('"')) return `"${value}"`;
  return `'${value.replace(/\\/g, '\\\\').replace(/'/g, "\\'")}'`;
}
