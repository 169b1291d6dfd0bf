// Client-supplied regular expressions (regex topics, LIKE patterns) compiled so that matching cannot wedge the
// server: every pattern runs on V8's linear-time (non-backtracking) regexp engine (the `l` flag), so `(a+)+$`,
// `.*.*.*x` or `a*b` against a long input cost O(input × pattern), never exponential or polynomial backtracking.
//
// The linear engine lacks some features, so the pattern is first rewritten by a small PCRE/JS-subset parser:
// - capturing / named groups → non-capturing (only a yes/no match is needed);
// - counted repetition `x{n,m}` → expanded (the linear engine caps counts at 16);
// - case-insensitive `(?i)` → each letter becomes a two-case class (the linear engine has no `i` flag; simple
//   case folding only);
// - PCRE `\A` → `^`, `\z` / `\Z` → `$`.
// Rejected (thrown Error → `bad regex topic` / `bad filter`): backreferences (`\1`…`\9`, `\k<name>`), lookahead /
// lookbehind, inline flags other than a leading `(?i)`/`(?s)`/`(?m)`, patterns longer than MAX_PATTERN_LENGTH, and
// patterns whose rewrite exceeds MAX_PROGRAM_LENGTH (huge counted repetitions). See NOTES.md "Hardening".
import v8 from 'node:v8';

/** Longest pattern text accepted (characters). */
export const MAX_PATTERN_LENGTH = 4096;
/** Longest rewritten pattern (after counted-repetition expansion and case folding). */
export const MAX_PROGRAM_LENGTH = 16384;
/**
 * Work bound for one search with repetition or nested alternation: input length × rewritten pattern length. The
 * linear engine costs roughly that many steps (measured ≥ 3·10^6 steps/s worst case), so one search stays well
 * under a second; a longer input does not match (documented mock limitation).
 */
export const MAX_LINEAR_WORK = 1 << 21;
/**
 * Work bound for patterns without repetition or nested alternation (run on the fast backtracking engine, whose
 * worst case is then input length × pattern length simple steps).
 */
export const MAX_SIMPLE_WORK = 1 << 26;

/** True when this runtime offers V8's linear-time regexp engine (enabled once, process-wide, on first use). */
const LINEAR: boolean = (() => {
  try {
    new RegExp('a', 'l');
    return true;
  } catch {
    /* not enabled yet */
  }
  try {
    v8.setFlagsFromString('--enable-experimental-regexp-engine');
    new RegExp('a', 'l');
    return true;
  } catch {
    return false;
  }
})();

/** Whether safe (linear-time) matching is available in this runtime. */
export const linearRegexAvailable = (): boolean => LINEAR;

/**
 * Inputs longer than this are not searched when the linear engine is unavailable (fallback only): the
 * backtracking engine is then bounded by input length (a longer input simply does not match).
 */
export const FALLBACK_MAX_INPUT = 1024;

class RegexRewriteError extends Error {}
class BackrefError extends Error {}

const isLetter = (ch: string) => ch.toLowerCase() !== ch.toUpperCase();

/** `c` and its other-case forms (single UTF-16 unit only), as class content. */
function caseVariants(ch: string): string {
  let out = classChar(ch);
  for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if (v.length === 1 && v !== ch && !out.includes(classChar(v))) out += classChar(v);
  return out;
}

/** A character safe to put inside `[...]`. */
function classChar(ch: string): string {
  return /[\\\]^\-[]/.test(ch) ? '\\' + ch : ch;
}

/**
 * Rewrites a pattern (without leading inline flags) into a linear-engine-compatible source. `simple` = no
 * variable repetition and no alternation inside a group (backtracking cannot blow up).
 */
function rewrite(src: string, ignoreCase: boolean, backtrack = false): { source: string; simple: boolean; variable: number } {
  // backtrack mode (patterns with backreferences, which only the backtracking engine runs): groups stay capturing,
  // counted repetition stays as written, case folding is left to the `i` flag; nested quantifiers are refused.
  if (backtrack) ignoreCase = false;
  let simple = true;
  let variable = 0; // variable-length quantifiers
  let quantifiers = 0;
  let alternations = 0;
  let i = 0;
  const n = src.length;
  const fail = (what: string): never => {
    throw new RegexRewriteError(`${what} at position ${i}`);
  };
  let total = 0;
  const budget = (s: string): string => {
    total += s.length;
    if (total > MAX_PROGRAM_LENGTH) fail(`pattern too large after expansion (limit ${MAX_PROGRAM_LENGTH})`);
    return s;
  };

  // An escape outside a class: returns the rewritten atom and whether it is quantifiable.
  const escape = (): { src: string; quantifiable: boolean } => {
    i++; // backslash
    if (i >= n) fail('trailing backslash');
    const c = src[i]!;
    if (c >= '1' && c <= '9') {
      if (!backtrack) throw new BackrefError();
      const m = /^\d+/.exec(src.slice(i))!;
      i += m[0].length;
      return { src: '\\' + m[0], quantifiable: true };
    }
    if (c === 'k' && src[i + 1] === '<') {
      if (!backtrack) throw new BackrefError();
      const close = src.indexOf('>', i);
      if (close < 0) fail('unterminated group name');
      const ref = src.slice(i - 1, close + 1);
      i = close + 1;
      return { src: ref, quantifiable: true };
    }
    if (c === 'A') {
      i++;
      return { src: '^', quantifiable: false };
    }
    if (c === 'z' || c === 'Z') {
      i++;
      return { src: '$', quantifiable: false };
    }
    if (c === 'b' || c === 'B') {
      i++;
      return { src: '\\' + c, quantifiable: false };
    }
    if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 1, i + 3))) {
      const ch = String.fromCharCode(parseInt(src.slice(i + 1, i + 3), 16));
      i += 3;
      return { src: literal(ch), quantifiable: true };
    }
    if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 1, i + 5))) {
      const ch = String.fromCharCode(parseInt(src.slice(i + 1, i + 5), 16));
      i += 5;
      return { src: literal(ch), quantifiable: true };
    }
    if (c === 'c' && /^[a-zA-Z]$/.test(src[i + 1] ?? '')) {
      i += 2;
      return { src: '\\c' + src[i - 1]!, quantifiable: true };
    }
    i++;
    if (/[dDwWsSfnrtv0]/.test(c)) return { src: '\\' + c, quantifiable: true };
    if (/[a-zA-Z]/.test(c)) fail(`unsupported escape \\${c}`);
    return { src: literal(c), quantifiable: true };
  };

  const literal = (ch: string): string => {
    if (ignoreCase && isLetter(ch)) {
      const v = caseVariants(ch);
      return v.length > 1 ? `[${v}]` : v;
    }
    return /[\\^$.*+?()[\]{}|/]/.test(ch) ? '\\' + ch : ch;
  };

  // A class `[...]` (JS syntax: a `]` right after `[` or `[^` closes it).
  const charClass = (): string => {
    const start = i;
    i++; // [
    let out = '[';
    if (src[i] === '^') {
      out += '^';
      i++;
    }
    const extra: string[] = [];
    while (i < n && src[i] !== ']') {
      let ch: string | undefined;
      let piece: string;
      if (src[i] === '\\') {
        const c = src[i + 1];
        if (c === undefined) fail('unterminated character class');
        if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
          ch = String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
          piece = src.slice(i, i + 4);
          i += 4;
        } else if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
          ch = String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
          piece = src.slice(i, i + 6);
          i += 6;
        } else if (c !== undefined && /[dDwWsS]/.test(c)) {
          piece = '\\' + c;
          i += 2;
        } else if (c !== undefined && /[fnrtvb0]/.test(c)) {
          ch = ({ f: '\f', n: '\n', r: '\r', t: '\t', v: '\v', b: '\b', 0: '\0' } as Record<string, string>)[c];
          piece = '\\' + c;
          i += 2;
        } else if (c !== undefined && /[a-zA-Z1-9]/.test(c)) {
          return fail(`unsupported escape \\${c} in character class`);
        } else {
          ch = c;
          piece = classChar(c!);
          i += 2;
        }
      } else {
        ch = src[i]!;
        piece = classChar(ch);
        i++;
      }
      // Range `a-z` (a `-` followed by `]` is a literal dash).
      if (ch !== undefined && src[i] === '-' && i + 1 < n && src[i + 1] !== ']') {
        const save = i;
        i++;
        let hi: string | undefined;
        let hiPiece = '';
        if (src[i] === '\\') {
          const c = src[i + 1];
          if (c === 'x' && /^[0-9a-fA-F]{2}$/.test(src.slice(i + 2, i + 4))) {
            hi = String.fromCharCode(parseInt(src.slice(i + 2, i + 4), 16));
            hiPiece = src.slice(i, i + 4);
            i += 4;
          } else if (c === 'u' && /^[0-9a-fA-F]{4}$/.test(src.slice(i + 2, i + 6))) {
            hi = String.fromCharCode(parseInt(src.slice(i + 2, i + 6), 16));
            hiPiece = src.slice(i, i + 6);
            i += 6;
          } else if (c !== undefined && !/[a-zA-Z0-9]/.test(c)) {
            hi = c;
            hiPiece = classChar(c);
            i += 2;
          }
        } else {
          hi = src[i]!;
          hiPiece = classChar(hi);
          i++;
        }
        if (hi === undefined) {
          i = save; // `[\d-x]`-like: let the dash be literal below
        } else {
          if (hi.charCodeAt(0) < ch.charCodeAt(0)) fail('range out of order in character class');
          out += `${piece}-${hiPiece}`;
          if (ignoreCase) addFoldedRange(ch.charCodeAt(0), hi.charCodeAt(0), extra);
          continue;
        }
      }
      out += piece;
      if (ignoreCase && ch !== undefined && isLetter(ch)) {
        for (const v of [ch.toLowerCase(), ch.toUpperCase()]) if (v.length === 1 && v !== ch) extra.push(classChar(v));
      }
    }
    if (i >= n) {
      i = start;
      fail('unterminated character class');
    }
    i++; // ]
    return out + extra.join('') + ']';
  };

  // Parses a quantifier at i, if any: [min, max (Infinity), suffix text for the engine].
  const quantifier = (): { min: number; max: number } | undefined => {
    const c = src[i];
    let q: { min: number; max: number } | undefined;
    if (c === '*') q = { min: 0, max: Infinity };
    else if (c === '+') q = { min: 1, max: Infinity };
    else if (c === '?') q = { min: 0, max: 1 };
    if (q) i++;
    else if (c === '{') {
      const m = /^\{(\d+)(,(\d*))?\}/.exec(src.slice(i, i + 24));
      if (!m) return undefined; // a literal `{` (Annex B)
      const min = Number(m[1]);
      const max = m[2] === undefined ? min : m[3] === '' ? Infinity : Number(m[3]);
      if (max < min) fail('numbers out of order in {} quantifier');
      q = { min, max };
      i += m[0].length;
    } else return undefined;
    if (src[i] === '?') i++; // lazy: irrelevant for a yes/no match
    if (q.min !== q.max) {
      simple = false;
      variable++;
    }
    quantifiers++;
    return q;
  };

  const repeat = (atom: string, q: { min: number; max: number }): string => {
    const a = atom;
    if (backtrack) return a + (q.min === q.max ? `{${q.min}}` : q.max === Infinity ? `{${q.min},}` : `{${q.min},${q.max}}`);
    if (q.min === 0 && q.max === Infinity) return a + '*';
    if (q.min === 1 && q.max === Infinity) return a + '+';
    if (q.min === 0 && q.max === 1) return a + '?';
    // Counted: expand (the linear engine refuses counts above 16).
    if (q.min > MAX_PROGRAM_LENGTH || (q.max !== Infinity && q.max > MAX_PROGRAM_LENGTH)) fail('repetition count too large');
    const need = (q.max === Infinity ? q.min + 1 : q.max) * (a.length + 1);
    if (need > MAX_PROGRAM_LENGTH) fail(`pattern too large after expansion (limit ${MAX_PROGRAM_LENGTH})`);
    let out = a.repeat(q.min);
    if (q.max === Infinity) out += a + '*';
    else out += (a + '?').repeat(q.max - q.min);
    return out;
  };

  // alternation := sequence ('|' sequence)*
  const alternation = (depth: number): string => {
    if (depth > 200) fail('groups nested too deeply');
    let out = sequence(depth);
    while (src[i] === '|') {
      if (depth > 0) {
        simple = false;
        if (backtrack) fail('alternation inside a group is not supported with backreferences');
      }
      alternations++;
      i++;
      out += '|' + sequence(depth);
    }
    return out;
  };

  const sequence = (depth: number): string => {
    let out = '';
    while (i < n && src[i] !== '|' && src[i] !== ')') {
      let atom: string;
      let quantifiable = true;
      const c = src[i]!;
      let groupSyntax = '(?:';
      let innerComplex = false;
      if (c === '(') {
        groupSyntax = backtrack ? '(' : '(?:';
        i++;
        if (src[i] === '?') {
          const rest = src.slice(i, i + 3);
          if (rest.startsWith('?:')) {
            groupSyntax = '(?:';
            i += 2;
          }
          else if (rest.startsWith('?=') || rest.startsWith('?!') || rest === '?<=' || rest === '?<!') fail('lookaround is not supported');
          else if (rest.startsWith('?<') || rest.startsWith('?P<')) {
            const close = src.indexOf('>', i);
            if (close < 0) fail('unterminated group name');
            if (backtrack) groupSyntax = `(?<${src.slice(src.indexOf('<', i) + 1, close)}>`;
            i = close + 1;
          } else fail('unsupported group syntax (inline flags are only allowed at the start)');
        }
        const q0 = quantifiers;
        const a0 = alternations;
        const inner = alternation(depth + 1);
        innerComplex = quantifiers !== q0 || alternations !== a0;
        if (src[i] !== ')') fail("missing ')'");
        i++;
        atom = `${groupSyntax}${inner})`;
      } else if (c === '[') atom = charClass();
      else if (c === '\\') {
        const e = escape();
        atom = e.src;
        quantifiable = e.quantifiable;
      } else if (c === '^' || c === '$') {
        i++;
        atom = c;
        quantifiable = false;
      } else if (c === '.') {
        i++;
        atom = '.';
      } else if (c === '*' || c === '+' || c === '?') {
        return fail('nothing to repeat');
      } else if (c === '{' && /^\{\d+(,\d*)?\}/.test(src.slice(i, i + 24))) {
        return fail('nothing to repeat');
      } else {
        i++;
        atom = literal(c);
      }
      const q = quantifier();
      if (q) {
        if (!quantifiable) fail('nothing to repeat');
        if (backtrack && innerComplex) fail('a repeated group containing a quantifier or alternation is not supported with backreferences');
        // Every quantifiable atom is one unit: a character, an escape, a class (incl. a case-folded letter) or a group.
        atom = repeat(atom, q);
      }
      out += budget(atom);
    }
    return out;
  };

  const out = alternation(0);
  if (i < n) fail(src[i] === ')' ? "unmatched ')'" : 'unexpected character');
  return { source: out, simple, variable };
}

/** Adds the other-case ASCII letters of the range lo..hi to `extra` (as class ranges). */
function addFoldedRange(lo: number, hi: number, extra: string[]): void {
  const span = (a: number, b: number, shift: number) => {
    const from = Math.max(lo, a);
    const to = Math.min(hi, b);
    if (from <= to) extra.push(`${String.fromCharCode(from + shift)}-${String.fromCharCode(to + shift)}`);
  };
  span(97, 122, -32); // a-z → A-Z
  span(65, 90, 32); // A-Z → a-z
}

/**
 * Translates a PCRE pattern to a JS RegExp that matches in linear time: leading inline flags `(?i)`, `(?s)`, `(?m)`
 * become flags; `(?x)` is not supported. Throws Error on an invalid or unsupported pattern.
 */
export function compileSafeRegex(pattern: string): RegExp {
  if (pattern.length > MAX_PATTERN_LENGTH) throw new Error(`pattern longer than ${MAX_PATTERN_LENGTH} characters`);
  let src = pattern;
  let flags = '';
  for (;;) {
    const m = /^\(\?([imsx]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) {
      if (f === 'x') throw new Error('(?x) not supported');
      if (!flags.includes(f)) flags += f;
    }
    src = src.slice(m[0].length);
  }
  const ignoreCase = flags.includes('i');
  let rw: { source: string; simple: boolean; variable: number };
  let backtrack = false;
  try {
    try {
      rw = rewrite(src, ignoreCase);
    } catch (e) {
      if (!(e instanceof BackrefError)) throw e;
      backtrack = true;
      rw = rewrite(src, ignoreCase, true);
    }
  } catch (e) {
    if (e instanceof RegexRewriteError || e instanceof RangeError) throw new Error(e.message);
    throw e;
  }
  const size = Math.max(1, rw.source.length);
  const jsFlags = flags.replace('i', ''); // case folding is in the rewritten source (not in backtrack mode)
  let re: RegExp;
  let maxInput: number;
  if (backtrack) {
    // Backreferences: backtracking engine only. At most one variable-length quantifier (and none on a group holding
    // a quantifier or alternation, checked above) keeps a search within input² × pattern steps; the input length
    // is bounded so that stays under MAX_SIMPLE_WORK.
    if (rw.variable > 1) throw new Error('with backreferences, at most one variable-length quantifier is supported');
    re = new RegExp(rw.source, flags);
    maxInput = rw.variable === 0 ? Math.floor(MAX_SIMPLE_WORK / size) : Math.floor(Math.sqrt(MAX_SIMPLE_WORK / size));
  } else if (rw.simple) {
    re = new RegExp(rw.source, jsFlags);
    maxInput = Math.floor(MAX_SIMPLE_WORK / size);
  } else if (LINEAR) {
    re = new RegExp(rw.source, jsFlags + 'l');
    maxInput = Math.floor(MAX_LINEAR_WORK / size);
  } else {
    // No linear engine in this runtime: the backtracking engine with a short input bound.
    re = new RegExp(rw.source, jsFlags);
    maxInput = FALLBACK_MAX_INPUT;
  }
  const test = re.test.bind(re);
  // Own property: callers use `re.test(s)`; an input beyond the work bound does not match.
  Object.defineProperty(re, 'test', { value: (s: string) => s.length <= maxInput && test(s), enumerable: false });
  return re;
}
