// Small helpers shared by the scenario groups.

import type { ClientSession, ReceivedMessage, Subscription } from '../types.js';
import { body, check, isDelivery, type ScenarioContext } from './scenario.js';

/** A JSON body carrying the execution's run token, so filters can isolate this execution's messages. */
export function doc(ctx: ScenarioContext, fields: Record<string, unknown>): string {
  return JSON.stringify({ run: ctx.run, ...fields });
}

/** `/run = '<token>'`, optionally AND-ed with another filter. */
export function runFilter(ctx: ScenarioContext, extra?: string): string {
  const base = `/run = '${ctx.run}'`;
  return extra ? `${base} AND (${extra})` : base;
}

/** Waits until the server has processed this session's publishes (flush when the client has it). */
export async function flushed(ctx: ScenarioContext, session: ClientSession): Promise<void> {
  if (ctx.adapter.capabilities.has('flush')) await session.flush();
  else await ctx.settle(300);
}

export function deliveries(sub: Subscription): ReceivedMessage[] {
  return sub.messages.filter(isDelivery);
}

/** Values of `field` in the bodies of `messages`. */
export function field<T = unknown>(messages: readonly ReceivedMessage[], name: string): T[] {
  return messages.map((m) => body(m)[name] as T);
}

export async function publishAll(session: ClientSession, topic: string, docs: string[]): Promise<void> {
  for (const d of docs) await session.publish(topic, d);
}

/** Checks that `values` are exactly `expected` (same order). */
export function checkSequence(values: readonly unknown[], expected: readonly unknown[], what: string): void {
  const a = JSON.stringify(values);
  const e = JSON.stringify(expected);
  check(a === e, `${what}: expected ${e}, got ${a}`);
}

/** Checks that `values` contain each of `expected` exactly once, in any order, and nothing else. */
export function checkSameSet(values: readonly unknown[], expected: readonly unknown[], what: string): void {
  const sort = (xs: readonly unknown[]) => [...xs].map((x) => JSON.stringify(x)).sort();
  const a = sort(values);
  const e = sort(expected);
  if (a.join('\n') === e.join('\n')) return;
  const dup = a.filter((x, i) => a.indexOf(x) !== i);
  const missing = e.filter((x) => !a.includes(x));
  const extra = a.filter((x) => !e.includes(x));
  const parts = [];
  if (missing.length) parts.push(`missing ${missing.slice(0, 10).join(', ')}${missing.length > 10 ? ` (+${missing.length - 10})` : ''}`);
  if (dup.length) parts.push(`duplicated ${[...new Set(dup)].slice(0, 10).join(', ')}`);
  if (extra.length) parts.push(`unexpected ${[...new Set(extra)].slice(0, 10).join(', ')}`);
  check(false, `${what}: ${parts.join('; ')}`);
}

export const range = (from: number, to: number): number[] => Array.from({ length: to - from + 1 }, (_, i) => from + i);
