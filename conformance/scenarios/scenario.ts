// What a scenario is, and the context it runs in.

import type {
  AdapterErrorInfo,
  Capability,
  ClientAdapter,
  ClientSession,
  ConnectOptions,
  ReceivedMessage,
  Subscription,
  TargetFeature,
} from '../types.js';
import type { Target } from '../targets/target.js';
import { FaultProxy, SilentServer } from '../util/proxy.js';

export interface Scenario {
  /** Stable id, `<group>.<case>`; used by known-differences files. */
  id: string;
  group: string;
  title: string;
  /** Client capabilities needed; any missing one makes the result `n/a`. */
  requires: Capability[];
  /** Server features needed; a target without one makes the result `n/a`. */
  needs?: TargetFeature[];
  /** Hard limit; exceeding it is a failure. Default 10 s. */
  timeoutMs?: number;
  run(ctx: ScenarioContext): Promise<void>;
}

/** Thrown by assertions; its message is the failure reason in the report. */
export class ScenarioFailure extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ScenarioFailure';
  }
}

/** Thrown by a scenario that finds at run time that it cannot apply (e.g. the target lacks a topic). */
export class NotApplicable extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'NotApplicable';
  }
}

export function check(condition: unknown, message: string): asserts condition {
  if (!condition) throw new ScenarioFailure(message);
}

export function checkEqual<T>(actual: T, expected: T, what: string): void {
  const a = JSON.stringify(actual);
  const e = JSON.stringify(expected);
  if (a !== e) throw new ScenarioFailure(`${what}: expected ${e}, got ${a}`);
}

/** Parses a message body as JSON (scenarios publish JSON). */
export function body<T = Record<string, unknown>>(message: ReceivedMessage): T {
  try {
    return JSON.parse(message.data ?? '') as T;
  } catch {
    throw new ScenarioFailure(`message body is not JSON: ${JSON.stringify(message.data)}`);
  }
}

export const isDelivery = (m: ReceivedMessage): boolean => m.command === 'publish' || m.command === 'p';
export const isSowRecord = (m: ReceivedMessage): boolean => m.command === 'sow';
export const isOof = (m: ReceivedMessage): boolean => m.command === 'oof';

const sleep = (ms: number) => new Promise<void>((r) => setTimeout(r, ms));

let runCounter = 0;

export class ScenarioContext {
  /** Unique token of this scenario execution; scenarios put it in every message and filter on it. */
  readonly run: string;
  private readonly cleanups: Array<() => Promise<unknown>> = [];
  private readonly controller = new AbortController();
  readonly notes: string[] = [];

  constructor(
    readonly adapter: ClientAdapter,
    readonly target: Target,
    readonly scenario: Scenario,
  ) {
    this.run = `${scenario.id.replace(/[^a-z0-9]/gi, '')}${Date.now().toString(36)}${(runCounter++).toString(36)}`;
  }

  get signal(): AbortSignal {
    return this.controller.signal;
  }

  /** Called by the runner on timeout: pending waits reject at once. */
  abort(reason: string): void {
    this.controller.abort(new ScenarioFailure(reason));
  }

  /** The target's URI for this adapter's transport, optionally with credentials. */
  uri(credentials?: { user: string; password?: string; uris?: Partial<Record<string, string>> }): string {
    const base = (credentials?.uris ?? this.target.uris)[this.adapter.transport];
    if (!base) throw new NotApplicable(`target has no ${this.adapter.transport} URI`);
    if (!credentials) return base;
    const u = new URL(base);
    u.username = encodeURIComponent(credentials.user);
    u.password = encodeURIComponent(credentials.password ?? '');
    return u.toString();
  }

  /** A client name unique to this execution. */
  name(label = 'c'): string {
    return `${label}-${this.run}`;
  }

  /** A topic name unique to this execution (for topics that need no server configuration). */
  topic(label = 't'): string {
    return `conformance-${label}-${this.run}`;
  }

  /** Registers a cleanup step (run in reverse order, errors ignored). */
  defer(step: () => Promise<unknown>): void {
    this.cleanups.push(step);
  }

  /** An unconnected session that is disconnected after the scenario. */
  async session(): Promise<ClientSession> {
    const s = await this.adapter.createSession();
    this.defer(() => s.disconnect());
    return s;
  }

  /** A connected session (defaults: this adapter's target URI, a unique name). */
  async connect(options: Partial<ConnectOptions> = {}): Promise<ClientSession> {
    const s = await this.session();
    await s.connect({ uri: this.uri(), name: this.name(`c${this.cleanups.length}`), ...options });
    return s;
  }

  /** A fault-injection proxy in front of the target for this adapter's transport. */
  async proxy(): Promise<FaultProxy> {
    const u = new URL(this.uri());
    const p = await FaultProxy.start(u.hostname === 'localhost' ? '127.0.0.1' : u.hostname, Number(u.port));
    this.defer(() => p.close());
    return p;
  }

  async silentServer(): Promise<SilentServer> {
    const s = await SilentServer.start();
    this.defer(() => s.close());
    return s;
  }

  /** Waits until `predicate` holds for the subscription's messages; returns the matching messages. */
  async waitFor(
    sub: Subscription,
    filter: (m: ReceivedMessage) => boolean,
    count: number,
    what: string,
    timeoutMs = 3000,
  ): Promise<ReceivedMessage[]> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const matching = sub.messages.filter(filter);
      if (matching.length >= count) return matching;
      if (this.signal.aborted) throw this.signal.reason as Error;
      if (Date.now() >= deadline) {
        throw new ScenarioFailure(`${what}: expected ${count} message(s) within ${timeoutMs} ms, got ${matching.length}`);
      }
      await sleep(10);
    }
  }

  /** Waits `ms` (to see that nothing more arrives). */
  async settle(ms: number): Promise<void> {
    await sleep(ms);
    if (this.signal.aborted) throw this.signal.reason as Error;
  }

  /** Polls `probe` until it returns true. */
  async until(probe: () => boolean | Promise<boolean>, what: string, timeoutMs = 3000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      if (await probe()) return;
      if (this.signal.aborted) throw this.signal.reason as Error;
      if (Date.now() >= deadline) throw new ScenarioFailure(`${what}: not reached within ${timeoutMs} ms`);
      await sleep(20);
    }
  }

  /** Runs `op`, which must fail; returns the normalised error. */
  async expectFailure(op: () => Promise<unknown>, what: string): Promise<AdapterErrorInfo> {
    try {
      await op();
    } catch (err) {
      return toErrorInfo(err);
    }
    throw new ScenarioFailure(`${what}: expected a failure, the operation succeeded`);
  }

  note(text: string): void {
    this.notes.push(text);
  }

  /** Runs every cleanup step, bounded in time. */
  async cleanup(timeoutMs = 3000): Promise<void> {
    const steps = this.cleanups.splice(0).reverse();
    const all = (async () => {
      for (const step of steps) {
        try {
          await step();
        } catch {
          // cleanup is best effort
        }
      }
    })();
    await Promise.race([all, sleep(timeoutMs)]);
  }
}

export function toErrorInfo(err: unknown): AdapterErrorInfo {
  if (err && typeof err === 'object' && 'kind' in err && 'message' in err) {
    const e = err as AdapterErrorInfo;
    const out: AdapterErrorInfo = { kind: e.kind, message: e.message };
    if (e.reason !== undefined) out.reason = e.reason;
    if (e.type !== undefined) out.type = e.type;
    return out;
  }
  return { kind: 'other', message: err instanceof Error ? err.message : String(err) };
}

/** True when the error names `reason` (as the reason field or in its message, case-insensitive). */
export function errorMentions(err: AdapterErrorInfo, ...reasons: string[]): boolean {
  const hay = `${err.reason ?? ''} ${err.message} ${err.type ?? ''}`.toLowerCase();
  return reasons.some((r) => hay.includes(r.toLowerCase()));
}
