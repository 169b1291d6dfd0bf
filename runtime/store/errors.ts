// Store errors: the generated AMPS exception hierarchy (StoreException > PublishStoreGapException,
// TimedOutException), plus store-specific subclasses of StoreException. Every class sets its own
// `exceptionName`, so `instanceof` also works across duplicated copies of the package.

import {
  PublishStoreGapException as GeneratedPublishStoreGapException,
  StoreException,
  TimedOutException,
} from '../../generated/errors.js';

export { StoreException, TimedOutException };

/**
 * The server we connected to has not seen messages that an earlier server already acknowledged as persisted
 * (its last sequence for this client is below the store's last persisted one). Raised by `discardUpTo` when the
 * store's `errorOnPublishGap` is set; the HA client should treat the connection as failed.
 */
export class PublishStoreGapException extends GeneratedPublishStoreGapException {
  static override readonly exceptionName: string = 'PublishStoreGapException';
  readonly serverSequence: bigint;
  readonly storeLastPersisted: bigint;
  constructor(serverSequence: bigint, storeLastPersisted: bigint) {
    super(
      `publish store gap: the server's last persisted sequence is ${serverSequence} but the store has already seen ${storeLastPersisted} persisted`,
    );
    this.serverSequence = serverSequence;
    this.storeLastPersisted = storeLastPersisted;
  }
}

/** `store()` would exceed the capacity and the resize handler (or its absence) refused to grow. */
export class PublishStoreFullException extends StoreException {
  static override readonly exceptionName: string = 'PublishStoreFullException';
  readonly requestedBytes: number;
  readonly capacityBytes: number;
  constructor(requestedBytes: number, capacityBytes: number) {
    super(`publish store full: ${requestedBytes} bytes needed, capacity ${capacityBytes}`);
    this.requestedBytes = requestedBytes;
    this.capacityBytes = capacityBytes;
  }
}

/** An operation on a store after `close()`. */
export class StoreClosedException extends StoreException {
  static override readonly exceptionName: string = 'StoreClosedException';
}

/** A store file that is not ours, or is locked by another live process (never silently overwritten). */
export class StoreFormatException extends StoreException {
  static override readonly exceptionName: string = 'StoreFormatException';
}
