// Topic matching: exact topics and regex topics (semantics §2). Compiled once per subscription.
import { EngineError, EngineReasons } from './errors.js';
import { compileLikePattern } from './filter/parser.js';

export interface TopicMatcher {
  readonly text: string;
  readonly isRegex: boolean;
  matches(topic: string): boolean;
}

/** Characters that switch a topic into regex mode (docs name `.` and `*`; the rest are PCRE metacharacters). */
const REGEX_CHARS = /[.*+?^$|()[\]{}\\]/;

/** True when the topic text contains regex metacharacters (AMPS then treats it as a regex). */
export function isRegexTopic(topic: string): boolean {
  return REGEX_CHARS.test(topic);
}

/**
 * Compiles a subscription topic. Regex topics match by unanchored search (like PCRE search). `literal: true`
 * (the `non_regex_topic` option) forces exact matching. Throws EngineError `bad regex topic` on a bad regex.
 */
export function compileTopic(topic: string, opts: { literal?: boolean } = {}): TopicMatcher {
  if (opts.literal || !isRegexTopic(topic)) {
    return { text: topic, isRegex: false, matches: (t) => t === topic };
  }
  let re: RegExp;
  try {
    re = compileLikePattern(topic);
  } catch (e) {
    throw new EngineError(EngineReasons.badRegexTopic, `bad regex topic "${topic}": ${(e as Error).message}`);
  }
  return { text: topic, isRegex: true, matches: (t) => t === topic || re.test(t) };
}

/** Accepts a matcher or an exact topic string. */
export function asTopicMatcher(topic: TopicMatcher | string): TopicMatcher {
  return typeof topic === 'string' ? { text: topic, isRegex: false, matches: (t) => t === topic } : topic;
}

const CACHE_LIMIT = 10_000;

/**
 * Subscriptions by topic: exact topics in a map, regex topics in a list; the per-topic result is cached until the
 * set changes, so fan-out is one map lookup per publish.
 */
export class TopicIndex<T> {
  private readonly exact = new Map<string, Map<string, T>>();
  private readonly regex = new Map<string, { matcher: TopicMatcher; value: T }>();
  private readonly where = new Map<string, TopicMatcher>();
  private cache = new Map<string, readonly T[]>();

  /** Adds (or replaces) an entry under `id`. */
  add(id: string, matcher: TopicMatcher, value: T): void {
    this.remove(id);
    this.where.set(id, matcher);
    if (matcher.isRegex) this.regex.set(id, { matcher, value });
    else {
      let m = this.exact.get(matcher.text);
      if (!m) this.exact.set(matcher.text, (m = new Map()));
      m.set(id, value);
    }
    this.cache.clear();
  }
  /** Removes the entry; returns it if present. */
  remove(id: string): T | undefined {
    const matcher = this.where.get(id);
    if (!matcher) return undefined;
    this.where.delete(id);
    this.cache.clear();
    if (matcher.isRegex) {
      const e = this.regex.get(id);
      this.regex.delete(id);
      return e?.value;
    }
    const m = this.exact.get(matcher.text);
    const v = m?.get(id);
    m?.delete(id);
    if (m && m.size === 0) this.exact.delete(matcher.text);
    return v;
  }
  get(id: string): T | undefined {
    const matcher = this.where.get(id);
    if (!matcher) return undefined;
    return matcher.isRegex ? this.regex.get(id)?.value : this.exact.get(matcher.text)?.get(id);
  }
  /** Every value whose matcher accepts `topic` (exact and regex). Do not mutate the returned array. */
  forTopic(topic: string): readonly T[] {
    const hit = this.cache.get(topic);
    if (hit) return hit;
    const out: T[] = [];
    const m = this.exact.get(topic);
    if (m) for (const v of m.values()) out.push(v);
    for (const { matcher, value } of this.regex.values()) if (matcher.matches(topic)) out.push(value);
    if (this.cache.size >= CACHE_LIMIT) this.cache = new Map();
    this.cache.set(topic, out);
    return out;
  }
  /** All values. */
  values(): T[] {
    const out: T[] = [];
    for (const m of this.exact.values()) for (const v of m.values()) out.push(v);
    for (const e of this.regex.values()) out.push(e.value);
    return out;
  }
  get size(): number {
    return this.where.size;
  }
}
