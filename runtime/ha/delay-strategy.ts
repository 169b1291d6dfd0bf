// Reconnect delay strategies: how long the HAClient waits before each connection attempt, and when it stops.
//
// Semantics shared by both strategies (the same model as the official clients):
// - Within one reconnect episode (between two successful connections, i.e. two reset() calls), the first attempt
//   and every move to a different server in the rotation are immediate (0 ms); the delay applies when the client
//   comes back to the same server: retrying the server it just tried, or wrapping around to the first server of
//   the episode. A client with one server therefore waits before every retry; a client with three servers tries
//   all three back to back, then waits once per cycle.
// - maximumRetryTime (ms, 0 = never give up) bounds the whole episode: a delay is clipped so the last attempt
//   happens at the deadline, and the next call throws RetryTimeExceededError.

/** Thrown by getConnectWaitDuration when the maximum total retry time has passed. */
export class RetryTimeExceededError extends Error {
  constructor(readonly elapsedMs: number, readonly maximumRetryTimeMs: number) {
    super(`Maximum retry time exceeded: reconnecting for ${elapsedMs} ms (maximum ${maximumRetryTimeMs} ms)`);
    this.name = 'RetryTimeExceededError';
  }
}

export interface DelayStrategy {
  /** Milliseconds to wait before connecting to `uri`; throws (RetryTimeExceededError) to stop reconnecting. */
  getConnectWaitDuration(uri: string): number;
  /** A connection succeeded: start a fresh episode. */
  reset(): void;
}

interface Clock {
  /** Milliseconds; default Date.now (vitest fake timers drive it). */
  readonly now?: () => number;
}

function checkNonNegative(name: string, v: number): number {
  if (!Number.isFinite(v) || v < 0) throw new RangeError(`${name} must be a finite, non-negative number (got ${v})`);
  return v;
}

/** Shared episode bookkeeping: first URI, most recent URI, start time. */
abstract class EpisodeDelayStrategy implements DelayStrategy {
  protected readonly now: () => number;
  private firstUri: string | undefined;
  private recentUri: string | undefined;
  private startTime = -1;

  protected constructor(protected readonly maximumRetryTime: number, clock: Clock) {
    checkNonNegative('maximumRetryTime', maximumRetryTime);
    this.now = clock.now ?? Date.now;
  }

  getConnectWaitDuration(uri: string): number {
    const now = this.now();
    if (this.startTime < 0) this.startTime = now;
    const elapsed = now - this.startTime;
    if (this.maximumRetryTime > 0 && elapsed >= this.maximumRetryTime) {
      throw new RetryTimeExceededError(elapsed, this.maximumRetryTime);
    }
    let wait: number;
    if (this.firstUri === undefined) {
      this.firstUri = uri;
      wait = 0;
    } else if (uri !== this.recentUri && uri !== this.firstUri) {
      wait = 0;
    } else {
      wait = this.nextDelay();
    }
    this.recentUri = uri;
    if (this.maximumRetryTime > 0) wait = Math.min(wait, this.maximumRetryTime - elapsed);
    return Math.max(0, Math.round(wait));
  }

  reset(): void {
    this.firstUri = undefined;
    this.recentUri = undefined;
    this.startTime = -1;
    this.resetDelay();
  }

  protected abstract nextDelay(): number;
  protected abstract resetDelay(): void;
}

export interface FixedDelayStrategyOptions extends Clock {
  /** Delay before re-trying a server, ms. Default 200. */
  readonly delay?: number;
  /** Give up after this many ms of reconnecting; 0 = never. Default 0. */
  readonly maximumRetryTime?: number;
}

/** The same delay every time the client comes back to a server. */
export class FixedDelayStrategy extends EpisodeDelayStrategy {
  readonly delay: number;

  constructor(options: FixedDelayStrategyOptions | number = {}, maximumRetryTime?: number) {
    const o: FixedDelayStrategyOptions =
      typeof options === 'number' ? { delay: options, maximumRetryTime: maximumRetryTime ?? 0 } : options;
    super(o.maximumRetryTime ?? 0, o);
    this.delay = checkNonNegative('delay', o.delay ?? 200);
  }

  protected nextDelay(): number {
    return this.delay;
  }

  protected resetDelay(): void {}
}

export interface ExponentialDelayStrategyOptions extends Clock {
  /** First delay, ms. Default 200. */
  readonly initialDelay?: number;
  /** Upper bound of any delay, ms. Default 20 000. */
  readonly maximumDelay?: number;
  /** Each delay is the previous one times this. Default 2. */
  readonly multiplier?: number;
  /** Give up after this many ms of reconnecting; 0 = never. Default 0. */
  readonly maximumRetryTime?: number;
  /**
   * Random extra delay, as a multiple of initialDelay: each delay gets a uniform random addition in
   * [0, jitter × initialDelay). A delay pushed above maximumDelay by jitter is mirrored below it (never under
   * initialDelay). Default 1; 0 disables jitter.
   */
  readonly jitter?: number;
  /** Source of randomness in [0, 1); default Math.random (inject for deterministic tests). */
  readonly random?: () => number;
}

/** Exponential backoff: initialDelay, ×multiplier per retry, capped at maximumDelay, plus jitter. */
export class ExponentialDelayStrategy extends EpisodeDelayStrategy {
  readonly initialDelay: number;
  readonly maximumDelay: number;
  readonly multiplier: number;
  readonly jitter: number;
  private readonly random: () => number;
  private current = -1;

  constructor(options: ExponentialDelayStrategyOptions = {}) {
    super(options.maximumRetryTime ?? 0, options);
    this.initialDelay = checkNonNegative('initialDelay', options.initialDelay ?? 200);
    this.maximumDelay = checkNonNegative('maximumDelay', options.maximumDelay ?? 20_000);
    this.multiplier = checkNonNegative('multiplier', options.multiplier ?? 2);
    this.jitter = checkNonNegative('jitter', options.jitter ?? 1);
    this.random = options.random ?? Math.random;
    if (this.maximumDelay < this.initialDelay) throw new RangeError('maximumDelay must be >= initialDelay');
  }

  protected nextDelay(): number {
    this.current = this.current < 0 ? this.initialDelay : Math.min(this.maximumDelay, this.current * this.multiplier);
    let value = this.current + this.random() * this.jitter * this.initialDelay;
    if (value > this.maximumDelay) value = Math.max(this.initialDelay, 2 * this.maximumDelay - value);
    return value;
  }

  protected resetDelay(): void {
    this.current = -1;
  }
}
