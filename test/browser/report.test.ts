// The conformance HTML report (conformance/report/html.ts) opened in headless Chromium: the matrix is rendered
// and readable as a person sees it: the expected rows and columns, pass / FAIL / fail (known) / n/a cells with
// distinct colours, the summary table; a full-page screenshot is written next to the report.
//
// Set BROWSER_TEST_ARTIFACTS=<dir> to keep the reports and screenshots (default: a temp dir, removed).

import { copyFile, mkdir, mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Page } from 'playwright-core';
import { buildReport, runConformance, writeReportFiles, type ConformanceReport, type ScenarioResult } from '../../conformance/index.js';
import { chromiumNote, skipChromium, withPage } from './chromium.js';

let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'amps-browser-report-'));
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

const r = (scenario: string, client: string, outcome: ScenarioResult['outcome'], extra: Partial<ScenarioResult> = {}): ScenarioResult => ({
  scenario,
  group: scenario.split('.')[0]!,
  title: `Title of ${scenario}`,
  client,
  outcome,
  durationMs: 3,
  ...extra,
});

// A small synthetic run: 3 groups, 5 scenarios, 3 clients; every kind of cell.
const CLIENTS = [
  { id: 'ours', description: 'amps-ts over TCP', transport: 'tcp', capabilities: ['publish', 'subscribe', 'sow', 'queue'] },
  { id: 'ours-ws', description: 'amps-ts over WebSocket', transport: 'ws', capabilities: ['publish', 'subscribe', 'sow'] },
  { id: 'official', description: 'official amps npm client', transport: 'ws', capabilities: ['publish', 'subscribe'] },
];
const RESULTS: ScenarioResult[] = [
  r('pubsub.publish-subscribe', 'ours', 'pass'),
  r('pubsub.publish-subscribe', 'ours-ws', 'pass'),
  r('pubsub.publish-subscribe', 'official', 'pass'),
  r('pubsub.ordering', 'ours', 'pass'),
  r('pubsub.ordering', 'ours-ws', 'fail', { detail: 'expected 1..100 in order, got 2 before 1' }),
  r('pubsub.ordering', 'official', 'fail', { detail: 'missing message 7', knownDifference: 'the JS client <drops> late messages & more' }),
  r('sow.query-filter', 'ours', 'pass', { stale: true }),
  r('sow.query-filter', 'ours-ws', 'pass'),
  r('sow.query-filter', 'official', 'n/a', { detail: 'client lacks capability: sow' }),
  r('sow.top-n', 'ours', 'pass'),
  r('sow.top-n', 'ours-ws', 'n/a', { detail: 'client lacks capability: top-n' }),
  r('sow.top-n', 'official', 'n/a', { detail: 'client lacks capability: top-n' }),
  r('queues.lease-and-ack', 'ours', 'pass'),
  r('queues.lease-and-ack', 'ours-ws', 'n/a', { detail: 'client lacks capability: queue' }),
  r('queues.lease-and-ack', 'official', 'n/a', { detail: 'client lacks capability: queue' }),
];

/** Expected cell text (the console/HTML rendering: pass, pass*, FAIL, fail (known), n/a) and CSS class. */
function expectedCell(res: ScenarioResult | undefined): { text: string; cls: string } {
  if (!res) return { text: '-', cls: 'na' };
  if (res.outcome === 'pass') return { text: res.stale ? 'pass*' : 'pass', cls: 'pass' };
  if (res.outcome === 'n/a') return { text: 'n/a', cls: 'na' };
  return res.knownDifference !== undefined ? { text: 'fail (known)', cls: 'known' } : { text: 'FAIL', cls: 'fail' };
}

interface RenderedMatrix {
  visible: boolean;
  width: number;
  header: string[];
  rows: Array<{ group: string } | { scenario: string; title: string; cells: Array<{ text: string; cls: string; bg: string; detail: string; visible: boolean }> }>;
}

/** Reads the matrix as rendered: header cells, group rows, and each scenario row's cells (text without detail). */
async function readMatrix(page: Page): Promise<RenderedMatrix> {
  return page.evaluate(() => {
    const table = document.querySelector('table.matrix') as HTMLTableElement | null;
    if (!table) return { visible: false, width: 0, header: [], rows: [] };
    const rect = table.getBoundingClientRect();
    const shown = (el: Element) => {
      const b = el.getBoundingClientRect();
      const s = getComputedStyle(el);
      return b.width > 0 && b.height > 0 && s.visibility !== 'hidden' && s.display !== 'none';
    };
    const ownText = (el: Element) =>
      Array.from(el.childNodes)
        .filter((n) => n.nodeType === Node.TEXT_NODE || (n as Element).tagName === 'CODE')
        .map((n) => n.textContent ?? '')
        .join('')
        .trim();
    const header = Array.from(table.querySelectorAll('thead th')).map((th) => th.textContent?.trim() ?? '');
    const rows: RenderedMatrix['rows'] = [];
    for (const tr of Array.from(table.querySelectorAll('tbody tr'))) {
      if (tr.classList.contains('group')) {
        rows.push({ group: tr.textContent?.trim() ?? '' });
        continue;
      }
      const [first, ...cells] = Array.from(tr.children);
      rows.push({
        scenario: first?.querySelector('code')?.textContent ?? '',
        title: first?.querySelector('.detail')?.textContent ?? '',
        cells: cells.map((td) => ({
          text: ownText(td),
          cls: td.className,
          bg: getComputedStyle(td).backgroundColor,
          detail: td.querySelector('.detail')?.textContent ?? '',
          visible: shown(td),
        })),
      });
    }
    return { visible: shown(table), width: rect.width, header, rows };
  });
}

/** What the matrix must show for a report: one column per client, a group row per group, a row per scenario. */
function expectedMatrix(report: ConformanceReport) {
  const clients = report.clients.map((c) => c.id);
  const rows: Array<{ group: string } | { scenario: string; cells: Array<{ text: string; cls: string }> }> = [];
  let group = '';
  for (const s of report.scenarios) {
    if (s.group !== group) rows.push({ group: (group = s.group) });
    rows.push({
      scenario: s.id,
      cells: clients.map((c) => expectedCell(report.results.find((x) => x.scenario === s.id && x.client === c))),
    });
  }
  return { header: ['scenario', ...clients], rows };
}

async function keepArtifacts(files: string[]): Promise<void> {
  const keep = process.env.BROWSER_TEST_ARTIFACTS;
  if (!keep) return;
  await mkdir(keep, { recursive: true });
  for (const f of files) await copyFile(f, path.join(keep, path.basename(f)));
}

/** PNG width and height from the IHDR chunk. */
function pngSize(png: Buffer): { width: number; height: number } {
  expect(png.subarray(1, 4).toString('latin1')).toBe('PNG');
  return { width: png.readUInt32BE(16), height: png.readUInt32BE(20) };
}

describe(`conformance HTML report in headless Chromium${chromiumNote}`, () => {
  it.skipIf(skipChromium)(
    'shows the scenario × client matrix with pass / FAIL / fail (known) / n/a cells, the summary, and screenshots readably',
    async () => {
      const report = buildReport({ kind: 'embedded', description: 'embedded mock server' }, CLIENTS, RESULTS, new Date('2026-01-02T03:04:05Z'));
      const files = await writeReportFiles(report, path.join(dir, 'synthetic'));
      const shot = path.join(dir, 'synthetic', 'report-synthetic.png');

      await withPage(async (page, errors) => {
        await page.setViewportSize({ width: 1280, height: 800 });
        await page.goto(pathToFileURL(files.html).href);
        await expect.poll(() => page.title()).toBe('AMPS conformance report');
        expect(await page.locator('h1').innerText()).toBe('AMPS conformance report');
        expect(await page.locator('body').innerText()).toContain('Target: embedded mock server (embedded). Generated 2026-01-02T03:04:05.000Z.');

        const matrix = await readMatrix(page);
        expect(matrix.visible).toBe(true);
        expect(matrix.width).toBeLessThanOrEqual(1280); // fits the viewport: no horizontal scrolling for 3 clients
        const want = expectedMatrix(report);
        expect(matrix.header).toEqual(['scenario', 'ours', 'ours-ws', 'official']);
        expect(matrix.header).toEqual(want.header);
        expect(matrix.rows.filter((x) => 'group' in x)).toEqual([{ group: 'pubsub' }, { group: 'sow' }, { group: 'queues' }]);
        expect(
          matrix.rows.map((x) => ('group' in x ? x : { scenario: x.scenario, cells: x.cells.map((c) => ({ text: c.text, cls: c.cls })) })),
        ).toEqual(want.rows);
        const cells = matrix.rows.flatMap((x) => ('cells' in x ? x.cells : []));
        expect(cells).toHaveLength(15);
        expect(cells.every((c) => c.visible)).toBe(true);
        const scenarioRows = matrix.rows.filter((x): x is Extract<RenderedMatrix['rows'][number], { scenario: string }> => 'scenario' in x);
        expect(scenarioRows.map((x) => x.title)).toEqual(report.scenarios.map((s) => s.title));

        // Each outcome has its own colour, the same in every cell of that kind.
        const bgByClass = new Map<string, Set<string>>();
        for (const c of cells) bgByClass.set(c.cls, (bgByClass.get(c.cls) ?? new Set()).add(c.bg));
        expect([...bgByClass.keys()].sort()).toEqual(['fail', 'known', 'na', 'pass']);
        for (const [cls, colours] of bgByClass) expect(colours.size, `background of ${cls} cells`).toBe(1);
        const colours = [...bgByClass.values()].map((s) => [...s][0]);
        expect(new Set(colours).size).toBe(4);
        expect(colours).not.toContain('rgba(0, 0, 0, 0)'); // painted, not transparent

        // Failure details and documented differences are shown, escaped (no HTML injected from results).
        const cell = (scenario: string, client: string) => {
          const row = scenarioRows.find((x) => x.scenario === scenario)!;
          return row.cells[want.header.indexOf(client) - 1]!;
        };
        expect(cell('pubsub.ordering', 'ours-ws').detail).toBe('expected 1..100 in order, got 2 before 1');
        expect(cell('pubsub.ordering', 'official').detail).toContain('Documented client difference: the JS client <drops> late messages & more');
        expect(await page.locator('drops').count()).toBe(0);
        expect(cell('sow.query-filter', 'ours').detail).toContain('passes: the entry can be removed');

        // Summary: one row per client with its counts.
        const summary = await page.locator('table.summary tbody tr').evaluateAll((trs) =>
          trs.map((tr) => Array.from(tr.children).map((td, i) => (i === 0 ? td.firstChild?.textContent?.trim() : td.textContent?.trim()))),
        );
        expect(summary).toEqual([
          ['ours', 'tcp', '5', '0', '0', '0', '0'],
          ['ours-ws', 'ws', '2', '1', '0', '1', '2'],
          ['official', 'ws', '1', '1', '1', '0', '3'],
        ]);

        await page.screenshot({ path: shot, fullPage: true });
        expect(errors).toEqual([]);
      });
      const png = await readFile(shot);
      const size = pngSize(png);
      expect(size.width).toBe(1280);
      expect(size.height).toBeGreaterThan(400); // heading, legend, summary and the 8-row matrix
      expect(png.length).toBeGreaterThan(20_000); // a rendered page, not a blank one
      await keepArtifacts([files.html, shot]);
    },
    30_000,
  );

  it.skipIf(skipChromium)(
    'renders a real run (ours and ours-ws, a fast subset against the embedded mock server) as the same matrix',
    async () => {
      const out = path.join(dir, 'run');
      const run = await runConformance({
        clients: ['ours', 'ours-ws'],
        scenarios: ['pubsub.publish-subscribe', 'pubsub.ordering', 'sow.query-filter'],
        out,
        timeoutMs: 10_000,
      });
      expect(run.files).toBeDefined();
      expect(run.results).toHaveLength(6);
      const shot = path.join(out, 'report-run.png');

      await withPage(async (page, errors) => {
        await page.setViewportSize({ width: 1024, height: 700 });
        await page.goto(pathToFileURL(run.files!.html).href);
        const matrix = await readMatrix(page);
        const want = expectedMatrix(run.report);
        expect(matrix.visible).toBe(true);
        expect(matrix.header).toEqual(['scenario', 'ours', 'ours-ws']);
        expect(matrix.rows.filter((x) => 'group' in x)).toEqual([{ group: 'pubsub' }, { group: 'sow' }]);
        expect(
          matrix.rows.map((x) => ('group' in x ? x : { scenario: x.scenario, cells: x.cells.map((c) => ({ text: c.text, cls: c.cls })) })),
        ).toEqual(want.rows);
        await page.screenshot({ path: shot, fullPage: true });
        expect(errors).toEqual([]);
      });
      expect(pngSize(await readFile(shot)).width).toBe(1024);
      await keepArtifacts([shot]);
    },
    30_000,
  );
});
