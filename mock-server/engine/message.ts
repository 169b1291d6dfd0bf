// One published message as the engine sees it. The body is parsed lazily and at most once, then shared by every
// filter, SOW, OOF and queue decision that looks at it.

export type MessageType = 'json' | 'nvfix' | 'fix' | 'xml' | 'binary' | (string & {});

const decoder = new TextDecoder();
const NOT_PARSED: unique symbol = Symbol('not parsed');

/**
 * A message body plus its lazily-parsed field tree.
 * - json: `JSON.parse` of the body (undefined when the body is not valid JSON).
 * - nvfix / fix: a flat object tag → string value (`/55` reads tag 55). Field separator \x01, or `;` / `|` when
 *   the body has no \x01 (best-effort detection).
 * - anything else: opaque; every identifier evaluates to NULL.
 * A Doc is immutable: never mutate `data` or `root` (compiled filters memoise their last result per Doc).
 */
export class Doc {
  readonly data: Uint8Array;
  readonly messageType: MessageType;
  private parsed: unknown = NOT_PARSED;
  private textCache: string | undefined;

  constructor(data: Uint8Array, messageType: MessageType = 'json', parsed?: unknown) {
    this.data = data;
    this.messageType = messageType;
    if (parsed !== undefined) this.parsed = parsed;
  }

  /** Build from an already-parsed JSON value (serialises it once). */
  static fromJson(value: unknown): Doc {
    return new Doc(new TextEncoder().encode(JSON.stringify(value)), 'json', value);
  }

  /** The body as UTF-8 text (decoded once). */
  get text(): string {
    if (this.textCache === undefined) this.textCache = decoder.decode(this.data);
    return this.textCache;
  }

  /** Root of the field tree (undefined when the body cannot be parsed or the type is opaque). */
  get root(): unknown {
    if (this.parsed === NOT_PARSED) this.parsed = parseBody(this);
    return this.parsed;
  }

  /** True when the body is a JSON object (delta merge / delta subscribe only work then). */
  get isJsonObject(): boolean {
    const r = this.root;
    return this.messageType === 'json' && r !== null && typeof r === 'object' && !Array.isArray(r);
  }
}

function parseBody(doc: Doc): unknown {
  switch (doc.messageType) {
    case 'json':
      try {
        return JSON.parse(doc.text);
      } catch {
        return undefined;
      }
    case 'nvfix':
    case 'fix':
      return parseTagValue(doc.text);
    default:
      return undefined;
  }
}

/** `tag=value<sep>...` with \x01 as separator (or `;` / `|` when no \x01 appears). */
export function parseTagValue(text: string): Record<string, string> {
  const out: Record<string, string> = Object.create(null) as Record<string, string>;
  const sep = text.includes('\x01') ? '\x01' : text.includes(';') ? ';' : '|';
  for (const part of text.split(sep)) {
    if (part.length === 0) continue;
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    out[part.slice(0, eq)] = part.slice(eq + 1);
  }
  return out;
}

/** A path step: an object key, or an array index (`/data[3]` is `['data', 3]`). */
export type PathStep = string | number;

/**
 * Reads a field path from a field tree.
 * AMPS identifiers name one value; an array in the middle of a path without a subscript yields its first
 * element's field (INFERRED). Returns undefined for anything absent.
 */
export function readPath(root: unknown, path: readonly PathStep[]): unknown {
  let cur: unknown = root;
  for (let i = 0; i < path.length; i++) {
    if (cur === null || typeof cur !== 'object') return undefined;
    const step = path[i]!;
    if (typeof step === 'number') {
      if (!Array.isArray(cur)) return undefined;
      cur = cur[step];
    } else {
      if (Array.isArray(cur)) {
        if (cur.length === 0) return undefined;
        cur = cur[0];
        if (cur === null || typeof cur !== 'object' || Array.isArray(cur)) return undefined;
      }
      cur = (cur as Record<string, unknown>)[step];
    }
  }
  return cur;
}

/** Parses `/a/b[0]/c` into path steps; undefined when malformed. Used for key fields, order by, conflation keys. */
export function parsePath(text: string): PathStep[] | undefined {
  let t = text.trim();
  if (t.startsWith('[') && t.endsWith(']')) t = t.slice(1, -1);
  if (!t.startsWith('/') || t.length < 2) return undefined;
  const steps: PathStep[] = [];
  for (const raw of t.slice(1).split('/')) {
    const m = /^([^[\]]+)((?:\[\d+\])*)$/.exec(raw);
    if (!m) return undefined;
    steps.push(m[1]!);
    const subs = m[2]!;
    if (subs) for (const s of subs.matchAll(/\[(\d+)\]/g)) steps.push(Number(s[1]));
  }
  return steps;
}
