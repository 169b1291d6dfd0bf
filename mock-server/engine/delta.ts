// delta_publish merge (semantics §5.1) and delta_subscribe output (§5.2).
import { readPath, type PathStep } from './message.js';

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => v !== null && typeof v === 'object' && !Array.isArray(v);

/** Sets an own data property (also for `__proto__`, which plain assignment would turn into a prototype change). */
function put(o: Obj, k: string, v: unknown): void {
  if (k === '__proto__') Object.defineProperty(o, k, { value: v, writable: true, enumerable: true, configurable: true });
  else o[k] = v;
}

/**
 * Merges a delta update into an existing JSON record: fields present in the update overwrite, new fields are
 * added, absent fields are kept; nested objects merge path by path (INFERRED, §5.1 UNCERTAIN); arrays and
 * scalars replace wholesale. Returns a new value; inputs are not mutated. Iterative (no recursion per level).
 */
export function mergeDelta(existing: unknown, update: unknown): unknown {
  if (!isObj(existing) || !isObj(update)) return update;
  const root: Obj = { ...existing };
  const work: [Obj, Obj][] = [[root, update]];
  while (work.length > 0) {
    const [out, upd] = work.pop()!;
    for (const k of Object.keys(upd)) {
      const u = upd[k];
      const e = Object.prototype.hasOwnProperty.call(out, k) ? out[k] : undefined;
      if (isObj(e) && isObj(u)) {
        const copy: Obj = { ...e };
        put(out, k, copy);
        work.push([copy, u]);
      } else put(out, k, u);
    }
  }
  return root;
}

/** Structural equality of JSON values. Iterative (no recursion per level). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  const work: unknown[] = [a, b];
  while (work.length > 0) {
    const y = work.pop();
    const x = work.pop();
    if (x === y) continue;
    if (typeof x !== 'object' || typeof y !== 'object' || x === null || y === null) return false;
    if (Array.isArray(x)) {
      if (!Array.isArray(y) || x.length !== y.length) return false;
      for (let i = 0; i < x.length; i++) work.push(x[i], y[i]);
      continue;
    }
    if (Array.isArray(y)) return false;
    const kx = Object.keys(x);
    if (kx.length !== Object.keys(y).length) return false;
    for (const k of kx) {
      if (!Object.prototype.hasOwnProperty.call(y, k)) return false;
      work.push((x as Obj)[k], (y as Obj)[k]);
    }
  }
  return true;
}

export interface DeltaOutput {
  /** The delta message: key fields (if `sendKeys`, default true) plus changed fields. */
  readonly value: Record<string, unknown>;
  /** True when no data field changed (suppress with `no_empties`). */
  readonly empty: boolean;
}

/** Beyond this depth a changed nested object is sent whole (bounds the recursion; parsed bodies are shallower). */
const MAX_DIFF_DEPTH = 256;

function diff(prev: Obj, next: Obj, depth = 0): Obj {
  const out: Obj = {};
  for (const k of Object.keys(next)) {
    const n = next[k];
    const p = Object.prototype.hasOwnProperty.call(prev, k) ? prev[k] : undefined;
    if (jsonEqual(p, n)) continue;
    if (isObj(p) && isObj(n) && depth < MAX_DIFF_DEPTH) {
      const d = diff(p, n, depth + 1);
      if (Object.keys(d).length > 0) put(out, k, d);
    } else put(out, k, n);
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
