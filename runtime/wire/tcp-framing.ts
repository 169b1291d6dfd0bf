// TCP framing of the `amps` protocol (also tcps and unix): a 4-byte big-endian length, then that many bytes
// holding the JSON header and the body. A server `sow` frame packs a whole batch: the batch header, then for
// each record a record header carrying `l` followed by exactly `l` bytes of record data.

import type { Header } from '../../generated/header-fields.js';
import { StreamException } from '../../generated/errors.js';
import { decodeHeader, encodeHeader, findHeaderEnd, type EncodeOptions, type EncodedHeader } from './header-codec.js';
import type { InboundMessage } from './message.js';

/** The C client treats a frame over 1 GiB as corruption; the server documents ~200 MB in practice. */
export const DEFAULT_MAX_FRAME_BYTES = 256 * 1024 * 1024;

const EMPTY = new Uint8Array(0);

export interface FrameDecoderOptions {
  readonly maxFrameBytes?: number;
}

/**
 * Streaming frame splitter: feed it socket chunks in any sizes; it calls `onFrame` with each complete payload
 * (the bytes after the length prefix). A payload inside one chunk is a view into it, not a copy, so the
 * callback must finish with it (or copy) before the next chunk arrives. An oversized length throws
 * StreamException; the decoder is then unusable and the connection should be closed.
 */
export class FrameDecoder {
  private readonly maxFrameBytes: number;
  private pending: Uint8Array[] = [];
  private pendingBytes = 0;
  /** Length of the frame being reassembled from `pending`, once its 4-byte prefix has arrived (else -1). */
  private pendingFrameLength = -1;
  private failed: StreamException | undefined;

  constructor(
    private readonly onFrame: (payload: Uint8Array) => void,
    options: FrameDecoderOptions = {},
  ) {
    this.maxFrameBytes = options.maxFrameBytes ?? DEFAULT_MAX_FRAME_BYTES;
  }

  /** Bytes received but not yet part of a complete frame. */
  get buffered(): number {
    return this.pendingBytes;
  }

  push(chunk: Uint8Array): void {
    if (this.failed) throw this.failed;
    let data = chunk;
    if (this.pendingBytes > 0) {
      this.pending.push(chunk);
      this.pendingBytes += chunk.length;
      if (this.pendingBytes < 4) return;
      // The prefix is read once, so a frame arriving in many small chunks costs linear work.
      if (this.pendingFrameLength < 0) {
        this.pendingFrameLength = this.frameLengthOfPending();
        this.checkLength(this.pendingFrameLength);
      }
      if (this.pendingBytes < 4 + this.pendingFrameLength) return;
      data = concatBytes(this.pending);
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingFrameLength = -1;
    }
    let offset = 0;
    const end = data.length;
    while (end - offset >= 4) {
      const length = readLength(data, offset);
      this.checkLength(length);
      if (end - offset - 4 < length) break;
      const payload = data.subarray(offset + 4, offset + 4 + length);
      offset += 4 + length;
      this.onFrame(payload);
    }
    if (offset < end) {
      this.pending.push(offset === 0 ? data : data.subarray(offset));
      this.pendingBytes = end - offset;
      if (this.pendingBytes >= 4) {
        this.pendingFrameLength = this.frameLengthOfPending();
        this.checkLength(this.pendingFrameLength);
      }
    }
  }

  /** Reads the 4-byte prefix across the pending chunks without joining them. */
  private frameLengthOfPending(): number {
    const b = [0, 0, 0, 0];
    let k = 0;
    for (const chunk of this.pending) {
      for (let i = 0; i < chunk.length && k < 4; i++) b[k++] = chunk[i];
      if (k === 4) break;
    }
    return ((b[0] << 24) | (b[1] << 16) | (b[2] << 8) | b[3]) >>> 0;
  }

  private checkLength(length: number): void {
    if (length > this.maxFrameBytes) {
      this.failed = new StreamException(`frame of ${length} bytes exceeds the limit of ${this.maxFrameBytes} bytes`);
      this.pending = [];
      this.pendingBytes = 0;
      this.pendingFrameLength = -1;
      throw this.failed;
    }
  }
}

function readLength(b: Uint8Array, at: number): number {
  return ((b[at] << 24) | (b[at + 1] << 16) | (b[at + 2] << 8) | b[at + 3]) >>> 0;
}

/** Joins byte chunks into one new array. */
export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let total = 0;
  for (const p of parts) total += p.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}

/**
 * Decodes one frame payload into messages: one for every kind but `sow`, whose batch expands into one message
 * per record (the record header's fields override the batch header's; the body is a view into the payload).
 */
export function parseFrame(payload: Uint8Array): InboundMessage[] {
  const { header, end } = decodeHeader(payload, 0, payload.length);
  if (header.command !== 'sow') return [{ header, body: payload.subarray(end) }];
  return splitSowBatch(header, payload, end);
}

function splitSowBatch(batch: Header, payload: Uint8Array, from: number): InboundMessage[] {
  const records: InboundMessage[] = [];
  let at = from;
  while (at < payload.length) {
    // Whitespace or padding between records is skipped, as the C client scans for the next `{`.
    const { end, header: record } = decodeHeader(payload, at, payload.length);
    const length = record.messageLength;
    if (typeof length !== 'number' || length < 0 || end + length > payload.length) {
      throw new StreamException(`sow record has a bad length (${String(length)})`);
    }
    records.push({ header: mergeRecordHeader(batch, record), body: payload.subarray(end, end + length) });
    at = end + length;
    if (at < payload.length && !hasAnotherHeader(payload, at)) break;
  }
  return records;
}

function hasAnotherHeader(payload: Uint8Array, at: number): boolean {
  try {
    findHeaderEnd(payload, at, payload.length);
    return true;
  } catch {
    return false;
  }
}

/** A sow record's own fields (`k`, `x`, `l`, `ts`, `bm`) override the batch header's. */
export function mergeRecordHeader(batch: Header, record: Header): Header {
  const merged: Header = { ...batch, ...record };
  if (batch.extras !== undefined || record.extras !== undefined) merged.extras = { ...batch.extras, ...record.extras };
  return merged;
}

const encoder = new TextEncoder();

/** Encodes one length-prefixed frame into a single buffer (one write, one allocation). */
export function encodeFrame(header: Header, body?: Uint8Array | string, options?: EncodeOptions): Uint8Array {
  const headerText = encodeHeader(header, options);
  const headerLength = utf8Length(headerText);
  const bodyLength = typeof body === 'string' ? utf8Length(body) : (body ?? EMPTY).length;
  const out = new Uint8Array(4 + headerLength + bodyLength);
  writeLength(out, 0, headerLength + bodyLength);
  writeText(out, 4, headerText, headerLength);
  if (typeof body === 'string') writeText(out, 4 + headerLength, body, bodyLength);
  else if (body !== undefined) out.set(body, 4 + headerLength);
  return out;
}

/**
 * Frames encoded back to back into one growable buffer: a transport appends every frame of an event-loop turn
 * and hands the socket one `take()`, so a publish loop costs one native UTF-8 encode per string and one write
 * per turn, with no per-frame buffers and no copy at flush.
 */
export class FrameBuffer {
  private buf: Uint8Array;
  private at = 0;

  constructor(private readonly initialCapacity = 64 * 1024) {
    this.buf = allocBytes(initialCapacity);
  }

  /** Bytes appended since the last take(). */
  get length(): number {
    return this.at;
  }

  /** Appends one frame and returns a view of it (valid until the next append or take). */
  append(header: Header, body?: Uint8Array | string, options?: EncodeOptions): Uint8Array {
    const headerText = encodeHeader(header, options);
    this.reserve(4 + headerText.length * 3 + maxBodyBytes(body));
    const start = this.at;
    return this.finish(start, start + 4 + writeUtf8(this.buf, start + 4, headerText), body);
  }

  /** Appends one frame whose header was encoded beforehand (see preEncodeHeader). */
  appendEncoded(header: EncodedHeader, body?: Uint8Array | string): Uint8Array {
    this.reserve(4 + header.bytes.length + maxBodyBytes(body));
    const start = this.at;
    this.buf.set(header.bytes, start + 4);
    return this.finish(start, start + 4 + header.bytes.length, body);
  }

  /** Writes the body after the header ending at `at`, then the length prefix; returns the frame's view. */
  private finish(start: number, at: number, body: Uint8Array | string | undefined): Uint8Array {
    if (typeof body === 'string') at += writeUtf8(this.buf, at, body);
    else if (body !== undefined) {
      this.buf.set(body, at);
      at += body.length;
    }
    writeLength(this.buf, start, at - start - 4);
    this.at = at;
    return this.buf.subarray(start, at);
  }

  /** Everything appended so far; the buffer starts afresh (the returned bytes now belong to the caller). */
  take(): Uint8Array {
    const out = this.buf.subarray(0, this.at);
    this.buf = allocBytes(Math.max(this.initialCapacity, Math.min(this.buf.length, 4 * 1024 * 1024)));
    this.at = 0;
    return out;
  }

  private reserve(extra: number): void {
    if (this.at + extra <= this.buf.length) return;
    const grown = allocBytes(Math.max(this.buf.length * 2, this.at + extra));
    grown.set(this.buf.subarray(0, this.at));
    this.buf = grown;
  }
}

/** Room a body may take: its byte length, or three bytes per UTF-16 unit for a string (UTF-8's worst case). */
function maxBodyBytes(body: Uint8Array | string | undefined): number {
  return typeof body === 'string' ? body.length * 3 : (body?.length ?? 0);
}

// In Node, Buffer writes UTF-8 at an offset natively without allocating a view per call; elsewhere (browsers)
// TextEncoder.encodeInto does the same job. Only bytes that were written are ever sent, so allocUnsafe is safe.
interface NodeBufferLike {
  allocUnsafe(n: number): Uint8Array;
  prototype: { utf8Write?: unknown };
}
const NodeBuffer = (globalThis as { Buffer?: NodeBufferLike }).Buffer;
const hasUtf8Write = typeof NodeBuffer?.prototype.utf8Write === 'function';

function allocBytes(n: number): Uint8Array {
  return NodeBuffer !== undefined ? NodeBuffer.allocUnsafe(n) : new Uint8Array(n);
}

function writeUtf8(buf: Uint8Array, at: number, text: string): number {
  if (hasUtf8Write) return (buf as unknown as { utf8Write(s: string, offset: number): number }).utf8Write(text, at);
  return encoder.encodeInto(text, buf.subarray(at)).written;
}

export interface SowRecord {
  readonly header: Header;
  readonly body: Uint8Array;
}

/**
 * The length prefix and header of a frame whose `bodyLength`-byte body is written separately, so a server can
 * share one body buffer among all the subscribers it delivers to.
 */
export function encodeFrameHead(header: Header, bodyLength: number, options?: EncodeOptions): Uint8Array {
  const headerText = encodeHeader(header, options);
  const headerLength = utf8Length(headerText);
  const out = allocBytes(4 + headerLength);
  writeLength(out, 0, headerLength + bodyLength);
  writeUtf8(out, 4, headerText);
  return out;
}

/**
 * A server `sow` batch as the pieces of ONE frame, in order: length prefix, batch header (with `bs` = record
 * count), then each record's header (with `l` = its data length) and its data. Record data is not copied.
 * This is the layout the official C/C++/Python client parses.
 */
export function encodeSowBatchParts(batchHeader: Header, records: readonly SowRecord[], options?: EncodeOptions): Uint8Array[] {
  const parts: Uint8Array[] = [EMPTY, encoder.encode(encodeHeader({ ...batchHeader, batchSize: records.length }, options))];
  let total = parts[1].length;
  for (const r of records) {
    const h = encoder.encode(encodeHeader({ ...r.header, messageLength: r.body.length }, options));
    parts.push(h, r.body);
    total += h.length + r.body.length;
  }
  const prefix = new Uint8Array(4);
  writeLength(prefix, 0, total);
  parts[0] = prefix;
  return parts;
}

/** encodeSowBatchParts joined into one buffer. */
export function encodeSowBatch(batchHeader: Header, records: readonly SowRecord[], options?: EncodeOptions): Uint8Array {
  return concatBytes(encodeSowBatchParts(batchHeader, records, options));
}

function writeLength(out: Uint8Array, at: number, n: number): void {
  out[at] = n >>> 24;
  out[at + 1] = (n >>> 16) & 0xff;
  out[at + 2] = (n >>> 8) & 0xff;
  out[at + 3] = n & 0xff;
}

/** UTF-8 byte length of a string without encoding it (lone surrogates count as U+FFFD, as TextEncoder writes). */
export function utf8Length(s: string): number {
  let n = s.length;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c < 0x80) continue;
    if (c < 0x800) n += 1;
    else if (c >= 0xd800 && c <= 0xdbff && i + 1 < s.length && (s.charCodeAt(i + 1) & 0xfc00) === 0xdc00) {
      n += 2; // a pair: two code units, four bytes
      i++;
    } else n += 2;
  }
  return n;
}

/** Writes a string into `out` at `at`; plain ASCII is copied by char codes, anything else through TextEncoder. */
function writeText(out: Uint8Array, at: number, s: string, byteLength: number): void {
  if (byteLength === s.length) {
    for (let i = 0; i < s.length; i++) out[at + i] = s.charCodeAt(i);
  } else {
    encoder.encodeInto(s, out.subarray(at, at + byteLength));
  }
}
