// Publish stores, bookmark stores and recovery points: what the HA client plugs into the Client.
export * from './errors.js';
export * from './types.js';
export {
  BasePublishStore,
  ENTRY_OVERHEAD,
  MemoryPublishStore,
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
