// Bookmark replay from the transaction log: EPOCH, NOW, a given bookmark, MOST_RECENT with a bookmark
// store across a client restart (no gap, no duplicate).

import type { Scenario, ScenarioContext } from './scenario.js';
import { check, isDelivery } from './scenario.js';
import { checkSequence, deliveries, doc, field, flushed, range, runFilter } from './helpers.js';

async function publishRange(ctx: ScenarioContext, from: number, to: number): Promise<void> {
  const c = await ctx.connect();
  for (const n of range(from, to)) await c.publish(ctx.target.topics.txlog, doc(ctx, { n }));
  await flushed(ctx, c);
}

const bookmarkSub = (ctx: ScenarioContext, bookmark: string, subId?: string) => ({
  command: 'subscribe' as const,
  topic: ctx.target.topics.txlog,
  filter: runFilter(ctx),
  bookmark,
  ...(subId ? { subId } : {}),
});

export const bookmarkScenarios: Scenario[] = [
  {
    id: 'bookmarks.epoch-replay',
    group: 'bookmarks',
    title: 'EPOCH replays the whole log in order, each message with a bookmark, then continues live',
    requires: ['publish', 'subscribe', 'bookmark', 'filter'],
    needs: ['txlog'],
    async run(ctx) {
      await publishRange(ctx, 1, 3);
      const c = await ctx.connect();
      const sub = await c.subscribe(bookmarkSub(ctx, 'EPOCH'));
      await ctx.waitFor(sub, isDelivery, 3, 'replayed messages');
      await publishRange(ctx, 4, 5);
      await ctx.waitFor(sub, isDelivery, 5, 'replay then live');
      await ctx.settle(100);
      checkSequence(field(deliveries(sub), 'n'), range(1, 5), 'messages');
      const bms = deliveries(sub).map((m) => m.bookmark);
      check(bms.every((b) => typeof b === 'string' && b.length > 0), 'every message carries a bookmark');
      check(new Set(bms).size === bms.length, 'bookmarks are distinct');
    },
  },
  {
    id: 'bookmarks.now',
    group: 'bookmarks',
    title: 'NOW replays nothing, then delivers new messages with bookmarks',
    requires: ['publish', 'subscribe', 'bookmark', 'filter'],
    needs: ['txlog'],
    async run(ctx) {
      await publishRange(ctx, 1, 2);
      const c = await ctx.connect();
      const sub = await c.subscribe(bookmarkSub(ctx, 'NOW'));
      await publishRange(ctx, 3, 4);
      await ctx.waitFor(sub, isDelivery, 2, 'new messages');
      await ctx.settle(150);
      checkSequence(field(deliveries(sub), 'n'), [3, 4], 'messages');
      check(deliveries(sub).every((m) => !!m.bookmark), 'every message carries a bookmark');
    },
  },
  {
    id: 'bookmarks.from-bookmark',
    group: 'bookmarks',
    title: 'a subscription from a given bookmark replays the messages after it (exclusive)',
    requires: ['publish', 'subscribe', 'bookmark', 'filter'],
    needs: ['txlog'],
    async run(ctx) {
      await publishRange(ctx, 1, 4);
      const c = await ctx.connect();
      const all = await c.subscribe(bookmarkSub(ctx, 'EPOCH'));
      const got = await ctx.waitFor(all, isDelivery, 4, 'EPOCH replay');
      const second = got[1]!.bookmark;
      check(!!second, 'message 2 has a bookmark');
      const sub = await c.subscribe(bookmarkSub(ctx, second!));
      await ctx.waitFor(sub, isDelivery, 2, 'replay after the bookmark');
      await ctx.settle(150);
      checkSequence(field(deliveries(sub), 'n'), [3, 4], 'messages after bookmark 2');
    },
  },
  {
    id: 'bookmarks.resume-after-restart',
    group: 'bookmarks',
    title: 'MOST_RECENT with a bookmark store resumes after a client restart (same process, same store) with no gap and no duplicate',
    requires: ['publish', 'subscribe', 'bookmark', 'bookmark-store', 'filter'],
    needs: ['txlog'],
    timeoutMs: 15_000,
    async run(ctx) {
      const store = `store-${ctx.run}`;
      const name = ctx.name('bm');
      const subId = `bm${ctx.run}`;
      await publishRange(ctx, 1, 5);
      const first = await ctx.connect({ name, bookmarkStore: store });
      const sub1 = await first.subscribe(bookmarkSub(ctx, 'MOST_RECENT', subId));
      const got = await ctx.waitFor(sub1, isDelivery, 5, 'first run (empty store: from EPOCH)');
      for (const m of got) await sub1.discard(m);
      await ctx.settle(100);
      await first.disconnect();
      await publishRange(ctx, 6, 8);
      const second = await ctx.connect({ name, bookmarkStore: store });
      const sub2 = await second.subscribe(bookmarkSub(ctx, 'MOST_RECENT', subId));
      await ctx.waitFor(sub2, isDelivery, 3, 'second run');
      await publishRange(ctx, 9, 9);
      await ctx.waitFor(sub2, isDelivery, 4, 'second run, live');
      await ctx.settle(150);
      checkSequence(field(deliveries(sub2), 'n'), [6, 7, 8, 9], 'messages after restart');
    },
  },
  {
    id: 'bookmarks.resume-after-process-restart',
    group: 'bookmarks',
    title: 'a persistent bookmark store recovered by a new process resumes after the last discarded message',
    requires: ['publish', 'subscribe', 'bookmark', 'persistent-bookmark-store', 'filter'],
    needs: ['txlog'],
    timeoutMs: 15_000,
    async run(ctx) {
      const store = { bookmarkStore: `pstore-${ctx.run}`, recoverBookmarkStore: true };
      const name = ctx.name('bm');
      const subId = `bm${ctx.run}`;
      await publishRange(ctx, 1, 4);
      const first = await ctx.connect({ name, ...store });
      const sub1 = await first.subscribe(bookmarkSub(ctx, 'MOST_RECENT', subId));
      const got = await ctx.waitFor(sub1, isDelivery, 4, 'first run');
      for (const m of got) await sub1.discard(m);
      await ctx.settle(100);
      await first.disconnect();
      await publishRange(ctx, 5, 6);
      const second = await ctx.connect({ name, ...store });
      const sub2 = await second.subscribe(bookmarkSub(ctx, 'MOST_RECENT', subId));
      await ctx.waitFor(sub2, isDelivery, 2, 'second run');
      await ctx.settle(200);
      checkSequence(field(deliveries(sub2), 'n'), [5, 6], 'messages after restart');
    },
  },
  {
    id: 'bookmarks.resume-undiscarded',
    group: 'bookmarks',
    title: 'after a process restart, messages delivered but not discarded are delivered again; discarded ones are not',
    requires: ['publish', 'subscribe', 'bookmark', 'persistent-bookmark-store', 'filter'],
    needs: ['txlog'],
    timeoutMs: 15_000,
    async run(ctx) {
      const store = { bookmarkStore: `pstore-${ctx.run}`, recoverBookmarkStore: true };
      const name = ctx.name('bm');
      const subId = `bm${ctx.run}`;
      await publishRange(ctx, 1, 5);
      const first = await ctx.connect({ name, ...store });
      const sub1 = await first.subscribe(bookmarkSub(ctx, 'MOST_RECENT', subId));
      const got = await ctx.waitFor(sub1, isDelivery, 5, 'first run');
      for (const m of got.slice(0, 3)) await sub1.discard(m);
      await ctx.settle(100);
      await first.disconnect();
      await publishRange(ctx, 6, 7);
      const second = await ctx.connect({ name, ...store });
      const sub2 = await second.subscribe(bookmarkSub(ctx, 'MOST_RECENT', subId));
      await ctx.waitFor(sub2, isDelivery, 4, 'second run');
      await ctx.settle(200);
      checkSequence(field(deliveries(sub2), 'n'), [4, 5, 6, 7], 'messages after restart');
    },
  },
];
