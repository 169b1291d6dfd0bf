// delta_publish merge (semantics §5.1) and delta_subscribe output (§5.2).
import type { PathStep } from './message.js';

/**
 * Merges a delta update into an existing JSON record: fields present in the update overwrite, new fields are
 * added, absent fields are kept; nested objects merge path by path (INFERRED); arrays and scalars replace wholesale.
 * Returns a new value; inputs are not mutated.
 */
export function mergeDelta(existing: unknown, update: unknown): unknown {
  void existing;
  void update;
  throw new Error('not implemented');
}

export interface DeltaOutput {
  /** The delta message: key fields (if `sendKeys`) plus changed fields. */
  readonly value: Record<string, unknown>;
  /** True when no data field changed (suppress with `no_empties`). */
  readonly empty: boolean;
}

/**
 * delta_subscribe output for one update: key fields plus fields whose value changed (nested objects: only the
 * changed sub-fields; arrays: the whole array if any element changed). `previous` undefined → full record.
 */
export function computeDelta(
  previous: unknown,
  next: unknown,
  keyPaths: readonly (readonly PathStep[])[],
  opts: { sendKeys?: boolean } = {},
): DeltaOutput {
  void previous;
  void next;
  void keyPaths;
  void opts;
  throw new Error('not implemented');
}
