// Runtime values and coercions for the filter language (semantics §1.3, §1.5, §1.8).
//
// A value is whatever the JSON holds (null, number, string, boolean, array, object) or a computed scalar.
// NULL: undefined, null, '' (for comparisons), an empty array, an object (not comparable).

export type Scalar = null | number | string | boolean;

/** Arithmetic/functions use the first element of an array (§1.8); objects are NULL. */
export function scalar(v: unknown): Scalar {
  if (v === undefined || v === null) return null;
  switch (typeof v) {
    case 'number':
    case 'string':
    case 'boolean':
      return v;
    case 'bigint':
      return Number(v);
    case 'object':
      if (Array.isArray(v)) return v.length === 0 ? null : scalar(v[0]);
      return null;
    default:
      return null;
  }
}

const NUMERIC = /^\s*[+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?\s*$/;

/** Number or NULL: booleans are 1/0, numeric strings convert, anything else is NULL. */
export function toNum(v: Scalar): number | null {
  if (typeof v === 'number') return v;
  if (typeof v === 'boolean') return v ? 1 : 0;
  if (typeof v === 'string') return NUMERIC.test(v) ? Number(v) : null;
  return null;
}

/** String form (NULL stays NULL). Numbers print as JS does (`42`, `90.25`); booleans as `true`/`false`. */
export function toStr(v: Scalar): string | null {
  if (v === null) return null;
  return typeof v === 'string' ? v : String(v);
}

export function isNullish(v: unknown): boolean {
  return v === undefined || v === null || v === '' || (Array.isArray(v) && v.length === 0);
}

/**
 * Three-way comparison of two scalars, or null (NULL involved / not comparable).
 * Empty string is NULL. number vs string: numeric if the string converts, else the string is greater.
 */
export function compareScalars(a: Scalar, b: Scalar): number | null {
  if (a === null || b === null || a === '' || b === '') return null;
  if (typeof a === 'boolean') a = a ? 1 : 0;
  if (typeof b === 'boolean') b = b ? 1 : 0;
  if (typeof a === 'number') {
    if (typeof b === 'number') return a < b ? -1 : a > b ? 1 : a === b ? 0 : null;
    const nb = NUMERIC.test(b) ? Number(b) : null;
    if (nb === null) return -1;
    return a < nb ? -1 : a > nb ? 1 : 0;
  }
  if (typeof b === 'number') {
    const na = NUMERIC.test(a) ? Number(a) : null;
    if (na === null) return 1;
    return na < b ? -1 : na > b ? 1 : 0;
  }
  return a < b ? -1 : a > b ? 1 : 0;
}

/** An element of an array field as a comparable scalar (nested arrays/objects are NULL). */
export function elem(v: unknown): Scalar {
  if (v === undefined || v === null) return null;
  const t = typeof v;
  if (t === 'number' || t === 'string' || t === 'boolean') return v as Scalar;
  return null;
}

/** Truth value of a non-boolean used as a predicate: numbers ≠ 0, numeric strings, 'true'/'false'. */
export function truth(v: unknown): boolean | null {
  if (v === true || v === false) return v;
  const s = scalar(v);
  if (s === null || s === '') return null;
  if (typeof s === 'boolean') return s;
  if (typeof s === 'number') return Number.isNaN(s) ? null : s !== 0;
  const n = toNum(s);
  if (n !== null) return n !== 0;
  const l = s.toLowerCase();
  return l === 'true' ? true : l === 'false' ? false : null;
}
