import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import {
  ExponentialDelayStrategy,
  FixedDelayStrategy,
  RetryTimeExceededError,
} from '../../runtime/ha/delay-strategy.js';

/** Drives a strategy like the HAClient does: ask, then let the fake clock run for the returned wait. */
function drive(s: { getConnectWaitDuration(uri: string): number }, uris: string[]): number[] {
  const out: number[] = [];
  for (const uri of uris) {
    const w = s.getConnectWaitDuration(uri);
    out.push(w);
    vi.advanceTimersByTime(w);
  }
  return out;
}

describe('delay strategies (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date('2026-01-01T00:00:00Z'));
  });
  afterEach(() => vi.useRealTimers());

  it('fixed: immediate first attempt, then the same delay on every retry of one server', () => {
    const s = new FixedDelayStrategy({ delay: 250 });
    expect(drive(s, ['a', 'a', 'a', 'a'])).toEqual([0, 250, 250, 250]);
  });

  it('fixed: rotating servers waits once per cycle (on wrap-around)', () => {
    const s = new FixedDelayStrategy(100);
    expect(drive(s, ['a', 'b', 'c', 'a', 'b', 'c', 'a'])).toEqual([0, 0, 0, 100, 0, 0, 100]);
  });

  it('fixed: maximum retry time clips the last wait, then throws', () => {
    const s = new FixedDelayStrategy({ delay: 400, maximumRetryTime: 1000 });
    expect(drive(s, ['a', 'a', 'a', 'a'])).toEqual([0, 400, 400, 200]);
    expect(() => s.getConnectWaitDuration('a')).toThrow(RetryTimeExceededError);
    expect(() => s.getConnectWaitDuration('a')).toThrow(/Maximum retry time exceeded/);
  });

  it('fixed: reset starts a fresh episode (clock and first URI)', () => {
    const s = new FixedDelayStrategy({ delay: 400, maximumRetryTime: 1000 });
    drive(s, ['a', 'a', 'a', 'a']);
    s.reset();
    expect(drive(s, ['b', 'b'])).toEqual([0, 400]);
  });

  it('exponential without jitter: initial, ×multiplier, capped at maximum', () => {
    const s = new ExponentialDelayStrategy({ initialDelay: 200, multiplier: 1.5, maximumDelay: 1000, jitter: 0 });
    expect(drive(s, ['a', 'a', 'a', 'a', 'a', 'a', 'a'])).toEqual([0, 200, 300, 450, 675, 1000, 1000]);
  });

  it('exponential: guide example 200 ms ×1.5, max 5 s, gives up after 60 s', () => {
    const s = new ExponentialDelayStrategy({
      initialDelay: 200,
      multiplier: 1.5,
      maximumDelay: 5000,
      maximumRetryTime: 60_000,
      jitter: 0,
    });
    const waits: number[] = [];
    let thrown: unknown;
    for (let i = 0; i < 100; i++) {
      try {
        const w = s.getConnectWaitDuration('a');
        waits.push(w);
        vi.advanceTimersByTime(w);
      } catch (e) {
        thrown = e;
        break;
      }
    }
    expect(thrown).toBeInstanceOf(RetryTimeExceededError);
    expect(waits.slice(0, 6)).toEqual([0, 200, 300, 450, 675, 1013]);
    expect(waits.reduce((a, b) => a + b, 0)).toBe(60_000);
    expect(Math.max(...waits)).toBe(5000);
  });

  it('exponential jitter adds [0, jitter × initial) and mirrors below the maximum', () => {
    const rand = [0.5, 0.999, 0, 0.25];
    let i = 0;
    const s = new ExponentialDelayStrategy({
      initialDelay: 100,
      multiplier: 2,
      maximumDelay: 400,
      jitter: 2,
      random: () => rand[i++ % rand.length]!,
    });
    // 100 + 0.5*200 = 200; 200 + 0.999*200 = 400 (399.8 rounds); 400 + 0 = 400; 400 + 50 = 450 -> mirrored 350
    expect(drive(s, ['a', 'a', 'a', 'a', 'a'])).toEqual([0, 200, 400, 400, 350]);
  });

  it('exponential: delay grows per cycle when rotating, reset restarts at the initial delay', () => {
    const s = new ExponentialDelayStrategy({ initialDelay: 10, multiplier: 3, maximumDelay: 1000, jitter: 0 });
    expect(drive(s, ['a', 'b', 'a', 'b', 'a', 'b'])).toEqual([0, 0, 10, 0, 30, 0]);
    s.reset();
    expect(drive(s, ['b', 'b'])).toEqual([0, 10]);
  });

  it('rejects negative parameters', () => {
    expect(() => new FixedDelayStrategy(-1)).toThrow(RangeError);
    expect(() => new ExponentialDelayStrategy({ jitter: -1 })).toThrow(RangeError);
    expect(() => new ExponentialDelayStrategy({ initialDelay: 500, maximumDelay: 100 })).toThrow(RangeError);
  });
});
