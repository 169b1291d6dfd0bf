// generated from spec/enums.yaml; do not edit. Run 'npm run generate'.

/**
 * An acknowledgement type (`a` header).
 * - `received` (1): The command arrived at the server and has not been processed yet.
 * - `parsed` (2): Present in the C++ ack-type enumeration; the server documents it as not supported and the JavaScript client ignores it.
 * - `processed` (4): The command was processed: subscription registered, filter compiled, entitlement and parse checks done for publishes. Most errors are reported on this ack.
 * - `persisted` (8): The command is durable (local transaction log and every synchronous replication destination). Publish persisted acks are conflated (about once a second) and carry `s` instead of `cid`; bookmark subscriptions get periodic `bm` of the last persisted point.
 * - `completed` (16): The immediate part finished: the sow query, the bookmark replay, or the flush.
 * - `stats` (32): Counters (`matches`, `topic_matches`, `records_returned`, `records_deleted`, ...).
 */
export type AckType = 'received' | 'parsed' | 'processed' | 'persisted' | 'completed' | 'stats';

/** Information about one ack type; `bit` is the C++ client bit value. */
export interface AckTypeInfo {
  readonly name: AckType;
  readonly bit: number;
  readonly description: string;
}

/** Every ack type with its C++ bit value and semantics. */
export const ACK_TYPES: Readonly<Record<AckType, AckTypeInfo>> = Object.freeze({
  received: { name: 'received', bit: 1, description: 'The command arrived at the server and has not been processed yet.' },
  parsed: { name: 'parsed', bit: 2, description: 'Present in the C++ ack-type enumeration; the server documents it as not supported and the JavaScript client ignores it.' },
  processed: { name: 'processed', bit: 4, description: 'The command was processed: subscription registered, filter compiled, entitlement and parse checks done for publishes. Most errors are reported on this ack.' },
  persisted: { name: 'persisted', bit: 8, description: 'The command is durable (local transaction log and every synchronous replication destination). Publish persisted acks are conflated (about once a second) and carry `s` instead of `cid`; bookmark subscriptions get periodic `bm` of the last persisted point.' },
  completed: { name: 'completed', bit: 16, description: 'The immediate part finished: the sow query, the bookmark replay, or the flush.' },
  stats: { name: 'stats', bit: 32, description: 'Counters (`matches`, `topic_matches`, `records_returned`, `records_deleted`, ...).' },
});

/** Ack type names in bit order. */
export const ACK_TYPE_NAMES: readonly AckType[] = Object.freeze(['received', 'parsed', 'processed', 'persisted', 'completed', 'stats'] as AckType[]);

/** Is `value` an ack type name? */
export function isAckType(value: string): value is AckType {
  return (ACK_TYPE_NAMES as readonly string[]).includes(value);
}

/**
 * Parses a comma list of ack types (the `a` header): unknown names are dropped, duplicates
 * removed, bit order kept.
 */
export function parseAckTypes(list: string | undefined): AckType[] {
  if (list === undefined || list === '') return [];
  const wanted = new Set(list.split(',').map((s) => s.trim()));
  return ACK_TYPE_NAMES.filter((a) => wanted.has(a));
}

/** The C++ bit mask of a list of ack types. */
export function ackTypesToBits(types: readonly AckType[]): number {
  let bits = 0;
  for (const t of types) bits |= ACK_TYPES[t].bit;
  return bits;
}

/**
 * Status of an ack.
 * - `success`: The command succeeded.
 * - `failure`: The command failed; `reason` says why.
 * - `retry`: Logon: authenticate again with the token in the ack. Other commands: the client closes the connection so credentials are renewed.
 */
export type AckStatus = 'success' | 'failure' | 'retry';

/** Alias of AckStatus. */
export type Status = AckStatus;

/** Every ack status with its meaning. */
export const ACK_STATUSES: Readonly<Record<AckStatus, string>> = Object.freeze({
  success: 'The command succeeded.',
  failure: 'The command failed; `reason` says why.',
  retry: 'Logon: authenticate again with the token in the ack. Other commands: the client closes the connection so credentials are renewed.',
});

/**
 * Why a record left a subscription (`reason` of an `oof` message).
 * - `deleted`: The record was deleted from the SOW (the oof carries the previous record).
 * - `expired`: The record expired from the SOW.
 * - `match`: The record was updated and no longer matches the filter (the oof carries the updated record).
 * - `entitlement`: The subscriber is no longer entitled to the record.
 */
export type OofReason = 'deleted' | 'expired' | 'match' | 'entitlement';

/** Every OOF reason with its meaning. */
export const OOF_REASONS: Readonly<Record<OofReason, string>> = Object.freeze({
  deleted: 'The record was deleted from the SOW (the oof carries the previous record).',
  expired: 'The record expired from the SOW.',
  match: 'The record was updated and no longer matches the filter (the oof carries the updated record).',
  entitlement: 'The subscriber is no longer entitled to the record.',
});

/**
 * Connection states delivered to connection state listeners, with the C++ client values (the guide
 * gives no numbers).
 * - `Disconnected` (0): The client is not connected. An HAClient will try to reconnect; a Client invokes its disconnect handler.
 * - `Shutdown` (1): The client is shut down (closed, or a server chooser stopped reconnection).
 * - `Connected` (2): The client has established a connection to AMPS.
 * - `LoggedOn` (4): The client has logged on; recovery of client state may still follow.
 * - `PublishReplayed` (8): The client finished replaying its publish store after connecting.
 * - `HeartbeatInitiated` (16): The client started heartbeat monitoring with AMPS.
 * - `Resubscribed` (32): The subscription manager re-entered the subscriptions; the final recovery step.
 * - `Unknown` (16384): Default / custom state; never delivered by the official clients.
 */
export const ConnectionState = Object.freeze({
  /**
   * The client is not connected. An HAClient will try to reconnect; a Client invokes its disconnect
   * handler.
   */
  Disconnected: 0,
  /** The client is shut down (closed, or a server chooser stopped reconnection). */
  Shutdown: 1,
  /** The client has established a connection to AMPS. */
  Connected: 2,
  /** The client has logged on; recovery of client state may still follow. */
  LoggedOn: 4,
  /** The client finished replaying its publish store after connecting. */
  PublishReplayed: 8,
  /** The client started heartbeat monitoring with AMPS. */
  HeartbeatInitiated: 16,
  /** The subscription manager re-entered the subscriptions; the final recovery step. */
  Resubscribed: 32,
  /** Default / custom state; never delivered by the official clients. */
  Unknown: 16384,
} as const);

/** A connection state value. */
export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];

/** A connection state name. */
export type ConnectionStateName = keyof typeof ConnectionState;

/** Every connection state name with its description. */
export const CONNECTION_STATE_DESCRIPTIONS: Readonly<Record<ConnectionStateName, string>> = Object.freeze({
  Disconnected: 'The client is not connected. An HAClient will try to reconnect; a Client invokes its disconnect handler.',
  Shutdown: 'The client is shut down (closed, or a server chooser stopped reconnection).',
  Connected: 'The client has established a connection to AMPS.',
  LoggedOn: 'The client has logged on; recovery of client state may still follow.',
  PublishReplayed: 'The client finished replaying its publish store after connecting.',
  HeartbeatInitiated: 'The client started heartbeat monitoring with AMPS.',
  Resubscribed: 'The subscription manager re-entered the subscriptions; the final recovery step.',
  Unknown: 'Default / custom state; never delivered by the official clients.',
});

/** The name of a connection state value (`Unknown` for values the spec does not define). */
export function connectionStateName(state: number): ConnectionStateName {
  for (const [name, value] of Object.entries(ConnectionState)) if (value === state) return name as ConnectionStateName;
  return 'Unknown';
}

/**
 * A built-in AMPS message type name.
 * - `json`: JSON documents.
 * - `xml`: XML documents.
 * - `fix`: FIX tag=value pairs separated by SOH (0x01).
 * - `nvfix`: Name=value pairs separated by SOH (0x01).
 * - `bflat`: BFlat binary documents.
 * - `bson`: BSON documents.
 * - `msgpack`: MessagePack documents.
 * - `binary`: Opaque bytes; no server-constructed messages (stats, delta, /AMPS topics).
 * - `protobuf`: Protocol Buffers messages (needs server configuration).
 * - `struct`: Fixed-layout structures (needs server configuration).
 * - `composite-local`: Composite of parts, each a 4-byte big-endian length and the part bytes; fields keep their part.
 * - `composite-global`: Composite of parts, each a 4-byte big-endian length and the part bytes; fields merge across parts.
 */
export type MessageTypeName = 'json' | 'xml' | 'fix' | 'nvfix' | 'bflat' | 'bson' | 'msgpack' | 'binary' | 'protobuf' | 'struct' | 'composite-local' | 'composite-global';

/**
 * Information about a message type; `serverConstructed` = the server can build messages of it
 * (stats acks, deltas, /AMPS topics).
 */
export interface MessageTypeInfo {
  readonly name: MessageTypeName;
  readonly serverConstructed: boolean;
  readonly description: string;
}

/** Every built-in message type. */
export const MESSAGE_TYPES: Readonly<Record<MessageTypeName, MessageTypeInfo>> = Object.freeze({
  json: { name: 'json', serverConstructed: true, description: 'JSON documents.' },
  xml: { name: 'xml', serverConstructed: true, description: 'XML documents.' },
  fix: { name: 'fix', serverConstructed: true, description: 'FIX tag=value pairs separated by SOH (0x01).' },
  nvfix: { name: 'nvfix', serverConstructed: true, description: 'Name=value pairs separated by SOH (0x01).' },
  bflat: { name: 'bflat', serverConstructed: true, description: 'BFlat binary documents.' },
  bson: { name: 'bson', serverConstructed: true, description: 'BSON documents.' },
  msgpack: { name: 'msgpack', serverConstructed: true, description: 'MessagePack documents.' },
  binary: { name: 'binary', serverConstructed: false, description: 'Opaque bytes; no server-constructed messages (stats, delta, /AMPS topics).' },
  protobuf: { name: 'protobuf', serverConstructed: true, description: 'Protocol Buffers messages (needs server configuration).' },
  struct: { name: 'struct', serverConstructed: true, description: 'Fixed-layout structures (needs server configuration).' },
  'composite-local': { name: 'composite-local', serverConstructed: false, description: 'Composite of parts, each a 4-byte big-endian length and the part bytes; fields keep their part.' },
  'composite-global': { name: 'composite-global', serverConstructed: false, description: 'Composite of parts, each a 4-byte big-endian length and the part bytes; fields merge across parts.' },
});
