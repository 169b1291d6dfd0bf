import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildReport, renderConsole, renderHtml, renderJson, writeReportFiles } from '../../conformance/report/index.js';
import type { ScenarioResult } from '../../conformance/types.js';

const r = (scenario: string, client: string, outcome: ScenarioResult['outcome'], extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  scenario,
  group: scenario.split('.')[0]!,
  title: `title of ${scenario}`,
  client,
  outcome,
  durationMs: 5,
  ...extra,
});

const results: ScenarioResult[] = [
  r('pubsub.a', 'ours', 'pass'),
  r('pubsub.a', 'official', 'fail', { detail: 'expected 2 got <1>', knownDifference: 'JS client <quirk> & co' }),
  r('sow.b', 'ours', 'fail', { detail: 'records: missing 3' }),
  r('sow.b', 'official', 'n/a', { detail: 'client lacks capability: ha' }),
  r('ha.c', 'ours', 'pass', { stale: true }),
  r('ha.c', 'official', 'pass'),
];
const clients = [
  { id: 'ours', description: 'amps-ts over TCP', transport: 'tcp', capabilities: ['publish', 'subscribe'] },
  { id: 'official', description: 'npm amps', transport: 'ws', capabilities: ['publish'] },
];
const report = buildReport({ kind: 'embedded', description: 'embedded mock' }, clients, results, new Date('2026-01-02T03:04:05Z'));

describe('report model', () => {
  it('summarises per client: pass, fail, documented, regressions, n/a, stale', () => {
    expect(report.clients).toEqual([
      expect.objectContaining({ id: 'ours', pass: 2, fail: 1, known: 0, regressions: 1, na: 0, stale: 1 }),
      expect.objectContaining({ id: 'official', pass: 1, fail: 1, known: 1, regressions: 0, na: 1, stale: 0 }),
    ]);
    expect(report.scenarios.map((s) => s.id)).toEqual(['pubsub.a', 'sow.b', 'ha.c']);
  });
});

describe('console rendering', () => {
  const text = renderConsole(report);
  it('prints a scenario × client matrix', () => {
    const lines = text.split('\n');
    const header = lines.find((l) => l.startsWith('scenario'))!;
    expect(header).toMatch(/scenario\s+ours\s+official/);
    expect(lines.find((l) => l.startsWith('pubsub.a'))).toMatch(/pubsub\.a\s+pass\s+fail \(known\)/);
    expect(lines.find((l) => l.startsWith('sow.b'))).toMatch(/sow\.b\s+FAIL\s+n\/a/);
    expect(lines.find((l) => l.startsWith('ha.c'))).toMatch(/ha\.c\s+pass\*\s+pass/);
  });
  it('lists failures with reasons, marking documented differences and regressions', () => {
    expect(text).toContain('ours sow.b: records: missing 3 [REGRESSION]');
    expect(text).toContain('official pubsub.a: expected 2 got <1> [documented client difference: JS client <quirk> & co]');
    expect(text).toContain('ours: 2 pass, 1 fail (0 documented, 1 regression), 0 n/a');
  });
});

describe('JSON rendering', () => {
  it('round-trips the whole report', () => {
    const parsed = JSON.parse(renderJson(report));
    expect(parsed).toEqual(JSON.parse(JSON.stringify(report)));
    expect(parsed.results).toHaveLength(6);
    expect(parsed.generatedAt).toBe('2026-01-02T03:04:05.000Z');
  });
});

describe('HTML rendering', () => {
  const html = renderHtml(report);
  it('is a self-contained document (no scripts, no external resources)', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).toContain('<style>');
    expect(html).not.toMatch(/<script|<link|src=|href=/i);
  });
  it('shows every cell with its class, detail and the documented-difference annotation, escaped', () => {
    expect(html).toContain('<td class="pass">pass</td>');
    expect(html).toContain('<td class="fail">FAIL<span class="detail">records: missing 3</span></td>');
    expect(html).toContain('class="known">fail (known)');
    expect(html).toContain('Documented client difference: JS client &lt;quirk&gt; &amp; co');
    expect(html).toContain('expected 2 got &lt;1&gt;');
    expect(html).not.toContain('<quirk>');
    expect(html).toContain('class="na">n/a');
    expect(html).toContain('<tr class="group"><th colspan="3">sow</th></tr>');
  });
  it('is written with the JSON file into the output directory', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'conf-report-'));
    try {
      const files = await writeReportFiles(report, path.join(dir, 'out'));
      expect(await readFile(files.html, 'utf8')).toBe(html);
      expect(JSON.parse(await readFile(files.json, 'utf8')).clients).toHaveLength(2);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
