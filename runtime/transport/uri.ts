// AMPS connection URIs:
//
//   <scheme>://[<user>[:<password>]@]<host>:<port>[/<prefix>...]/<protocol>[/<messageType>][?k=v[&k=v...]]
//
// scheme: tcp, tcps, unix (needs ?path=; host:port are ignored), ws, wss. protocol: `amps` (or its synonym
// `json`); the message type is the last path segment. Every query option is checked against the generated
// URI option table (name, value type, schemes it applies to, whether it is a socket or a logon option).
//
// This module is browser-safe (no node: imports): the ws/wss transports parse URIs in browsers too.
// Passwords never appear in an error message or in `toString()`: use `redactUri` for anything printed.

import {
  InvalidTransportOptionsException,
  InvalidUriException,
  TransportTypeException,
} from '../../generated/errors.js';
import { URI_OPTIONS } from '../../generated/uri-options.js';

export type UriScheme = 'tcp' | 'tcps' | 'unix' | 'ws' | 'wss';
export const URI_SCHEMES: readonly UriScheme[] = ['tcp', 'tcps', 'unix', 'ws', 'wss'];

export type UriOptionValue = string | number | boolean;

/** A `bind` option value: local address (IPv6 without brackets) and optional local port. */
export interface BindAddress {
  readonly address: string;
  readonly port?: number;
}

export interface ParsedUri {
  readonly scheme: UriScheme;
  /** Host name or IP address; IPv6 without its brackets. For unix: whatever the URI had (ignored). */
  readonly host: string;
  /** Port number; for ws/wss without a port, 80/443; for unix, 0 when absent (ignored). */
  readonly port: number;
  /** Percent-decoded user name; undefined when the URI has no user info. */
  readonly user?: string;
  /** Percent-decoded password; undefined when the URI has none. Never printed. */
  readonly password?: string;
  /** The URL path as written, e.g. `/amps/json` or `/proxy/amps/json` (what a WebSocket connects to). */
  readonly path: string;
  /** `amps` or `json` (the server treats them alike). */
  readonly protocol: string;
  /** Last path segment after the protocol (`json`, `fix`, `nvfix`, `bflat`, ...); undefined when omitted. */
  readonly messageType: string | undefined;
  /** Socket options by URI name, typed: `{ tcp_nodelay: true, tcp_sndbuf: 65536, bind: '10.0.0.1:0', ... }`. */
  readonly socketOptions: Readonly<Record<string, UriOptionValue>>;
  /** Options forwarded to the logon command (`pretty`, ...), typed. */
  readonly logonOptions: Readonly<Record<string, UriOptionValue>>;
  /** unix: the socket file (from `?path=`). */
  readonly unixPath?: string;
  /** Parsed `bind` option, when present. */
  readonly bind?: BindAddress;
  /** The URI with the password replaced by `****`. */
  toString(): string;
}

const REDACTED = '****';

// ---------------------------------------------------------------------------------------------------------------
// The option table. The generated table is read through this narrow view so the parser keeps working when the
// generator adds descriptive columns.

type OptionValueType = 'boolean' | 'integer' | 'string' | 'enum';

interface OptionRule {
  readonly name: string;
  readonly type: OptionValueType;
  readonly values?: readonly string[];
  readonly schemes: readonly string[];
  readonly kind: string;
  readonly min?: number;
  readonly max?: number;
}

function normaliseType(raw: unknown, values: unknown): OptionValueType {
  const t = String(raw ?? '').toLowerCase();
  if (t.startsWith('bool')) return 'boolean';
  if (t.startsWith('int') || t === 'number' || t === 'uint' || t === 'unsigned') return 'integer';
  if (t === 'enum' || (Array.isArray(values) && values.length > 0)) return 'enum';
  return 'string';
}

function buildRules(): Map<string, OptionRule> {
  const rules = new Map<string, OptionRule>();
  const table: unknown = URI_OPTIONS;
  const entries = (Array.isArray(table) ? table : Object.values(table as object)) as readonly Record<string, unknown>[];
  for (const entry of entries) {
    const name = String(entry.name);
    const values = (entry.values ?? entry.enum ?? entry.allowed) as readonly string[] | undefined;
    rules.set(name, {
      name,
      type: normaliseType(entry.type, values),
      values: Array.isArray(values) ? values.map(String) : undefined,
      schemes: Array.isArray(entry.schemes) ? (entry.schemes as unknown[]).map((s) => String(s).toLowerCase()) : [],
      kind: String(entry.kind ?? 'socket'),
      min: typeof entry.min === 'number' ? entry.min : undefined,
      max: typeof entry.max === 'number' ? entry.max : undefined,
    });
  }
  return rules;
}

let rulesCache: Map<string, OptionRule> | undefined;
function rules(): Map<string, OptionRule> {
  return (rulesCache ??= buildRules());
}

// ---------------------------------------------------------------------------------------------------------------
// Redaction

/**
 * Returns the URI with its password replaced by `****`. Works on malformed input too: anything between the
 * first `:` of the user info and the last `@` before the path is masked (over-masking is preferred to a leak).
 */
export function redactUri(uri: string): string {
  // Only a `://` right after a well-formed scheme separates it; one found later (a path, an option value) does not.
  const scheme = SCHEME_RE.exec(uri);
  if (scheme === null) return maskLoose(uri);
  const head = scheme[0];
  const rest = uri.slice(head.length);
  const at = userInfoEnd(rest);
  if (at >= 0) {
    const colon = rest.slice(0, at).indexOf(':');
    if (colon < 0) return uri;
    return `${head}${rest.slice(0, colon + 1)}${REDACTED}${rest.slice(at)}`;
  }
  // No clean user info: a raw `/`, `?` or `#` in it, or no path at all. Mask from the first `:` to an `@` that
  // plausibly ends the user info: one followed by `host/`, or the last `@` when no query or fragment precedes it
  // (an `@` inside a query string is data, not user info).
  const loose = looseUserInfoEnd(rest);
  const last = rest.lastIndexOf('@');
  const query = firstOf(rest, '?#', 0);
  const end = loose >= 0 ? Math.max(loose, query < 0 || last < query ? last : loose) : query < 0 || last < query ? last : -1;
  if (end < 0) return uri;
  const colon = rest.indexOf(':');
  if (colon < 0 || colon > end) return uri;
  return `${head}${rest.slice(0, colon + 1)}${REDACTED}${rest.slice(end)}`;
}

/** Without a scheme separator there is no reliable structure: mask everything after a `:` up to a last `@`. */
function maskLoose(s: string): string {
  const at = s.lastIndexOf('@');
  if (at < 0) return s;
  const colon = s.indexOf(':');
  if (colon < 0 || colon > at) return s;
  return `${s.slice(0, colon + 1)}${REDACTED}${s.slice(at)}`;
}

/**
 * Index of the `@` that ends the user info in `rest` (the text after `://`), or -1: the last `@` before the
 * first `/`, `?` or `#` (so an unencoded `@` in a password still belongs to the user info, as WHATWG URL does).
 */
function userInfoEnd(rest: string): number {
  const delim = firstOf(rest, '/?#', 0);
  if (delim === 0) return -1;
  return rest.lastIndexOf('@', (delim < 0 ? rest.length : delim) - 1);
}

/**
 * For redaction only: a password holding a raw `/`, `?` or `#` ends the authority early. When a later `@` is
 * followed by what looks like `host[:port]/`, treat everything up to it as user info (and mask it).
 */
function looseUserInfoEnd(rest: string): number {
  const strict = userInfoEnd(rest);
  if (strict >= 0) return strict;
  const re = /@[A-Za-z0-9._~%[\]:-]*\//g;
  let found = -1;
  for (let m = re.exec(rest); m !== null; m = re.exec(rest)) found = m.index;
  if (found < 0) return -1;
  const colon = rest.indexOf(':');
  return colon >= 0 && colon < found ? found : -1;
}

function firstOf(s: string, chars: string, from: number): number {
  for (let i = from; i < s.length; i++) if (chars.includes(s[i])) return i;
  return -1;
}

// ---------------------------------------------------------------------------------------------------------------
// Parsing

const SCHEME_RE = /^([A-Za-z][A-Za-z0-9+.-]*):\/\//;
const LEGACY_PROTOCOLS = new Set(['fix', 'nvfix', 'xml', 'soap']);
const PROTOCOLS = new Set(['amps', 'json']);

function invalidUri(uri: string, why: string): InvalidUriException {
  const redacted = redactUri(uri);
  return new InvalidUriException(`invalid URI '${redacted}': ${scrubDetail(why, maskedPart(uri, redacted))}`);
}

/** The text redactUri replaced, found by trimming what the two strings share at both ends. */
function maskedPart(uri: string, redacted: string): string | undefined {
  if (uri === redacted) return undefined;
  let p = 0;
  while (p < uri.length && uri[p] === redacted[p]) p++;
  let q = 0;
  while (q < uri.length - p && uri[uri.length - 1 - q] === redacted[redacted.length - 1 - q]) q++;
  const secret = uri.slice(p, uri.length - q);
  return secret.length > 0 ? secret : undefined;
}

/** A detail that quotes a piece of the masked text (e.g. "bad port '<password>'") has that piece masked too. */
function scrubDetail(why: string, secret: string | undefined): string {
  if (secret === undefined) return why;
  return why.replace(/'([^']*)'/g, (quoted, inner: string) => (inner.length > 0 && secret.includes(inner) ? `'${REDACTED}'` : quoted));
}

function invalidOption(uri: string, why: string): InvalidTransportOptionsException {
  return new InvalidTransportOptionsException(`invalid transport option in '${redactUri(uri)}': ${why}`);
}

function decodeComponent(uri: string, text: string, what: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    // The text itself may be a password: describe, never echo.
    throw invalidUri(uri, `${what} has a bad percent-encoding`);
  }
}

/** Parses and validates an AMPS connection URI. Throws InvalidUriException, InvalidTransportOptionsException,
 *  or TransportTypeException; the message never contains the password. */
export function parseUri(uri: string): ParsedUri {
  if (typeof uri !== 'string' || uri.length === 0) throw new InvalidUriException('invalid URI: empty');
  if (/[\s\u0000-\u001f\u007f]/.test(uri)) throw invalidUri(uri, 'contains whitespace or control characters');
  const m = SCHEME_RE.exec(uri);
  if (!m) throw invalidUri(uri, "expected '<transport>://host:port/amps/<messageType>'");
  const schemeText = m[1].toLowerCase();
  if (!(URI_SCHEMES as readonly string[]).includes(schemeText)) {
    throw new TransportTypeException(
      `unknown transport type '${m[1]}' in '${redactUri(uri)}' (expected one of ${URI_SCHEMES.join(', ')})`,
    );
  }
  const scheme = schemeText as UriScheme;
  let rest = uri.slice(m[0].length);

  // User info.
  let user: string | undefined;
  let password: string | undefined;
  const at = userInfoEnd(rest);
  if (at < 0 && looseUserInfoEnd(rest) >= 0) {
    throw invalidUri(uri, "the user info holds a raw '/', '?' or '#': percent-encode it");
  }
  if (at >= 0) {
    const userinfo = rest.slice(0, at);
    rest = rest.slice(at + 1);
    const colon = userinfo.indexOf(':');
    const rawUser = colon < 0 ? userinfo : userinfo.slice(0, colon);
    if (rawUser.includes('@')) throw invalidUri(uri, "the user name holds a raw '@': percent-encode it as %40");
    user = decodeComponent(uri, rawUser, 'the user name');
    // A raw `@` in the password is tolerated (the last `@` ends the user info), as URL parsers do.
    if (colon >= 0) password = decodeComponent(uri, userinfo.slice(colon + 1), 'the password');
  }
  // Fragment: not meaningful for AMPS; reject rather than silently drop.
  if (rest.includes('#')) throw invalidUri(uri, "a fragment ('#') is not allowed");

  // Authority.
  const pathStart = firstOf(rest, '/?', 0);
  const authority = pathStart < 0 ? rest : rest.slice(0, pathStart);
  rest = pathStart < 0 ? '' : rest.slice(pathStart);
  const { host, port } = parseAuthority(uri, scheme, authority);

  // Path and query.
  const q = rest.indexOf('?');
  const path = q < 0 ? rest : rest.slice(0, q);
  const query = q < 0 ? undefined : rest.slice(q + 1);
  const { protocol, messageType } = parsePath(uri, scheme, path);
  const { socketOptions, logonOptions } = parseQuery(uri, scheme, query);

  let unixPath: string | undefined;
  if (scheme === 'unix') {
    const p = socketOptions.path;
    if (typeof p !== 'string' || p.length === 0) {
      throw invalidUri(uri, "the unix transport requires the 'path' option (the socket file)");
    }
    unixPath = p;
  }

  let bind: BindAddress | undefined;
  if (socketOptions.bind !== undefined) bind = parseBind(uri, String(socketOptions.bind));

  const parsed: ParsedUri = {
    scheme,
    host,
    port,
    ...(user !== undefined ? { user } : {}),
    ...(password !== undefined ? { password } : {}),
    path,
    protocol,
    messageType,
    socketOptions: Object.freeze(socketOptions),
    logonOptions: Object.freeze(logonOptions),
    ...(unixPath !== undefined ? { unixPath } : {}),
    ...(bind !== undefined ? { bind } : {}),
    toString: () => redactUri(uri),
  };
  // Keep the password off enumeration-based dumps (console.log, JSON.stringify, util.inspect).
  if (password !== undefined) {
    Object.defineProperty(parsed, 'password', { value: password, enumerable: false, writable: false });
  }
  Object.defineProperty(parsed, 'toString', { value: () => redactUri(uri), enumerable: false });
  Object.defineProperty(parsed, 'toJSON', { value: () => redactUri(uri), enumerable: false });
  return Object.freeze(parsed);
}

function parseAuthority(uri: string, scheme: UriScheme, authority: string): { host: string; port: number } {
  let host: string;
  let portText: string | undefined;
  if (authority.startsWith('[')) {
    const close = authority.indexOf(']');
    if (close < 0) throw invalidUri(uri, "an IPv6 host is missing its closing ']'");
    host = authority.slice(1, close);
    if (!isIPv6(host)) throw invalidUri(uri, `'${host}' is not an IPv6 address`);
    const after = authority.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) throw invalidUri(uri, "expected ':<port>' after the IPv6 host");
      portText = after.slice(1);
    }
  } else {
    const colon = authority.lastIndexOf(':');
    if (colon >= 0) {
      host = authority.slice(0, colon);
      portText = authority.slice(colon + 1);
      if (host.includes(':')) throw invalidUri(uri, 'an IPv6 host must be written in brackets, e.g. [::1]:9007');
    } else host = authority;
    if (host.length > 0 && !/^[A-Za-z0-9._~%-]+$/.test(host)) throw invalidUri(uri, `bad host name '${host}'`);
  }
  if (host.length === 0 && scheme !== 'unix') throw invalidUri(uri, 'the host is missing');

  let port: number;
  if (portText === undefined || portText.length === 0) {
    if (portText !== undefined && scheme !== 'unix') throw invalidUri(uri, "the port after ':' is empty");
    if (scheme === 'ws') port = 80;
    else if (scheme === 'wss') port = 443;
    else if (scheme === 'unix') port = 0;
    else throw invalidUri(uri, `a port is required for ${scheme} (host:port)`);
  } else {
    if (!/^\d{1,5}$/.test(portText)) throw invalidUri(uri, `bad port '${portText}'`);
    port = Number(portText);
    if (port > 65535) throw invalidUri(uri, `port ${port} is out of range`);
    if (port === 0 && scheme !== 'unix') throw invalidUri(uri, 'port 0 is not a valid destination port');
  }
  return { host, port };
}

function parsePath(uri: string, scheme: UriScheme, path: string): { protocol: string; messageType: string | undefined } {
  if (path.length === 0 || path === '/') {
    throw invalidUri(uri, "the protocol is missing: expected a path such as '/amps/json'");
  }
  if (path.endsWith('/')) throw invalidUri(uri, 'the path must not end with a slash');
  if (path.includes('//')) throw invalidUri(uri, 'the path has an empty segment');
  const segments = path.slice(1).split('/');
  for (const s of segments) {
    if (!/^[A-Za-z0-9._~%:@!$&'()*+,;=-]+$/.test(s)) throw invalidUri(uri, `bad path segment '${s}'`);
  }
  const last = segments[segments.length - 1];
  const previous = segments.length >= 2 ? segments[segments.length - 2].toLowerCase() : undefined;
  if (previous !== undefined && PROTOCOLS.has(previous)) {
    return { protocol: previous, messageType: decodeComponent(uri, last, 'the message type') };
  }
  const lastLower = last.toLowerCase();
  if (PROTOCOLS.has(lastLower)) {
    if (scheme === 'ws' || scheme === 'wss') {
      throw invalidUri(uri, "a WebSocket URI needs the message type after the protocol, e.g. '/amps/json'");
    }
    return { protocol: lastLower, messageType: undefined };
  }
  if (LEGACY_PROTOCOLS.has(lastLower)) {
    throw invalidUri(
      uri,
      `the legacy '${lastLower}' protocol is not supported; use the amps protocol with a message type, e.g. '/amps/${lastLower}'`,
    );
  }
  throw invalidUri(uri, "expected the path to end with '/amps/<messageType>' (or '/amps')");
}

function parseQuery(
  uri: string,
  scheme: UriScheme,
  query: string | undefined,
): { socketOptions: Record<string, UriOptionValue>; logonOptions: Record<string, UriOptionValue> } {
  const socketOptions: Record<string, UriOptionValue> = Object.create(null);
  const logonOptions: Record<string, UriOptionValue> = Object.create(null);
  if (query === undefined || query.length === 0) return { socketOptions: { ...socketOptions }, logonOptions: {} };
  const seen = new Set<string>();
  for (const pair of query.split('&')) {
    if (pair.length === 0) continue; // tolerate `?a=1&&b=2` and a trailing `&`
    const eq = pair.indexOf('=');
    const rawName = eq < 0 ? pair : pair.slice(0, eq);
    const name = decodeComponent(uri, rawName, 'an option name');
    const rawValue = eq < 0 ? undefined : decodeOptionValue(uri, name, pair.slice(eq + 1));
    const rule = rules().get(name);
    if (rule === undefined) throw invalidOption(uri, `unknown option '${name}'`);
    if (rule.schemes.length > 0 && !rule.schemes.includes(scheme)) {
      throw invalidOption(uri, `option '${name}' does not apply to ${scheme} (only ${rule.schemes.join(', ')})`);
    }
    if (seen.has(name)) throw invalidOption(uri, `option '${name}' is given more than once`);
    seen.add(name);
    const value = convert(uri, rule, rawValue);
    if (rule.kind === 'unsupported') {
      // Harmless when it asks for the default (off); otherwise the connection could not honour it.
      if (value === false) continue;
      throw invalidOption(uri, `option '${name}' is not supported by this client`);
    }
    if (rule.kind === 'logon') logonOptions[name] = value;
    else socketOptions[name] = value;
  }
  return { socketOptions: { ...socketOptions }, logonOptions: { ...logonOptions } };
}

function decodeOptionValue(uri: string, name: string, raw: string): string {
  try {
    return decodeURIComponent(raw);
  } catch {
    throw invalidOption(uri, `option '${name}' has a bad percent-encoding`);
  }
}

function convert(uri: string, rule: OptionRule, raw: string | undefined): UriOptionValue {
  switch (rule.type) {
    case 'boolean': {
      if (raw === undefined || raw === '') return true; // `?pretty` alone means on
      const v = raw.toLowerCase();
      if (v === 'true' || v === '1') return true;
      if (v === 'false' || v === '0') return false;
      throw invalidOption(uri, `option '${rule.name}' must be true/false/1/0, got '${raw}'`);
    }
    case 'integer': {
      if (raw === undefined || !/^-?\d+$/.test(raw)) {
        throw invalidOption(uri, `option '${rule.name}' must be an integer, got '${raw ?? ''}'`);
      }
      const n = Number(raw);
      const min = rule.min ?? 0;
      const max = rule.max ?? 0x7fffffff;
      if (!Number.isSafeInteger(n) || n < min || n > max) {
        throw invalidOption(uri, `option '${rule.name}' must be between ${min} and ${max}, got '${raw}'`);
      }
      return n;
    }
    case 'enum': {
      const allowed = rule.values ?? [];
      const hit = raw === undefined ? undefined : allowed.find((v) => v.toLowerCase() === raw.toLowerCase());
      if (hit === undefined) {
        throw invalidOption(uri, `option '${rule.name}' must be one of ${allowed.join('|')}, got '${raw ?? ''}'`);
      }
      return hit;
    }
    default:
      if (raw === undefined || raw.length === 0) throw invalidOption(uri, `option '${rule.name}' needs a value`);
      return raw;
  }
}

/** `bind=ip[:port]`, IPv6 in brackets (`[::1]:0`); a bare IPv6 address without a port is accepted too. */
export function parseBind(uri: string, text: string): BindAddress {
  let address: string;
  let portText: string | undefined;
  if (text.startsWith('[')) {
    const close = text.indexOf(']');
    if (close < 0) throw invalidOption(uri, "bind: an IPv6 address is missing its closing ']'");
    address = text.slice(1, close);
    const after = text.slice(close + 1);
    if (after.length > 0) {
      if (!after.startsWith(':')) throw invalidOption(uri, "bind: expected ':<port>' after ']'");
      portText = after.slice(1);
    }
    if (!isIPv6(address)) throw invalidOption(uri, `bind: '${address}' is not an IPv6 address`);
  } else if (isIPv6(text)) {
    address = text;
  } else {
    const colon = text.indexOf(':');
    address = colon < 0 ? text : text.slice(0, colon);
    portText = colon < 0 ? undefined : text.slice(colon + 1);
    if (!isIPv4(address)) throw invalidOption(uri, `bind: '${address}' is not an IP address`);
  }
  if (portText === undefined) return { address };
  if (!/^\d{1,5}$/.test(portText) || Number(portText) > 65535) {
    throw invalidOption(uri, `bind: bad port '${portText}'`);
  }
  return { address, port: Number(portText) };
}

export function isIPv4(s: string): boolean {
  const parts = s.split('.');
  return parts.length === 4 && parts.every((p) => /^\d{1,3}$/.test(p) && Number(p) <= 255 && !/^0\d/.test(p));
}

export function isIPv6(s: string): boolean {
  let text = s;
  const zone = text.indexOf('%');
  if (zone >= 0) {
    if (zone === text.length - 1) return false;
    text = text.slice(0, zone);
  }
  let groups = text.split(':');
  // An embedded IPv4 tail counts as two groups.
  const tail = groups[groups.length - 1];
  if (tail.includes('.')) {
    if (!isIPv4(tail)) return false;
    groups = [...groups.slice(0, -1), '0', '0'];
  }
  const doubleColon = text.indexOf('::');
  if (doubleColon >= 0 && text.indexOf('::', doubleColon + 1) >= 0) return false;
  if (doubleColon < 0) return groups.length === 8 && groups.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g));
  const nonEmpty = groups.filter((g) => g.length > 0);
  if (nonEmpty.length > 7) return false;
  if (!nonEmpty.every((g) => /^[0-9A-Fa-f]{1,4}$/.test(g))) return false;
  // Empty groups are only allowed where the `::` is.
  const [left, right] = [text.slice(0, doubleColon), text.slice(doubleColon + 2)];
  if (left.startsWith(':') || right.endsWith(':')) return false;
  return true;
}

/** Host as it goes into a URL: IPv6 literals in brackets. */
export function urlHost(host: string): string {
  return host.includes(':') ? `[${host}]` : host;
}
