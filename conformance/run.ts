// The main job: run scenarios for several clients against one target, then render the console matrix and
// write the JSON and HTML reports.

import path from 'node:path';
import type { ClientAdapter, ScenarioResult } from './types.js';
import type { Target } from './targets/target.js';
import { externalTarget, targetFromEnv } from './targets/target.js';
import { startEmbeddedTarget } from './targets/embedded.js';
import { createAdapter, OUR_CLIENTS } from './adapters/index.js';
import type { DriverAdapterOptions } from './adapters/driver.js';
import { SCENARIOS, selectScenarios, type Scenario } from './scenarios/index.js';
import { loadKnownDifferences, type KnownDifferences } from './known-differences.js';
import { regressions, runAdapter } from './runner.js';
import { buildReport, renderConsole, writeReportFiles, type ConformanceReport } from './report/index.js';

export type TargetSpec =
  | 'embedded'
  | 'env'
  | Target
  | { tcp?: string; ws?: string };

export interface RunConformanceOptions {
  /** Client specs (`ours`, `ours-ws`, `official`, `driver:<command>`) or ready adapters. */
  clients: ReadonlyArray<string | ClientAdapter>;
  /** `embedded` (default): start the mock server with conformance/targets/mock.yaml; `env`: AMPS_URI / AMPS_WS_URI, else embedded. */
  target?: TargetSpec;
  /** Directory for report.json and report.html (default `conformance-report`); null: write nothing. */
  out?: string | null;
  /** Scenario ids or groups (`sow`, `queues.*`); default all. */
  scenarios?: readonly string[] | readonly Scenario[];
  /** Known differences per client id (default: conformance/known-differences/<client>.yaml). */
  knownDifferences?: (clientId: string) => KnownDifferences;
  /** Progress output (default: none). */
  log?: (line: string) => void;
  driverOptions?: DriverAdapterOptions;
  /** Overrides every scenario's timeout (tests). */
  timeoutMs?: number;
  /**
   * Run the clients concurrently (each still runs its scenarios one after another). Scenarios isolate their
   * data by a run token, so clients do not see each other's messages; the CLI turns this on.
   */
  parallel?: boolean;
}

export interface RunConformanceResult {
  report: ConformanceReport;
  results: ScenarioResult[];
  /** Failures not in the known-differences files, per client. */
  regressions: ScenarioResult[];
  /** Regressions of our own clients (what `amps-ts start` exits non-zero on). */
  ourRegressions: ScenarioResult[];
  console: string;
  files?: { json: string; html: string };
}

async function resolveTarget(spec: TargetSpec | undefined): Promise<{ target: Target; owned: boolean }> {
  if (spec === undefined || spec === 'embedded') return { target: await startEmbeddedTarget(), owned: true };
  if (spec === 'env') {
    const fromEnv = targetFromEnv();
    return fromEnv ? { target: fromEnv, owned: false } : { target: await startEmbeddedTarget(), owned: true };
  }
  if ('kind' in spec) return { target: spec, owned: false };
  return { target: externalTarget(spec), owned: false };
}

export async function runConformance(options: RunConformanceOptions): Promise<RunConformanceResult> {
  const log = options.log ?? (() => undefined);
  const scenarios: Scenario[] =
    options.scenarios && options.scenarios.length > 0 && typeof options.scenarios[0] !== 'string'
      ? [...(options.scenarios as readonly Scenario[])]
      : selectScenarios(options.scenarios as readonly string[] | undefined, SCENARIOS);
  const { target, owned } = await resolveTarget(options.target);
  // One slot per client, in the order given (clients may run concurrently).
  const perClient: Array<{ info: ClientAdapter; results: ScenarioResult[] }> = [];
  const runClient = async (spec: string | ClientAdapter, slot: number): Promise<void> => {
    let adapter: ClientAdapter;
    try {
      adapter = typeof spec === 'string' ? await createAdapter(spec, options.driverOptions) : spec;
    } catch (err) {
      // A client that cannot start fails every scenario, visibly.
      const id = typeof spec === 'string' ? spec : 'unknown';
      const detail = `client did not start: ${(err as Error).message}`;
      log(`${id}: ${detail}`);
      perClient[slot] = {
        info: { id, description: detail, transport: 'tcp', capabilities: new Set(), createSession: () => Promise.reject(err), close: async () => undefined },
        results: scenarios.map((s) => ({ scenario: s.id, group: s.group, title: s.title, client: id, outcome: 'fail', detail, durationMs: 0 })),
      };
      return;
    }
    log(`client ${adapter.id}: ${adapter.description}`);
    const known = (options.knownDifferences ?? loadKnownDifferences)(adapter.id);
    try {
      const mine = await runAdapter({
        adapter,
        target,
        scenarios,
        knownDifferences: known,
        ...(options.timeoutMs ? { timeoutMs: options.timeoutMs } : {}),
        onResult: (r) =>
          log(`  ${r.client.padEnd(12)} ${r.outcome.padEnd(4)} ${r.scenario}${r.detail ? ` — ${r.detail}` : ''}${r.knownDifference ? ' (known)' : ''}`),
      });
      perClient[slot] = { info: adapter, results: mine };
    } finally {
      if (typeof spec === 'string') await adapter.close();
    }
  };
  try {
    log(`target: ${target.description}`);
    if (options.parallel) {
      await Promise.all(options.clients.map((spec, i) => runClient(spec, i)));
    } else {
      for (const [i, spec] of options.clients.entries()) await runClient(spec, i);
    }
  } finally {
    if (owned) await target.close();
  }
  const infos = perClient.filter(Boolean).map((c) => c.info);
  const results = perClient.filter(Boolean).flatMap((c) => c.results);
  const report = buildReport({ kind: target.kind, description: target.description }, infos, results);
  const out: RunConformanceResult = {
    report,
    results,
    regressions: regressions(results),
    ourRegressions: regressions(results).filter((r) => OUR_CLIENTS.has(r.client)),
    console: renderConsole(report),
  };
  if (options.out !== null) {
    out.files = await writeReportFiles(report, path.resolve(options.out ?? 'conformance-report'));
  }
  return out;
}
