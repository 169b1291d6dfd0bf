// Header codec: the flat JSON object that starts every AMPS message on the `amps`/`json` protocol.
//
// In memory a header is keyed by property names (`bookmark`, `commandId`, ...); on the wire by short keys
// (`bm`, `cid`, ...). The mapping and each field's type come from generated/header-fields.ts, so a header
// added to spec/ is understood here after regeneration with no change to this file.

import {
  HEADER_FIELD_BY_NAME,
  HEADER_FIELD_BY_WIRE_KEY,
  type Header,
  type HeaderFieldInfo,
  type HeaderValue,
} from '../../generated/header-fields.js';
import { StreamException } from '../../generated/errors.js';

const OPEN_BRACE = 0x7b;
const CLOSE_BRACE = 0x7d;
const QUOTE = 0x22;
const BACKSLASH = 0x5c;

const utf8 = new TextDecoder('utf-8');

/**
 * Finds the end of the JSON header object that starts at or after `start` (bytes before the first `{` are
 * skipped, as the C client does). Returns the index just past the closing `}` and the index of the opening one,
 * or throws StreamException when the bytes end first.
 */
export function findHeaderEnd(bytes: Uint8Array, start: number, end: number): { open: number; close: number } {
  let i = start;
  while (i < end && bytes[i] !== OPEN_BRACE) i++;
  if (i >= end) throw new StreamException('no header object in frame');
  const open = i;
  let depth = 0;
  let inString = false;
  for (; i < end; i++) {
    const b = bytes[i];
    if (inString) {
      if (b === BACKSLASH) i++;
      else if (b === QUOTE) inString = false;
    } else if (b === QUOTE) inString = true;
    else if (b === OPEN_BRACE) depth++;
    else if (b === CLOSE_BRACE && --depth === 0) return { open, close: i + 1 };
  }
  throw new StreamException('header object is not terminated');
}

export interface DecodedHeader {
  readonly header: Header;
  /** Index just past the header's closing brace: the body starts here. */
  readonly end: number;
}

/** Decodes the header object found in `bytes[start, end)`. Malformed JSON raises StreamException. */
export function decodeHeader(bytes: Uint8Array, start: number, end: number): DecodedHeader {
  const { open, close } = findHeaderEnd(bytes, start, end);
  return { header: decodeHeaderText(utf8.decode(bytes.subarray(open, close))), end: close };
}

/** Decodes one header from its JSON text (used directly by the WebSocket path, whose headers are text frames). */
export function decodeHeaderText(text: string): Header {
  return decodeCompact(text) ?? decodeGeneral(text);
}

/**
 * Fast path for the headers servers and clients actually send: compact, known keys, string values without
 * escapes, non-negative integers. It builds the property-named header in one pass, about twice as fast as
 * JSON.parse plus remapping. Anything else (whitespace, escapes, unknown keys, booleans, negative or fractional
 * numbers, a value that needs coercing) returns undefined and takes the general path, so results are identical.
 */
function decodeCompact(text: string): Header | undefined {
  const n = text.length;
  if (n < 2 || text.charCodeAt(0) !== 0x7b) return undefined;
  const header: Record<string, HeaderValue> = {};
  let i = 1;
  if (text.charCodeAt(1) === 0x7d) return n === 2 ? (header as Header) : undefined;
  for (;;) {
    if (text.charCodeAt(i) !== 0x22) return undefined;
    const keyEnd = text.indexOf('"', i + 1);
    if (keyEnd < 0 || text.charCodeAt(keyEnd + 1) !== 0x3a) return undefined;
    const field = HEADER_FIELD_BY_WIRE_KEY.get(text.slice(i + 1, keyEnd));
    if (field === undefined) return undefined;
    i = keyEnd + 2;
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      // One pass to the closing quote; an escape or a raw control character (invalid JSON) goes to the
      // general path, which decodes the first and rejects the second.
      let valueEnd = i + 1;
      for (; valueEnd < n; valueEnd++) {
        const d = text.charCodeAt(valueEnd);
        if (d === 0x22) break;
        if (d === 0x5c || d < 0x20) return undefined;
      }
      if (valueEnd >= n) return undefined;
      const value = text.slice(i + 1, valueEnd);
      if (field.type === 'string') header[field.name] = value;
      else if (field.type === 'sequence' && isDigitString(value)) header[field.name] = BigInt(value);
      else return undefined;
      i = valueEnd + 1;
    } else if (c >= 0x30 && c <= 0x39) {
      let j = i + 1;
      while (j < n) {
        const d = text.charCodeAt(j);
        if (d < 0x30 || d > 0x39) break;
        j++;
      }
      if (c === 0x30 && j - i > 1) return undefined; // a leading zero is invalid JSON
      const digits = text.slice(i, j);
      if (field.type === 'sequence') header[field.name] = BigInt(digits);
      else if (j - i > 15) return undefined;
      else if (field.type === 'integer') header[field.name] = Number(digits);
      else if (field.type === 'string') header[field.name] = digits;
      else return undefined;
      i = j;
    } else return undefined;
    const next = text.charCodeAt(i);
    if (next === 0x2c) i++;
    else if (next === 0x7d && i === n - 1) break;
    else return undefined;
  }
  if (header.command === 'p') header.command = 'publish';
  return header as Header;
}

function isDigitString(s: string): boolean {
  if (s.length === 0) return false;
  for (let k = 0; k < s.length; k++) {
    const c = s.charCodeAt(k);
    if (c < 0x30 || c > 0x39) return false;
  }
  return true;
}

/** The general path (JSON.parse, then remap and coerce); exported so tests can hold the fast path to it. */
export function decodeGeneral(text: string): Header {
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (err) {
    throw new StreamException(`invalid JSON header: ${(err as Error).message}`, { cause: err });
  }
  if (raw === null || typeof raw !== 'object' || Array.isArray(raw)) {
    throw new StreamException('header is not a JSON object');
  }
  const header: Record<string, HeaderValue> & { extras?: Record<string, HeaderValue> } = {};
  const source = raw as Record<string, unknown>;
  let sawSequence = false;
  for (const key in source) {
    const value = source[key];
    if (value === null || value === undefined) continue;
    if (typeof value === 'object') {
      // Headers are flat; a nested value is kept verbatim as text so nothing is lost.
      let nested: string;
      try {
        nested = JSON.stringify(value);
      } catch (err) {
        throw new StreamException(`header value '${key}' is nested too deeply`, { cause: err });
      }
      putExtra(header, key, nested);
      continue;
    }
    const field = HEADER_FIELD_BY_WIRE_KEY.get(key);
    if (field === undefined) {
      putExtra(header, key, value as HeaderValue);
      continue;
    }
    if (field.type === 'sequence') {
      sawSequence = true; // decided below from the raw text, never through a JS number
      continue;
    }
    const coerced = coerce(field, value as HeaderValue);
    if (coerced === undefined) putExtra(header, key, value as HeaderValue);
    else header[field.name] = coerced;
  }
  if (sawSequence) {
    const last = lastTopLevelSequence(text);
    if (last !== undefined) {
      const field = HEADER_FIELD_BY_WIRE_KEY.get(last.key)!;
      if (isDigitString(last.token)) header[field.name] = BigInt(last.token);
      else putExtra(header, last.key, source[last.key] as HeaderValue);
    }
  }
  // The C/C++/Python client sends publish as `p`, and servers deliver `p`: in memory it is always `publish`.
  if (header.command === 'p') header.command = 'publish';
  return header as Header;
}

/** Defines rather than assigns, so a key such as `__proto__` is kept as data. */
function putExtra(header: { extras?: Record<string, HeaderValue> }, key: string, value: HeaderValue): void {
  const extras = (header.extras ??= {});
  Object.defineProperty(extras, key, { value, enumerable: true, writable: true, configurable: true });
}

/**
 * The raw value token of the last top-level `s` or `seq` key (JSON's rule: the last duplicate wins), read
 * string-aware at depth 1 so a nested `"s":` never counts. Quoted tokens are returned without the quotes.
 */
function lastTopLevelSequence(text: string): { key: string; token: string } | undefined {
  let found: { key: string; token: string } | undefined;
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x22) {
      const end = stringEnd(text, i);
      if (depth === 1) {
        const key = text.slice(i + 1, end);
        let j = end + 1;
        while (j < text.length && isSpace(text.charCodeAt(j))) j++;
        if (text.charCodeAt(j) === 0x3a && (key === 's' || key === 'seq')) {
          j++;
          while (j < text.length && isSpace(text.charCodeAt(j))) j++;
          if (text.charCodeAt(j) === 0x22) {
            const close = stringEnd(text, j);
            found = { key, token: text.slice(j + 1, close) };
            i = close;
            continue;
          }
          let k = j;
          while (k < text.length && !isSpace(text.charCodeAt(k)) && text.charCodeAt(k) !== 0x2c && text.charCodeAt(k) !== 0x7d) k++;
          found = { key, token: text.slice(j, k) };
          i = k - 1;
          continue;
        }
      }
      i = end;
    } else if (c === 0x7b || c === 0x5b) depth++;
    else if (c === 0x7d || c === 0x5d) depth--;
  }
  return found;
}

function stringEnd(text: string, open: number): number {
  for (let i = open + 1; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (c === 0x5c) i++;
    else if (c === 0x22) return i;
  }
  return text.length;
}

function isSpace(c: number): boolean {
  return c === 0x20 || c === 0x09 || c === 0x0a || c === 0x0d;
}

/** Converts a decoded JSON value to the field's type; undefined when it cannot (the caller keeps it in extras). */
function coerce(field: HeaderFieldInfo, value: HeaderValue): HeaderValue | undefined {
  switch (field.type) {
    case 'string':
      return typeof value === 'string' ? value : String(value);
    case 'integer':
      if (typeof value === 'number') return Number.isSafeInteger(value) ? value : undefined;
      if (typeof value === 'string' && /^-?\d+$/.test(value.trim())) return Number(value);
      return undefined;
    case 'boolean':
      if (typeof value === 'boolean') return value;
      if (value === 'true' || value === '1' || value === 1) return true;
      if (value === 'false' || value === '0' || value === 0) return false;
      return undefined;
    default:
      return value;
  }
}

export interface EncodeOptions {
  /**
   * Encode as a server does: each field under its server key, fields without one dropped, extras never sent
   * (the official C/C++/Python client drops the connection on a header key it does not know).
   */
  readonly server?: boolean;
}

/** Per property: the field and its pre-built `"key":` prefixes for each direction (built once, used per message). */
interface FieldKeys {
  readonly field: HeaderFieldInfo;
  readonly client: string;
  readonly server: string | undefined;
}

const FIELD_KEYS = new Map<string, FieldKeys>();
for (const field of HEADER_FIELD_BY_NAME.values()) {
  FIELD_KEYS.set(field.name, {
    field,
    client: `"${field.wireKey}":`,
    server: field.serverKey === undefined ? undefined : `"${field.serverKey}":`,
  });
}

function requireKeys(name: string): FieldKeys {
  const k = FIELD_KEYS.get(name);
  if (k === undefined) throw new Error(`generated header table lacks '${name}'`);
  return k;
}

const COMMAND_KEYS = requireKeys('command');
const SEQUENCE_KEYS = requireKeys('sequence');

/**
 * Encodes a header as compact JSON text: `c` first, `s` second (never last: the official JS client re-reads
 * `"s":<digits>,` from the raw text), integers and `s` as bare numbers, everything else as JSON strings.
 */
export function encodeHeader(header: Header, options?: EncodeOptions): string {
  const server = options?.server === true;
  const h = header as Record<string, HeaderValue | Record<string, HeaderValue> | undefined>;
  let out = '{';
  let sep = '';
  const command = h.command;
  if (command !== undefined) {
    // A server delivers publishes as `p` (the spelling the C client special-cases and the JS client accepts).
    const wire = server && command === 'publish' ? 'p' : String(command);
    out += (server ? COMMAND_KEYS.server : COMMAND_KEYS.client) + encodeString(wire);
    sep = ',';
  }
  const sequence = h.sequence;
  if (sequence !== undefined) {
    out += sep + (server ? SEQUENCE_KEYS.server : SEQUENCE_KEYS.client) + encodeSequence(sequence as HeaderValue);
    sep = ',';
  }
  for (const name in h) {
    if (name === 'command' || name === 'sequence' || name === 'extras') continue;
    const value = h[name];
    if (value === undefined || value === null) continue;
    const keys = FIELD_KEYS.get(name);
    if (keys === undefined) {
      throw new TypeError(`unknown header property '${name}' (use extras for wire keys the spec does not know)`);
    }
    const prefix = server ? keys.server : keys.client;
    if (prefix === undefined) continue;
    out += sep + prefix + encodeValue(keys.field, value as HeaderValue);
    sep = ',';
  }
  const extra = header.extras;
  if (extra !== undefined && !server) {
    for (const key in extra) {
      const value = extra[key];
      if (value === undefined || value === null) continue;
      out += sep + encodeString(key) + ':' + encodeLoose(value);
      sep = ',';
    }
  }
  return out + '}';
}

function encodeValue(field: HeaderFieldInfo, value: HeaderValue): string {
  switch (field.type) {
    case 'integer':
      if (typeof value === 'number' && Number.isFinite(value)) return String(Math.trunc(value));
      if (typeof value === 'bigint') return value.toString();
      if (typeof value === 'string' && /^-?\d+$/.test(value)) return value;
      return encodeString(String(value));
    case 'sequence':
      return encodeSequence(value);
    case 'boolean':
      return value === true || value === 'true' ? 'true' : 'false';
    default:
      return encodeString(typeof value === 'string' ? value : String(value));
  }
}

function encodeSequence(value: HeaderValue): string {
  if (typeof value === 'bigint') return value.toString();
  if (typeof value === 'number' && Number.isSafeInteger(value)) return String(value);
  if (typeof value === 'string' && /^\d+$/.test(value)) return value;
  throw new TypeError(`sequence must be a non-negative integer, got ${String(value)}`);
}

function encodeLoose(value: HeaderValue): string {
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  if (typeof value === 'bigint') return value.toString();
  return encodeString(value);
}

/** A header encoded once and sent many times (e.g. the publish header of one topic). */
export interface EncodedHeader {
  readonly text: string;
  readonly bytes: Uint8Array;
}

export function preEncodeHeader(header: Header, options?: EncodeOptions): EncodedHeader {
  const text = encodeHeader(header, options);
  return { text, bytes: new TextEncoder().encode(text) };
}

/** JSON string literal; the common case (no quote, backslash or control character) avoids JSON.stringify. */
export function encodeString(s: string): string {
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x20 || c === 0x22 || c === 0x5c || (c >= 0xd800 && c <= 0xdfff)) return JSON.stringify(s);
  }
  return `"${s}"`;
}
