// Bookmark stores: client-side dedupe and the resume point of bookmark subscriptions (protocol §7).
//
// How the client uses a store (per delivered message of a bookmark subscription, `subId` = the message's
// sub_id, or each of its `sids`):
//   const n = store.log(subId, bm);
//   n === LOG_DUPLICATE  → already delivered (or processed): drop the message, do not call the handler;
//   n === LOG_UNTRACKED  → bookmark `0`, NOW, a timestamp or not a `pub|seq|` bookmark: deliver, nothing to
//                          discard;
//   n > 0                → deliver; keep `n` on the message so the application's `message.discard()` can call
//                          store.discardBySeqNo(subId, n) (or store.discard(subId, bm)).
//   persisted ack with sub_id + bm:   store.persisted(subId, bm)
//   subscribe:       bm = bookmarkForSubscribe(store, subId, requestedBookmark)   (MOST_RECENT → the store's
//                    recovery point; a range's start → the recovery point, exclusive).
//   resubscribe after a reconnect (same process): bm = bookmarkForResubscribe(store, subId, originalBookmark).
// Queue messages (they carry a lease period `lp`) are never logged or discarded here: the server tracks their
// state. That is the caller's responsibility — a store cannot tell a queue message from a bookmark replay.
//
// Recovery point, per subscription (what `getMostRecent` returns, a comma list; `0` = EPOCH when the store
// knows nothing):
// - every message delivered and not yet discarded must be replayed, so the point must precede all of them;
// - A = the last message of the longest discarded prefix, in arrival order ("last contiguous discarded");
// - for each publisher with undiscarded messages, P(pub) = its last message such that all of its delivered
//   messages up to it are discarded; publishers whose messages are all discarded are not listed (an idle
//   publisher's old bookmark would drag the replay back to it: the server starts at the earliest bookmark
//   listed);
// - with undiscarded messages: A plus each P(pub) (one entry per publisher, the lowest wins), plus the last
//   persisted-ack bookmark (lower one if same publisher). If a publisher with undiscarded messages has no P and
//   there is no A, the only safe point is EPOCH;
// - with nothing undiscarded: the last persisted-ack bookmark if any (the server's own position for the
//   subscription, replicated to its sync peers), else A;
// - replays from an earlier point are cut by dedupe: a message whose sequence is not above the highest seen from
//   its publisher is a duplicate, unless it is a message recovered from a file and not yet redelivered.
// Bookmark `0` (EPOCH) and NOW (`0|1|`) on a message are never logged and count as already discarded.

import { EPOCH, MOST_RECENT, parseBookmarkRange } from '../wire/bookmark.js';

/** `log()` result: the message was already delivered (or processed); do not deliver it again. */
export const LOG_DUPLICATE = -1;
/** `log()` result: the bookmark is not tracked (EPOCH, NOW, a timestamp, not `pub|seq|`). */
export const LOG_UNTRACKED = 0;

export interface BookmarkStore {
  /** Records a delivered message; returns its store sequence number (> 0), LOG_DUPLICATE or LOG_UNTRACKED. */
  log(subId: string, bookmark: string): number;
  /** True when `log` would return LOG_DUPLICATE (already delivered, processed or not, and not recovered). */
  isDuplicate(subId: string, bookmark: string): boolean;
  /** True when the message was discarded (processed), or is at or before its publisher's discarded point. */
  isDiscarded(subId: string, bookmark: string): boolean;
  /** Marks a logged message processed. Returns false when it was unknown or already discarded. */
  discard(subId: string, bookmark: string): boolean;
  /** Same, by the number `log` returned. */
  discardBySeqNo(subId: string, seqNo: number): boolean;
  /**
   * The crash-safe recovery point, what MOST_RECENT means: a comma list of bookmarks, or `0` = EPOCH (also when
   * the store knows nothing about the subscription). What a recovery point adapter persists.
   */
  getMostRecent(subId: string): string;
  /**
   * Where to resubscribe from after a disconnect within this process: like `getMostRecent`, but messages
   * delivered in this process and not yet discarded are not replayed (the application still holds them), so
   * the point is never EPOCH merely because the first messages of a subscription are still being processed.
   * Undefined when the store knows nothing constraining it: resubscribe with the original bookmark. See
   * `bookmarkForResubscribe`.
   */
  getResumePoint(subId: string): string | undefined;
  /** Records a persisted ack's bookmark for the subscription. Ignores non-`pub|seq|` values and older ones. */
  persisted(subId: string, bookmark: string): void;
  /** Store sequence number of the oldest undiscarded message of the subscription, 0 when none. */
  oldestBookmarkSeq(subId: string): number;
  /** Forgets one subscription, or everything. */
  purge(subId?: string): void;
  /** File stores: rewrite the log keeping only what is needed. Memory stores: no-op. */
  prune(): void;
  close(): Promise<void>;
}

/**
 * The bookmark to send when the HA client re-places a bookmark subscription after a reconnect in the same
 * process. `original` is the bookmark the subscription was first placed with. The store's resume point wins
 * (a range keeps its end and resumes after it, exclusive); when the store knows nothing, the original
 * (MOST_RECENT → EPOCH) — with NOW, messages published while disconnected are not replayed, as with any
 * subscription that never received a message or a persisted ack.
 */
export function bookmarkForResubscribe(store: BookmarkStore | undefined, subId: string, original: string): string {
  const rp = store?.getResumePoint(subId);
  if (rp === undefined) return original === MOST_RECENT ? EPOCH : original;
  const range = parseBookmarkRange(original);
  if (range) return `(${rp}:${range.end}${range.endInclusive ? ']' : ')'}`;
  return rp;
}

/**
 * The bookmark to send on a first subscribe (also after a restart) for `requested`: MOST_RECENT becomes the store's recovery point; a
 * range `[s:e]`/`(s:e)` gets its start replaced by the recovery point, exclusive, when the store has one (so a
 * resumed bounded replay continues where it stopped); anything else is sent as is.
 */
export function bookmarkForSubscribe(store: BookmarkStore | undefined, subId: string, requested: string): string {
  if (requested === MOST_RECENT) return store ? store.getMostRecent(subId) : EPOCH;
  const range = store ? parseBookmarkRange(requested) : undefined;
  if (range && store) {
    const rp = store.getMostRecent(subId);
    if (rp !== EPOCH) return `(${rp}:${range.end}${range.endInclusive ? ']' : ')'}`;
  }
  return requested;
}
