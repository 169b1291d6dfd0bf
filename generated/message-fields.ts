// generated from spec/headers.yaml; do not edit. Run 'npm run generate'.

import type { Header } from './header-fields.js';
import { parseAckTypes, type AckType } from './enums.js';

/**
 * Typed accessors for every header field of a message. They read and write the decoded header in
 * place (the body is never touched or copied). Subclasses provide `header`.
 */
export abstract class MessageFields {
  /** The decoded header, keyed by property name. */
  abstract readonly header: Header;

  /**
   * The command or message kind. Clients send the command name (the C client abbreviates publish to
   * `p`); servers send `p`, `sow`, `oof`, `ack`, `group_begin`, `group_end` or `heartbeat`. Set by
   * the Command factory.
   *
   * Header `c` (string; both).
   */
  get command(): string | undefined {
    return this.header.command;
  }
  set command(value: string | undefined) {
    if (value === undefined) delete this.header.command;
    else this.header.command = value;
  }

  /**
   * Client-chosen opaque identifier of a command; echoed on the acks for that command (not on
   * conflated publish `persisted` acks).
   *
   * Header `cid` (string; both).
   */
  get commandId(): string | undefined {
    return this.header.commandId;
  }
  set commandId(value: string | undefined) {
    if (value === undefined) delete this.header.commandId;
    else this.header.commandId = value;
  }

  /**
   * Client to server: comma list of the acknowledgements requested (received, parsed, processed,
   * persisted, completed, stats). Server to client: the one kind of this ack.
   *
   * Header `a` (string, comma list; both).
   */
  get ackType(): string | undefined {
    return this.header.ackType;
  }
  set ackType(value: string | undefined) {
    if (value === undefined) delete this.header.ackType;
    else this.header.ackType = value;
  }

  /**
   * Outcome of the command an ack refers to: `success`, `failure` or `retry`.
   *
   * Header `status` (string; server).
   */
  get status(): string | undefined {
    return this.header.status;
  }
  set status(value: string | undefined) {
    if (value === undefined) delete this.header.status;
    else this.header.status = value;
  }

  /**
   * On a failure ack, why the command failed (e.g. `bad filter`); on an `oof` message, why the
   * record left the subscription (`deleted`, `expired`, `match`, `entitlement`).
   *
   * Header `reason` (string; server).
   */
  get reason(): string | undefined {
    return this.header.reason;
  }
  set reason(value: string | undefined) {
    if (value === undefined) delete this.header.reason;
    else this.header.reason = value;
  }

  /**
   * Topic name, or a regular expression over topic names where the command allows it (subscribe and
   * sow families).
   *
   * Header `t` (string; both).
   */
  get topic(): string | undefined {
    return this.header.topic;
  }
  set topic(value: string | undefined) {
    if (value === undefined) delete this.header.topic;
    else this.header.topic = value;
  }

  /**
   * Content filter expression (e.g. `/symbol = 'ROL'`). Servers must never emit the `f` spelling.
   *
   * Header `filter` (string; client).
   */
  get filter(): string | undefined {
    return this.header.filter;
  }
  set filter(value: string | undefined) {
    if (value === undefined) delete this.header.filter;
    else this.header.filter = value;
  }

  /**
   * Comma list of command options (see the options table). Clients send `o`; on acks the server
   * sends `opts` (queue subscriptions: `max_backlog=N`). Builders set it through option helpers and
   * `.option(raw)`.
   *
   * Header `o` (string, comma list; both).
   */
  get options(): string | undefined {
    return this.header.options;
  }
  set options(value: string | undefined) {
    if (value === undefined) delete this.header.options;
    else this.header.options = value;
  }

  /**
   * Identifier of a subscription. With `replace`, `pause` or `resume` names existing subscriptions
   * (comma list allowed); `unsubscribe` accepts `all`.
   *
   * Header `sub_id` (string; both).
   */
  get subscriptionId(): string | undefined {
    return this.header.subscriptionId;
  }
  set subscriptionId(value: string | undefined) {
    if (value === undefined) delete this.header.subscriptionId;
    else this.header.subscriptionId = value;
  }

  /**
   * Comma list of the subscription ids a delivered message matched; mandatory on `p` and `oof`
   * deliveries (clients route by it).
   *
   * Header `sids` (string, comma list; server).
   */
  get subscriptionIds(): string | undefined {
    return this.header.subscriptionIds;
  }
  set subscriptionIds(value: string | undefined) {
    if (value === undefined) delete this.header.subscriptionIds;
    else this.header.subscriptionIds = value;
  }

  /**
   * Identifier of a SOW query; clients default it to the command id. Carried by sow batches,
   * group_begin/group_end and the query's acks.
   *
   * Header `query_id` (string; both).
   */
  get queryId(): string | undefined {
    return this.header.queryId;
  }
  set queryId(value: string | undefined) {
    if (value === undefined) delete this.header.queryId;
    else this.header.queryId = value;
  }

  /**
   * Requested number of records per sow batch (server default 1, clients default 10, at most 10000).
   * On a server `sow` message: the number of records in this batch.
   *
   * Header `bs` (integer; both).
   */
  get batchSize(): number | undefined {
    return this.header.batchSize;
  }
  set batchSize(value: number | undefined) {
    if (value === undefined) delete this.header.batchSize;
    else this.header.batchSize = value;
  }

  /**
   * Maximum number of records returned by a query or replayed by a bookmark subscription (the
   * `top_n=N` option is the preferred form).
   *
   * Header `top_n` (integer; client).
   */
  get topN(): number | undefined {
    return this.header.topN;
  }
  set topN(value: number | undefined) {
    if (value === undefined) delete this.header.topN;
    else this.header.topN = value;
  }

  /**
   * Sort order of query results, e.g. `/qty DESC`. Never emitted by a server.
   *
   * Header `orderby` (string; client).
   */
  get orderBy(): string | undefined {
    return this.header.orderBy;
  }
  set orderBy(value: string | undefined) {
    if (value === undefined) delete this.header.orderBy;
    else this.header.orderBy = value;
  }

  /**
   * SOW key of a record: explicit key on a publish to a topic keyed by the application; on
   * deliveries, sow records and oof messages the key of the record.
   *
   * Header `k` (string; both).
   */
  get sowKey(): string | undefined {
    return this.header.sowKey;
  }
  set sowKey(value: string | undefined) {
    if (value === undefined) delete this.header.sowKey;
    else this.header.sowKey = value;
  }

  /**
   * Comma list of SOW keys restricting a query or a sow_delete.
   *
   * Header `sow_keys` (string, comma list; client).
   */
  get sowKeys(): string | undefined {
    return this.header.sowKeys;
  }
  set sowKeys(value: string | undefined) {
    if (value === undefined) delete this.header.sowKeys;
    else this.header.sowKeys = value;
  }

  /**
   * Bookmark (`<publisher>|<sequence>|`, `0`, `0|1|`, a timestamp, a list or a range): the replay
   * start of a bookmark subscription, the point in time of a historical query, or the messages a
   * queue acknowledgement (sow_delete) refers to. On deliveries and acks, the message's position in
   * the transaction log.
   *
   * Header `bm` (string; both).
   */
  get bookmark(): string | undefined {
    return this.header.bookmark;
  }
  set bookmark(value: string | undefined) {
    if (value === undefined) delete this.header.bookmark;
    else this.header.bookmark = value;
  }

  /**
   * Unsigned 64-bit publish sequence number (exceeds 2^53; always a bigint, written as a bare
   * integer and never as the last key). On logon and persisted acks: the highest sequence the server
   * has for this client name.
   *
   * Header `s` (sequence; both).
   */
  get sequence(): bigint | undefined {
    return this.header.sequence;
  }
  set sequence(value: bigint | undefined) {
    if (value === undefined) delete this.header.sequence;
    else this.header.sequence = value;
  }

  /**
   * Application correlation id (base64 alphabet only), passed through to subscribers; on logon it is
   * only logged.
   *
   * Header `x` (string; both).
   */
  get correlationId(): string | undefined {
    return this.header.correlationId;
  }
  set correlationId(value: string | undefined) {
    if (value === undefined) delete this.header.correlationId;
    else this.header.correlationId = value;
  }

  /**
   * Lifetime in seconds of the published record in the SOW.
   *
   * Header `e` (integer; client).
   */
  get expiration(): number | undefined {
    return this.header.expiration;
  }
  set expiration(value: number | undefined) {
    if (value === undefined) delete this.header.expiration;
    else this.header.expiration = value;
  }

  /**
   * Length in bytes of the body that follows (deliveries, every sow record header); `0` means no
   * body.
   *
   * Header `l` (integer; server).
   */
  get messageLength(): number | undefined {
    return this.header.messageLength;
  }
  set messageLength(value: number | undefined) {
    if (value === undefined) delete this.header.messageLength;
    else this.header.messageLength = value;
  }

  /**
   * ISO-8601 server processing time (microsecond resolution), sent when the `timestamp` option was
   * requested.
   *
   * Header `ts` (string; server).
   */
  get timestamp(): string | undefined {
    return this.header.timestamp;
  }
  set timestamp(value: string | undefined) {
    if (value === undefined) delete this.header.timestamp;
    else this.header.timestamp = value;
  }

  /**
   * ISO-8601 expiry time of the lease on a queue message; its presence marks a delivery as a queue
   * message.
   *
   * Header `lp` (string; server).
   */
  get leasePeriod(): string | undefined {
    return this.header.leasePeriod;
  }
  set leasePeriod(value: string | undefined) {
    if (value === undefined) delete this.header.leasePeriod;
    else this.header.leasePeriod = value;
  }

  /**
   * Sequence number of a sow batch within its query (legacy).
   *
   * Header `gseq` (integer; server).
   */
  get groupSequenceNumber(): number | undefined {
    return this.header.groupSequenceNumber;
  }
  set groupSequenceNumber(value: number | undefined) {
    if (value === undefined) delete this.header.groupSequenceNumber;
    else this.header.groupSequenceNumber = value;
  }

  /**
   * Stats ack: records matching the topic and filter (may exceed records returned when top_n limits
   * the result; the Python client reports sow_delete counts through it).
   *
   * Header `matches` (integer; server).
   */
  get matches(): number | undefined {
    return this.header.matches;
  }
  set matches(value: number | undefined) {
    if (value === undefined) delete this.header.matches;
    else this.header.matches = value;
  }

  /**
   * Stats ack: records examined across the matching topics.
   *
   * Header `topic_matches` (integer; server).
   */
  get topicMatches(): number | undefined {
    return this.header.topicMatches;
  }
  set topicMatches(value: number | undefined) {
    if (value === undefined) delete this.header.topicMatches;
    else this.header.topicMatches = value;
  }

  /**
   * Stats ack of a query: records actually returned.
   *
   * Header `records_returned` (integer; server).
   */
  get recordsReturned(): number | undefined {
    return this.header.recordsReturned;
  }
  set recordsReturned(value: number | undefined) {
    if (value === undefined) delete this.header.recordsReturned;
    else this.header.recordsReturned = value;
  }

  /**
   * Stats ack of a sow_delete: records actually deleted.
   *
   * Header `records_deleted` (integer; server).
   */
  get recordsDeleted(): number | undefined {
    return this.header.recordsDeleted;
  }
  set recordsDeleted(value: number | undefined) {
    if (value === undefined) delete this.header.recordsDeleted;
    else this.header.recordsDeleted = value;
  }

  /**
   * Stats ack: records inserted.
   *
   * Header `records_inserted` (integer; server).
   */
  get recordsInserted(): number | undefined {
    return this.header.recordsInserted;
  }
  set recordsInserted(value: number | undefined) {
    if (value === undefined) delete this.header.recordsInserted;
    else this.header.recordsInserted = value;
  }

  /**
   * Stats ack: records updated.
   *
   * Header `records_updated` (integer; server).
   */
  get recordsUpdated(): number | undefined {
    return this.header.recordsUpdated;
  }
  set recordsUpdated(value: number | undefined) {
    if (value === undefined) delete this.header.recordsUpdated;
    else this.header.recordsUpdated = value;
  }

  /**
   * Name of the client; unique per server instance when a transaction log exists, and part of the
   * identity of the messages it publishes. Echoed on the logon ack.
   *
   * Header `client_name` (string; both).
   */
  get clientName(): string | undefined {
    return this.header.clientName;
  }
  set clientName(value: string | undefined) {
    if (value === undefined) delete this.header.clientName;
    else this.header.clientName = value;
  }

  /**
   * User name for logon; on a `retry` logon ack the user to authenticate as; on deliveries the
   * publisher's user when the server's authorisation allows it.
   *
   * Header `user_id` (string; both).
   */
  get userId(): string | undefined {
    return this.header.userId;
  }
  set userId(value: string | undefined) {
    if (value === undefined) delete this.header.userId;
    else this.header.userId = value;
  }

  /**
   * Password or authentication token for logon; a new token on a `retry` logon ack.
   *
   * Header `pw` (string; both).
   */
  get password(): string | undefined {
    return this.header.password;
  }
  set password(value: string | undefined) {
    if (value === undefined) delete this.header.password;
    else this.header.password = value;
  }

  /**
   * Logon: the client version (e.g. `0.1.0:typescript`). Logon ack: the server version (e.g.
   * `5.3.4.0`), mandatory for the official JavaScript client. Servers never emit `v`.
   *
   * Header `version` (string; both).
   */
  get version(): string | undefined {
    return this.header.version;
  }
  set version(value: string | undefined) {
    if (value === undefined) delete this.header.version;
    else this.header.version = value;
  }

  /**
   * Logon: the message type of the connection, needed when the transport accepts several message
   * types. Never emitted by a server.
   *
   * Header `mt` (string; client).
   */
  get messageType(): string | undefined {
    return this.header.messageType;
  }
  set messageType(value: string | undefined) {
    if (value === undefined) delete this.header.messageType;
    else this.header.messageType = value;
  }

  /**
   * Legacy heartbeat field; current clients use `c:"heartbeat"` with `start,N` / `beat` options.
   *
   * Header `heartbeat` (string; legacy).
   */
  get heartbeat(): string | undefined {
    return this.header.heartbeat;
  }
  set heartbeat(value: string | undefined) {
    if (value === undefined) delete this.header.heartbeat;
    else this.header.heartbeat = value;
  }

  /**
   * Legacy timeout interval (the C client writes it as `time_interval`).
   *
   * Header `timeout_interval` (integer; legacy).
   */
  get timeoutInterval(): number | undefined {
    return this.header.timeoutInterval;
  }
  set timeoutInterval(value: number | undefined) {
    if (value === undefined) delete this.header.timeoutInterval;
    else this.header.timeoutInterval = value;
  }

  /**
   * Legacy flag requesting the message data without headers.
   *
   * Header `data_only` (boolean; legacy).
   */
  get dataOnly(): boolean | undefined {
    return this.header.dataOnly;
  }
  set dataOnly(value: boolean | undefined) {
    if (value === undefined) delete this.header.dataOnly;
    else this.header.dataOnly = value;
  }

  /**
   * Legacy flag for empty delta updates (superseded by the `no_empties` option).
   *
   * Header `send_empty` (boolean; legacy).
   */
  get sendEmpty(): boolean | undefined {
    return this.header.sendEmpty;
  }
  set sendEmpty(value: boolean | undefined) {
    if (value === undefined) delete this.header.sendEmpty;
    else this.header.sendEmpty = value;
  }

  /**
   * Legacy flag to include key fields (superseded by the `send_keys` option).
   *
   * Header `send_keys` (boolean; legacy).
   */
  get sendKeys(): boolean | undefined {
    return this.header.sendKeys;
  }
  set sendKeys(value: boolean | undefined) {
    if (value === undefined) delete this.header.sendKeys;
    else this.header.sendKeys = value;
  }

  /**
   * Legacy flag requesting out-of-focus messages (superseded by the `oof` option).
   *
   * Header `send_oof` (boolean; legacy).
   */
  get sendOutOfFocus(): boolean | undefined {
    return this.header.sendOutOfFocus;
  }
  set sendOutOfFocus(value: boolean | undefined) {
    if (value === undefined) delete this.header.sendOutOfFocus;
    else this.header.sendOutOfFocus = value;
  }

  /**
   * Legacy flag asking the server to list matching subscription ids on deliveries.
   *
   * Header `send_subscription_ids` (boolean; legacy).
   */
  get sendSubscriptionIds(): boolean | undefined {
    return this.header.sendSubscriptionIds;
  }
  set sendSubscriptionIds(value: boolean | undefined) {
    if (value === undefined) delete this.header.sendSubscriptionIds;
    else this.header.sendSubscriptionIds = value;
  }

  /**
   * Legacy flag for namespace-qualified XML field names.
   *
   * Header `use_ns` (boolean; legacy).
   */
  get useNamespaces(): boolean | undefined {
    return this.header.useNamespaces;
  }
  set useNamespaces(value: boolean | undefined) {
    if (value === undefined) delete this.header.useNamespaces;
    else this.header.useNamespaces = value;
  }

  /**
   * Legacy maximum number of messages for a query (superseded by `top_n`).
   *
   * Header `max_msgs` (integer; legacy).
   */
  get maximumMessages(): number | undefined {
    return this.header.maximumMessages;
  }
  set maximumMessages(value: number | undefined) {
    if (value === undefined) delete this.header.maximumMessages;
    else this.header.maximumMessages = value;
  }

  /**
   * Legacy source field from the server's header table; not understood by the C parser, never
   * emitted.
   *
   * Header `src` (string; legacy).
   */
  get source(): string | undefined {
    return this.header.source;
  }
  set source(value: string | undefined) {
    if (value === undefined) delete this.header.source;
    else this.header.source = value;
  }

  /**
   * Transmission time read by the official JavaScript client; not understood by the C parser, so a
   * server must not emit it.
   *
   * Header `transmission_time` (string; server).
   */
  get transmissionTime(): string | undefined {
    return this.header.transmissionTime;
  }
  set transmissionTime(value: string | undefined) {
    if (value === undefined) delete this.header.transmissionTime;
    else this.header.transmissionTime = value;
  }

  /** The `a` header as a list of known ack types (unknown names dropped). */
  get ackTypes(): AckType[] {
    return parseAckTypes(this.header.ackType);
  }

  /** Header keys the spec does not know, as received. */
  get extras(): Readonly<Record<string, string | number | bigint | boolean>> | undefined {
    return this.header.extras;
  }
}
