// Injectable time source: every expiration, lease and timestamp in the engine reads time through a Clock.

export interface Clock {
  /** Milliseconds since the Unix epoch. */
  now(): number;
}

export const systemClock: Clock = Object.freeze({ now: () => Date.now() });

/** A clock for tests: time only moves when told to. */
export class ManualClock implements Clock {
  constructor(private t = Date.UTC(2026, 0, 1, 12, 0, 0)) {}
  now(): number {
    return this.t;
  }
  set(ms: number): void {
    this.t = ms;
  }
  advance(ms: number): number {
    this.t += ms;
    return this.t;
  }
}

/**
 * AMPS header timestamp (`ts`, `lp`): basic ISO-8601 UTC with microseconds, e.g. `20260101T120000.000000Z`.
 * UNCERTAIN: the references only say "ISO-8601, µs resolution"; basic form chosen to match bookmark timestamps.
 */
export function formatAmpsTimestamp(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  const micros = Math.round((ms - Math.floor(ms / 1000) * 1000) * 1000);
  return (
    `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T` +
    `${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}.${p(Math.min(micros, 999999), 6)}Z`
  );
}
