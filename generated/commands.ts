// generated from spec/commands.yaml, spec/headers.yaml, spec/options.yaml; do not edit. Run 'npm run generate'.

import type { AckType } from './enums.js';
import type { HeaderFieldName } from './header-fields.js';
import type { OptionName } from './options.js';

/**
 * A client → server command.
 * - `logon`: Authenticates the connection; must be the first command on it, and only one per connection. The processed ack carries the server version, the highest sequence known for the client name (`s`) and a bookmark whose publisher part is the client name hash.
 * - `publish`: Publishes a message to a topic. With a publish store the client numbers it (`s`) and requests `persisted` acks, which the server conflates. The C client abbreviates it to `p`.
 * - `delta_publish`: Merges the non-null fields of the message into the existing SOW record with the same key; behaves as publish on a non-SOW topic or for a new key.
 * - `subscribe`: Subscribes to a topic (or a topic regex) with an optional content filter. With a bookmark it replays the transaction log first (completed ack at the end of the replay).
 * - `delta_subscribe`: Subscribes and receives only the changed fields of SOW records (delta messages).
 * - `sow`: Queries the state of the world of a topic. Response: processed ack, group_begin, sow batches, group_end, completed ack, stats ack.
 * - `sow_and_subscribe`: Queries the SOW and atomically subscribes: the query results, then live publishes (those arriving during the query are delivered after group_end).
 * - `sow_and_delta_subscribe`: As sow_and_subscribe, with delta messages for the live part.
 * - `sow_delete`: Deletes SOW records selected by exactly one of filter, sow keys, message data or (queue acknowledgement) bookmarks. Subscribers that held the records get `oof` with reason `deleted`; the stats ack reports the number deleted.
 * - `unsubscribe`: Cancels subscriptions by id (a comma list, or `all`) and/or an in-progress SOW query by query id. Messages already in flight may still arrive.
 * - `flush`: Acknowledged once every earlier command from this client has been processed (or, with `persisted`, persisted or failed).
 * - `heartbeat`: Starts or refreshes the server heartbeat timer (option `start,N`, N seconds) or answers a server heartbeat (option `beat`).
 * - `start_timer`: Legacy command present in the official clients' command lists; undocumented in 5.3.5.
 * - `stop_timer`: Legacy command present in the official clients' command lists; undocumented in 5.3.5.
 */
export type CommandName = 'logon' | 'publish' | 'delta_publish' | 'subscribe' | 'delta_subscribe' | 'sow' | 'sow_and_subscribe' | 'sow_and_delta_subscribe' | 'sow_delete' | 'unsubscribe' | 'flush' | 'heartbeat' | 'start_timer' | 'stop_timer';

/**
 * A server → client message kind (`publish` is sent as `p`).
 * - `publish`: A message delivered to one or more subscriptions (`sids`); `l: 0` means no body. Queue deliveries carry `lp` and `bm`.
 * - `sow`: A batch of `bs` query results. TCP: one frame of record headers (`k`, `x`, `l`, `ts`, `bm`) each followed by `l` bytes of data; WebSocket: a record-header frame then a body frame per record.
 * - `oof`: Out-of-focus notice: a record no longer matches a subscription (`reason`: deleted, expired, match, entitlement).
 * - `ack`: Acknowledgement of a command (`a` = its kind, `status`, `reason`, per-command extras).
 * - `group_begin`: Marks the start of a query's results.
 * - `group_end`: Marks the end of a query's results.
 * - `heartbeat`: Server heartbeat, sent when the connection is otherwise idle after a `start,N` request.
 */
export type ServerMessageKind = 'publish' | 'sow' | 'oof' | 'ack' | 'group_begin' | 'group_end' | 'heartbeat';

/** Whether a command carries a body. */
export type BodyRule = 'none' | 'optional' | 'required';

/** The protocol rules of one client command; the mock server validates commands against these. */
export interface CommandSpec {
  readonly name: CommandName;
  /** Spelling our client sends. */
  readonly wireName: string;
  /** Every spelling a server accepts (e.g. `publish` and `p`). */
  readonly wireNames: readonly string[];
  /** Header fields the command may carry (property names). */
  readonly allowedFields: readonly HeaderFieldName[];
  /** Header fields the command must carry. */
  readonly requiredFields: readonly HeaderFieldName[];
  /** Acks our client requests when the application does not choose. */
  readonly defaultAcks: readonly AckType[];
  /** Acks the server honours for the command. */
  readonly allowedAcks: readonly AckType[];
  /** Options the command accepts. */
  readonly options: readonly OptionName[];
  readonly opensSubscription: boolean;
  /** Runs a SOW query (group_begin / sow batches / group_end). */
  readonly hasQuery: boolean;
  /** Results (deliveries or query records) stream back to the client. */
  readonly streamsResults: boolean;
  readonly body: BodyRule;
  readonly description: string;
}

/** The shape of one server → client message kind. */
export interface ServerMessageSpec {
  readonly name: ServerMessageKind;
  /** Spelling a server emits. */
  readonly wireName: string;
  /** Every spelling a client accepts. */
  readonly wireNames: readonly string[];
  /** Header fields the message may carry. */
  readonly fields: readonly HeaderFieldName[];
  readonly requiredFields: readonly HeaderFieldName[];
  readonly body: BodyRule;
  readonly description: string;
}

/** Every client command, in spec order. */
export const COMMAND_SPECS: Readonly<Record<CommandName, CommandSpec>> = Object.freeze({
  logon: {
    name: 'logon',
    wireName: 'logon',
    wireNames: ['logon'],
    allowedFields: ['command', 'commandId', 'ackType', 'options', 'correlationId', 'clientName', 'userId', 'password', 'version', 'messageType'],
    requiredFields: ['command'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed'],
    options: ['pretty', 'ack_conflation'],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'none',
    description: 'Authenticates the connection; must be the first command on it, and only one per connection. The processed ack carries the server version, the highest sequence known for the client name (`s`) and a bookmark whose publisher part is the client name hash.',
  },
  publish: {
    name: 'publish',
    wireName: 'publish',
    wireNames: ['publish', 'p'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'sowKey', 'sequence', 'correlationId', 'expiration'],
    requiredFields: ['command', 'topic'],
    defaultAcks: [],
    allowedAcks: ['received', 'processed', 'persisted', 'completed'],
    options: [],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'required',
    description: 'Publishes a message to a topic. With a publish store the client numbers it (`s`) and requests `persisted` acks, which the server conflates. The C client abbreviates it to `p`.',
  },
  delta_publish: {
    name: 'delta_publish',
    wireName: 'delta_publish',
    wireNames: ['delta_publish'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'sowKey', 'sequence', 'correlationId', 'expiration'],
    requiredFields: ['command', 'topic'],
    defaultAcks: [],
    allowedAcks: ['received', 'processed', 'persisted', 'completed'],
    options: [],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'required',
    description: 'Merges the non-null fields of the message into the existing SOW record with the same key; behaves as publish on a non-SOW topic or for a new key.',
  },
  subscribe: {
    name: 'subscribe',
    wireName: 'subscribe',
    wireNames: ['subscribe'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'filter', 'options', 'subscriptionId', 'topN', 'bookmark', 'dataOnly', 'sendOutOfFocus', 'sendSubscriptionIds', 'useNamespaces'],
    requiredFields: ['command', 'topic'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed', 'persisted', 'completed'],
    options: ['replace', 'oof', 'no_sowkey', 'timestamp', 'bookmark', 'live', 'fully_durable', 'pause', 'resume', 'rate', 'rate_max_gap', 'bookmark_not_found', 'conflation', 'conflation_key', 'select', 'projection', 'grouping', 'non_regex_topic', 'max_backlog'],
    opensSubscription: true,
    hasQuery: false,
    streamsResults: true,
    body: 'none',
    description: 'Subscribes to a topic (or a topic regex) with an optional content filter. With a bookmark it replays the transaction log first (completed ack at the end of the replay).',
  },
  delta_subscribe: {
    name: 'delta_subscribe',
    wireName: 'delta_subscribe',
    wireNames: ['delta_subscribe'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'filter', 'options', 'subscriptionId', 'topN', 'bookmark', 'dataOnly', 'sendEmpty', 'sendKeys', 'sendOutOfFocus', 'sendSubscriptionIds', 'useNamespaces'],
    requiredFields: ['command', 'topic'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed', 'persisted', 'completed', 'stats'],
    options: ['replace', 'oof', 'no_empties', 'send_keys', 'no_sowkey', 'timestamp', 'bookmark', 'live', 'fully_durable', 'pause', 'resume', 'rate', 'rate_max_gap', 'bookmark_not_found', 'conflation', 'conflation_key', 'select', 'projection', 'grouping', 'non_regex_topic', 'max_backlog'],
    opensSubscription: true,
    hasQuery: false,
    streamsResults: true,
    body: 'none',
    description: 'Subscribes and receives only the changed fields of SOW records (delta messages).',
  },
  sow: {
    name: 'sow',
    wireName: 'sow',
    wireNames: ['sow'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'filter', 'options', 'queryId', 'batchSize', 'topN', 'orderBy', 'sowKeys', 'bookmark', 'dataOnly', 'sendKeys', 'sendOutOfFocus', 'useNamespaces', 'maximumMessages'],
    requiredFields: ['command', 'topic'],
    defaultAcks: ['processed', 'completed'],
    allowedAcks: ['received', 'processed', 'completed', 'stats'],
    options: ['replace', 'oof', 'send_keys', 'no_sowkey', 'timestamp', 'top_n', 'skip_n', 'select', 'projection', 'grouping', 'non_regex_topic'],
    opensSubscription: false,
    hasQuery: true,
    streamsResults: true,
    body: 'none',
    description: 'Queries the state of the world of a topic. Response: processed ack, group_begin, sow batches, group_end, completed ack, stats ack.',
  },
  sow_and_subscribe: {
    name: 'sow_and_subscribe',
    wireName: 'sow_and_subscribe',
    wireNames: ['sow_and_subscribe'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'filter', 'options', 'subscriptionId', 'queryId', 'batchSize', 'topN', 'orderBy', 'sowKeys', 'bookmark', 'dataOnly', 'sendKeys', 'sendOutOfFocus', 'sendSubscriptionIds', 'useNamespaces', 'maximumMessages'],
    requiredFields: ['command', 'topic'],
    defaultAcks: ['processed', 'completed'],
    allowedAcks: ['received', 'processed', 'persisted', 'completed', 'stats'],
    options: ['replace', 'oof', 'send_keys', 'no_sowkey', 'timestamp', 'bookmark', 'bookmark_not_found', 'conflation', 'conflation_key', 'top_n', 'skip_n', 'select', 'projection', 'grouping', 'non_regex_topic', 'max_backlog'],
    opensSubscription: true,
    hasQuery: true,
    streamsResults: true,
    body: 'none',
    description: 'Queries the SOW and atomically subscribes: the query results, then live publishes (those arriving during the query are delivered after group_end).',
  },
  sow_and_delta_subscribe: {
    name: 'sow_and_delta_subscribe',
    wireName: 'sow_and_delta_subscribe',
    wireNames: ['sow_and_delta_subscribe'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'filter', 'options', 'subscriptionId', 'queryId', 'batchSize', 'topN', 'orderBy', 'sowKeys', 'bookmark', 'dataOnly', 'sendEmpty', 'sendKeys', 'sendOutOfFocus', 'sendSubscriptionIds', 'useNamespaces', 'maximumMessages'],
    requiredFields: ['command', 'topic'],
    defaultAcks: ['processed', 'completed'],
    allowedAcks: ['received', 'processed', 'persisted', 'completed', 'stats'],
    options: ['replace', 'oof', 'no_empties', 'send_keys', 'no_sowkey', 'timestamp', 'bookmark', 'bookmark_not_found', 'conflation', 'conflation_key', 'top_n', 'skip_n', 'select', 'projection', 'grouping', 'non_regex_topic', 'max_backlog'],
    opensSubscription: true,
    hasQuery: true,
    streamsResults: true,
    body: 'none',
    description: 'As sow_and_subscribe, with delta messages for the live part.',
  },
  sow_delete: {
    name: 'sow_delete',
    wireName: 'sow_delete',
    wireNames: ['sow_delete'],
    allowedFields: ['command', 'commandId', 'ackType', 'topic', 'filter', 'options', 'subscriptionId', 'queryId', 'sowKeys', 'bookmark', 'sequence'],
    requiredFields: ['command', 'topic'],
    defaultAcks: ['processed', 'stats'],
    allowedAcks: ['received', 'processed', 'persisted', 'completed', 'stats'],
    options: ['cancel', 'expire', 'lease_extension'],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'optional',
    description: 'Deletes SOW records selected by exactly one of filter, sow keys, message data or (queue acknowledgement) bookmarks. Subscribers that held the records get `oof` with reason `deleted`; the stats ack reports the number deleted.',
  },
  unsubscribe: {
    name: 'unsubscribe',
    wireName: 'unsubscribe',
    wireNames: ['unsubscribe'],
    allowedFields: ['command', 'commandId', 'ackType', 'subscriptionId', 'queryId'],
    requiredFields: ['command'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed'],
    options: [],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'none',
    description: 'Cancels subscriptions by id (a comma list, or `all`) and/or an in-progress SOW query by query id. Messages already in flight may still arrive.',
  },
  flush: {
    name: 'flush',
    wireName: 'flush',
    wireNames: ['flush'],
    allowedFields: ['command', 'commandId', 'ackType', 'clientName'],
    requiredFields: ['command'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed', 'persisted', 'completed'],
    options: [],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'none',
    description: 'Acknowledged once every earlier command from this client has been processed (or, with `persisted`, persisted or failed).',
  },
  heartbeat: {
    name: 'heartbeat',
    wireName: 'heartbeat',
    wireNames: ['heartbeat'],
    allowedFields: ['command', 'commandId', 'ackType', 'options', 'heartbeat', 'timeoutInterval'],
    requiredFields: ['command'],
    defaultAcks: [],
    allowedAcks: ['received', 'processed'],
    options: ['start', 'beat'],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'none',
    description: 'Starts or refreshes the server heartbeat timer (option `start,N`, N seconds) or answers a server heartbeat (option `beat`).',
  },
  start_timer: {
    name: 'start_timer',
    wireName: 'start_timer',
    wireNames: ['start_timer'],
    allowedFields: ['command', 'commandId', 'ackType'],
    requiredFields: ['command'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed'],
    options: [],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'none',
    description: 'Legacy command present in the official clients\' command lists; undocumented in 5.3.5.',
  },
  stop_timer: {
    name: 'stop_timer',
    wireName: 'stop_timer',
    wireNames: ['stop_timer'],
    allowedFields: ['command', 'commandId', 'ackType'],
    requiredFields: ['command'],
    defaultAcks: ['processed'],
    allowedAcks: ['received', 'processed'],
    options: [],
    opensSubscription: false,
    hasQuery: false,
    streamsResults: false,
    body: 'none',
    description: 'Legacy command present in the official clients\' command lists; undocumented in 5.3.5.',
  },
});

/** Client command names in spec order. */
export const COMMAND_NAMES: readonly CommandName[] = Object.freeze(['logon', 'publish', 'delta_publish', 'subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'unsubscribe', 'flush', 'heartbeat', 'start_timer', 'stop_timer'] as CommandName[]);

/** Every server message kind, in spec order. */
export const SERVER_MESSAGE_SPECS: Readonly<Record<ServerMessageKind, ServerMessageSpec>> = Object.freeze({
  publish: {
    name: 'publish',
    wireName: 'p',
    wireNames: ['p', 'publish'],
    fields: ['command', 'topic', 'subscriptionIds', 'sowKey', 'bookmark', 'correlationId', 'messageLength', 'timestamp', 'leasePeriod', 'userId', 'transmissionTime'],
    requiredFields: ['command', 'subscriptionIds'],
    body: 'optional',
    description: 'A message delivered to one or more subscriptions (`sids`); `l: 0` means no body. Queue deliveries carry `lp` and `bm`.',
  },
  sow: {
    name: 'sow',
    wireName: 'sow',
    wireNames: ['sow'],
    fields: ['command', 'topic', 'queryId', 'batchSize', 'sowKey', 'bookmark', 'correlationId', 'messageLength', 'timestamp', 'groupSequenceNumber'],
    requiredFields: ['command', 'queryId'],
    body: 'optional',
    description: 'A batch of `bs` query results. TCP: one frame of record headers (`k`, `x`, `l`, `ts`, `bm`) each followed by `l` bytes of data; WebSocket: a record-header frame then a body frame per record.',
  },
  oof: {
    name: 'oof',
    wireName: 'oof',
    wireNames: ['oof'],
    fields: ['command', 'reason', 'topic', 'subscriptionIds', 'sowKey', 'correlationId', 'messageLength', 'timestamp'],
    requiredFields: ['command', 'subscriptionIds'],
    body: 'optional',
    description: 'Out-of-focus notice: a record no longer matches a subscription (`reason`: deleted, expired, match, entitlement).',
  },
  ack: {
    name: 'ack',
    wireName: 'ack',
    wireNames: ['ack'],
    fields: ['command', 'commandId', 'ackType', 'status', 'reason', 'options', 'subscriptionId', 'queryId', 'bookmark', 'sequence', 'matches', 'topicMatches', 'recordsReturned', 'recordsDeleted', 'recordsInserted', 'recordsUpdated', 'clientName', 'userId', 'password', 'version'],
    requiredFields: ['command', 'ackType'],
    body: 'none',
    description: 'Acknowledgement of a command (`a` = its kind, `status`, `reason`, per-command extras).',
  },
  group_begin: {
    name: 'group_begin',
    wireName: 'group_begin',
    wireNames: ['group_begin'],
    fields: ['command', 'queryId'],
    requiredFields: ['command', 'queryId'],
    body: 'none',
    description: 'Marks the start of a query\'s results.',
  },
  group_end: {
    name: 'group_end',
    wireName: 'group_end',
    wireNames: ['group_end'],
    fields: ['command', 'queryId'],
    requiredFields: ['command', 'queryId'],
    body: 'none',
    description: 'Marks the end of a query\'s results.',
  },
  heartbeat: {
    name: 'heartbeat',
    wireName: 'heartbeat',
    wireNames: ['heartbeat'],
    fields: ['command'],
    requiredFields: ['command'],
    body: 'none',
    description: 'Server heartbeat, sent when the connection is otherwise idle after a `start,N` request.',
  },
});

/** Server message kinds in spec order. */
export const SERVER_MESSAGE_KINDS: readonly ServerMessageKind[] = Object.freeze(['publish', 'sow', 'oof', 'ack', 'group_begin', 'group_end', 'heartbeat'] as ServerMessageKind[]);

/** Every accepted `c` value to its command or message kind. */
const FROM_WIRE: Readonly<Record<string, CommandName | ServerMessageKind | undefined>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, CommandName | ServerMessageKind>, {
    logon: 'logon',
    publish: 'publish',
    p: 'publish',
    delta_publish: 'delta_publish',
    subscribe: 'subscribe',
    delta_subscribe: 'delta_subscribe',
    sow: 'sow',
    sow_and_subscribe: 'sow_and_subscribe',
    sow_and_delta_subscribe: 'sow_and_delta_subscribe',
    sow_delete: 'sow_delete',
    unsubscribe: 'unsubscribe',
    flush: 'flush',
    heartbeat: 'heartbeat',
    start_timer: 'start_timer',
    stop_timer: 'stop_timer',
    oof: 'oof',
    ack: 'ack',
    group_begin: 'group_begin',
    group_end: 'group_end',
  }),
);

/** The command or message kind of a `c` header value (`p` and `publish` → `publish`), or undefined. */
export function commandFromWire(c: string): CommandName | ServerMessageKind | undefined {
  return FROM_WIRE[c];
}

/** Is `name` a client command name? */
export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMAND_SPECS, name);
}

/** Is `name` a server message kind? */
export function isServerMessageKind(name: string): name is ServerMessageKind {
  return Object.prototype.hasOwnProperty.call(SERVER_MESSAGE_SPECS, name);
}
