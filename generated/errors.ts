// generated from spec/exceptions.yaml; do not edit. Run 'npm run generate'.

/**
 * Global brand under which every exception stores its class-name chain (see
 * `AMPSException[Symbol.hasInstance]`).
 */
const BRAND: unique symbol = Symbol.for('amps-ts.AMPSException.chain');

/** Context attached to an exception. */
export interface AMPSExceptionOptions {
  reason?: string;
  command?: string;
  commandId?: string;
  cause?: unknown;
}

function brandChain(ctor: { exceptionName: string }): readonly string[] {
  const chain: string[] = [];
  let cur: unknown = ctor;
  while (typeof cur === 'function' && Object.prototype.hasOwnProperty.call(cur, 'exceptionName')) {
    chain.push((cur as unknown as { exceptionName: string }).exceptionName);
    cur = Object.getPrototypeOf(cur);
  }
  return Object.freeze(chain);
}

/**
 * Base class for all AMPS exceptions.
 *
 * When: Anytime.
 * Hierarchy: AMPSException.
 */
export class AMPSException extends Error {
  /** The class name; survives minification and duplicated packages. */
  static readonly exceptionName: string = 'AMPSException';
  /** The server failure reason, when the exception comes from a failure ack. */
  readonly reason?: string;
  /** The command that failed (e.g. `sow`). */
  readonly command?: string;
  /** The command id of the command that failed. */
  readonly commandId?: string;

  constructor(message?: string, options: AMPSExceptionOptions = {}) {
    super(message ?? options.reason ?? '', options.cause !== undefined ? { cause: options.cause } : undefined);
    const ctor = new.target as unknown as typeof AMPSException;
    Object.defineProperty(this, 'name', { value: ctor.exceptionName, enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: brandChain(ctor), enumerable: false });
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.command !== undefined) this.command = options.command;
    if (options.commandId !== undefined) this.commandId = options.commandId;
  }

  /**
   * `instanceof` that also recognises instances created by another copy of this module (duplicated
   * packages): it compares the class-name chain stored under a global `Symbol.for` brand.
   */
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const chain = (value as { [BRAND]?: unknown })[BRAND];
    return Array.isArray(chain) && chain.includes(this.exceptionName);
  }
}

/**
 * Base class for all exceptions relating to commands sent to AMPS; also raised for server failure
 * reasons without a more specific class.
 *
 * When: Anytime.
 * Hierarchy: CommandException → AMPSException.
 * Python client classes: CommandError, CommandTimedOut, CommandTypeError.
 * Server reasons: `duplicate`, `invalid message type`, `not supported`, `orderby too large`, `projection clause too large`, `sow_delete command only supports one of: filter, sow_keys, bookmark, or data`, `txn replay failed`, `version mismatch`, `invalid projection`.
 */
export class CommandException extends AMPSException {
  static override readonly exceptionName: string = 'CommandException';
}

/**
 * Base class for all exceptions relating to the state of the AMPS connection.
 *
 * When: Anytime.
 * Hierarchy: ConnectionException → AMPSException.
 * Python client classes: ConnectionError.
 */
export class ConnectionException extends AMPSException {
  static override readonly exceptionName: string = 'ConnectionException';
}

/**
 * A publish or bookmark store failed (local storage error, corrupted record).
 *
 * When: Anytime.
 * Hierarchy: StoreException → AMPSException.
 * Python client classes: StoreError, LocalStorageError, CorruptedRecord.
 */
export class StoreException extends AMPSException {
  static override readonly exceptionName: string = 'StoreException';
}

/**
 * The object is not in a valid state for the operation, e.g. changing the client name while
 * connected.
 *
 * When: Changing the properties of an object.
 * Hierarchy: UsageException → AMPSException.
 */
export class UsageException extends AMPSException {
  static override readonly exceptionName: string = 'UsageException';
}

/**
 * connect() was called on a client that is already connected.
 *
 * When: Connecting.
 * Hierarchy: AlreadyConnectedException → ConnectionException → AMPSException.
 * Python client classes: AlreadyConnected.
 */
export class AlreadyConnectedException extends ConnectionException {
  static override readonly exceptionName: string = 'AlreadyConnectedException';
}

/**
 * An authentication failure occurred on the server.
 *
 * When: Anytime.
 * Hierarchy: AuthenticationException → ConnectionException → AMPSException.
 * Python client classes: AuthenticationError.
 * Server reasons: `auth failure`, `authentication failure`, `authentication disabled`.
 */
export class AuthenticationException extends ConnectionException {
  static override readonly exceptionName: string = 'AuthenticationException';
}

/**
 * The connection was actively refused by the server: check that the server is running, the network
 * is available and the client settings match the server's.
 *
 * When: Connecting.
 * Hierarchy: ConnectionRefusedException → ConnectionException → AMPSException.
 * Python client classes: ConnectionRefused.
 */
export class ConnectionRefusedException extends ConnectionException {
  static override readonly exceptionName: string = 'ConnectionRefusedException';
}

/**
 * No connection was available when data had to be sent to the server, or the disconnect handler
 * threw.
 *
 * When: Anytime.
 * Hierarchy: DisconnectedException → ConnectionException → AMPSException.
 * Python client classes: Disconnected.
 */
export class DisconnectedException extends ConnectionException {
  static override readonly exceptionName: string = 'DisconnectedException';
}

/**
 * The URI given to connect() is malformed.
 *
 * When: Connecting.
 * Hierarchy: InvalidUriException → ConnectionException → AMPSException.
 * Python client classes: InvalidUriFormat.
 */
export class InvalidUriException extends ConnectionException {
  static override readonly exceptionName: string = 'InvalidUriException';
}

/**
 * The message type of the URI is unknown or its options are invalid.
 *
 * When: Connecting.
 * Hierarchy: MessageTypeException → ConnectionException → AMPSException.
 * Python client classes: MessageTypeError, MessageTypeNotFound, InvalidMessageTypeOptions.
 */
export class MessageTypeException extends ConnectionException {
  static override readonly exceptionName: string = 'MessageTypeException';
}

/**
 * The client name is already in use on the server.
 *
 * When: Connecting.
 * Hierarchy: NameInUseException → ConnectionException → AMPSException.
 * Python client classes: ClientNameInUse.
 * Server reasons: `name in use`.
 */
export class NameInUseException extends ConnectionException {
  static override readonly exceptionName: string = 'NameInUseException';
}

/**
 * The user is not entitled to perform the operation.
 *
 * When: Anytime.
 * Hierarchy: NotEntitledException → ConnectionException → AMPSException.
 * Python client classes: NotEntitledError.
 * Server reasons: `not entitled`.
 */
export class NotEntitledException extends ConnectionException {
  static override readonly exceptionName: string = 'NotEntitledException';
}

/**
 * Processing of the last command was aborted; issue it again.
 *
 * When: Anytime.
 * Hierarchy: RetryOperationException → ConnectionException → AMPSException.
 * Python client classes: RetryOperation.
 */
export class RetryOperationException extends ConnectionException {
  static override readonly exceptionName: string = 'RetryOperationException';
}

/**
 * Data corruption on the connection between client and server (e.g. an oversized or malformed
 * frame).
 *
 * When: Anytime.
 * Hierarchy: StreamException → ConnectionException → AMPSException.
 * Python client classes: StreamError.
 */
export class StreamException extends ConnectionException {
  static override readonly exceptionName: string = 'StreamException';
}

/**
 * A timeout occurred waiting for a response to a command.
 *
 * When: Anytime.
 * Hierarchy: TimedOutException → ConnectionException → AMPSException.
 * Python client classes: TimedOut.
 */
export class TimedOutException extends ConnectionException {
  static override readonly exceptionName: string = 'TimedOutException';
}

/**
 * A transport-level error (including an unknown transport).
 *
 * When: Connecting.
 * Hierarchy: TransportException → ConnectionException → AMPSException.
 * Python client classes: TransportError, TransportNotFound.
 */
export class TransportException extends ConnectionException {
  static override readonly exceptionName: string = 'TransportException';
}

/**
 * An invalid option or option value was given in the URI.
 *
 * When: Connecting.
 * Hierarchy: InvalidTransportOptionsException → TransportException → ConnectionException → AMPSException.
 * Python client classes: InvalidTransportOptions.
 */
export class InvalidTransportOptionsException extends TransportException {
  static override readonly exceptionName: string = 'InvalidTransportOptionsException';
}

/**
 * The URI selects a transport type that is unknown.
 *
 * When: Connecting.
 * Hierarchy: TransportTypeException → ConnectionException → AMPSException.
 */
export class TransportTypeException extends ConnectionException {
  static override readonly exceptionName: string = 'TransportTypeException';
}

/**
 * The filter expression is invalid (typically a syntax error).
 *
 * When: Subscribing.
 * Hierarchy: BadFilterException → CommandException → AMPSException.
 * Python client classes: BadFilter.
 * Server reasons: `bad filter`.
 */
export class BadFilterException extends CommandException {
  static override readonly exceptionName: string = 'BadFilterException';
}

/**
 * The topic regular expression is malformed, or regex topics are not supported there.
 *
 * When: Subscribing.
 * Hierarchy: BadRegexTopicException → CommandException → AMPSException.
 * Python client classes: BadRegexTopic.
 * Server reasons: `bad regex topic`, `regex topic not supported`.
 */
export class BadRegexTopicException extends CommandException {
  static override readonly exceptionName: string = 'BadRegexTopicException';
}

/**
 * The SOW key is invalid.
 *
 * When: Publishing or querying.
 * Hierarchy: BadSowKeyException → CommandException → AMPSException.
 * Server reasons: `bad sow key`.
 */
export class BadSowKeyException extends CommandException {
  static override readonly exceptionName: string = 'BadSowKeyException';
}

/**
 * A logon was attempted on a connection that is already logged on.
 *
 * When: Logging on.
 * Hierarchy: DuplicateLogonException → CommandException → AMPSException.
 * Server reasons: `duplicate logon attempt`.
 */
export class DuplicateLogonException extends CommandException {
  static override readonly exceptionName: string = 'DuplicateLogonException';
}

/**
 * The bookmark is malformed or cannot be used.
 *
 * When: Subscribing.
 * Hierarchy: InvalidBookmarkException → CommandException → AMPSException.
 * Server reasons: `invalid bookmark`.
 */
export class InvalidBookmarkException extends CommandException {
  static override readonly exceptionName: string = 'InvalidBookmarkException';
}

/**
 * The command's options are invalid.
 *
 * When: Anytime.
 * Hierarchy: InvalidOptionsException → CommandException → AMPSException.
 * Server reasons: `invalid options`.
 */
export class InvalidOptionsException extends CommandException {
  static override readonly exceptionName: string = 'InvalidOptionsException';
}

/**
 * The order-by clause is invalid.
 *
 * When: SOW query.
 * Hierarchy: InvalidOrderByException → CommandException → AMPSException.
 * Server reasons: `invalid order by`, `invalid orderby`.
 */
export class InvalidOrderByException extends CommandException {
  static override readonly exceptionName: string = 'InvalidOrderByException';
}

/**
 * The subscription id is invalid.
 *
 * When: Subscribing.
 * Hierarchy: InvalidSubIdException → CommandException → AMPSException.
 * Server reasons: `invalid subid`.
 */
export class InvalidSubIdException extends CommandException {
  static override readonly exceptionName: string = 'InvalidSubIdException';
}

/**
 * The topic is not configured for the operation, e.g. a sow on a topic without a SOW, or a
 * bookmark subscribe on a topic not recorded in the transaction log.
 *
 * When: SOW query.
 * Hierarchy: InvalidTopicException → CommandException → AMPSException.
 * Python client classes: InvalidTopicError.
 * Server reasons: `invalid topic`, `invalid topic or filter`.
 */
export class InvalidTopicException extends CommandException {
  static override readonly exceptionName: string = 'InvalidTopicException';
}

/**
 * A command was sent before logging on.
 *
 * When: Anytime.
 * Hierarchy: LogonRequiredException → CommandException → AMPSException.
 * Server reasons: `logon required`.
 */
export class LogonRequiredException extends CommandException {
  static override readonly exceptionName: string = 'LogonRequiredException';
}

/**
 * A field the command requires is missing (topic, filter, bookmark, client name, order by).
 *
 * When: Anytime.
 * Hierarchy: MissingFieldsException → CommandException → AMPSException.
 * Server reasons: `no filter or bookmark`, `no client name`, `no topic or filter`, `no topic`, `orderby required`.
 */
export class MissingFieldsException extends CommandException {
  static override readonly exceptionName: string = 'MissingFieldsException';
}

/**
 * The server could not store the publish (SOW store or transaction log failure).
 *
 * When: Publishing.
 * Hierarchy: PublishException → CommandException → AMPSException.
 * Server reasons: `sow store failed`, `tx store failure`.
 */
export class PublishException extends CommandException {
  static override readonly exceptionName: string = 'PublishException';
}

/**
 * The publish store would have a gap in its sequence numbers.
 *
 * When: Publishing.
 * Hierarchy: PublishStoreGapException → StoreException → AMPSException.
 */
export class PublishStoreGapException extends StoreException {
  static override readonly exceptionName: string = 'PublishStoreGapException';
}

/**
 * The subscription id is already in use.
 *
 * When: Subscribing.
 * Hierarchy: SubidInUseException → CommandException → AMPSException.
 * Server reasons: `subid in use`.
 */
export class SubidInUseException extends CommandException {
  static override readonly exceptionName: string = 'SubidInUseException';
}

/**
 * A subscription was requested with the same command id as another subscription; use a unique id
 * for every subscription.
 *
 * When: Subscribing.
 * Hierarchy: SubscriptionAlreadyExistsException → CommandException → AMPSException.
 * Python client classes: SubscriptionAlreadyExists.
 * Server reasons: `subscription already exists`.
 */
export class SubscriptionAlreadyExistsException extends CommandException {
  static override readonly exceptionName: string = 'SubscriptionAlreadyExistsException';
}

/**
 * An internal error occurred.
 *
 * When: Anytime.
 * Hierarchy: UnknownException → CommandException → AMPSException.
 * Python client classes: UnknownError.
 */
export class UnknownException extends CommandException {
  static override readonly exceptionName: string = 'UnknownException';
}

/** Name of an exception class. */
export type ExceptionName = 'AMPSException' | 'CommandException' | 'ConnectionException' | 'StoreException' | 'UsageException' | 'AlreadyConnectedException' | 'AuthenticationException' | 'ConnectionRefusedException' | 'DisconnectedException' | 'InvalidUriException' | 'MessageTypeException' | 'NameInUseException' | 'NotEntitledException' | 'RetryOperationException' | 'StreamException' | 'TimedOutException' | 'TransportException' | 'InvalidTransportOptionsException' | 'TransportTypeException' | 'BadFilterException' | 'BadRegexTopicException' | 'BadSowKeyException' | 'DuplicateLogonException' | 'InvalidBookmarkException' | 'InvalidOptionsException' | 'InvalidOrderByException' | 'InvalidSubIdException' | 'InvalidTopicException' | 'LogonRequiredException' | 'MissingFieldsException' | 'PublishException' | 'PublishStoreGapException' | 'SubidInUseException' | 'SubscriptionAlreadyExistsException' | 'UnknownException';

/** An exception class constructor. */
export type ExceptionClass = (new (message?: string, options?: AMPSExceptionOptions) => AMPSException) & {
  readonly exceptionName: string;
};

/** Every exception class by name. */
export const EXCEPTION_CLASSES: Readonly<Record<ExceptionName, ExceptionClass>> = Object.freeze({
  AMPSException,
  CommandException,
  ConnectionException,
  StoreException,
  UsageException,
  AlreadyConnectedException,
  AuthenticationException,
  ConnectionRefusedException,
  DisconnectedException,
  InvalidUriException,
  MessageTypeException,
  NameInUseException,
  NotEntitledException,
  RetryOperationException,
  StreamException,
  TimedOutException,
  TransportException,
  InvalidTransportOptionsException,
  TransportTypeException,
  BadFilterException,
  BadRegexTopicException,
  BadSowKeyException,
  DuplicateLogonException,
  InvalidBookmarkException,
  InvalidOptionsException,
  InvalidOrderByException,
  InvalidSubIdException,
  InvalidTopicException,
  LogonRequiredException,
  MissingFieldsException,
  PublishException,
  PublishStoreGapException,
  SubidInUseException,
  SubscriptionAlreadyExistsException,
  UnknownException,
});

/** The parent of every exception class (null for the root). */
export const EXCEPTION_PARENTS: Readonly<Record<ExceptionName, ExceptionName | null>> = Object.freeze({
  AMPSException: null,
  CommandException: 'AMPSException',
  ConnectionException: 'AMPSException',
  StoreException: 'AMPSException',
  UsageException: 'AMPSException',
  AlreadyConnectedException: 'ConnectionException',
  AuthenticationException: 'ConnectionException',
  ConnectionRefusedException: 'ConnectionException',
  DisconnectedException: 'ConnectionException',
  InvalidUriException: 'ConnectionException',
  MessageTypeException: 'ConnectionException',
  NameInUseException: 'ConnectionException',
  NotEntitledException: 'ConnectionException',
  RetryOperationException: 'ConnectionException',
  StreamException: 'ConnectionException',
  TimedOutException: 'ConnectionException',
  TransportException: 'ConnectionException',
  InvalidTransportOptionsException: 'TransportException',
  TransportTypeException: 'ConnectionException',
  BadFilterException: 'CommandException',
  BadRegexTopicException: 'CommandException',
  BadSowKeyException: 'CommandException',
  DuplicateLogonException: 'CommandException',
  InvalidBookmarkException: 'CommandException',
  InvalidOptionsException: 'CommandException',
  InvalidOrderByException: 'CommandException',
  InvalidSubIdException: 'CommandException',
  InvalidTopicException: 'CommandException',
  LogonRequiredException: 'CommandException',
  MissingFieldsException: 'CommandException',
  PublishException: 'CommandException',
  PublishStoreGapException: 'StoreException',
  SubidInUseException: 'CommandException',
  SubscriptionAlreadyExistsException: 'CommandException',
  UnknownException: 'CommandException',
});

/**
 * Every failure reason string a server can put on a `status: failure` ack.
 * - `AUTH_FAILURE`: Authentication failed (the C++ client's spelling).
 * - `AUTHENTICATION_FAILURE`: Authentication failed (the Python extension's spelling).
 * - `AUTHENTICATION_DISABLED`: Authentication is disabled for this transport.
 * - `BAD_FILTER`: The filter does not parse.
 * - `BAD_SOW_KEY`: The SOW key is invalid.
 * - `BAD_REGEX_TOPIC`: The topic regular expression does not parse.
 * - `REGEX_TOPIC_NOT_SUPPORTED`: The command does not accept a regex topic.
 * - `DUPLICATE_LOGON_ATTEMPT`: A second logon on the same connection.
 * - `DUPLICATE`: A publish with an already seen sequence number (reported on persisted acks).
 * - `INVALID_BOOKMARK`: The bookmark is malformed or unusable.
 * - `INVALID_MESSAGE_TYPE`: The message type is not valid for the transport or topic.
 * - `INVALID_OPTIONS`: The options are invalid.
 * - `INVALID_ORDER_BY`: The order by clause is invalid.
 * - `INVALID_ORDERBY`: Alternative spelling of `invalid order by` (the exact server text is uncertain).
 * - `INVALID_SUBID`: The subscription id is invalid.
 * - `INVALID_TOPIC`: The topic is not valid for the command (e.g. sow on a topic without a SOW).
 * - `INVALID_TOPIC_OR_FILTER`: The topic or the filter is invalid.
 * - `LOGON_REQUIRED`: The connection must log on first.
 * - `NAME_IN_USE`: The client name is in use by another connection.
 * - `NOT_ENTITLED`: The user is not entitled to the operation.
 * - `NO_FILTER_OR_BOOKMARK`: The command needs a filter or a bookmark.
 * - `NO_CLIENT_NAME`: The logon has no client name.
 * - `NO_TOPIC_OR_FILTER`: The command needs a topic or a filter.
 * - `NO_TOPIC`: The command needs a topic.
 * - `NOT_SUPPORTED`: The operation is not supported with these options.
 * - `ORDERBY_REQUIRED`: The query needs an order by (e.g. with `skip_n`).
 * - `ORDERBY_TOO_LARGE`: The order by clause is too large.
 * - `PROJECTION_CLAUSE_TOO_LARGE`: The projection clause is too large.
 * - `SUBID_IN_USE`: The subscription id is in use.
 * - `SUBSCRIPTION_ALREADY_EXISTS`: The command id is already used by another subscription. (The Python client raises plain CommandException; our class is a CommandException subclass.)
 * - `SOW_DELETE_ONE_SELECTOR`: A sow_delete gave more than one of filter, sow keys, bookmark and data.
 * - `SOW_STORE_FAILED`: The SOW store failed to store the publish.
 * - `TX_STORE_FAILURE`: The transaction log failed to store the publish.
 * - `TXN_REPLAY_FAILED`: The transaction log replay failed.
 * - `VERSION_MISMATCH`: The client version is not supported.
 * - `INVALID_PROJECTION`: The projection is invalid.
 */
export const Reasons = Object.freeze({
  /** Authentication failed (the C++ client's spelling). Raises AuthenticationException. */
  AUTH_FAILURE: 'auth failure',
  /** Authentication failed (the Python extension's spelling). Raises AuthenticationException. */
  AUTHENTICATION_FAILURE: 'authentication failure',
  /** Authentication is disabled for this transport. Raises AuthenticationException. */
  AUTHENTICATION_DISABLED: 'authentication disabled',
  /** The filter does not parse. Raises BadFilterException. */
  BAD_FILTER: 'bad filter',
  /** The SOW key is invalid. Raises BadSowKeyException. */
  BAD_SOW_KEY: 'bad sow key',
  /** The topic regular expression does not parse. Raises BadRegexTopicException. */
  BAD_REGEX_TOPIC: 'bad regex topic',
  /** The command does not accept a regex topic. Raises BadRegexTopicException. */
  REGEX_TOPIC_NOT_SUPPORTED: 'regex topic not supported',
  /** A second logon on the same connection. Raises DuplicateLogonException. */
  DUPLICATE_LOGON_ATTEMPT: 'duplicate logon attempt',
  /**
   * A publish with an already seen sequence number (reported on persisted acks). Raises
   * CommandException.
   */
  DUPLICATE: 'duplicate',
  /** The bookmark is malformed or unusable. Raises InvalidBookmarkException. */
  INVALID_BOOKMARK: 'invalid bookmark',
  /** The message type is not valid for the transport or topic. Raises CommandException. */
  INVALID_MESSAGE_TYPE: 'invalid message type',
  /** The options are invalid. Raises InvalidOptionsException. */
  INVALID_OPTIONS: 'invalid options',
  /** The order by clause is invalid. Raises InvalidOrderByException. */
  INVALID_ORDER_BY: 'invalid order by',
  /**
   * Alternative spelling of `invalid order by` (the exact server text is uncertain). Raises
   * InvalidOrderByException.
   */
  INVALID_ORDERBY: 'invalid orderby',
  /** The subscription id is invalid. Raises InvalidSubIdException. */
  INVALID_SUBID: 'invalid subid',
  /**
   * The topic is not valid for the command (e.g. sow on a topic without a SOW). Raises
   * InvalidTopicException.
   */
  INVALID_TOPIC: 'invalid topic',
  /** The topic or the filter is invalid. Raises InvalidTopicException. */
  INVALID_TOPIC_OR_FILTER: 'invalid topic or filter',
  /** The connection must log on first. Raises LogonRequiredException. */
  LOGON_REQUIRED: 'logon required',
  /** The client name is in use by another connection. Raises NameInUseException. */
  NAME_IN_USE: 'name in use',
  /** The user is not entitled to the operation. Raises NotEntitledException. */
  NOT_ENTITLED: 'not entitled',
  /** The command needs a filter or a bookmark. Raises MissingFieldsException. */
  NO_FILTER_OR_BOOKMARK: 'no filter or bookmark',
  /** The logon has no client name. Raises MissingFieldsException. */
  NO_CLIENT_NAME: 'no client name',
  /** The command needs a topic or a filter. Raises MissingFieldsException. */
  NO_TOPIC_OR_FILTER: 'no topic or filter',
  /** The command needs a topic. Raises MissingFieldsException. */
  NO_TOPIC: 'no topic',
  /** The operation is not supported with these options. Raises CommandException. */
  NOT_SUPPORTED: 'not supported',
  /** The query needs an order by (e.g. with `skip_n`). Raises MissingFieldsException. */
  ORDERBY_REQUIRED: 'orderby required',
  /** The order by clause is too large. Raises CommandException. */
  ORDERBY_TOO_LARGE: 'orderby too large',
  /** The projection clause is too large. Raises CommandException. */
  PROJECTION_CLAUSE_TOO_LARGE: 'projection clause too large',
  /** The subscription id is in use. Raises SubidInUseException. */
  SUBID_IN_USE: 'subid in use',
  /**
   * The command id is already used by another subscription. (The Python client raises plain
   * CommandException; our class is a CommandException subclass.) Raises
   * SubscriptionAlreadyExistsException.
   */
  SUBSCRIPTION_ALREADY_EXISTS: 'subscription already exists',
  /** A sow_delete gave more than one of filter, sow keys, bookmark and data. Raises CommandException. */
  SOW_DELETE_ONE_SELECTOR: 'sow_delete command only supports one of: filter, sow_keys, bookmark, or data',
  /** The SOW store failed to store the publish. Raises PublishException. */
  SOW_STORE_FAILED: 'sow store failed',
  /** The transaction log failed to store the publish. Raises PublishException. */
  TX_STORE_FAILURE: 'tx store failure',
  /** The transaction log replay failed. Raises CommandException. */
  TXN_REPLAY_FAILED: 'txn replay failed',
  /** The client version is not supported. Raises CommandException. */
  VERSION_MISMATCH: 'version mismatch',
  /** The projection is invalid. Raises CommandException. */
  INVALID_PROJECTION: 'invalid projection',
} as const);

/** A known failure reason string. */
export type Reason = (typeof Reasons)[keyof typeof Reasons];

/** The exception class each known reason raises. Unknown reasons raise CommandException. */
export const REASON_TO_EXCEPTION: Readonly<Record<Reason, ExceptionClass>> = Object.freeze({
  [Reasons.AUTH_FAILURE]: AuthenticationException,
  [Reasons.AUTHENTICATION_FAILURE]: AuthenticationException,
  [Reasons.AUTHENTICATION_DISABLED]: AuthenticationException,
  [Reasons.BAD_FILTER]: BadFilterException,
  [Reasons.BAD_SOW_KEY]: BadSowKeyException,
  [Reasons.BAD_REGEX_TOPIC]: BadRegexTopicException,
  [Reasons.REGEX_TOPIC_NOT_SUPPORTED]: BadRegexTopicException,
  [Reasons.DUPLICATE_LOGON_ATTEMPT]: DuplicateLogonException,
  [Reasons.DUPLICATE]: CommandException,
  [Reasons.INVALID_BOOKMARK]: InvalidBookmarkException,
  [Reasons.INVALID_MESSAGE_TYPE]: CommandException,
  [Reasons.INVALID_OPTIONS]: InvalidOptionsException,
  [Reasons.INVALID_ORDER_BY]: InvalidOrderByException,
  [Reasons.INVALID_ORDERBY]: InvalidOrderByException,
  [Reasons.INVALID_SUBID]: InvalidSubIdException,
  [Reasons.INVALID_TOPIC]: InvalidTopicException,
  [Reasons.INVALID_TOPIC_OR_FILTER]: InvalidTopicException,
  [Reasons.LOGON_REQUIRED]: LogonRequiredException,
  [Reasons.NAME_IN_USE]: NameInUseException,
  [Reasons.NOT_ENTITLED]: NotEntitledException,
  [Reasons.NO_FILTER_OR_BOOKMARK]: MissingFieldsException,
  [Reasons.NO_CLIENT_NAME]: MissingFieldsException,
  [Reasons.NO_TOPIC_OR_FILTER]: MissingFieldsException,
  [Reasons.NO_TOPIC]: MissingFieldsException,
  [Reasons.NOT_SUPPORTED]: CommandException,
  [Reasons.ORDERBY_REQUIRED]: MissingFieldsException,
  [Reasons.ORDERBY_TOO_LARGE]: CommandException,
  [Reasons.PROJECTION_CLAUSE_TOO_LARGE]: CommandException,
  [Reasons.SUBID_IN_USE]: SubidInUseException,
  [Reasons.SUBSCRIPTION_ALREADY_EXISTS]: SubscriptionAlreadyExistsException,
  [Reasons.SOW_DELETE_ONE_SELECTOR]: CommandException,
  [Reasons.SOW_STORE_FAILED]: PublishException,
  [Reasons.TX_STORE_FAILURE]: PublishException,
  [Reasons.TXN_REPLAY_FAILED]: CommandException,
  [Reasons.VERSION_MISMATCH]: CommandException,
  [Reasons.INVALID_PROJECTION]: CommandException,
});

/**
 * The exception for a failure reason: exact match first, then case- and whitespace-insensitive;
 * anything else is a CommandException. The message is the reason text.
 */
export function exceptionForReason(reason: string, ctx: { command?: string; commandId?: string; cause?: unknown } = {}): AMPSException {
  const table = REASON_TO_EXCEPTION as Readonly<Record<string, ExceptionClass | undefined>>;
  const own = (key: string): ExceptionClass | undefined => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined);
  const cls = own(reason) ?? own(reason.trim().toLowerCase().replace(/\s+/g, ' ')) ?? CommandException;
  const options: AMPSExceptionOptions = { reason };
  if (ctx.command !== undefined) options.command = ctx.command;
  if (ctx.commandId !== undefined) options.commandId = ctx.commandId;
  if (ctx.cause !== undefined) options.cause = ctx.cause;
  return new cls(reason === '' ? 'command failed' : reason, options);
}
