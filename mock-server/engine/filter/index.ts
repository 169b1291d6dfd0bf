// AMPS content filter language: lexer → parser (AST) → compiler to a closure. Compile once per subscription.
import { Doc } from '../message.js';

/** A compiled content filter. `matches` never throws and never re-parses the filter text. */
export interface CompiledFilter {
  readonly text: string;
  /** True only when the expression evaluates to TRUE (NULL and FALSE do not match). */
  matches(doc: Doc): boolean;
  /** The raw three-valued result: true, false or null (SQL NULL). */
  evaluate(doc: Doc): boolean | null;
}

/**
 * Compiles filter text. Throws EngineError with reason `bad filter` (message includes the 0-based position)
 * on any syntax error, an unknown function, a non-literal or invalid LIKE pattern.
 */
export function compileFilter(text: string): CompiledFilter {
  void text;
  void Doc;
  throw new Error('not implemented');
}

/** compileFilter for an optional header value: undefined/empty → undefined (matches everything). */
export function compileOptionalFilter(text: string | undefined): CompiledFilter | undefined {
  if (text === undefined || text.trim() === '') return undefined;
  return compileFilter(text);
}
