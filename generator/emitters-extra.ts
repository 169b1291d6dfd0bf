import type { Model } from './model.js';
import { emitMessageFields } from './emit-message-fields.js';
import { emitCommandBuilder } from './emit-command-builder.js';

/** Emitters for message accessors and command builders. */
export const EMITTERS_EXTRA: readonly (readonly [string, (model: Model) => string])[] = [
  ['message-fields.ts', emitMessageFields],
  ['command-builder.ts', emitCommandBuilder],
];
