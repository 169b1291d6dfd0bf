// One published message as the engine sees it. The body is parsed lazily and at most once, then shared by every
// filter, SOW, OOF and queue decision that looks at it.

export type MessageType = 'json' | 'nvfix' | 'fix' | 'xml' | 'binary' | (string & {});

const decoder = new TextDecoder();

/**
 * Deepest nesting of objects/arrays (JSON) or elements (XML) a body may have to be parsed. A deeper body is
 * unparseable (root undefined: identifiers are NULL, no SOW key, no delta merge), so no recursive walk anywhere in
 * the engine (sort keys, equality, delta merge, serialisation) ever sees a value nested deeper than this.
 */
export const MAX_BODY_DEPTH = 256;
const NOT_PARSED: unique symbol = Symbol('not parsed');

/**
 * A message body plus its lazily-parsed field tree.
 * - json: `JSON.parse` of the body (undefined when the body is not valid JSON).
 * - nvfix / fix: a flat object tag → string value (`/55` reads tag 55). Field separator \x01, or `;` / `|` when
 *   the body has no \x01 (best-effort detection).
 * - xml: element tree (`/Order/Symbol`, attributes as `@name`: `/Order/@update`); repeated elements → arrays.
 * - anything else: opaque; every identifier evaluates to NULL.
 * A Doc is immutable: never mutate `data` or `root` (compiled filters memoise their last result per Doc).
 */
export class Doc {
  readonly data: Uint8Array;
  readonly messageType: MessageType;
  private parsed: unknown = NOT_PARSED;
  private textCache: string | undefined;
  private deep = false;

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
    if (this.parsed === NOT_PARSED) {
      const t = this.messageType as string;
      if (t === 'json' || t === 'xml') this.deep = textNestedDeeperThan(this.text, t as 'json' | 'xml', MAX_BODY_DEPTH);
      this.parsed = this.deep ? undefined : parseBody(this);
    }
    return this.parsed;
  }

  /** True when the body was refused for nesting deeper than MAX_BODY_DEPTH (then `root` is undefined). */
  get tooDeep(): boolean {
    void this.root;
    return this.deep;
  }

  /** True when the body is a JSON object (delta merge / delta subscribe only work then). */
  get isJsonObject(): boolean {
    const r = this.root;
    return this.messageType === 'json' && r !== null && typeof r === 'object' && !Array.isArray(r);
  }
}

/**
 * Nesting depth check on the raw text, before anything builds a tree: JSON counts `{`/`[` outside strings; XML
 * counts open elements. Linear, no recursion; texts too short to nest that deep are skipped.
 */
function textNestedDeeperThan(text: string, type: 'json' | 'xml', limit: number): boolean {
  const n = text.length;
  if (n <= limit * 2) return false;
  let depth = 0;
  if (type === 'json') {
    for (let i = 0; i < n; i++) {
      const c = text.charCodeAt(i);
      if (c === 34 /* " */) {
        // skip the string: find the closing quote not preceded by an odd number of backslashes
        let j = i;
        for (;;) {
          j = text.indexOf('"', j + 1);
          if (j < 0) return false; // unterminated: JSON.parse rejects it anyway
          let bs = 0;
          while (text.charCodeAt(j - 1 - bs) === 92) bs++;
          if ((bs & 1) === 0) break;
        }
        i = j;
      } else if (c === 123 || c === 91) {
        if (++depth > limit) return true;
      } else if (c === 125 || c === 93) depth--;
    }
    return false;
  }
  // xml: `<name` opens, `</` closes, `/>` self-closes; comments / CDATA / PIs are skipped
  for (let i = text.indexOf('<'); i >= 0 && i < n; i = text.indexOf('<', i + 1)) {
    const next = text.charCodeAt(i + 1);
    if (next === 33 /* ! */ || next === 63 /* ? */) {
      const end = text.startsWith('<![CDATA[', i) ? text.indexOf(']]>', i) : text.startsWith('<!--', i) ? text.indexOf('-->', i) : text.indexOf('>', i);
      if (end < 0) return false;
      i = end;
      continue;
    }
    if (next === 47 /* / */) {
      depth--;
      continue;
    }
    const close = text.indexOf('>', i);
    if (close < 0) return false;
    if (text.charCodeAt(close - 1) !== 47 && ++depth > limit) return true;
    i = close;
  }
  return false;
}

function parseBody(doc: Doc): unknown {
  try {
    return parseBodyUnsafe(doc);
  } catch {
    return undefined; // never let a malformed body break a filter or the SOW
  }
}

function parseBodyUnsafe(doc: Doc): unknown {
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
    case 'xml':
      return parseXmlTree(doc.text);
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

const ENTITIES: Record<string, string> = { lt: '<', gt: '>', amp: '&', quot: '"', apos: "'" };
const unescapeXml = (s: string) =>
  s.replace(/&(#x[0-9a-fA-F]+|#\d+|\w+);/g, (m, e: string) =>
    e[0] === '#' ? String.fromCodePoint(e[1] === 'x' ? parseInt(e.slice(2), 16) : Number(e.slice(1))) : (ENTITIES[e] ?? m),
  );

/**
 * Minimal XML → field tree for filters: `{ Root: { Child: 'text', '@attr': 'v', Rep: ['a', 'b'] } }`. Elements with
 * only text become strings; mixed content keeps child elements and attributes (text dropped). Namespaces are kept
 * in names verbatim. Malformed input → undefined (identifiers are NULL).
 */
export function parseXmlTree(text: string): Record<string, unknown> | undefined {
  type Frame = { name: string; node: Record<string, unknown>; text: string; hasChildren: boolean };
  const root: Frame = { name: '', node: Object.create(null) as Record<string, unknown>, text: '', hasChildren: false };
  const stack: Frame[] = [root];
  const re = /<!\[CDATA\[([\s\S]*?)\]\]>|<!--[\s\S]*?-->|<\?[\s\S]*?\?>|<!DOCTYPE[^>]*>|<\/\s*([^\s>]+)\s*>|<([^\s/>]+)((?:\s+[^\s=/>]+\s*=\s*(?:"[^"]*"|'[^']*'))*)\s*(\/?)>|([^<]+)/g;
  const add = (parent: Frame, name: string, value: unknown) => {
    parent.hasChildren = true;
    const cur = parent.node[name];
    if (cur === undefined) parent.node[name] = value;
    else if (Array.isArray(cur)) cur.push(value);
    else parent.node[name] = [cur, value];
  };
  const finish = (f: Frame): unknown => (f.hasChildren || Object.keys(f.node).length > 0 ? f.node : unescapeXml(f.text.trim()));
  let m: RegExpExecArray | null;
  while ((m = re.exec(text)) !== null) {
    const top = stack[stack.length - 1]!;
    if (m[1] !== undefined) top.text += m[1];
    else if (m[2] !== undefined) {
      if (stack.length < 2 || top.name !== m[2]) return undefined;
      stack.pop();
      add(stack[stack.length - 1]!, top.name, finish(top));
    } else if (m[3] !== undefined) {
      const f: Frame = { name: m[3], node: Object.create(null) as Record<string, unknown>, text: '', hasChildren: false };
      for (const a of (m[4] ?? '').matchAll(/([^\s=]+)\s*=\s*(?:"([^"]*)"|'([^']*)')/g)) {
        f.node['@' + a[1]!] = unescapeXml(a[2] ?? a[3] ?? '');
      }
      if (m[5] === '/') add(top, f.name, finish(f));
      else stack.push(f);
    } else if (m[6] !== undefined) {
      if (m[0].startsWith('<')) return undefined;
      top.text += m[6];
    }
  }
  return stack.length === 1 ? root.node : undefined;
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
