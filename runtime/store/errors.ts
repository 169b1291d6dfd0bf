// Store errors. Named after the AMPS client exception hierarchy (StoreException > PublishStoreGapException,
// TimedOutException) so that, when generated/errors.ts provides those classes, this file can re-export them
// instead without changing any caller.

export class StoreException extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/**
 * The server we connected to has not seen messages that an earlier server already acknowledged as persisted
 * (its last sequence for this client is below the store's last persisted one). Raised by `discardUpTo` when the
 * store's `errorOnPublishGap` is set; the HA client should treat the connection as failed.
 */
export class PublishStoreGapException extends StoreException {
  readonly serverSequence: bigint;
  readonly storeLastPersisted: bigint;
  constructor(serverSequence: bigint, storeLastPersisted: bigint) {
    super(
      `publish store gap: server last persisted ${serverSequence} but the store has already seen ${storeLastPersisted} persisted`,
    );
    this.serverSequence = serverSequence;
    this.storeLastPersisted = storeLastPersisted;
  }
}

/** `store()` would exceed the capacity and the resize handler (or its absence) refused to grow. */
export class PublishStoreFullException extends StoreException {
  readonly requestedBytes: number;
  readonly capacityBytes: number;
  constructor(requestedBytes: number, capacityBytes: number) {
    super(`publish store full: ${requestedBytes} bytes needed, capacity ${capacityBytes}`);
    this.requestedBytes = requestedBytes;
    this.capacityBytes = capacityBytes;
  }
}

/** An operation on a store after `close()`. */
export class StoreClosedException extends StoreException {}

/** A store file that is not ours or has an unsupported version (never silently overwritten). */
export class StoreFormatException extends StoreException {}

/** `flush()` / `whenSpaceAvailable()` did not complete in time. */
export class TimedOutException extends StoreException {}
