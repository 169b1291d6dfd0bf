// The report data: everything the console, JSON and HTML renderings show.

import type { ScenarioResult } from '../types.js';

export interface ClientSummary {
  id: string;
  description: string;
  transport: string;
  capabilities: string[];
  pass: number;
  fail: number;
  na: number;
  /** Failures documented in the client's known-differences file. */
  known: number;
  /** Failures not documented: regressions. */
  regressions: number;
  /** Known-differences entries whose scenario passed. */
  stale: number;
}

export interface ConformanceReport {
  generatedAt: string;
  target: { kind: string; description: string };
  scenarios: Array<{ id: string; group: string; title: string }>;
  clients: ClientSummary[];
  results: ScenarioResult[];
}

export interface ClientInfo {
  id: string;
  description: string;
  transport: string;
  capabilities: Iterable<string>;
}

export function buildReport(
  target: { kind: string; description: string },
  clients: readonly ClientInfo[],
  results: readonly ScenarioResult[],
  generatedAt = new Date(),
): ConformanceReport {
  const scenarios: ConformanceReport['scenarios'] = [];
  const seen = new Set<string>();
  for (const r of results) {
    if (seen.has(r.scenario)) continue;
    seen.add(r.scenario);
    scenarios.push({ id: r.scenario, group: r.group, title: r.title });
  }
  const summaries = clients.map((c) => {
    const mine = results.filter((r) => r.client === c.id);
    const fails = mine.filter((r) => r.outcome === 'fail');
    return {
      id: c.id,
      description: c.description,
      transport: c.transport,
      capabilities: [...c.capabilities].sort(),
      pass: mine.filter((r) => r.outcome === 'pass').length,
      fail: fails.length,
      na: mine.filter((r) => r.outcome === 'n/a').length,
      known: fails.filter((r) => r.knownDifference !== undefined).length,
      regressions: fails.filter((r) => r.knownDifference === undefined).length,
      stale: mine.filter((r) => r.stale).length,
    };
  });
  return { generatedAt: generatedAt.toISOString(), target, scenarios, clients: summaries, results: [...results] };
}

/** The result for one cell of the matrix. */
export function cell(report: ConformanceReport, scenario: string, client: string): ScenarioResult | undefined {
  return report.results.find((r) => r.scenario === scenario && r.client === client);
}
