// The client-agnostic contract of the conformance suite.
//
// A scenario never talks to an AMPS client library directly: it drives a `ClientAdapter`, which creates
// `ClientSession`s (one per logical AMPS client). Everything that crosses this interface is plain data
// (strings, numbers, arrays of plain objects) so that the same contract can be carried over a process
// boundary by the JSON-lines driver protocol (conformance/driver/PROTOCOL.md).

/** What a client implementation can do. A scenario that needs a capability the adapter lacks is `n/a`. */
export const CAPABILITIES = [
  'publish',
  'subscribe',
  'filter',
  'regex-topic',
  'replace',
  'sow',
  'sow-batching',
  'top-n',
  'order-by',
  'sow-and-subscribe',
  'oof',
  'sow-delete',
  'sow-delete-keys',
  'sow-delete-data',
  'delta-publish',
  'delta-subscribe',
  'bookmark',
  'bookmark-store',
  'persistent-bookmark-store',
  'queue',
  'queue-ack',
  'auto-ack',
  'ha',
  'publish-store',
  'heartbeat',
  'auth',
  'command-timeout',
  'flush',
] as const;
export type Capability = (typeof CAPABILITIES)[number];

/** Server features a scenario may need from the target (the embedded mock always has them all). */
export const TARGET_FEATURES = ['sow', 'txlog', 'queue', 'auth', 'regex-topic', 'cluster'] as const;
export type TargetFeature = (typeof TARGET_FEATURES)[number];

export type Transport = 'tcp' | 'ws';

/** A message a session received, normalised. `data` is the body as text (JSON for the json message type). */
export interface ReceivedMessage {
  /** `publish` for a delivery (servers send `p`), `sow` for a query record, `oof`, `ack`, `group_begin`, `group_end`. */
  command: string;
  topic?: string;
  data?: string;
  sowKey?: string;
  bookmark?: string;
  /** oof reason or ack failure reason. */
  reason?: string;
  subId?: string;
  queryId?: string;
  /** Present on queue deliveries (lease expiry). */
  leasePeriod?: string;
  correlationId?: string;
  ackType?: string;
  status?: string;
  /** Unparsed options of a server message (queue subscribe acks carry `max_backlog=N`). */
  options?: string;
}

/** The normalised form of a failed operation; scenarios assert on `reason` (the server reason string) or `kind`. */
export interface AdapterErrorInfo {
  /** `server` (a failure ack), `timeout`, `disconnected`, `connection`, `unsupported`, `other`. */
  kind: 'server' | 'timeout' | 'disconnected' | 'connection' | 'unsupported' | 'other';
  /** The server's reason string when known (`bad filter`, `name in use`, `auth failure`, ...). */
  reason?: string;
  /** The client's exception type name, for the report only. */
  type?: string;
  message: string;
}

export class AdapterError extends Error implements AdapterErrorInfo {
  readonly kind: AdapterErrorInfo['kind'];
  readonly reason?: string;
  readonly type?: string;
  constructor(info: AdapterErrorInfo) {
    super(info.message);
    this.name = 'AdapterError';
    this.kind = info.kind;
    if (info.reason !== undefined) this.reason = info.reason;
    if (info.type !== undefined) this.type = info.type;
  }
  toInfo(): AdapterErrorInfo {
    const out: AdapterErrorInfo = { kind: this.kind, message: this.message };
    if (this.reason !== undefined) out.reason = this.reason;
    if (this.type !== undefined) out.type = this.type;
    return out;
  }
}

export interface ConnectOptions {
  /** Server URI including message type path and credentials (`tcp://user:pw@127.0.0.1:9007/amps/json`). */
  uri: string;
  /** Client name (unique per scenario unless the scenario tests restarts or name clashes). */
  name: string;
  /** HA: connect through an HA client that fails over between these URIs (in order). Needs `ha`. */
  haUris?: string[];
  /** Heartbeat interval in seconds (0/absent: none). Needs `heartbeat`. */
  heartbeatSeconds?: number;
  /** Per-command timeout for logon and other acked commands, in ms. Needs `command-timeout` to be honoured. */
  commandTimeoutMs?: number;
  /**
   * A named bookmark store that outlives the session: a later session with the same name uses the same store, as
   * a client restarted inside the same process would. Needs `bookmark-store`.
   */
  bookmarkStore?: string;
  /**
   * With `bookmarkStore`: open the named store as a new process would, from its persistent form (a file),
   * recovering what the previous session logged and discarded. Needs `persistent-bookmark-store`.
   */
  recoverBookmarkStore?: boolean;
  /** A named publish store that outlives the session. Needs `publish-store`. */
  publishStore?: string;
  /** Queue auto-ack (acknowledge after the message is delivered to the scenario). Needs `auto-ack`. */
  autoAck?: boolean;
  /** Queue ack batching. */
  ackBatchSize?: number;
  ackTimeoutMs?: number;
}

export interface PublishOptions {
  /** Message expiration in seconds. */
  expiration?: number;
  correlationId?: string;
}

export type SubscribeCommand = 'subscribe' | 'delta_subscribe' | 'sow_and_subscribe' | 'sow_and_delta_subscribe';

export interface SubscribeRequest {
  command: SubscribeCommand;
  topic: string;
  filter?: string;
  /** Raw option strings: `oof`, `replace`, `max_backlog=3`, `no_empties`, ... */
  options?: string[];
  /** Bookmark: `EPOCH`, `NOW`, `MOST_RECENT` (symbolic, the adapter maps them) or a literal bookmark. */
  bookmark?: string;
  batchSize?: number;
  topN?: number;
  orderBy?: string;
  /** Explicit subscription id (needed for `replace`). */
  subId?: string;
}

export interface SowRequest {
  topic: string;
  filter?: string;
  batchSize?: number;
  topN?: number;
  orderBy?: string;
  options?: string[];
}

export interface SowResult {
  /** Records in arrival order (command `sow`). */
  records: ReceivedMessage[];
  /** Number of `sow` batches (server messages) the records arrived in, when the client exposes it. */
  batches?: number;
}

export type SowDeleteRequest =
  | { topic: string; filter: string }
  | { topic: string; keys: string }
  | { topic: string; data: string };

export interface SowDeleteResult {
  /** `matches` or `records_deleted` of the stats ack, when the client exposes it. */
  deleted?: number;
}

/** A live subscription. Messages are buffered from the moment the subscription exists. */
export interface Subscription {
  readonly id: string;
  /** Everything received so far (deliveries, sow records, oof, group markers), in order. */
  readonly messages: readonly ReceivedMessage[];
  /** Queue: acknowledge (or `cancel`/`expire`) one received message through the client's ack path. */
  ack(message: ReceivedMessage, options?: string): Promise<void>;
  /** Bookmark store: mark a message as processed. */
  discard(message: ReceivedMessage): Promise<void>;
  /** Unsubscribe. */
  close(): Promise<void>;
}

/** One logical AMPS client. */
export interface ClientSession {
  connect(options: ConnectOptions): Promise<void>;
  publish(topic: string, data: string, options?: PublishOptions): Promise<void>;
  deltaPublish(topic: string, data: string, options?: PublishOptions): Promise<void>;
  /** Wait until the server has processed everything this session published. Needs `flush`. */
  flush(): Promise<void>;
  subscribe(request: SubscribeRequest): Promise<Subscription>;
  sow(request: SowRequest): Promise<SowResult>;
  sowDelete(request: SowDeleteRequest): Promise<SowDeleteResult>;
  /** Disconnect (never throws when already disconnected). */
  disconnect(): Promise<void>;
  /** Resolves when the client reports that its connection was lost (not after `disconnect()`). */
  readonly disconnected: Promise<AdapterErrorInfo>;
}

/** A client implementation under test. */
export interface ClientAdapter {
  /** Stable id used in reports and known-differences files (`ours`, `ours-ws`, `official`, `driver:...`). */
  readonly id: string;
  /** Human-readable description. */
  readonly description: string;
  /** Which of the target's URIs this client uses. */
  readonly transport: Transport;
  readonly capabilities: ReadonlySet<Capability>;
  /** Create an unconnected session. */
  createSession(): Promise<ClientSession>;
  /** Release adapter-wide resources (driver processes, stores). */
  close(): Promise<void>;
}

export type Outcome = 'pass' | 'fail' | 'n/a';

export interface ScenarioResult {
  scenario: string;
  group: string;
  title: string;
  client: string;
  outcome: Outcome;
  /** Failure reason or why the scenario does not apply. */
  detail?: string;
  /** Documented difference from the client's known-differences file, when the scenario failed and is listed. */
  knownDifference?: string;
  /** Listed as a known difference but passed: the entry can be removed. */
  stale?: boolean;
  durationMs: number;
}
