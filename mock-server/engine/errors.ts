// Engine errors. The session layer turns an EngineError into a failure ack whose `reason` is `error.reason`.
// (generated/errors.ts will own the canonical reason constants; these are the same AMPS strings.)

/** AMPS reason strings the engine can produce. */
export const EngineReasons = Object.freeze({
  badFilter: 'bad filter',
  badRegexTopic: 'bad regex topic',
  invalidTopic: 'invalid topic',
  invalidBookmark: 'invalid bookmark',
  invalidOptions: 'invalid options',
  invalidOrderBy: 'invalid order by',
  orderByRequired: 'orderby required',
  badSowKey: 'bad sow key',
  duplicate: 'duplicate',
} as const);

export type EngineReason = (typeof EngineReasons)[keyof typeof EngineReasons] | (string & {});

/** A command-level failure: `reason` is the AMPS reason string, `message` a human-readable detail. */
export class EngineError extends Error {
  readonly reason: EngineReason;
  /** 0-based character offset into the offending text (filter, order by, ...), when known. */
  readonly position?: number;
  constructor(reason: EngineReason, message: string, position?: number) {
    super(message);
    this.name = 'EngineError';
    this.reason = reason;
    if (position !== undefined) this.position = position;
  }
}

export function isEngineError(e: unknown): e is EngineError {
  return e instanceof EngineError;
}
