// amps-ts public entry point.
//
//   import { Client, HAClient, Command, Bookmarks, AuthenticationException } from 'amps-ts';
//
// Exports: the Client (connect, logon, publish, subscribe, sow, queues, bookmarks), the HAClient and its policies,
// the generated protocol API (Command builders, header types, enums, the exception hierarchy, protocol tables),
// bookmark helpers, transports and URI parsing, publish/bookmark stores, and message-format helpers.

// Generated protocol API: Command builders, Header types, MessageFields, ConnectionState, AckType, exceptions, ...
export * from '../generated/index.js';

// Client
export * from './client/index.js';

// Bookmarks (wire format helpers; Bookmarks.EPOCH / NOW / MOST_RECENT)
export {
  Bookmarks,
  EPOCH,
  NOW,
  MOST_RECENT,
  parseBookmark,
  formatBookmark,
  splitBookmarkList,
  isTimestampBookmark,
  millisToTimestampBookmark,
  timestampBookmarkToMillis,
  parseBookmarkRange,
  clientNameHash,
  type BookmarkId,
  type BookmarkRange,
} from './wire/bookmark.js';
export type { InboundMessage } from './wire/message.js';

// Transports and URIs
export { parseUri, redactUri, type ParsedUri, type UriScheme } from './transport/uri.js';
export {
  createTransport,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type RawFilter,
  type TlsOptions,
  type Transport,
  type TransportOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transport/transport.js';

// Stores (their own exception classes stay in runtime/store; the generated hierarchy above is the public one)
export {
  BasePublishStore,
  MemoryPublishStore,
  FilePublishStore,
  timeDerivedSequence,
  MemoryBookmarkStore,
  LoggedBookmarkStore,
  RecoveryPointBookmarkStore,
  MemoryRecoveryPointAdapter,
  bookmarkForSubscribe,
  LOG_DUPLICATE,
  LOG_UNTRACKED,
  type PublishStore,
  type PublishStoreOptions,
  type FilePublishStoreOptions,
  type StoredMessage,
  type BookmarkStore,
  type LoggedBookmarkStoreOptions,
  type RecoveryPoint,
  type RecoveryPointAdapter,
  type RecoveryPointBookmarkStoreOptions,
} from './store/index.js';

// High availability
export * from './ha/index.js';

// Message-format helpers (composite, FIX, NVFIX)
export * from './helpers/index.js';
