// Runs scenarios against one adapter: capability and target checks (n/a), a hard timeout per scenario (fail),
// cleanup, and known-differences annotation.

import type { ClientAdapter, ScenarioResult } from './types.js';
import type { Target } from './targets/target.js';
import { KnownDifferences } from './known-differences.js';
import { NotApplicable, ScenarioContext, ScenarioFailure, type Scenario } from './scenarios/scenario.js';

export const DEFAULT_SCENARIO_TIMEOUT_MS = 10_000;

export interface RunAdapterOptions {
  adapter: ClientAdapter;
  target: Target;
  scenarios: readonly Scenario[];
  knownDifferences?: KnownDifferences;
  /** Called after each scenario (progress output). */
  onResult?: (result: ScenarioResult) => void;
  /** Overrides each scenario's timeout (tests). */
  timeoutMs?: number;
}

/** Why a scenario does not apply to this adapter/target, or undefined when it does. */
export function notApplicableReason(scenario: Scenario, adapter: ClientAdapter, target: Target): string | undefined {
  const missing = scenario.requires.filter((c) => !adapter.capabilities.has(c));
  if (missing.length > 0) return `client lacks capability: ${missing.join(', ')}`;
  const absent = (scenario.needs ?? []).filter((f) => !target.features.has(f));
  if (absent.length > 0) return `target lacks: ${absent.join(', ')}`;
  if (!target.uris[adapter.transport]) return `target has no ${adapter.transport} URI`;
  return undefined;
}

export async function runScenario(
  scenario: Scenario,
  adapter: ClientAdapter,
  target: Target,
  known: KnownDifferences = new KnownDifferences(),
  timeoutOverride?: number,
): Promise<ScenarioResult> {
  const base = { scenario: scenario.id, group: scenario.group, title: scenario.title, client: adapter.id };
  const started = Date.now();
  const na = notApplicableReason(scenario, adapter, target);
  if (na) return { ...base, outcome: 'n/a', detail: na, durationMs: 0 };

  const timeoutMs = timeoutOverride ?? scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS;
  const ctx = new ScenarioContext(adapter, target, scenario);
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      const reason = `timed out after ${timeoutMs} ms`;
      ctx.abort(reason);
      reject(new ScenarioFailure(reason));
    }, timeoutMs);
  });
  let result: ScenarioResult;
  try {
    await Promise.race([scenario.run(ctx), timeout]);
    result = { ...base, outcome: 'pass', durationMs: Date.now() - started };
  } catch (err) {
    if (err instanceof NotApplicable) {
      result = { ...base, outcome: 'n/a', detail: err.message, durationMs: Date.now() - started };
    } else {
      const message = err instanceof ScenarioFailure ? err.message : `unexpected error: ${describe(err)}`;
      result = { ...base, outcome: 'fail', detail: message, durationMs: Date.now() - started };
    }
  } finally {
    clearTimeout(timer);
    await ctx.cleanup();
  }
  const documented = known.entryFor(scenario.id);
  if (documented !== undefined) {
    if (result.outcome === 'fail') result.knownDifference = documented.reason;
    else if (result.outcome === 'pass' && !documented.intermittent) result.stale = true;
  }
  if (ctx.notes.length > 0 && result.outcome !== 'fail') result.detail = [result.detail, ...ctx.notes].filter(Boolean).join('; ');
  return result;
}

export async function runAdapter(options: RunAdapterOptions): Promise<ScenarioResult[]> {
  const results: ScenarioResult[] = [];
  for (const scenario of options.scenarios) {
    const r = await runScenario(scenario, options.adapter, options.target, options.knownDifferences, options.timeoutMs);
    results.push(r);
    options.onResult?.(r);
  }
  return results;
}

/** Failures that are not documented differences. */
export function regressions(results: readonly ScenarioResult[]): ScenarioResult[] {
  return results.filter((r) => r.outcome === 'fail' && r.knownDifference === undefined);
}

function describe(err: unknown): string {
  if (err instanceof Error) {
    const reason = (err as { reason?: unknown }).reason;
    return reason && !err.message.includes(String(reason)) ? `${err.message} (reason: ${String(reason)})` : err.message;
  }
  return String(err);
}
