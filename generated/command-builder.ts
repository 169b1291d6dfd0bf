// generated from spec/commands.yaml, spec/headers.yaml, spec/options.yaml; do not edit. Run 'npm run generate'.

import type { AckType } from './enums.js';
import type { CommandName } from './commands.js';
import { COMMAND_SPECS } from './commands.js';
import { HEADER_FIELD_BY_WIRE_KEY, type Header, type HeaderValue } from './header-fields.js';

/** Message data of a command: text or bytes. */
export type CommandData = string | Uint8Array;

/**
 * What `Client.execute` takes: the command name, the header (property names), the data and the
 * options. Plain objects of this shape are accepted as well as builders.
 */
export interface CommandBase {
  readonly commandName: CommandName;
  /** The header being built; `options` mirrors the option list as a comma list. */
  readonly header: Header;
  /** The message data, if any. */
  readonly data: CommandData | undefined;
  /** The options, in insertion order, without duplicates (also in `header.options`). */
  readonly options: readonly string[];
}

/** Members every command builder has, whatever the command. */
export interface CommandBuilder<N extends CommandName = CommandName> extends CommandBase {
  readonly commandName: N;
  /**
   * Adds a raw option entry (e.g. `top_n=5`, `start,30`). An entry with the same keyword (text
   * before `=` or `,`) replaces the earlier one in place.
   */
  option(raw: string): this;
  /**
   * Escape hatch: sets a header by wire key. A key or alias the spec knows sets the typed property
   * (value converted to its type; `o`/`opts` replaces the option list); any other key goes to
   * `header.extras`.
   */
  rawHeader(wireKey: string, value: HeaderValue): this;
}

/**
 * Setters, one interface per header field or option; the command builders below extend the ones
 * they accept.
 */
export interface WithAckType {
  /**
   * Client to server: comma list of the acknowledgements requested (received, parsed, processed,
   * persisted, completed, stats). Server to client: the one kind of this ack. Replaces the requested
   * acks (duplicates removed, order kept). Sets the `a` header (`ackType`).
   */
  ackType(...types: AckType[]): this;
  /** Adds one ack type to the `a` header unless already requested. */
  addAckType(type: AckType): this;
}

export interface WithBatchSize {
  /**
   * Requested number of records per sow batch (server default 1, clients default 10, at most 10000).
   * On a server `sow` message: the number of records in this batch. Sets the `bs` header
   * (`batchSize`).
   */
  batchSize(value: number): this;
}

export interface WithBookmark {
  /**
   * Bookmark (`<publisher>|<sequence>|`, `0`, `0|1|`, a timestamp, a list or a range): the replay
   * start of a bookmark subscription, the point in time of a historical query, or the messages a
   * queue acknowledgement (sow_delete) refers to. On deliveries and acks, the message's position in
   * the transaction log. Sets the `bm` header (`bookmark`).
   */
  bookmark(value: string): this;
}

export interface WithClientName {
  /**
   * Name of the client; unique per server instance when a transaction log exists, and part of the
   * identity of the messages it publishes. Echoed on the logon ack. Sets the `client_name` header
   * (`clientName`).
   */
  clientName(value: string): this;
}

export interface WithCommandId {
  /**
   * Client-chosen opaque identifier of a command; echoed on the acks for that command (not on
   * conflated publish `persisted` acks). Sets the `cid` header (`commandId`).
   */
  commandId(value: string): this;
}

export interface WithCorrelationId {
  /**
   * Application correlation id (base64 alphabet only), passed through to subscribers; on logon it is
   * only logged. Sets the `x` header (`correlationId`).
   */
  correlationId(value: string): this;
}

export interface WithExpiration {
  /** Lifetime in seconds of the published record in the SOW. Sets the `e` header (`expiration`). */
  expiration(value: number): this;
}

export interface WithFilter {
  /**
   * Content filter expression (e.g. `/symbol = 'ROL'`). Servers must never emit the `f` spelling.
   * Sets the `filter` header (`filter`).
   */
  filter(value: string): this;
}

export interface WithMessageType {
  /**
   * Logon: the message type of the connection, needed when the transport accepts several message
   * types. Never emitted by a server. Sets the `mt` header (`messageType`).
   */
  messageType(value: string): this;
}

export interface WithOrderBy {
  /**
   * Sort order of query results, e.g. `/qty DESC`. Never emitted by a server. Sets the `orderby`
   * header (`orderBy`).
   */
  orderBy(value: string): this;
}

export interface WithPassword {
  /**
   * Password or authentication token for logon; a new token on a `retry` logon ack. Sets the `pw`
   * header (`password`).
   */
  password(value: string): this;
}

export interface WithQueryId {
  /**
   * Identifier of a SOW query; clients default it to the command id. Carried by sow batches,
   * group_begin/group_end and the query's acks. Sets the `query_id` header (`queryId`).
   */
  queryId(value: string): this;
}

export interface WithSequence {
  /**
   * Unsigned 64-bit publish sequence number (exceeds 2^53; always a bigint, written as a bare
   * integer and never as the last key). On logon and persisted acks: the highest sequence the server
   * has for this client name. Sets the `s` header (`sequence`).
   */
  sequence(value: bigint | number): this;
}

export interface WithSowKey {
  /**
   * SOW key of a record: explicit key on a publish to a topic keyed by the application; on
   * deliveries, sow records and oof messages the key of the record. Sets the `k` header (`sowKey`).
   */
  sowKey(value: string): this;
}

export interface WithSowKeys {
  /**
   * Comma list of SOW keys restricting a query or a sow_delete. Sets the `sow_keys` header
   * (`sowKeys`). The values are joined with commas.
   */
  sowKeys(...values: string[]): this;
}

export interface WithSubscriptionId {
  /**
   * Identifier of a subscription. With `replace`, `pause` or `resume` names existing subscriptions
   * (comma list allowed); `unsubscribe` accepts `all`. Sets the `sub_id` header (`subscriptionId`).
   */
  subscriptionId(value: string): this;
}

export interface WithTopic {
  /**
   * Topic name, or a regular expression over topic names where the command allows it (subscribe and
   * sow families). Sets the `t` header (`topic`).
   */
  topic(value: string): this;
}

export interface WithTopN {
  /**
   * Maximum number of records returned by a query or replayed by a bookmark subscription (the
   * `top_n=N` option is the preferred form). Sets the `top_n` header (`topN`).
   */
  topN(value: number): this;
}

export interface WithUserId {
  /**
   * User name for logon; on a `retry` logon ack the user to authenticate as; on deliveries the
   * publisher's user when the server's authorisation allows it. Sets the `user_id` header
   * (`userId`).
   */
  userId(value: string): this;
}

export interface WithVersion {
  /**
   * Logon: the client version (e.g. `0.1.0:typescript`). Logon ack: the server version (e.g.
   * `5.3.4.0`), mandatory for the official JavaScript client. Servers never emit `v`. Sets the
   * `version` header (`version`).
   */
  version(value: string): this;
}

export interface WithAckConflation {
  /**
   * Conflation interval of `persisted` publish acks (default `1s`). Adds `ack_conflation=<value>`
   * (an interval such as `1s` or `300ms`).
   */
  ackConflation(value: string): this;
}

export interface WithBeat {
  /** Answer a server heartbeat. Adds the `beat` option. */
  beat(): this;
}

export interface WithBookmarkNotFound {
  /**
   * What to do when the requested bookmark is unknown (server 5.3.5+; default `now`). Adds
   * `bookmark_not_found=<value>`.
   */
  bookmarkNotFound(value: 'now' | 'epoch' | 'fail'): this;
}

export interface WithBookmarkOption {
  /**
   * Include `bm` on each delivery without making it a bookmark subscription. Adds the `bookmark`
   * option.
   */
  bookmarkOption(): this;
}

export interface WithCancel {
  /**
   * Queue acknowledgement: return the message to the queue (counts toward MaxCancels). Adds the
   * `cancel` option.
   */
  cancel(): this;
}

export interface WithConflation {
  /**
   * Server-side conflation of this subscription: an interval (e.g. `1s`), `auto` or `none`. Adds
   * `conflation=<value>`.
   */
  conflation(value: string): this;
}

export interface WithConflationKey {
  /**
   * Fields identifying records for conflation, e.g. `[/id,/region]`. Adds
   * `conflation_key=[item,...]`.
   */
  conflationKey(...items: string[]): this;
}

export interface WithExpire {
  /** Queue acknowledgement: expire the message immediately. Adds the `expire` option. */
  expire(): this;
}

export interface WithFullyDurable {
  /**
   * Bookmark subscriptions: deliver only messages persisted locally and by every synchronous
   * replication destination. Adds the `fully_durable` option.
   */
  fullyDurable(): this;
}

export interface WithGrouping {
  /** Aggregation: the fields to group by. Adds `grouping=[item,...]`. */
  grouping(...items: string[]): this;
}

export interface WithLeaseExtension {
  /**
   * Queue acknowledgement: extend the lease (server support details uncertain). Adds
   * `lease_extension=<value>` (an interval such as `1s` or `300ms`).
   */
  leaseExtension(value: string): this;
}

export interface WithLive {
  /**
   * Bookmark subscriptions: after replay, deliver messages before they are persisted (lower latency,
   * risk of seeing messages that are later lost in failover). Adds the `live` option.
   */
  live(): this;
}

export interface WithMaxBacklog {
  /**
   * Queue subscriptions: the requested maximum of unacknowledged messages (server default 1; the
   * effective value comes back as `opts: max_backlog=N` on the processed ack). Adds
   * `max_backlog=<value>`.
   */
  maxBacklog(value: number): this;
}

export interface WithNoEmpties {
  /** Suppress empty (no-change) delta updates. Adds the `no_empties` option. */
  noEmpties(): this;
}

export interface WithNonRegexTopic {
  /** Treat the topic literally, not as a regular expression. Adds the `non_regex_topic` option. */
  nonRegexTopic(): this;
}

export interface WithNoSowkey {
  /** Omit the SOW key (`k`) header on results. Adds the `no_sowkey` option. */
  noSowkey(): this;
}

export interface WithOof {
  /**
   * Send out-of-focus (`oof`) messages when records stop matching (SOW topics, views, conflated
   * topics; not bookmark subscriptions). Adds the `oof` option.
   */
  oof(): this;
}

export interface WithPause {
  /**
   * Pause the bookmark subscription(s) named by `sub_id` (comma list allowed; not with `live`). Adds
   * the `pause` option.
   */
  pause(): this;
}

export interface WithPretty {
  /**
   * The server returns formatted representations of built-in binary message types. Adds the `pretty`
   * option.
   */
  pretty(): this;
}

export interface WithProjection {
  /** Aggregation: the projected fields and aggregate expressions. Adds `projection=[item,...]`. */
  projection(...items: string[]): this;
}

export interface WithRate {
  /**
   * Replay rate limit of a bookmark subscription (`<n>` messages/s, `<n>KB`, or `<x>X` of the
   * original rate). Adds `rate=<value>`.
   */
  rate(value: string): this;
}

export interface WithRateMaxGap {
  /**
   * With `rate`, the maximum idle gap during replay. Adds `rate_max_gap=<value>` (an interval such
   * as `1s` or `300ms`).
   */
  rateMaxGap(value: string): this;
}

export interface WithReplace {
  /**
   * Atomically replace the filter, topic or options of the existing subscription `sub_id`;
   * sow_and_subscribe re-runs the query and sends only records not previously delivered. Adds the
   * `replace` option.
   */
  replace(): this;
}

export interface WithResume {
  /** Resume paused bookmark subscription(s) named by `sub_id`. Adds the `resume` option. */
  resume(): this;
}

export interface WithSelect {
  /** Field projection, e.g. `[-/,+/id,+/qty]`. Adds `select=[item,...]`. */
  select(...items: string[]): this;
}

export interface WithSendKeys {
  /** Include the key fields in delta messages and sow results. Adds the `send_keys` option. */
  sendKeys(): this;
}

export interface WithSkipN {
  /** Number of records to skip (pagination; needs `top_n` and an order by). Adds `skip_n=<value>`. */
  skipN(value: number): this;
}

export interface WithStart {
  /**
   * Start or refresh the heartbeat timer with an interval of N seconds (`start,N`). Adds
   * `start,<value>`.
   */
  start(value: number): this;
}

export interface WithTimestampOption {
  /** Add the server processing time (`ts`) to each result. Adds the `timestamp` option. */
  timestampOption(): this;
}

export interface WithTopNOption {
  /**
   * Maximum number of records a query returns (preferred over the `top_n` header). Adds
   * `top_n=<value>`.
   */
  topNOption(value: number): this;
}

export interface WithBody {
  /** Sets the message data (the body). */
  body(data: CommandData): this;
}

/**
 * Authenticates the connection; must be the first command on it, and only one per connection. The
 * processed ack carries the server version, the highest sequence known for the client name (`s`)
 * and a bookmark whose publisher part is the client name hash.
 *
 * Builder for `logon`: wire `logon`; default acks `processed`; allowed acks `received`, `processed`; body none.
 */
export interface LogonCommand
  extends CommandBuilder<'logon'>,
  WithCommandId,
  WithAckType,
  WithCorrelationId,
  WithClientName,
  WithUserId,
  WithPassword,
  WithVersion,
  WithMessageType,
  WithPretty,
  WithAckConflation { }

/**
 * Publishes a message to a topic. With a publish store the client numbers it (`s`) and requests
 * `persisted` acks, which the server conflates. The C client abbreviates it to `p`.
 *
 * Builder for `publish`: wire `publish`; default acks none; allowed acks `received`, `processed`, `persisted`, `completed`; body required.
 */
export interface PublishCommand
  extends CommandBuilder<'publish'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithSowKey,
  WithSequence,
  WithCorrelationId,
  WithExpiration,
  WithBody { }

/**
 * Merges the non-null fields of the message into the existing SOW record with the same key;
 * behaves as publish on a non-SOW topic or for a new key.
 *
 * Builder for `delta_publish`: wire `delta_publish`; default acks none; allowed acks `received`, `processed`, `persisted`, `completed`; body required.
 */
export interface DeltaPublishCommand
  extends CommandBuilder<'delta_publish'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithSowKey,
  WithSequence,
  WithCorrelationId,
  WithExpiration,
  WithBody { }

/**
 * Subscribes to a topic (or a topic regex) with an optional content filter. With a bookmark it
 * replays the transaction log first (completed ack at the end of the replay).
 *
 * Builder for `subscribe`: wire `subscribe`; default acks `processed`; allowed acks `received`, `processed`, `persisted`, `completed`; body none.
 */
export interface SubscribeCommand
  extends CommandBuilder<'subscribe'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithFilter,
  WithSubscriptionId,
  WithTopN,
  WithBookmark,
  WithReplace,
  WithOof,
  WithNoSowkey,
  WithTimestampOption,
  WithBookmarkOption,
  WithLive,
  WithFullyDurable,
  WithPause,
  WithResume,
  WithRate,
  WithRateMaxGap,
  WithBookmarkNotFound,
  WithConflation,
  WithConflationKey,
  WithSelect,
  WithProjection,
  WithGrouping,
  WithNonRegexTopic,
  WithMaxBacklog { }

/**
 * Subscribes and receives only the changed fields of SOW records (delta messages).
 *
 * Builder for `delta_subscribe`: wire `delta_subscribe`; default acks `processed`; allowed acks `received`, `processed`, `persisted`, `completed`, `stats`; body none.
 */
export interface DeltaSubscribeCommand
  extends CommandBuilder<'delta_subscribe'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithFilter,
  WithSubscriptionId,
  WithTopN,
  WithBookmark,
  WithReplace,
  WithOof,
  WithNoEmpties,
  WithSendKeys,
  WithNoSowkey,
  WithTimestampOption,
  WithBookmarkOption,
  WithLive,
  WithFullyDurable,
  WithPause,
  WithResume,
  WithRate,
  WithRateMaxGap,
  WithBookmarkNotFound,
  WithConflation,
  WithConflationKey,
  WithSelect,
  WithProjection,
  WithGrouping,
  WithNonRegexTopic,
  WithMaxBacklog { }

/**
 * Queries the state of the world of a topic. Response: processed ack, group_begin, sow batches,
 * group_end, completed ack, stats ack.
 *
 * Builder for `sow`: wire `sow`; default acks `processed`, `completed`; allowed acks `received`, `processed`, `completed`, `stats`; body none.
 */
export interface SowCommand
  extends CommandBuilder<'sow'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithFilter,
  WithQueryId,
  WithBatchSize,
  WithTopN,
  WithOrderBy,
  WithSowKeys,
  WithBookmark,
  WithReplace,
  WithOof,
  WithSendKeys,
  WithNoSowkey,
  WithTimestampOption,
  WithTopNOption,
  WithSkipN,
  WithSelect,
  WithProjection,
  WithGrouping,
  WithNonRegexTopic { }

/**
 * Queries the SOW and atomically subscribes: the query results, then live publishes (those
 * arriving during the query are delivered after group_end).
 *
 * Builder for `sow_and_subscribe`: wire `sow_and_subscribe`; default acks `processed`, `completed`; allowed acks `received`, `processed`, `persisted`, `completed`, `stats`; body none.
 */
export interface SowAndSubscribeCommand
  extends CommandBuilder<'sow_and_subscribe'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithFilter,
  WithSubscriptionId,
  WithQueryId,
  WithBatchSize,
  WithTopN,
  WithOrderBy,
  WithSowKeys,
  WithBookmark,
  WithReplace,
  WithOof,
  WithSendKeys,
  WithNoSowkey,
  WithTimestampOption,
  WithBookmarkOption,
  WithBookmarkNotFound,
  WithConflation,
  WithConflationKey,
  WithTopNOption,
  WithSkipN,
  WithSelect,
  WithProjection,
  WithGrouping,
  WithNonRegexTopic,
  WithMaxBacklog { }

/**
 * As sow_and_subscribe, with delta messages for the live part.
 *
 * Builder for `sow_and_delta_subscribe`: wire `sow_and_delta_subscribe`; default acks `processed`, `completed`; allowed acks `received`, `processed`, `persisted`, `completed`, `stats`; body none.
 */
export interface SowAndDeltaSubscribeCommand
  extends CommandBuilder<'sow_and_delta_subscribe'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithFilter,
  WithSubscriptionId,
  WithQueryId,
  WithBatchSize,
  WithTopN,
  WithOrderBy,
  WithSowKeys,
  WithBookmark,
  WithReplace,
  WithOof,
  WithNoEmpties,
  WithSendKeys,
  WithNoSowkey,
  WithTimestampOption,
  WithBookmarkOption,
  WithBookmarkNotFound,
  WithConflation,
  WithConflationKey,
  WithTopNOption,
  WithSkipN,
  WithSelect,
  WithProjection,
  WithGrouping,
  WithNonRegexTopic,
  WithMaxBacklog { }

/**
 * Deletes SOW records selected by exactly one of filter, sow keys, message data or (queue
 * acknowledgement) bookmarks. Subscribers that held the records get `oof` with reason `deleted`;
 * the stats ack reports the number deleted.
 *
 * Builder for `sow_delete`: wire `sow_delete`; default acks `processed`, `stats`; allowed acks `received`, `processed`, `persisted`, `completed`, `stats`; body optional.
 */
export interface SowDeleteCommand
  extends CommandBuilder<'sow_delete'>,
  WithCommandId,
  WithAckType,
  WithTopic,
  WithFilter,
  WithSubscriptionId,
  WithQueryId,
  WithSowKeys,
  WithBookmark,
  WithSequence,
  WithCancel,
  WithExpire,
  WithLeaseExtension,
  WithBody { }

/**
 * Cancels subscriptions by id (a comma list, or `all`) and/or an in-progress SOW query by query
 * id. Messages already in flight may still arrive.
 *
 * Builder for `unsubscribe`: wire `unsubscribe`; default acks `processed`; allowed acks `received`, `processed`; body none.
 */
export interface UnsubscribeCommand
  extends CommandBuilder<'unsubscribe'>,
  WithCommandId,
  WithAckType,
  WithSubscriptionId,
  WithQueryId { }

/**
 * Acknowledged once every earlier command from this client has been processed (or, with
 * `persisted`, persisted or failed).
 *
 * Builder for `flush`: wire `flush`; default acks `processed`; allowed acks `received`, `processed`, `persisted`, `completed`; body none.
 */
export interface FlushCommand
  extends CommandBuilder<'flush'>,
  WithCommandId,
  WithAckType,
  WithClientName { }

/**
 * Starts or refreshes the server heartbeat timer (option `start,N`, N seconds) or answers a server
 * heartbeat (option `beat`).
 *
 * Builder for `heartbeat`: wire `heartbeat`; default acks none; allowed acks `received`, `processed`; body none.
 */
export interface HeartbeatCommand
  extends CommandBuilder<'heartbeat'>,
  WithCommandId,
  WithAckType,
  WithStart,
  WithBeat { }

/**
 * Legacy command present in the official clients' command lists; undocumented in 5.3.5.
 *
 * Builder for `start_timer`: wire `start_timer`; default acks `processed`; allowed acks `received`, `processed`; body none.
 */
export interface StartTimerCommand
  extends CommandBuilder<'start_timer'>,
  WithCommandId,
  WithAckType { }

/**
 * Legacy command present in the official clients' command lists; undocumented in 5.3.5.
 *
 * Builder for `stop_timer`: wire `stop_timer`; default acks `processed`; allowed acks `received`, `processed`; body none.
 */
export interface StopTimerCommand
  extends CommandBuilder<'stop_timer'>,
  WithCommandId,
  WithAckType { }

/** The builder interface of each command. */
export interface CommandBuilders {
  logon: LogonCommand;
  publish: PublishCommand;
  delta_publish: DeltaPublishCommand;
  subscribe: SubscribeCommand;
  delta_subscribe: DeltaSubscribeCommand;
  sow: SowCommand;
  sow_and_subscribe: SowAndSubscribeCommand;
  sow_and_delta_subscribe: SowAndDeltaSubscribeCommand;
  sow_delete: SowDeleteCommand;
  unsubscribe: UnsubscribeCommand;
  flush: FlushCommand;
  heartbeat: HeartbeatCommand;
  start_timer: StartTimerCommand;
  stop_timer: StopTimerCommand;
}

/** Any command builder. */
export type AnyCommand = CommandBuilders[CommandName];

function optionKeyword(entry: string): string {
  const m = /^[^=,]*/.exec(entry);
  return (m === null ? entry : m[0]).trim();
}

/** One runtime class implements every setter; the per-command interfaces decide what compiles. */
class CommandImpl {
  readonly commandName: CommandName;
  readonly header: Header;
  #data: CommandData | undefined;
  #options: string[] = [];

  constructor(name: CommandName) {
    this.commandName = name;
    this.header = { command: COMMAND_SPECS[name].wireName };
  }

  get data(): CommandData | undefined {
    return this.#data;
  }

  get options(): readonly string[] {
    return this.#options;
  }

  body(data: CommandData): this {
    this.#data = data;
    return this;
  }

  option(raw: string): this {
    const entry = raw.trim();
    if (entry === '') return this;
    return this.addOption(optionKeyword(entry), entry);
  }

  rawHeader(wireKey: string, value: HeaderValue): this {
    const field = HEADER_FIELD_BY_WIRE_KEY.get(wireKey);
    if (field === undefined) {
      (this.header.extras ??= {})[wireKey] = value;
      return this;
    }
    if (field.name === 'options') {
      this.#options = [];
      delete this.header.options;
      for (const part of String(value).split(',')) this.option(part);
      return this;
    }
    const h = this.header as Record<string, HeaderValue>;
    switch (field.type) {
      case 'integer':
        h[field.name] = typeof value === 'number' ? value : Number(value);
        break;
      case 'sequence':
        h[field.name] = typeof value === 'bigint' ? value : BigInt(typeof value === 'boolean' ? Number(value) : value);
        break;
      case 'boolean':
        h[field.name] = value === true || value === 'true' || value === 1 || value === '1';
        break;
      default:
        h[field.name] = String(value);
    }
    return this;
  }

  private addOption(keyword: string, entry: string): this {
    const i = this.#options.findIndex((o) => optionKeyword(o) === keyword);
    if (i >= 0) this.#options[i] = entry;
    else this.#options.push(entry);
    this.header.options = this.#options.join(',');
    return this;
  }

  commandId(value: string): this {
    this.header.commandId = value;
    return this;
  }

  ackType(...types: AckType[]): this {
    this.header.ackType = [...new Set(types)].join(',');
    return this;
  }

  addAckType(type: AckType): this {
    const cur = this.header.ackType;
    const list = cur === undefined || cur === '' ? [] : cur.split(',');
    if (!list.includes(type)) list.push(type);
    this.header.ackType = list.join(',');
    return this;
  }

  topic(value: string): this {
    this.header.topic = value;
    return this;
  }

  filter(value: string): this {
    this.header.filter = value;
    return this;
  }

  subscriptionId(value: string): this {
    this.header.subscriptionId = value;
    return this;
  }

  queryId(value: string): this {
    this.header.queryId = value;
    return this;
  }

  batchSize(value: number): this {
    this.header.batchSize = value;
    return this;
  }

  topN(value: number): this {
    this.header.topN = value;
    return this;
  }

  orderBy(value: string): this {
    this.header.orderBy = value;
    return this;
  }

  sowKey(value: string): this {
    this.header.sowKey = value;
    return this;
  }

  sowKeys(...values: string[]): this {
    this.header.sowKeys = values.join(',');
    return this;
  }

  bookmark(value: string): this {
    this.header.bookmark = value;
    return this;
  }

  sequence(value: bigint | number): this {
    this.header.sequence = BigInt(value);
    return this;
  }

  correlationId(value: string): this {
    this.header.correlationId = value;
    return this;
  }

  expiration(value: number): this {
    this.header.expiration = value;
    return this;
  }

  clientName(value: string): this {
    this.header.clientName = value;
    return this;
  }

  userId(value: string): this {
    this.header.userId = value;
    return this;
  }

  password(value: string): this {
    this.header.password = value;
    return this;
  }

  version(value: string): this {
    this.header.version = value;
    return this;
  }

  messageType(value: string): this {
    this.header.messageType = value;
    return this;
  }

  replace(): this {
    return this.addOption('replace', 'replace');
  }

  oof(): this {
    return this.addOption('oof', 'oof');
  }

  noEmpties(): this {
    return this.addOption('no_empties', 'no_empties');
  }

  sendKeys(): this {
    return this.addOption('send_keys', 'send_keys');
  }

  noSowkey(): this {
    return this.addOption('no_sowkey', 'no_sowkey');
  }

  timestampOption(): this {
    return this.addOption('timestamp', 'timestamp');
  }

  bookmarkOption(): this {
    return this.addOption('bookmark', 'bookmark');
  }

  live(): this {
    return this.addOption('live', 'live');
  }

  fullyDurable(): this {
    return this.addOption('fully_durable', 'fully_durable');
  }

  pause(): this {
    return this.addOption('pause', 'pause');
  }

  resume(): this {
    return this.addOption('resume', 'resume');
  }

  rate(value: string): this {
    return this.addOption('rate', `rate=${value}`);
  }

  rateMaxGap(value: string): this {
    return this.addOption('rate_max_gap', `rate_max_gap=${value}`);
  }

  bookmarkNotFound(value: 'now' | 'epoch' | 'fail'): this {
    return this.addOption('bookmark_not_found', `bookmark_not_found=${value}`);
  }

  conflation(value: string): this {
    return this.addOption('conflation', `conflation=${value}`);
  }

  conflationKey(...items: string[]): this {
    return this.addOption('conflation_key', `conflation_key=[${items.join(',')}]`);
  }

  topNOption(value: number): this {
    return this.addOption('top_n', `top_n=${value}`);
  }

  skipN(value: number): this {
    return this.addOption('skip_n', `skip_n=${value}`);
  }

  select(...items: string[]): this {
    return this.addOption('select', `select=[${items.join(',')}]`);
  }

  projection(...items: string[]): this {
    return this.addOption('projection', `projection=[${items.join(',')}]`);
  }

  grouping(...items: string[]): this {
    return this.addOption('grouping', `grouping=[${items.join(',')}]`);
  }

  nonRegexTopic(): this {
    return this.addOption('non_regex_topic', 'non_regex_topic');
  }

  maxBacklog(value: number): this {
    return this.addOption('max_backlog', `max_backlog=${value}`);
  }

  cancel(): this {
    return this.addOption('cancel', 'cancel');
  }

  expire(): this {
    return this.addOption('expire', 'expire');
  }

  leaseExtension(value: string): this {
    return this.addOption('lease_extension', `lease_extension=${value}`);
  }

  start(value: number): this {
    return this.addOption('start', `start,${value}`);
  }

  beat(): this {
    return this.addOption('beat', 'beat');
  }

  pretty(): this {
    return this.addOption('pretty', 'pretty');
  }

  ackConflation(value: string): this {
    return this.addOption('ack_conflation', `ack_conflation=${value}`);
  }
}

/**
 * Command factories: `Command.sow(topic)` returns a SowCommand offering only the fields and
 * options `sow` accepts. The factories set `c` (and the topic or id they take); the client adds
 * the command id and the default acks when they are absent.
 *
 * @example
 * Command.sow('orders').filter("/symbol = 'ROL'").batchSize(100).topN(10)
 */
export const Command = Object.freeze({
  /**
   * Creates a `logon` command. Authenticates the connection; must be the first command on it, and
   * only one per connection. The processed ack carries the server version, the highest sequence
   * known for the client name (`s`) and a bookmark whose publisher part is the client name hash.
   */
  logon(): LogonCommand {
    const b = new CommandImpl('logon');

    return b as unknown as LogonCommand;
  },

  /**
   * Creates a `publish` command. Publishes a message to a topic. With a publish store the client
   * numbers it (`s`) and requests `persisted` acks, which the server conflates. The C client
   * abbreviates it to `p`.
   */
  publish(topic: string): PublishCommand {
    const b = new CommandImpl('publish');
    b.header.topic = topic;
    return b as unknown as PublishCommand;
  },

  /**
   * Creates a `delta_publish` command. Merges the non-null fields of the message into the existing
   * SOW record with the same key; behaves as publish on a non-SOW topic or for a new key.
   */
  deltaPublish(topic: string): DeltaPublishCommand {
    const b = new CommandImpl('delta_publish');
    b.header.topic = topic;
    return b as unknown as DeltaPublishCommand;
  },

  /**
   * Creates a `subscribe` command. Subscribes to a topic (or a topic regex) with an optional content
   * filter. With a bookmark it replays the transaction log first (completed ack at the end of the
   * replay).
   */
  subscribe(topic: string): SubscribeCommand {
    const b = new CommandImpl('subscribe');
    b.header.topic = topic;
    return b as unknown as SubscribeCommand;
  },

  /**
   * Creates a `delta_subscribe` command. Subscribes and receives only the changed fields of SOW
   * records (delta messages).
   */
  deltaSubscribe(topic: string): DeltaSubscribeCommand {
    const b = new CommandImpl('delta_subscribe');
    b.header.topic = topic;
    return b as unknown as DeltaSubscribeCommand;
  },

  /**
   * Creates a `sow` command. Queries the state of the world of a topic. Response: processed ack,
   * group_begin, sow batches, group_end, completed ack, stats ack.
   */
  sow(topic: string): SowCommand {
    const b = new CommandImpl('sow');
    b.header.topic = topic;
    return b as unknown as SowCommand;
  },

  /**
   * Creates a `sow_and_subscribe` command. Queries the SOW and atomically subscribes: the query
   * results, then live publishes (those arriving during the query are delivered after group_end).
   */
  sowAndSubscribe(topic: string): SowAndSubscribeCommand {
    const b = new CommandImpl('sow_and_subscribe');
    b.header.topic = topic;
    return b as unknown as SowAndSubscribeCommand;
  },

  /**
   * Creates a `sow_and_delta_subscribe` command. As sow_and_subscribe, with delta messages for the
   * live part.
   */
  sowAndDeltaSubscribe(topic: string): SowAndDeltaSubscribeCommand {
    const b = new CommandImpl('sow_and_delta_subscribe');
    b.header.topic = topic;
    return b as unknown as SowAndDeltaSubscribeCommand;
  },

  /**
   * Creates a `sow_delete` command. Deletes SOW records selected by exactly one of filter, sow keys,
   * message data or (queue acknowledgement) bookmarks. Subscribers that held the records get `oof`
   * with reason `deleted`; the stats ack reports the number deleted.
   */
  sowDelete(topic: string): SowDeleteCommand {
    const b = new CommandImpl('sow_delete');
    b.header.topic = topic;
    return b as unknown as SowDeleteCommand;
  },

  /**
   * Creates a `unsubscribe` command. Cancels subscriptions by id (a comma list, or `all`) and/or an
   * in-progress SOW query by query id. Messages already in flight may still arrive.
   */
  unsubscribe(subscriptionId?: string): UnsubscribeCommand {
    const b = new CommandImpl('unsubscribe');
    if (subscriptionId !== undefined) b.header.subscriptionId = subscriptionId;
    return b as unknown as UnsubscribeCommand;
  },

  /**
   * Creates a `flush` command. Acknowledged once every earlier command from this client has been
   * processed (or, with `persisted`, persisted or failed).
   */
  flush(): FlushCommand {
    const b = new CommandImpl('flush');

    return b as unknown as FlushCommand;
  },

  /**
   * Creates a `heartbeat` command. Starts or refreshes the server heartbeat timer (option `start,N`,
   * N seconds) or answers a server heartbeat (option `beat`).
   */
  heartbeat(): HeartbeatCommand {
    const b = new CommandImpl('heartbeat');

    return b as unknown as HeartbeatCommand;
  },

  /**
   * Creates a `start_timer` command. Legacy command present in the official clients' command lists;
   * undocumented in 5.3.5.
   */
  startTimer(): StartTimerCommand {
    const b = new CommandImpl('start_timer');

    return b as unknown as StartTimerCommand;
  },

  /**
   * Creates a `stop_timer` command. Legacy command present in the official clients' command lists;
   * undocumented in 5.3.5.
   */
  stopTimer(): StopTimerCommand {
    const b = new CommandImpl('stop_timer');

    return b as unknown as StopTimerCommand;
  },

  /** Creates a builder for any command by name. */
  create<N extends CommandName>(name: N): CommandBuilders[N] {
    return new CommandImpl(name) as unknown as CommandBuilders[N];
  },
});

/** Any command builder (the type of the values `Command.*()` return). */
export type Command = AnyCommand;
