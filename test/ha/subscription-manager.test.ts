// DefaultSubscriptionManager: the command it re-sends for each tracked subscription (no network).
import { describe, expect, it } from 'vitest';
import { DefaultSubscriptionManager } from '../../runtime/ha/index.js';
import { MemoryBookmarkStore } from '../../runtime/store/index.js';
import { Message } from '../../runtime/client/message.js';
import type { Header } from '../../generated/header-fields.js';
import type { CommandLike } from '../../runtime/client/types.js';

const cmd = (commandName: string, header: Record<string, unknown>): CommandLike =>
  ({ commandName, header: header as Header, data: undefined }) as CommandLike;
const noStore = { getBookmarkStore: () => undefined };

describe('DefaultSubscriptionManager', () => {
  it('new command id, same sub id, replace removed, other options and requested acks kept', () => {
    const m = new DefaultSubscriptionManager();
    m.subscribe(() => undefined, cmd('sow_and_subscribe', { topic: 'orders', filter: '/a > 1', commandId: 'auto7', subscriptionId: 's1', queryId: 'auto7', options: 'oof,replace,send_keys', batchSize: 50 }), 'processed,completed');
    m.subscribe(() => undefined, cmd('subscribe', { topic: 't', commandId: 'auto8', subscriptionId: 's2', options: 'replace' }), '');
    const c1 = m.resubscribeCommand('s1', noStore)!;
    expect(c1.commandName).toBe('sow_and_subscribe');
    expect(c1.header).toEqual({ topic: 'orders', filter: '/a > 1', subscriptionId: 's1', options: 'oof,send_keys', batchSize: 50, ackType: 'processed,completed' });
    const c2 = m.resubscribeCommand('s2', noStore)!;
    expect(c2.header).toEqual({ topic: 't', subscriptionId: 's2' });
    expect(m.subscriptionIds).toEqual(['s1', 's2']);
    m.unsubscribe('s1');
    expect(m.subscriptionIds).toEqual(['s2']);
    m.clear();
    expect(m.size).toBe(0);
  });

  it('bookmark subscriptions: MOST_RECENT with a store point, after the last delivery without, original otherwise', () => {
    const m = new DefaultSubscriptionManager();
    const seen: string[] = [];
    const wrapped = m.wrapHandler((msg) => seen.push(msg.header.bookmark as string));
    m.subscribe(wrapped, cmd('subscribe', { topic: 't', subscriptionId: 'b1', bookmark: '0' }), '');
    m.subscribe(m.wrapHandler(() => undefined), cmd('subscribe', { topic: 't', subscriptionId: 'b2', bookmark: '[0:20260101T000000Z)' }), '');
    // nothing delivered, no store: the original
    expect(m.resubscribeCommand('b1', noStore)!.header.bookmark).toBe('0');
    expect(m.resubscribeCommand('b2', noStore)!.header.bookmark).toBe('[0:20260101T000000Z)');
    wrapped(new Message({ command: 'publish', bookmark: '55|3|', subscriptionId: 'b1' } as Header));
    expect(seen).toEqual(['55|3|']);
    expect(m.resubscribeCommand('b1', noStore)!.header.bookmark).toBe('55|3|');
    // a store with a point for the subscription: MOST_RECENT (ranges: the client moves the start)
    const store = new MemoryBookmarkStore();
    store.log('b1', '55|3|');
    store.discard('b1', '55|3|');
    store.log('b2', '55|1|');
    store.discard('b2', '55|1|');
    const withStore = { getBookmarkStore: () => store };
    expect(m.resubscribeCommand('b1', withStore)!.header.bookmark).toBe('recent');
    expect(m.resubscribeCommand('b2', withStore)!.header.bookmark).toBe('[0:20260101T000000Z)');
  });

  it('our own re-entry (the wrapped handler passed back) keeps the entry', () => {
    const m = new DefaultSubscriptionManager();
    const w = m.wrapHandler(() => undefined);
    m.subscribe(w, cmd('subscribe', { topic: 't', subscriptionId: 'x', options: 'replace,oof' }), '');
    m.subscribe(w, cmd('subscribe', { topic: 't', subscriptionId: 'x', commandId: 'auto99', options: 'oof' }), '');
    expect(m.resubscribeCommand('x', noStore)!.header).toEqual({ topic: 't', subscriptionId: 'x', options: 'oof' });
  });
});
