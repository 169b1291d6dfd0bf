// Publish stores, bookmark stores and recovery points: what the HA client plugs into the Client.
export * from './errors.js';
export * from './types.js';
export {
  BasePublishStore,
  ENTRY_OVERHEAD,
  MemoryPublishStore,
  copyHeader,
  timeDerivedSequence,
  type PublishStore,
  type PublishStoreOptions,
  type ReplayFn,
  type ResizeHandler,
  type ResizeRequest,
  type StoredMessage,
} from './publish-store.js';
export { FilePublishStore, PUBLISH_STORE_MAGIC, type FilePublishStoreOptions } from './file-publish-store.js';
export { crc32 } from './record-log.js';
export {
  LOG_DUPLICATE,
  LOG_UNTRACKED,
  bookmarkForResubscribe,
  bookmarkForSubscribe,
  type BookmarkStore,
} from './bookmark-store.js';
export { MemoryBookmarkStore, SubscriptionState, type SubscriptionSnapshot } from './memory-bookmark-store.js';
export { BOOKMARK_STORE_MAGIC, LoggedBookmarkStore, type LoggedBookmarkStoreOptions } from './logged-bookmark-store.js';
export {
  MemoryRecoveryPointAdapter,
  RecoveryPointBookmarkStore,
  type RecoveryPoint,
  type RecoveryPointAdapter,
  type RecoveryPointBookmarkStoreOptions,
} from './recovery-point.js';
