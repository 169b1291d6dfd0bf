// generated from spec/headers.yaml, spec/commands.yaml; do not edit. Run 'npm run generate'.

import type { CommandName, ServerMessageKind } from './commands.js';

/**
 * A header value in memory: strings, integers as numbers, the 64-bit sequence as bigint, flags as
 * booleans.
 */
export type HeaderValue = string | number | bigint | boolean;

/**
 * The typed header fields, keyed by property name. Everything above runtime/wire speaks these
 * names, never wire keys.
 */
export interface HeaderFields {
  /**
   * The command or message kind. Clients send the command name (the C client abbreviates publish to
   * `p`); servers send `p`, `sow`, `oof`, `ack`, `group_begin`, `group_end` or `heartbeat`. Set by
   * the Command factory.
   *
   * Wire key `c`, server emits `c`; also accepted: `cmd`.
   */
  command?: string;
  /**
   * Client-chosen opaque identifier of a command; echoed on the acks for that command (not on
   * conflated publish `persisted` acks).
   *
   * Wire key `cid`, server emits `cid`; also accepted: `cmd_id`.
   */
  commandId?: string;
  /**
   * Client to server: comma list of the acknowledgements requested (received, parsed, processed,
   * persisted, completed, stats). Server to client: the one kind of this ack.
   *
   * Wire key `a`, server emits `a`; also accepted: `ack`, `ack_type`.
   */
  ackType?: string;
  /**
   * Outcome of the command an ack refers to: `success`, `failure` or `retry`.
   *
   * Wire key `status`, server emits `status`.
   */
  status?: string;
  /**
   * On a failure ack, why the command failed (e.g. `bad filter`); on an `oof` message, why the
   * record left the subscription (`deleted`, `expired`, `match`, `entitlement`).
   *
   * Wire key `reason`, server emits `reason`.
   */
  reason?: string;
  /**
   * Topic name, or a regular expression over topic names where the command allows it (subscribe and
   * sow families).
   *
   * Wire key `t`, server emits `t`; also accepted: `topic`.
   */
  topic?: string;
  /**
   * Content filter expression (e.g. `/symbol = 'ROL'`). Servers must never emit the `f` spelling.
   *
   * Wire key `filter`, server emits `filter`; also accepted: `f`.
   */
  filter?: string;
  /**
   * Comma list of command options (see the options table). Clients send `o`; on acks the server
   * sends `opts` (queue subscriptions: `max_backlog=N`). Builders set it through option helpers and
   * `.option(raw)`.
   *
   * Wire key `o`, server emits `opts`; also accepted: `opts`.
   */
  options?: string;
  /**
   * Identifier of a subscription. With `replace`, `pause` or `resume` names existing subscriptions
   * (comma list allowed); `unsubscribe` accepts `all`.
   *
   * Wire key `sub_id`, server emits `sub_id`.
   */
  subscriptionId?: string;
  /**
   * Comma list of the subscription ids a delivered message matched; mandatory on `p` and `oof`
   * deliveries (clients route by it).
   *
   * Wire key `sids`, server emits `sids`; also accepted: `sub_ids`.
   */
  subscriptionIds?: string;
  /**
   * Identifier of a SOW query; clients default it to the command id. Carried by sow batches,
   * group_begin/group_end and the query's acks.
   *
   * Wire key `query_id`, server emits `query_id`.
   */
  queryId?: string;
  /**
   * Requested number of records per sow batch (server default 1, clients default 10, at most 10000).
   * On a server `sow` message: the number of records in this batch.
   *
   * Wire key `bs`, server emits `bs`; also accepted: `batch_size`.
   */
  batchSize?: number;
  /**
   * Maximum number of records returned by a query or replayed by a bookmark subscription (the
   * `top_n=N` option is the preferred form).
   *
   * Wire key `top_n`, server emits `top_n`.
   */
  topN?: number;
  /**
   * Sort order of query results, e.g. `/qty DESC`. Never emitted by a server.
   *
   * Wire key `orderby`, never emitted by a server; also accepted: `order_by`.
   */
  orderBy?: string;
  /**
   * SOW key of a record: explicit key on a publish to a topic keyed by the application; on
   * deliveries, sow records and oof messages the key of the record.
   *
   * Wire key `k`, server emits `k`; also accepted: `sow_key`.
   */
  sowKey?: string;
  /**
   * Comma list of SOW keys restricting a query or a sow_delete.
   *
   * Wire key `sow_keys`, server emits `sow_keys`.
   */
  sowKeys?: string;
  /**
   * Bookmark (`<publisher>|<sequence>|`, `0`, `0|1|`, a timestamp, a list or a range): the replay
   * start of a bookmark subscription, the point in time of a historical query, or the messages a
   * queue acknowledgement (sow_delete) refers to. On deliveries and acks, the message's position in
   * the transaction log.
   *
   * Wire key `bm`, server emits `bm`; also accepted: `bookmark`.
   */
  bookmark?: string;
  /**
   * Unsigned 64-bit publish sequence number (exceeds 2^53; always a bigint, written as a bare
   * integer and never as the last key). On logon and persisted acks: the highest sequence the server
   * has for this client name.
   *
   * Wire key `s`, server emits `s`; also accepted: `seq`.
   */
  sequence?: bigint;
  /**
   * Application correlation id (base64 alphabet only), passed through to subscribers; on logon it is
   * only logged.
   *
   * Wire key `x`, server emits `x`; also accepted: `correlation_id`.
   */
  correlationId?: string;
  /**
   * Lifetime in seconds of the published record in the SOW.
   *
   * Wire key `e`, server emits `e`; also accepted: `expiration`.
   */
  expiration?: number;
  /**
   * Length in bytes of the body that follows (deliveries, every sow record header); `0` means no
   * body.
   *
   * Wire key `l`, server emits `l`; also accepted: `msg_len`.
   */
  messageLength?: number;
  /**
   * ISO-8601 server processing time (microsecond resolution), sent when the `timestamp` option was
   * requested.
   *
   * Wire key `ts`, server emits `ts`; also accepted: `timestamp`.
   */
  timestamp?: string;
  /**
   * ISO-8601 expiry time of the lease on a queue message; its presence marks a delivery as a queue
   * message.
   *
   * Wire key `lp`, server emits `lp`; also accepted: `leaseperiod`.
   */
  leasePeriod?: string;
  /**
   * Sequence number of a sow batch within its query (legacy).
   *
   * Wire key `gseq`, server emits `gseq`; also accepted: `group_seq_num`.
   */
  groupSequenceNumber?: number;
  /**
   * Stats ack: records matching the topic and filter (may exceed records returned when top_n limits
   * the result; the Python client reports sow_delete counts through it).
   *
   * Wire key `matches`, server emits `matches`.
   */
  matches?: number;
  /**
   * Stats ack: records examined across the matching topics.
   *
   * Wire key `topic_matches`, server emits `topic_matches`.
   */
  topicMatches?: number;
  /**
   * Stats ack of a query: records actually returned.
   *
   * Wire key `records_returned`, server emits `records_returned`.
   */
  recordsReturned?: number;
  /**
   * Stats ack of a sow_delete: records actually deleted.
   *
   * Wire key `records_deleted`, server emits `records_deleted`.
   */
  recordsDeleted?: number;
  /**
   * Stats ack: records inserted.
   *
   * Wire key `records_inserted`, server emits `records_inserted`.
   */
  recordsInserted?: number;
  /**
   * Stats ack: records updated.
   *
   * Wire key `records_updated`, server emits `records_updated`.
   */
  recordsUpdated?: number;
  /**
   * Name of the client; unique per server instance when a transaction log exists, and part of the
   * identity of the messages it publishes. Echoed on the logon ack.
   *
   * Wire key `client_name`, server emits `client_name`.
   */
  clientName?: string;
  /**
   * User name for logon; on a `retry` logon ack the user to authenticate as; on deliveries the
   * publisher's user when the server's authorisation allows it.
   *
   * Wire key `user_id`, server emits `user_id`.
   */
  userId?: string;
  /**
   * Password or authentication token for logon; a new token on a `retry` logon ack.
   *
   * Wire key `pw`, server emits `pw`; also accepted: `auth_key`, `password`.
   */
  password?: string;
  /**
   * Logon: the client version (e.g. `0.1.0:typescript`). Logon ack: the server version (e.g.
   * `5.3.4.0`), mandatory for the official JavaScript client. Servers never emit `v`.
   *
   * Wire key `version`, server emits `version`; also accepted: `v`.
   */
  version?: string;
  /**
   * Logon: the message type of the connection, needed when the transport accepts several message
   * types. Never emitted by a server.
   *
   * Wire key `mt`, never emitted by a server; also accepted: `message_type`.
   */
  messageType?: string;
  /**
   * Legacy heartbeat field; current clients use `c:"heartbeat"` with `start,N` / `beat` options.
   *
   * Wire key `heartbeat`, never emitted by a server.
   */
  heartbeat?: string;
  /**
   * Legacy timeout interval (the C client writes it as `time_interval`).
   *
   * Wire key `timeout_interval`, never emitted by a server; also accepted: `time_interval`.
   */
  timeoutInterval?: number;
  /**
   * Legacy flag requesting the message data without headers.
   *
   * Wire key `data_only`, never emitted by a server.
   */
  dataOnly?: boolean;
  /**
   * Legacy flag for empty delta updates (superseded by the `no_empties` option).
   *
   * Wire key `send_empty`, never emitted by a server.
   */
  sendEmpty?: boolean;
  /**
   * Legacy flag to include key fields (superseded by the `send_keys` option).
   *
   * Wire key `send_keys`, never emitted by a server.
   */
  sendKeys?: boolean;
  /**
   * Legacy flag requesting out-of-focus messages (superseded by the `oof` option).
   *
   * Wire key `send_oof`, never emitted by a server.
   */
  sendOutOfFocus?: boolean;
  /**
   * Legacy flag asking the server to list matching subscription ids on deliveries.
   *
   * Wire key `send_subscription_ids`, never emitted by a server; also accepted: `send_matching_ids`.
   */
  sendSubscriptionIds?: boolean;
  /**
   * Legacy flag for namespace-qualified XML field names.
   *
   * Wire key `use_ns`, never emitted by a server.
   */
  useNamespaces?: boolean;
  /**
   * Legacy maximum number of messages for a query (superseded by `top_n`).
   *
   * Wire key `max_msgs`, never emitted by a server.
   */
  maximumMessages?: number;
  /**
   * Legacy source field from the server's header table; not understood by the C parser, never
   * emitted.
   *
   * Wire key `src`, never emitted by a server.
   */
  source?: string;
  /**
   * Transmission time read by the official JavaScript client; not understood by the C parser, so a
   * server must not emit it.
   *
   * Wire key `transmission_time`, never emitted by a server.
   */
  transmissionTime?: string;
}

/**
 * A decoded header: the typed fields plus `extras`, the wire keys the spec does not know (never
 * emitted by a server).
 */
export type Header = HeaderFields & { extras?: Record<string, HeaderValue> };

/** Property name of a header field. */
export type HeaderFieldName = keyof HeaderFields;

/** Wire type of a header field: `sequence` is an unsigned 64-bit integer held as bigint. */
export type HeaderFieldType = 'string' | 'integer' | 'sequence' | 'boolean';

/** Who sends the field: client (C→S), server (S→C), both, or legacy (obsolete flag). */
export type HeaderDirection = 'client' | 'server' | 'both' | 'legacy';

/** Everything the codec and the mock server need to know about one header field. */
export interface HeaderFieldInfo {
  /** Property name. */
  readonly name: HeaderFieldName;
  /** Key a client sends. */
  readonly wireKey: string;
  /** Key a server emits; absent when a server must never emit the field. */
  readonly serverKey?: string;
  /** Every other spelling accepted on input. */
  readonly aliases: readonly string[];
  readonly type: HeaderFieldType;
  /** Comma-separated list (kept as a string). */
  readonly list: boolean;
  readonly direction: HeaderDirection;
  readonly description: string;
  /** Client commands that may carry the field. */
  readonly commands: readonly CommandName[];
  /** Server message kinds that may carry the field. */
  readonly messages: readonly ServerMessageKind[];
}

/**
 * Every header field, keyed by property name, in spec order (typed access:
 * `HEADER_FIELD_INFO.bookmark`).
 */
export const HEADER_FIELD_INFO: Readonly<Record<HeaderFieldName, HeaderFieldInfo>> = Object.freeze({
  command: {
    name: 'command',
    wireKey: 'c',
    serverKey: 'c',
    aliases: ['cmd'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'The command or message kind. Clients send the command name (the C client abbreviates publish to `p`); servers send `p`, `sow`, `oof`, `ack`, `group_begin`, `group_end` or `heartbeat`. Set by the Command factory.',
    commands: ['logon', 'publish', 'delta_publish', 'subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'unsubscribe', 'flush', 'heartbeat', 'start_timer', 'stop_timer'],
    messages: ['publish', 'sow', 'oof', 'ack', 'group_begin', 'group_end', 'heartbeat'],
  },
  commandId: {
    name: 'commandId',
    wireKey: 'cid',
    serverKey: 'cid',
    aliases: ['cmd_id'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Client-chosen opaque identifier of a command; echoed on the acks for that command (not on conflated publish `persisted` acks).',
    commands: ['logon', 'publish', 'delta_publish', 'subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'unsubscribe', 'flush', 'heartbeat', 'start_timer', 'stop_timer'],
    messages: ['ack'],
  },
  ackType: {
    name: 'ackType',
    wireKey: 'a',
    serverKey: 'a',
    aliases: ['ack', 'ack_type'],
    type: 'string',
    list: true,
    direction: 'both',
    description: 'Client to server: comma list of the acknowledgements requested (received, parsed, processed, persisted, completed, stats). Server to client: the one kind of this ack.',
    commands: ['logon', 'publish', 'delta_publish', 'subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'unsubscribe', 'flush', 'heartbeat', 'start_timer', 'stop_timer'],
    messages: ['ack'],
  },
  status: {
    name: 'status',
    wireKey: 'status',
    serverKey: 'status',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'server',
    description: 'Outcome of the command an ack refers to: `success`, `failure` or `retry`.',
    commands: [],
    messages: ['ack'],
  },
  reason: {
    name: 'reason',
    wireKey: 'reason',
    serverKey: 'reason',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'server',
    description: 'On a failure ack, why the command failed (e.g. `bad filter`); on an `oof` message, why the record left the subscription (`deleted`, `expired`, `match`, `entitlement`).',
    commands: [],
    messages: ['oof', 'ack'],
  },
  topic: {
    name: 'topic',
    wireKey: 't',
    serverKey: 't',
    aliases: ['topic'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Topic name, or a regular expression over topic names where the command allows it (subscribe and sow families).',
    commands: ['publish', 'delta_publish', 'subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete'],
    messages: ['publish', 'sow', 'oof'],
  },
  filter: {
    name: 'filter',
    wireKey: 'filter',
    serverKey: 'filter',
    aliases: ['f'],
    type: 'string',
    list: false,
    direction: 'client',
    description: 'Content filter expression (e.g. `/symbol = \'ROL\'`). Servers must never emit the `f` spelling.',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete'],
    messages: [],
  },
  options: {
    name: 'options',
    wireKey: 'o',
    serverKey: 'opts',
    aliases: ['opts'],
    type: 'string',
    list: true,
    direction: 'both',
    description: 'Comma list of command options (see the options table). Clients send `o`; on acks the server sends `opts` (queue subscriptions: `max_backlog=N`). Builders set it through option helpers and `.option(raw)`.',
    commands: ['logon', 'subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'heartbeat'],
    messages: ['ack'],
  },
  subscriptionId: {
    name: 'subscriptionId',
    wireKey: 'sub_id',
    serverKey: 'sub_id',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Identifier of a subscription. With `replace`, `pause` or `resume` names existing subscriptions (comma list allowed); `unsubscribe` accepts `all`.',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'unsubscribe'],
    messages: ['ack'],
  },
  subscriptionIds: {
    name: 'subscriptionIds',
    wireKey: 'sids',
    serverKey: 'sids',
    aliases: ['sub_ids'],
    type: 'string',
    list: true,
    direction: 'server',
    description: 'Comma list of the subscription ids a delivered message matched; mandatory on `p` and `oof` deliveries (clients route by it).',
    commands: [],
    messages: ['publish', 'oof'],
  },
  queryId: {
    name: 'queryId',
    wireKey: 'query_id',
    serverKey: 'query_id',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Identifier of a SOW query; clients default it to the command id. Carried by sow batches, group_begin/group_end and the query\'s acks.',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'unsubscribe'],
    messages: ['sow', 'ack', 'group_begin', 'group_end'],
  },
  batchSize: {
    name: 'batchSize',
    wireKey: 'bs',
    serverKey: 'bs',
    aliases: ['batch_size'],
    type: 'integer',
    list: false,
    direction: 'both',
    description: 'Requested number of records per sow batch (server default 1, clients default 10, at most 10000). On a server `sow` message: the number of records in this batch.',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: ['sow'],
  },
  topN: {
    name: 'topN',
    wireKey: 'top_n',
    serverKey: 'top_n',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'client',
    description: 'Maximum number of records returned by a query or replayed by a bookmark subscription (the `top_n=N` option is the preferred form).',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  orderBy: {
    name: 'orderBy',
    wireKey: 'orderby',
    aliases: ['order_by'],
    type: 'string',
    list: false,
    direction: 'client',
    description: 'Sort order of query results, e.g. `/qty DESC`. Never emitted by a server.',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  sowKey: {
    name: 'sowKey',
    wireKey: 'k',
    serverKey: 'k',
    aliases: ['sow_key'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'SOW key of a record: explicit key on a publish to a topic keyed by the application; on deliveries, sow records and oof messages the key of the record.',
    commands: ['publish', 'delta_publish'],
    messages: ['publish', 'sow', 'oof'],
  },
  sowKeys: {
    name: 'sowKeys',
    wireKey: 'sow_keys',
    serverKey: 'sow_keys',
    aliases: [],
    type: 'string',
    list: true,
    direction: 'client',
    description: 'Comma list of SOW keys restricting a query or a sow_delete.',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete'],
    messages: [],
  },
  bookmark: {
    name: 'bookmark',
    wireKey: 'bm',
    serverKey: 'bm',
    aliases: ['bookmark'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Bookmark (`<publisher>|<sequence>|`, `0`, `0|1|`, a timestamp, a list or a range): the replay start of a bookmark subscription, the point in time of a historical query, or the messages a queue acknowledgement (sow_delete) refers to. On deliveries and acks, the message\'s position in the transaction log.',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete'],
    messages: ['publish', 'sow', 'ack'],
  },
  sequence: {
    name: 'sequence',
    wireKey: 's',
    serverKey: 's',
    aliases: ['seq'],
    type: 'sequence',
    list: false,
    direction: 'both',
    description: 'Unsigned 64-bit publish sequence number (exceeds 2^53; always a bigint, written as a bare integer and never as the last key). On logon and persisted acks: the highest sequence the server has for this client name.',
    commands: ['publish', 'delta_publish', 'sow_delete'],
    messages: ['ack'],
  },
  correlationId: {
    name: 'correlationId',
    wireKey: 'x',
    serverKey: 'x',
    aliases: ['correlation_id'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Application correlation id (base64 alphabet only), passed through to subscribers; on logon it is only logged.',
    commands: ['logon', 'publish', 'delta_publish'],
    messages: ['publish', 'sow', 'oof'],
  },
  expiration: {
    name: 'expiration',
    wireKey: 'e',
    serverKey: 'e',
    aliases: ['expiration'],
    type: 'integer',
    list: false,
    direction: 'client',
    description: 'Lifetime in seconds of the published record in the SOW.',
    commands: ['publish', 'delta_publish'],
    messages: [],
  },
  messageLength: {
    name: 'messageLength',
    wireKey: 'l',
    serverKey: 'l',
    aliases: ['msg_len'],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Length in bytes of the body that follows (deliveries, every sow record header); `0` means no body.',
    commands: [],
    messages: ['publish', 'sow', 'oof'],
  },
  timestamp: {
    name: 'timestamp',
    wireKey: 'ts',
    serverKey: 'ts',
    aliases: ['timestamp'],
    type: 'string',
    list: false,
    direction: 'server',
    description: 'ISO-8601 server processing time (microsecond resolution), sent when the `timestamp` option was requested.',
    commands: [],
    messages: ['publish', 'sow', 'oof'],
  },
  leasePeriod: {
    name: 'leasePeriod',
    wireKey: 'lp',
    serverKey: 'lp',
    aliases: ['leaseperiod'],
    type: 'string',
    list: false,
    direction: 'server',
    description: 'ISO-8601 expiry time of the lease on a queue message; its presence marks a delivery as a queue message.',
    commands: [],
    messages: ['publish'],
  },
  groupSequenceNumber: {
    name: 'groupSequenceNumber',
    wireKey: 'gseq',
    serverKey: 'gseq',
    aliases: ['group_seq_num'],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Sequence number of a sow batch within its query (legacy).',
    commands: [],
    messages: ['sow'],
  },
  matches: {
    name: 'matches',
    wireKey: 'matches',
    serverKey: 'matches',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Stats ack: records matching the topic and filter (may exceed records returned when top_n limits the result; the Python client reports sow_delete counts through it).',
    commands: [],
    messages: ['ack'],
  },
  topicMatches: {
    name: 'topicMatches',
    wireKey: 'topic_matches',
    serverKey: 'topic_matches',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Stats ack: records examined across the matching topics.',
    commands: [],
    messages: ['ack'],
  },
  recordsReturned: {
    name: 'recordsReturned',
    wireKey: 'records_returned',
    serverKey: 'records_returned',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Stats ack of a query: records actually returned.',
    commands: [],
    messages: ['ack'],
  },
  recordsDeleted: {
    name: 'recordsDeleted',
    wireKey: 'records_deleted',
    serverKey: 'records_deleted',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Stats ack of a sow_delete: records actually deleted.',
    commands: [],
    messages: ['ack'],
  },
  recordsInserted: {
    name: 'recordsInserted',
    wireKey: 'records_inserted',
    serverKey: 'records_inserted',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Stats ack: records inserted.',
    commands: [],
    messages: ['ack'],
  },
  recordsUpdated: {
    name: 'recordsUpdated',
    wireKey: 'records_updated',
    serverKey: 'records_updated',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'server',
    description: 'Stats ack: records updated.',
    commands: [],
    messages: ['ack'],
  },
  clientName: {
    name: 'clientName',
    wireKey: 'client_name',
    serverKey: 'client_name',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Name of the client; unique per server instance when a transaction log exists, and part of the identity of the messages it publishes. Echoed on the logon ack.',
    commands: ['logon', 'flush'],
    messages: ['ack'],
  },
  userId: {
    name: 'userId',
    wireKey: 'user_id',
    serverKey: 'user_id',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'User name for logon; on a `retry` logon ack the user to authenticate as; on deliveries the publisher\'s user when the server\'s authorisation allows it.',
    commands: ['logon'],
    messages: ['publish', 'ack'],
  },
  password: {
    name: 'password',
    wireKey: 'pw',
    serverKey: 'pw',
    aliases: ['auth_key', 'password'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Password or authentication token for logon; a new token on a `retry` logon ack.',
    commands: ['logon'],
    messages: ['ack'],
  },
  version: {
    name: 'version',
    wireKey: 'version',
    serverKey: 'version',
    aliases: ['v'],
    type: 'string',
    list: false,
    direction: 'both',
    description: 'Logon: the client version (e.g. `0.1.0:typescript`). Logon ack: the server version (e.g. `5.3.4.0`), mandatory for the official JavaScript client. Servers never emit `v`.',
    commands: ['logon'],
    messages: ['ack'],
  },
  messageType: {
    name: 'messageType',
    wireKey: 'mt',
    aliases: ['message_type'],
    type: 'string',
    list: false,
    direction: 'client',
    description: 'Logon: the message type of the connection, needed when the transport accepts several message types. Never emitted by a server.',
    commands: ['logon'],
    messages: [],
  },
  heartbeat: {
    name: 'heartbeat',
    wireKey: 'heartbeat',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'legacy',
    description: 'Legacy heartbeat field; current clients use `c:"heartbeat"` with `start,N` / `beat` options.',
    commands: ['heartbeat'],
    messages: [],
  },
  timeoutInterval: {
    name: 'timeoutInterval',
    wireKey: 'timeout_interval',
    aliases: ['time_interval'],
    type: 'integer',
    list: false,
    direction: 'legacy',
    description: 'Legacy timeout interval (the C client writes it as `time_interval`).',
    commands: ['heartbeat'],
    messages: [],
  },
  dataOnly: {
    name: 'dataOnly',
    wireKey: 'data_only',
    aliases: [],
    type: 'boolean',
    list: false,
    direction: 'legacy',
    description: 'Legacy flag requesting the message data without headers.',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  sendEmpty: {
    name: 'sendEmpty',
    wireKey: 'send_empty',
    aliases: [],
    type: 'boolean',
    list: false,
    direction: 'legacy',
    description: 'Legacy flag for empty delta updates (superseded by the `no_empties` option).',
    commands: ['delta_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  sendKeys: {
    name: 'sendKeys',
    wireKey: 'send_keys',
    aliases: [],
    type: 'boolean',
    list: false,
    direction: 'legacy',
    description: 'Legacy flag to include key fields (superseded by the `send_keys` option).',
    commands: ['delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  sendOutOfFocus: {
    name: 'sendOutOfFocus',
    wireKey: 'send_oof',
    aliases: [],
    type: 'boolean',
    list: false,
    direction: 'legacy',
    description: 'Legacy flag requesting out-of-focus messages (superseded by the `oof` option).',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  sendSubscriptionIds: {
    name: 'sendSubscriptionIds',
    wireKey: 'send_subscription_ids',
    aliases: ['send_matching_ids'],
    type: 'boolean',
    list: false,
    direction: 'legacy',
    description: 'Legacy flag asking the server to list matching subscription ids on deliveries.',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  useNamespaces: {
    name: 'useNamespaces',
    wireKey: 'use_ns',
    aliases: [],
    type: 'boolean',
    list: false,
    direction: 'legacy',
    description: 'Legacy flag for namespace-qualified XML field names.',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  maximumMessages: {
    name: 'maximumMessages',
    wireKey: 'max_msgs',
    aliases: [],
    type: 'integer',
    list: false,
    direction: 'legacy',
    description: 'Legacy maximum number of messages for a query (superseded by `top_n`).',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    messages: [],
  },
  source: {
    name: 'source',
    wireKey: 'src',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'legacy',
    description: 'Legacy source field from the server\'s header table; not understood by the C parser, never emitted.',
    commands: [],
    messages: [],
  },
  transmissionTime: {
    name: 'transmissionTime',
    wireKey: 'transmission_time',
    aliases: [],
    type: 'string',
    list: false,
    direction: 'server',
    description: 'Transmission time read by the official JavaScript client; not understood by the C parser, so a server must not emit it.',
    commands: [],
    messages: ['publish'],
  },
});

/** Every header field, in spec order. */
export const HEADER_FIELDS: readonly HeaderFieldInfo[] = Object.freeze(Object.values(HEADER_FIELD_INFO));

/** Lookup by property name. */
export const HEADER_FIELD_BY_NAME: ReadonlyMap<string, HeaderFieldInfo> = new Map(HEADER_FIELDS.map((f) => [f.name, f]));

/** Every accepted wire key (canonical keys and aliases). */
export type HeaderWireKey = 'c' | 'cmd' | 'cid' | 'cmd_id' | 'a' | 'ack' | 'ack_type' | 'status' | 'reason' | 't' | 'topic' | 'filter' | 'f' | 'o' | 'opts' | 'sub_id' | 'sids' | 'sub_ids' | 'query_id' | 'bs' | 'batch_size' | 'top_n' | 'orderby' | 'order_by' | 'k' | 'sow_key' | 'sow_keys' | 'bm' | 'bookmark' | 's' | 'seq' | 'x' | 'correlation_id' | 'e' | 'expiration' | 'l' | 'msg_len' | 'ts' | 'timestamp' | 'lp' | 'leaseperiod' | 'gseq' | 'group_seq_num' | 'matches' | 'topic_matches' | 'records_returned' | 'records_deleted' | 'records_inserted' | 'records_updated' | 'client_name' | 'user_id' | 'pw' | 'auth_key' | 'password' | 'version' | 'v' | 'mt' | 'message_type' | 'heartbeat' | 'timeout_interval' | 'time_interval' | 'data_only' | 'send_empty' | 'send_keys' | 'send_oof' | 'send_subscription_ids' | 'send_matching_ids' | 'use_ns' | 'max_msgs' | 'src' | 'transmission_time';

/**
 * Lookup by wire key: canonical keys **and** aliases (and server keys, which are always one of
 * them).
 */
export const HEADER_FIELD_BY_WIRE_KEY: ReadonlyMap<string, HeaderFieldInfo> = new Map([
  ['c', HEADER_FIELD_INFO.command],
  ['cmd', HEADER_FIELD_INFO.command],
  ['cid', HEADER_FIELD_INFO.commandId],
  ['cmd_id', HEADER_FIELD_INFO.commandId],
  ['a', HEADER_FIELD_INFO.ackType],
  ['ack', HEADER_FIELD_INFO.ackType],
  ['ack_type', HEADER_FIELD_INFO.ackType],
  ['status', HEADER_FIELD_INFO.status],
  ['reason', HEADER_FIELD_INFO.reason],
  ['t', HEADER_FIELD_INFO.topic],
  ['topic', HEADER_FIELD_INFO.topic],
  ['filter', HEADER_FIELD_INFO.filter],
  ['f', HEADER_FIELD_INFO.filter],
  ['o', HEADER_FIELD_INFO.options],
  ['opts', HEADER_FIELD_INFO.options],
  ['sub_id', HEADER_FIELD_INFO.subscriptionId],
  ['sids', HEADER_FIELD_INFO.subscriptionIds],
  ['sub_ids', HEADER_FIELD_INFO.subscriptionIds],
  ['query_id', HEADER_FIELD_INFO.queryId],
  ['bs', HEADER_FIELD_INFO.batchSize],
  ['batch_size', HEADER_FIELD_INFO.batchSize],
  ['top_n', HEADER_FIELD_INFO.topN],
  ['orderby', HEADER_FIELD_INFO.orderBy],
  ['order_by', HEADER_FIELD_INFO.orderBy],
  ['k', HEADER_FIELD_INFO.sowKey],
  ['sow_key', HEADER_FIELD_INFO.sowKey],
  ['sow_keys', HEADER_FIELD_INFO.sowKeys],
  ['bm', HEADER_FIELD_INFO.bookmark],
  ['bookmark', HEADER_FIELD_INFO.bookmark],
  ['s', HEADER_FIELD_INFO.sequence],
  ['seq', HEADER_FIELD_INFO.sequence],
  ['x', HEADER_FIELD_INFO.correlationId],
  ['correlation_id', HEADER_FIELD_INFO.correlationId],
  ['e', HEADER_FIELD_INFO.expiration],
  ['expiration', HEADER_FIELD_INFO.expiration],
  ['l', HEADER_FIELD_INFO.messageLength],
  ['msg_len', HEADER_FIELD_INFO.messageLength],
  ['ts', HEADER_FIELD_INFO.timestamp],
  ['timestamp', HEADER_FIELD_INFO.timestamp],
  ['lp', HEADER_FIELD_INFO.leasePeriod],
  ['leaseperiod', HEADER_FIELD_INFO.leasePeriod],
  ['gseq', HEADER_FIELD_INFO.groupSequenceNumber],
  ['group_seq_num', HEADER_FIELD_INFO.groupSequenceNumber],
  ['matches', HEADER_FIELD_INFO.matches],
  ['topic_matches', HEADER_FIELD_INFO.topicMatches],
  ['records_returned', HEADER_FIELD_INFO.recordsReturned],
  ['records_deleted', HEADER_FIELD_INFO.recordsDeleted],
  ['records_inserted', HEADER_FIELD_INFO.recordsInserted],
  ['records_updated', HEADER_FIELD_INFO.recordsUpdated],
  ['client_name', HEADER_FIELD_INFO.clientName],
  ['user_id', HEADER_FIELD_INFO.userId],
  ['pw', HEADER_FIELD_INFO.password],
  ['auth_key', HEADER_FIELD_INFO.password],
  ['password', HEADER_FIELD_INFO.password],
  ['version', HEADER_FIELD_INFO.version],
  ['v', HEADER_FIELD_INFO.version],
  ['mt', HEADER_FIELD_INFO.messageType],
  ['message_type', HEADER_FIELD_INFO.messageType],
  ['heartbeat', HEADER_FIELD_INFO.heartbeat],
  ['timeout_interval', HEADER_FIELD_INFO.timeoutInterval],
  ['time_interval', HEADER_FIELD_INFO.timeoutInterval],
  ['data_only', HEADER_FIELD_INFO.dataOnly],
  ['send_empty', HEADER_FIELD_INFO.sendEmpty],
  ['send_keys', HEADER_FIELD_INFO.sendKeys],
  ['send_oof', HEADER_FIELD_INFO.sendOutOfFocus],
  ['send_subscription_ids', HEADER_FIELD_INFO.sendSubscriptionIds],
  ['send_matching_ids', HEADER_FIELD_INFO.sendSubscriptionIds],
  ['use_ns', HEADER_FIELD_INFO.useNamespaces],
  ['max_msgs', HEADER_FIELD_INFO.maximumMessages],
  ['src', HEADER_FIELD_INFO.source],
  ['transmission_time', HEADER_FIELD_INFO.transmissionTime],
]);

/**
 * The field for a wire key or alias, or undefined for a key the spec does not know (an `extras`
 * key).
 */
export function headerFieldForWireKey(key: string): HeaderFieldInfo | undefined {
  return HEADER_FIELD_BY_WIRE_KEY.get(key);
}

/** Fields a server may emit (those with a serverKey), in spec order. */
export const SERVER_HEADER_FIELDS: readonly HeaderFieldInfo[] = Object.freeze(HEADER_FIELDS.filter((f) => f.serverKey !== undefined));
