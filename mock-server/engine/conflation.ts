// Helpers for option values and per-subscription conflation (semantics §5.3).
import { systemClock, type Clock } from './clock.js';
import { EngineError, EngineReasons } from './errors.js';

const UNITS: Record<string, number> = { ns: 1e-6, us: 1e-3, ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/**
 * Parses an AMPS interval (`300ms`, `2s`, `1m`, `1.5h`, bare number = seconds) into milliseconds.
 * Throws EngineError `invalid options` when malformed.
 */
export function parseInterval(text: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ns|us|ms|s|m|h|d)?\s*$/i.exec(text);
  if (!m) throw new EngineError(EngineReasons.invalidOptions, `invalid interval "${text}"`);
  return Number(m[1]) * UNITS[(m[2] ?? 's').toLowerCase()]!;
}

/** One parsed option: `name` or `name=value` (value may be `[/a,/b]`). */
export interface ParsedOption {
  readonly name: string;
  readonly value?: string;
}

/**
 * Splits an options header (`replace,oof,top_n=10,conflation_key=[/a,/b]`) honouring brackets; trailing commas and
 * blanks are ignored. Names are lower-cased.
 */
export function parseOptions(text: string | undefined): ParsedOption[] {
  if (!text) return [];
  const out: ParsedOption[] = [];
  let depth = 0;
  let cur = '';
  const flush = () => {
    const t = cur.trim();
    cur = '';
    if (!t) return;
    const eq = t.indexOf('=');
    if (eq < 0) out.push({ name: t.toLowerCase() });
    else out.push({ name: t.slice(0, eq).trim().toLowerCase(), value: t.slice(eq + 1).trim() });
  };
  for (const ch of text) {
    if (ch === '[') depth++;
    else if (ch === ']') depth = Math.max(0, depth - 1);
    if (ch === ',' && depth === 0) flush();
    else cur += ch;
  }
  flush();
  return out;
}

/** `[/a,/b]` or `/a` → ['/a', '/b']. */
export function parseFieldList(text: string): string[] {
  const t = text.trim().replace(/^\[/, '').replace(/\]$/, '');
  return t.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/**
 * Per-subscription conflation: holds messages for `intervalMs`; a newer message with the same key replaces the held
 * one (keeping its place). `flush(now)` returns what is due. Key undefined = no conflation key (each message by
 * its SowKey, supplied by the caller).
 */
export class Conflator<T> {
  private held = new Map<string, T>();
  private dueAt: number | undefined;
  private readonly clock: Clock;

  constructor(
    readonly intervalMs: number,
    opts: { clock?: Clock } = {},
  ) {
    this.clock = opts.clock ?? systemClock;
  }
  /** Holds `item` under `key`; returns the time (ms) at which the held batch becomes due. */
  offer(key: string, item: T): number {
    this.held.set(key, item); // Map.set on an existing key keeps its insertion position
    if (this.dueAt === undefined) this.dueAt = this.clock.now() + this.intervalMs;
    return this.dueAt;
  }
  /** When the held messages are due, or undefined when nothing is held. */
  get due(): number | undefined {
    return this.dueAt;
  }
  get size(): number {
    return this.held.size;
  }
  /** Releases the held messages (in first-arrival order) when due (or always with `force`). */
  flush(now: number = this.clock.now(), force = false): T[] {
    if (this.dueAt === undefined || (!force && now < this.dueAt)) return [];
    const out = [...this.held.values()];
    this.held = new Map();
    this.dueAt = undefined;
    return out;
  }
}
