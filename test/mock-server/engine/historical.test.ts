import { describe, expect, it } from 'vitest';
import { EPOCH, millisToTimestampBookmark, NOW } from '../../../runtime/wire/bookmark.js';
import { ManualClock, sowAsOf, TransactionLog } from '../../../mock-server/engine/index.js';

const enc = (v: unknown) => new TextEncoder().encode(JSON.stringify(v));

describe('historical SOW (sowAsOf)', () => {
  const clock = new ManualClock(Date.UTC(2026, 0, 1));
  const log = new TransactionLog({ clock });
  const bms: string[] = [];
  const add = (v: unknown, command: 'publish' | 'delta_publish' | 'sow_delete' = 'publish') => {
    const r = log.append({ clientName: 'p', topic: 'orders', data: enc(v), command });
    if (r.duplicate) throw new Error();
    bms.push(r.entry.bookmark);
    clock.advance(1000);
  };
  add({ id: 1, px: 1 });
  add({ id: 2, px: 2 });
  add({ id: 1, px: 10, qty: 5 }, 'delta_publish');
  add({ id: 2 }, 'sow_delete');
  const topics = [{ topic: 'orders', keys: ['/id'] }];
  const state = (point: string) =>
    sowAsOf(log, topics, point)!
      .query('orders', { orderBy: '/id' })
      .records.map((r) => r.doc.root);

  it('as of a bookmark (inclusive)', () => {
    expect(state(bms[1]!)).toEqual([{ id: 1, px: 1 }, { id: 2, px: 2 }]);
    expect(state(bms[2]!)).toEqual([{ id: 1, px: 10, qty: 5 }, { id: 2, px: 2 }]);
    expect(state(bms[3]!)).toEqual([{ id: 1, px: 10, qty: 5 }]);
  });
  it('as of a timestamp, NOW and EPOCH; unknown bookmark → undefined', () => {
    expect(state(millisToTimestampBookmark(log.at(0)!.timestamp))).toEqual([{ id: 1, px: 1 }]);
    expect(state(NOW)).toEqual([{ id: 1, px: 10, qty: 5 }]);
    expect(state(EPOCH)).toEqual([]);
    expect(sowAsOf(log, topics, '1|2|')).toBeUndefined();
  });
});
