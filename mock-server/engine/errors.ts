// Engine errors. The session layer turns an EngineError into a failure ack whose `reason` is `error.reason`.
// The reason strings are the generated canonical ones (generated/errors.ts `Reasons`).
import { Reasons } from '../../generated/errors.js';

/** AMPS reason strings the engine can produce. */
export const EngineReasons = Object.freeze({
  badFilter: Reasons.BAD_FILTER,
  badRegexTopic: Reasons.BAD_REGEX_TOPIC,
  invalidTopic: Reasons.INVALID_TOPIC,
  invalidBookmark: Reasons.INVALID_BOOKMARK,
  invalidOptions: Reasons.INVALID_OPTIONS,
  invalidOrderBy: Reasons.INVALID_ORDER_BY,
  orderByRequired: Reasons.ORDERBY_REQUIRED,
  badSowKey: Reasons.BAD_SOW_KEY,
  duplicate: Reasons.DUPLICATE,
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
