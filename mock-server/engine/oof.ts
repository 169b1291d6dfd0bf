// Out-of-focus decisions (semantics §4).
import type { CompiledFilter } from './filter/index.js';
import type { Doc } from './message.js';

export type OofReason = 'match' | 'deleted' | 'expired' | 'entitlement';

/** What to send one subscriber for an update of a SOW record. */
export type UpdateDecision =
  /** The new state matches: deliver it (publish). */
  | 'deliver'
  /** The old state matched, the new one does not: send `oof` reason `match` (body = new state). */
  | 'oof'
  /** Neither matched: nothing. */
  | 'none';

/**
 * filter undefined = match everything. `previous` undefined = a new record. The subscriber "had" the record iff
 * its previous state matched the filter (AMPS does not track per-subscriber delivery for OOF).
 */
export function decideUpdate(filter: CompiledFilter | undefined, previous: Doc | undefined, next: Doc): UpdateDecision {
  if (!filter) return 'deliver';
  if (filter.matches(next)) return 'deliver';
  return previous !== undefined && filter.matches(previous) ? 'oof' : 'none';
}

/** On delete/expiry: true when the subscriber should get `oof` (deleted / expired), i.e. the removed state matched. */
export function decideRemoval(filter: CompiledFilter | undefined, removed: Doc): boolean {
  return !filter || filter.matches(removed);
}
