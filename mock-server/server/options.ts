// Parsing of the comma lists a client sends: command options (`o`) and requested ack types (`a`).

/** Parsed `o` header: option name → value (`true` for a bare flag). Commas inside `[...]` do not split. */
export type ParsedOptions = Map<string, string | true>;

export function parseOptions(text: string | undefined): ParsedOptions {
  const out: ParsedOptions = new Map();
  if (text === undefined || text === '') return out;
  let depth = 0;
  let start = 0;
  const push = (part: string) => {
    const p = part.trim();
    if (p === '') return;
    const eq = p.indexOf('=');
    if (eq < 0) out.set(p.toLowerCase(), true);
    else out.set(p.slice(0, eq).trim().toLowerCase(), p.slice(eq + 1).trim());
  };
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '[' || ch === '(') depth++;
    else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    else if (ch === ',' && depth === 0) {
      push(text.slice(start, i));
      start = i + 1;
    }
  }
  push(text.slice(start));
  return out;
}

/** `heartbeat` options are positional: `start,30` / `beat`. */
export function parseHeartbeatOptions(text: string | undefined): { action: string; interval?: number } {
  const parts = (text ?? '').split(',').map((p) => p.trim()).filter(Boolean);
  const action = (parts[0] ?? '').toLowerCase();
  const n = parts[1] !== undefined ? Number(parts[1]) : undefined;
  return n !== undefined && Number.isFinite(n) && n > 0 ? { action, interval: n } : { action };
}

export function intOption(opts: ParsedOptions, name: string): number | undefined {
  const v = opts.get(name);
  if (typeof v !== 'string') return undefined;
  if (!/^\d+$/.test(v)) return undefined;
  return Number(v);
}

export type AckKind = 'received' | 'parsed' | 'processed' | 'completed' | 'persisted' | 'stats';
const ACK_KINDS = new Set<string>(['received', 'parsed', 'processed', 'completed', 'persisted', 'stats']);

/** Requested ack types (unknown names dropped, as the servers and the JS client do). */
export function parseAcks(text: string | undefined): Set<AckKind> {
  const out = new Set<AckKind>();
  if (!text) return out;
  for (const p of text.split(',')) {
    const a = p.trim().toLowerCase();
    if (ACK_KINDS.has(a)) out.add(a as AckKind);
  }
  return out;
}

/** `30s`, `500ms`, `1m` (lease_extension, ack_conflation) → ms. */
export function parseInterval(text: string): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h)?\s*$/.exec(text);
  if (!m) return undefined;
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000 }[m[2] ?? 's'] ?? 1000;
  return Math.round(Number(m[1]) * factor);
}
