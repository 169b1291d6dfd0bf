// Self-contained HTML report (inline CSS, no scripts, no external resources).

import { cell, type ConformanceReport } from './model.js';
import { cellText } from './console.js';

export function escapeHtml(text: string): string {
  return text
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&#39;');
}

const STYLE = `
body{font-family:system-ui,-apple-system,Segoe UI,Roboto,sans-serif;margin:2rem;color:#1d2433}
h1{font-size:1.4rem}h2{font-size:1.1rem;margin-top:2rem}
table{border-collapse:collapse;font-size:.85rem}
th,td{border:1px solid #d0d5dd;padding:.3rem .5rem;text-align:left;vertical-align:top}
th{background:#f2f4f7;position:sticky;top:0}
.pass{background:#e6f4ea;color:#14532d}
.fail{background:#fde8e8;color:#7f1d1d;font-weight:600}
.known{background:#fff4e5;color:#7c4a03}
.na{background:#f5f5f5;color:#6b7280}
tr.group th{background:#e4e7ec}
.detail{display:block;font-weight:400;font-size:.75rem;color:inherit;max-width:28rem;white-space:pre-wrap}
.summary td{text-align:right}.summary td:first-child{text-align:left}
.legend span{display:inline-block;padding:.1rem .5rem;margin-right:.5rem;border:1px solid #d0d5dd}
`;

export function renderHtml(report: ConformanceReport): string {
  const clients = report.clients.map((c) => c.id);
  const parts: string[] = [];
  parts.push('<!DOCTYPE html>');
  parts.push('<html lang="en"><head><meta charset="utf-8">');
  parts.push('<meta name="viewport" content="width=device-width, initial-scale=1">');
  parts.push('<title>AMPS conformance report</title>');
  parts.push(`<style>${STYLE}</style></head><body>`);
  parts.push('<h1>AMPS conformance report</h1>');
  parts.push(
    `<p>Target: <strong>${escapeHtml(report.target.description)}</strong> (${escapeHtml(report.target.kind)}). Generated ${escapeHtml(report.generatedAt)}.</p>`,
  );
  parts.push(
    '<p class="legend"><span class="pass">pass</span><span class="fail">FAIL: regression</span>' +
      '<span class="known">fail: documented client difference</span><span class="na">n/a: capability or server feature missing</span></p>',
  );

  parts.push('<h2>Summary</h2><table class="summary"><thead><tr><th>client</th><th>transport</th><th>pass</th><th>fail</th><th>documented</th><th>regressions</th><th>n/a</th></tr></thead><tbody>');
  for (const c of report.clients) {
    parts.push(
      `<tr><td title="${escapeHtml(c.capabilities.join(', '))}">${escapeHtml(c.id)} <span class="detail">${escapeHtml(c.description)}</span></td>` +
        `<td>${escapeHtml(c.transport)}</td><td>${c.pass}</td><td>${c.fail}</td><td>${c.known}</td><td>${c.regressions}</td><td>${c.na}</td></tr>`,
    );
  }
  parts.push('</tbody></table>');

  parts.push('<h2>Matrix</h2><table class="matrix"><thead><tr><th>scenario</th>');
  for (const c of clients) parts.push(`<th>${escapeHtml(c)}</th>`);
  parts.push('</tr></thead><tbody>');
  let group = '';
  for (const s of report.scenarios) {
    if (s.group !== group) {
      group = s.group;
      parts.push(`<tr class="group"><th colspan="${clients.length + 1}">${escapeHtml(group)}</th></tr>`);
    }
    parts.push(`<tr><td><code>${escapeHtml(s.id)}</code><span class="detail">${escapeHtml(s.title)}</span></td>`);
    for (const c of clients) {
      const r = cell(report, s.id, c);
      const cls = !r ? 'na' : r.outcome === 'pass' ? 'pass' : r.outcome === 'n/a' ? 'na' : r.knownDifference !== undefined ? 'known' : 'fail';
      const detail: string[] = [];
      if (r?.detail) detail.push(r.detail);
      if (r?.knownDifference !== undefined) detail.push(`Documented client difference: ${r.knownDifference}`);
      if (r?.stale) detail.push('Listed as a known difference but passes: the entry can be removed.');
      parts.push(
        `<td class="${cls}">${escapeHtml(cellText(r))}${detail.length ? `<span class="detail">${escapeHtml(detail.join('\n'))}</span>` : ''}</td>`,
      );
    }
    parts.push('</tr>');
  }
  parts.push('</tbody></table>');
  parts.push('</body></html>');
  return parts.join('\n');
}
