// Filter lexer. `/` starts an identifier where an operand is expected and is division after an operand.
import { EngineError, EngineReasons } from '../errors.js';
import type { PathStep } from '../message.js';

export type TokenKind =
  | 'ident' // field path
  | 'string'
  | 'number'
  | 'word' // keyword or function name (upper-cased in `upper`)
  | 'op' // = == != <> < <= > >= + - * / %
  | '(' | ')' | ','
  | 'eof';

export interface Token {
  readonly kind: TokenKind;
  /** 0-based offset of the first character. */
  readonly pos: number;
  /** Raw text (for op/word) or decoded string literal. */
  readonly text: string;
  readonly upper?: string;
  readonly num?: number;
  readonly path?: readonly PathStep[];
}

export function filterError(text: string, pos: number, what: string): EngineError {
  const at = pos >= text.length ? 'end of filter' : `position ${pos}`;
  return new EngineError(EngineReasons.badFilter, `bad filter: ${what} at ${at} in "${text}"`, pos);
}

const isDigit = (c: number) => c >= 48 && c <= 57;
const isAlpha = (c: number) => (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c === 95;
/** XPath step characters: letters, digits, `_`, `-`, `.`, `:` and any non-ASCII. */
const isStep = (c: number) => isAlpha(c) || isDigit(c) || c === 45 || c === 46 || c === 58 || c > 127;

export function tokenize(text: string): Token[] {
  const out: Token[] = [];
  const n = text.length;
  let i = 0;
  const prevIsOperand = () => {
    const t = out[out.length - 1];
    return t !== undefined && (t.kind === 'ident' || t.kind === 'string' || t.kind === 'number' || t.kind === ')' ||
      (t.kind === 'word' && (t.upper === 'NULL' || t.upper === 'TRUE' || t.upper === 'FALSE' || t.upper === 'END')));
  };
  while (i < n) {
    const c = text.charCodeAt(i);
    if (c === 32 || c === 9 || c === 10 || c === 13) {
      i++;
      continue;
    }
    const start = i;
    if (c === 47 /* / */ && !prevIsOperand()) {
      // identifier: (/step([n])*)+ with optional @attr
      const path: PathStep[] = [];
      while (i < n && text.charCodeAt(i) === 47) {
        i++;
        const s = i;
        if (i < n && text.charCodeAt(i) === 64 /* @ */) i++;
        while (i < n && isStep(text.charCodeAt(i))) i++;
        if (i === s || (i === s + 1 && text.charCodeAt(s) === 64)) throw filterError(text, s, 'expected a field name after "/"');
        path.push(text.slice(s, i));
        while (i < n && text.charCodeAt(i) === 91 /* [ */) {
          const b = i;
          i++;
          const ds = i;
          while (i < n && isDigit(text.charCodeAt(i))) i++;
          if (i === ds || text.charCodeAt(i) !== 93) throw filterError(text, b, 'bad array subscript');
          path.push(Number(text.slice(ds, i)));
          i++;
        }
      }
      out.push({ kind: 'ident', pos: start, text: text.slice(start, i), path });
      continue;
    }
    if (c === 91 /* [ */ && text.charCodeAt(i + 1) === 47) {
      // [/Name With Spaces/b]
      const close = text.indexOf(']', i);
      if (close < 0) throw filterError(text, i, 'unterminated [/field] identifier');
      const inner = text.slice(i + 2, close);
      const path: PathStep[] = inner.split('/');
      if (path.some((p) => p === '')) throw filterError(text, i, 'empty field name in [/field] identifier');
      i = close + 1;
      while (i < n && text.charCodeAt(i) === 91 && isDigit(text.charCodeAt(i + 1))) {
        const b = i;
        i++;
        const ds = i;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
        if (text.charCodeAt(i) !== 93) throw filterError(text, b, 'bad array subscript');
        path.push(Number(text.slice(ds, i)));
        i++;
      }
      out.push({ kind: 'ident', pos: start, text: text.slice(start, i), path });
      continue;
    }
    if (c === 39 || c === 34) {
      // quoted string; backslash escapes: \n \t \r \0 \xHH \\ \' \" ; any other \c keeps both chars (regex-friendly)
      i++;
      let s = '';
      let closed = false;
      while (i < n) {
        const ch = text.charCodeAt(i);
        if (ch === c) {
          if (text.charCodeAt(i + 1) === c) {
            s += text[i];
            i += 2;
            continue;
          }
          closed = true;
          i++;
          break;
        }
        if (ch === 92 && i + 1 < n) {
          const e = text[i + 1]!;
          if (e === 'x' && /^[0-9a-fA-F]{2}$/.test(text.slice(i + 2, i + 4))) {
            s += String.fromCharCode(parseInt(text.slice(i + 2, i + 4), 16));
            i += 4;
            continue;
          }
          if (e === "'" || e === '"') {
            s += e;
            i += 2;
            continue;
          }
          s += '\\' + e;
          i += 2;
          continue;
        }
        s += text[i];
        i++;
      }
      if (!closed) throw filterError(text, start, 'unterminated string literal');
      out.push({ kind: 'string', pos: start, text: s });
      continue;
    }
    if (isDigit(c) || (c === 46 && isDigit(text.charCodeAt(i + 1)))) {
      while (i < n && isDigit(text.charCodeAt(i))) i++;
      if (text.charCodeAt(i) === 46) {
        i++;
        while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      if ((text.charCodeAt(i) | 32) === 101) {
        const save = i;
        i++;
        if (text[i] === '+' || text[i] === '-') i++;
        if (!isDigit(text.charCodeAt(i))) i = save;
        else while (i < n && isDigit(text.charCodeAt(i))) i++;
      }
      const raw = text.slice(start, i);
      out.push({ kind: 'number', pos: start, text: raw, num: Number(raw) });
      continue;
    }
    if (isAlpha(c)) {
      while (i < n && (isAlpha(text.charCodeAt(i)) || isDigit(text.charCodeAt(i)))) i++;
      const w = text.slice(start, i);
      out.push({ kind: 'word', pos: start, text: w, upper: w.toUpperCase() });
      continue;
    }
    const two = text.slice(i, i + 2);
    if (two === '==' || two === '!=' || two === '<>' || two === '<=' || two === '>=') {
      out.push({ kind: 'op', pos: start, text: two });
      i += 2;
      continue;
    }
    const ch = text[i]!;
    if ('=<>+-*/%'.includes(ch)) {
      out.push({ kind: 'op', pos: start, text: ch });
      i++;
      continue;
    }
    if (ch === '(' || ch === ')' || ch === ',') {
      out.push({ kind: ch, pos: start, text: ch });
      i++;
      continue;
    }
    throw filterError(text, start, `unexpected character '${ch}'`);
  }
  out.push({ kind: 'eof', pos: n, text: '' });
  return out;
}
