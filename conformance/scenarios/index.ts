// The scenario registry, in report order.

import type { Scenario } from './scenario.js';
import { pubsubScenarios } from './pubsub.js';
import { regexScenarios } from './regex.js';
import { sowScenarios } from './sow.js';
import { deltaScenarios } from './delta.js';
import { queueScenarios } from './queues.js';
import { bookmarkScenarios } from './bookmarks.js';
import { haScenarios } from './ha.js';
import { errorScenarios } from './errors.js';

export * from './scenario.js';

export const SCENARIOS: readonly Scenario[] = [
  ...pubsubScenarios,
  ...regexScenarios,
  ...sowScenarios,
  ...deltaScenarios,
  ...queueScenarios,
  ...bookmarkScenarios,
  ...haScenarios,
  ...errorScenarios,
];

const ids = new Set<string>();
for (const s of SCENARIOS) {
  if (ids.has(s.id)) throw new Error(`duplicate scenario id ${s.id}`);
  ids.add(s.id);
}

/** Scenarios whose id equals one of `patterns` or starts with a pattern ending in `*` or `.` (group). */
export function selectScenarios(patterns?: readonly string[], all: readonly Scenario[] = SCENARIOS): Scenario[] {
  if (!patterns || patterns.length === 0) return [...all];
  return all.filter((s) =>
    patterns.some((p) => (p.endsWith('*') ? s.id.startsWith(p.slice(0, -1)) : s.id === p || s.group === p)),
  );
}
