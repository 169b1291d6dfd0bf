// Console matrix: one row per scenario, one column per client; failure reasons listed below the matrix.

import { cell, type ConformanceReport } from './model.js';
import type { ScenarioResult } from '../types.js';

export function cellText(r: ScenarioResult | undefined): string {
  if (!r) return '-';
  if (r.outcome === 'pass') return r.stale ? 'pass*' : 'pass';
  if (r.outcome === 'n/a') return 'n/a';
  return r.knownDifference !== undefined ? 'fail (known)' : 'FAIL';
}

export function renderConsole(report: ConformanceReport): string {
  const clients = report.clients.map((c) => c.id);
  const header = ['scenario', ...clients];
  const rows = report.scenarios.map((s) => [s.id, ...clients.map((c) => cellText(cell(report, s.id, c)))]);
  const widths = header.map((h, i) => Math.max(h.length, ...rows.map((r) => r[i]!.length)));
  const line = (cols: string[]) => cols.map((c, i) => c.padEnd(widths[i]!)).join('  ').trimEnd();
  const out: string[] = [];
  out.push(`AMPS conformance — target: ${report.target.description}`);
  out.push(line(header));
  out.push(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const r of rows) out.push(line(r));
  out.push('');
  for (const c of report.clients) {
    out.push(
      `${c.id}: ${c.pass} pass, ${c.fail} fail (${c.known} documented, ${c.regressions} regression${c.regressions === 1 ? '' : 's'}), ${c.na} n/a` +
        (c.stale ? `, ${c.stale} known difference(s) now pass (pass*)` : ''),
    );
  }
  const failures = report.results.filter((r) => r.outcome === 'fail');
  if (failures.length > 0) {
    out.push('');
    out.push('Failures:');
    for (const f of failures) {
      const tag = f.knownDifference !== undefined ? `documented client difference: ${f.knownDifference}` : 'REGRESSION';
      out.push(`  ${f.client} ${f.scenario}: ${f.detail ?? ''} [${tag}]`);
    }
  }
  return out.join('\n');
}
