import type { Model } from './model.js';

/** Emitters added after the first deliverable (message accessors, command builders). */
export const EMITTERS_EXTRA: readonly (readonly [string, (model: Model) => string])[] = [];
