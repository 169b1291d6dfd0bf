// Topic matching: exact topics and regex topics (semantics §2). Compiled once per subscription.

export interface TopicMatcher {
  readonly text: string;
  readonly isRegex: boolean;
  matches(topic: string): boolean;
}

/** True when the topic text contains regex metacharacters (AMPS then treats it as a regex). */
export function isRegexTopic(topic: string): boolean {
  void topic;
  throw new Error('not implemented');
}

/**
 * Compiles a subscription topic. Regex topics match by unanchored search (like PCRE search). `literal: true`
 * (the `non_regex_topic` option) forces exact matching. Throws EngineError `bad regex topic` on a bad regex.
 */
export function compileTopic(topic: string, opts: { literal?: boolean } = {}): TopicMatcher {
  void topic;
  void opts;
  throw new Error('not implemented');
}

/**
 * Subscriptions by topic: exact topics in a map, regex topics in a list; the per-topic result for regex
 * subscriptions is cached until the set changes, so fan-out is a map lookup per publish.
 */
export class TopicIndex<T> {
  /** Adds (or replaces) an entry under `id`. */
  add(id: string, matcher: TopicMatcher, value: T): void {
    void id;
    void matcher;
    void value;
    throw new Error('not implemented');
  }
  /** Removes the entry; returns it if present. */
  remove(id: string): T | undefined {
    void id;
    throw new Error('not implemented');
  }
  /** Every value whose matcher accepts `topic` (exact and regex). Do not mutate the returned array. */
  forTopic(topic: string): readonly T[] {
    void topic;
    throw new Error('not implemented');
  }
  get size(): number {
    throw new Error('not implemented');
  }
}
