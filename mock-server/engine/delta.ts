// delta_publish merge (semantics §5.1) and delta_subscribe output (§5.2).
import { readPath, type PathStep } from './message.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/**
 * Merges a delta update into an existing JSON record: fields present in the update overwrite, new fields are
 * added, absent fields are kept; nested objects merge path by path (INFERRED, §5.1 UNCERTAIN); arrays and
 * scalars replace wholesale. Returns a new value; inputs are not mutated.
 */
export function mergeDelta(existing: unknown, update: unknown): unknown {
  if (!isObj(existing) || !isObj(update)) return update;
  const out: Obj = { ...existing };
  for (const k of Object.keys(update)) {
    const u = update[k];
    const e = out[k];
    out[k] = isObj(e) && isObj(u) ? mergeDelta(e, u) : u;
  }
  return out;
}

/** Structural equality of JSON values. */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || typeof b !== 'object' || a === null || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const ka = Object.keys(a);
  if (ka.length !== Object.keys(b).length) return false;
  for (const k of ka) if (!(k in b) || !jsonEqual((a as Obj)[k], (b as Obj)[k])) return false;
  return true;
}

export interface DeltaOutput {
  /** The delta message: key fields (if `sendKeys`, default true) plus changed fields. */
  readonly value: Record<string, unknown>;
  /** True when no data field changed (suppress with `no_empties`). */
  readonly empty: boolean;
}

function diff(prev: Obj, next: Obj): Obj {
  const out: Obj = {};
  for (const k of Object.keys(next)) {
    const n = next[k];
    const p = prev[k];
    if (jsonEqual(p, n)) continue;
    if (isObj(p) && isObj(n)) {
      const d = diff(p, n);
      if (Object.keys(d).length > 0) out[k] = d;
    } else out[k] = n;
  }
  return out;
}

function setPath(target: Obj, path: readonly PathStep[], value: unknown): void {
  let cur: Obj = target;
  for (let i = 0; i < path.length - 1; i++) {
    const s = path[i]!;
    if (typeof s !== 'string') return; // key fields inside arrays: not representable in a delta, skip
    let nxt = cur[s];
    if (!isObj(nxt)) cur[s] = nxt = {};
    cur = nxt as Obj;
  }
  const last = path[path.length - 1];
  if (typeof last === 'string' && !(last in cur)) cur[last] = value;
}

/**
 * delta_subscribe output for one update: key fields plus fields whose value changed (nested objects: only the
 * changed sub-fields; arrays: the whole array if anything in it changed). `previous` undefined (record not yet in
 * the SOW, or not JSON objects) → the full record, never empty.
 */
export function computeDelta(
  previous: unknown,
  next: unknown,
  keyPaths: readonly (readonly PathStep[])[],
  opts: { sendKeys?: boolean } = {},
): DeltaOutput {
  if (!isObj(next)) return { value: {}, empty: false };
  if (!isObj(previous)) return { value: next, empty: false };
  const changed = diff(previous, next);
  const empty = Object.keys(changed).length === 0;
  if (opts.sendKeys === false || keyPaths.length === 0) return { value: changed, empty };
  const value: Obj = {};
  for (const p of keyPaths) {
    const v = readPath(next, p);
    if (v !== undefined) setPath(value, p, v);
  }
  for (const k of Object.keys(changed)) {
    const c = changed[k];
    const existing = value[k];
    value[k] = isObj(existing) && isObj(c) ? mergeDelta(existing, c) : c;
  }
  return { value, empty };
}
