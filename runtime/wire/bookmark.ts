// Bookmark wire format, shared by the client stores and the mock server's transaction log.
//
// A bookmark names one message in a transaction log: `<publisher id>|<sequence>|`, where the publisher id is a
// 64-bit hash of the publishing client's name and the sequence is that publisher's `s`. Applications treat it
// as opaque; stores and servers need to read the two numbers to order, dedupe and resume.

/** Replay the whole transaction log, then go live. */
export const EPOCH = '0';
/** No replay; live from now, with a bookmark on every message. */
export const NOW = '0|1|';
/** Client-side only: replaced by the bookmark store's recovery point before the command is sent. */
export const MOST_RECENT = 'recent';

export const Bookmarks = Object.freeze({ EPOCH, NOW, MOST_RECENT });

export interface BookmarkId {
  /** Publisher id: decimal text of an unsigned 64-bit hash of the client name. */
  readonly publisher: string;
  readonly sequence: bigint;
}

/** Parses one `pub|seq|` bookmark; undefined for special values, timestamps and anything malformed. */
export function parseBookmark(text: string): BookmarkId | undefined {
  const bar = text.indexOf('|');
  if (bar <= 0) return undefined;
  const bar2 = text.indexOf('|', bar + 1);
  if (bar2 < 0 || bar2 !== text.length - 1) return undefined;
  const publisher = text.slice(0, bar);
  const seq = text.slice(bar + 1, bar2);
  if (!isDigits(publisher) || !isDigits(seq)) return undefined;
  return { publisher, sequence: BigInt(seq) };
}

export function formatBookmark(publisher: string, sequence: bigint | number): string {
  return `${publisher}|${sequence}|`;
}

/** Splits a comma list of bookmarks (as sent on resubscribe or in a queue ack). */
export function splitBookmarkList(text: string): string[] {
  return text.split(',').map((s) => s.trim()).filter((s) => s.length > 0);
}

/** `YYYYmmddTHHMMSS[.ffffff][Z]`, the timestamp form AMPS accepts as a bookmark. */
const TIMESTAMP = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})(?:\.(\d{1,9}))?Z?$/;

export function isTimestampBookmark(text: string): boolean {
  return TIMESTAMP.test(text);
}

/** Milliseconds since the epoch (UTC) for a timestamp bookmark, or undefined. */
export function timestampBookmarkToMillis(text: string): number | undefined {
  const m = TIMESTAMP.exec(text);
  if (!m) return undefined;
  const [, y, mo, d, h, mi, s, frac] = m;
  const ms = frac ? Number((frac + '000').slice(0, 3)) : 0;
  return Date.UTC(Number(y), Number(mo) - 1, Number(d), Number(h), Number(mi), Number(s), ms);
}

/** Formats a time as an AMPS timestamp bookmark (basic ISO-8601, UTC). */
export function millisToTimestampBookmark(ms: number): string {
  const d = new Date(ms);
  const p = (n: number, w = 2) => String(n).padStart(w, '0');
  return `${p(d.getUTCFullYear(), 4)}${p(d.getUTCMonth() + 1)}${p(d.getUTCDate())}T${p(d.getUTCHours())}${p(d.getUTCMinutes())}${p(d.getUTCSeconds())}Z`;
}

export interface BookmarkRange {
  readonly startInclusive: boolean;
  readonly start: string;
  readonly end: string;
  readonly endInclusive: boolean;
}

/** `[start:end)` style ranges (AMPS 5.3.2+); start and end are bookmarks, lists or timestamps. */
export function parseBookmarkRange(text: string): BookmarkRange | undefined {
  if (text.length < 3) return undefined;
  const open = text[0];
  const close = text[text.length - 1];
  if ((open !== '[' && open !== '(') || (close !== ']' && close !== ')')) return undefined;
  const inner = text.slice(1, -1);
  const colon = inner.indexOf(':');
  if (colon < 0) return undefined;
  return {
    startInclusive: open === '[',
    start: inner.slice(0, colon),
    end: inner.slice(colon + 1),
    endInclusive: close === ']',
  };
}

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK64 = (1n << 64n) - 1n;

/**
 * Publisher id for a client name. Real AMPS derives it with a hash it does not document (clients only read it
 * back from the logon ack and treat it as opaque), so any stable 64-bit hash is faithful: we use FNV-1a.
 */
export function clientNameHash(name: string): string {
  let h = FNV_OFFSET;
  for (const byte of new TextEncoder().encode(name)) {
    h ^= BigInt(byte);
    h = (h * FNV_PRIME) & MASK64;
  }
  return h.toString();
}

function isDigits(s: string): boolean {
  if (s.length === 0) return false;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 48 || c > 57) return false;
  }
  return true;
}
