// Historical SOW queries (§3.5): the SOW state as of a bookmark or timestamp, rebuilt from the transaction log.
import { EPOCH, NOW, isTimestampBookmark, parseBookmark, timestampBookmarkToMillis } from '../../runtime/wire/bookmark.js';
import { ManualClock } from './clock.js';
import { SowStore, type SowTopicConfig } from './sow.js';
import type { TransactionLog } from './txlog.js';

/**
 * Index of the last log entry included in the state "as of" `point` (-1 = none), or undefined when the point is
 * not a usable bookmark/timestamp or the bookmark is not in the log. `pub|seq|` is inclusive; a timestamp includes
 * every entry logged at or before it; NOW is the whole log; EPOCH is empty.
 */
export function asOfIndex(log: TransactionLog, point: string): number | undefined {
  const p = point.trim();
  if (p === NOW) return log.size - 1;
  if (p === EPOCH) return -1;
  if (isTimestampBookmark(p)) {
    const t = timestampBookmarkToMillis(p)!;
    let lo = 0;
    let hi = log.size;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if (log.at(mid)!.timestamp <= t) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }
  if (!parseBookmark(p)) return undefined;
  return log.find(p)?.index;
}

/**
 * Rebuilds the SOW of `topics` as it was at `point` by replaying the log (publish, delta_publish, and
 * sow_delete-by-data entries). Expiration is not applied. Returns undefined when the point cannot be resolved.
 * INFERRED: AMPS only does this for topics with historical query enabled; otherwise the bookmark is ignored.
 */
export function sowAsOf(log: TransactionLog, topics: readonly SowTopicConfig[], point: string): SowStore | undefined {
  const last = asOfIndex(log, point);
  if (last === undefined) return undefined;
  const clock = new ManualClock(0);
  const store = new SowStore({
    clock,
    topics: topics.map((t) => ({ topic: t.topic, ...(t.keys ? { keys: t.keys } : {}), ...(t.keyDomain ? { keyDomain: t.keyDomain } : {}), ...(t.messageType ? { messageType: t.messageType } : {}) })),
  });
  for (let i = 0; i <= last; i++) {
    const e = log.at(i)!;
    if (!store.hasTopic(e.topic)) continue;
    clock.set(e.timestamp);
    if (e.command === 'sow_delete') store.deleteByData(e.topic, e.doc, e.sowKey);
    else
      store.publish({
        topic: e.topic,
        data: e.doc,
        bookmark: e.bookmark,
        delta: e.command === 'delta_publish',
        ...(e.sowKey !== undefined ? { sowKey: e.sowKey } : {}),
        ...(e.correlationId !== undefined ? { correlationId: e.correlationId } : {}),
      });
  }
  return store;
}
