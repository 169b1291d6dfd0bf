import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { ConformanceReport } from './model.js';
import { renderHtml } from './html.js';

export { buildReport, cell, type ClientInfo, type ClientSummary, type ConformanceReport } from './model.js';
export { renderConsole, cellText } from './console.js';
export { renderHtml, escapeHtml } from './html.js';

export function renderJson(report: ConformanceReport): string {
  return JSON.stringify(report, null, 2) + '\n';
}

/** Writes `report.json` and `report.html` into `dir`; returns their paths. */
export async function writeReportFiles(report: ConformanceReport, dir: string): Promise<{ json: string; html: string }> {
  await mkdir(dir, { recursive: true });
  const json = path.join(dir, 'report.json');
  const html = path.join(dir, 'report.html');
  await writeFile(json, renderJson(report));
  await writeFile(html, renderHtml(report));
  return { json, html };
}
