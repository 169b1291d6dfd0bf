// Composite message bodies (`composite-local`, `composite-global`, ...).
//
// Byte layout (what AMPS and every official client produce and expect), for each part in order:
//
//   +----------------------------+---------------------------+
//   | length: uint32 big-endian  | `length` bytes of payload |
//   +----------------------------+---------------------------+
//
// Nothing else: no part count, no header, no padding, no trailing terminator. A zero-length part is encoded as
// `00 00 00 00`. An empty composite (no parts) is zero bytes. Text parts are UTF-8. Example, parts `{"a":1}`
// and bytes `01 02`:
//
//   00 00 00 07 7b 22 61 22 3a 31 7d 00 00 00 02 01 02

import { CompositeMessageFormatError } from './errors.js';

const utf8Encoder = new TextEncoder();
const utf8Decoder = new TextDecoder('utf-8');
const MAX_PART = 0xffffffff;

/**
 * Assembles a composite message body. Parts are copied when appended (later changes to the caller's buffers do
 * not affect the message) and cannot be changed once added; `clear()` starts over.
 */
export class CompositeMessageBuilder {
  private parts: Uint8Array[] = [];
  private total = 0;

  /** Appends one part: a string (encoded as UTF-8) or bytes (copied). Returns this, for chaining. */
  append(part: string | Uint8Array): this {
    const bytes = typeof part === 'string' ? utf8Encoder.encode(part) : part.slice();
    if (bytes.byteLength > MAX_PART) {
      throw new RangeError(`composite part of ${bytes.byteLength} bytes exceeds the 4-byte length prefix`);
    }
    this.parts.push(bytes);
    this.total += 4 + bytes.byteLength;
    return this;
  }

  /** Number of parts appended so far. */
  get partCount(): number {
    return this.parts.length;
  }

  /** Size in bytes of what `data()` returns. */
  get byteLength(): number {
    return this.total;
  }

  /** The serialized body: for each part, its 4-byte big-endian length then its bytes. A fresh copy each call. */
  data(): Uint8Array {
    const out = new Uint8Array(this.total);
    const view = new DataView(out.buffer);
    let at = 0;
    for (const p of this.parts) {
      view.setUint32(at, p.byteLength, false);
      out.set(p, at + 4);
      at += 4 + p.byteLength;
    }
    return out;
  }

  /** Removes every part. */
  clear(): this {
    this.parts = [];
    this.total = 0;
    return this;
  }
}

/**
 * Splits a composite message body into its parts. `parse` validates the whole input first (so a truncated body
 * raises `CompositeMessageFormatError` and leaves the parser empty); parts are then views into the parsed bytes,
 * not copies, valid as long as the caller does not reuse that buffer.
 */
export class CompositeMessageParser {
  private bytes: Uint8Array = new Uint8Array(0);
  private starts: number[] = [];
  private lengths: number[] = [];

  /**
   * Parses `body` (bytes, or a string taken as UTF-8) and returns the number of parts. Throws
   * `CompositeMessageFormatError` when a length prefix is cut short or a part runs past the end of the input.
   */
  parse(body: Uint8Array | string): number {
    const bytes = typeof body === 'string' ? utf8Encoder.encode(body) : body;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const starts: number[] = [];
    const lengths: number[] = [];
    let at = 0;
    const end = bytes.byteLength;
    while (at < end) {
      if (end - at < 4) {
        this.reset();
        throw new CompositeMessageFormatError(
          `composite part ${starts.length}: length prefix truncated (${end - at} of 4 bytes)`,
          at,
        );
      }
      const len = view.getUint32(at, false);
      if (len > end - at - 4) {
        this.reset();
        throw new CompositeMessageFormatError(
          `composite part ${starts.length}: declares ${len} bytes but only ${end - at - 4} remain`,
          at,
        );
      }
      starts.push(at + 4);
      lengths.push(len);
      at += 4 + len;
    }
    this.bytes = bytes;
    this.starts = starts;
    this.lengths = lengths;
    return starts.length;
  }

  /** Number of parts found by the last successful `parse`. */
  get partCount(): number {
    return this.starts.length;
  }

  /** Part `index` as a view into the parsed bytes. Throws RangeError for an index out of range. */
  part(index: number): Uint8Array {
    this.check(index);
    const start = this.starts[index]!;
    return this.bytes.subarray(start, start + this.lengths[index]!);
  }

  /** Part `index` decoded as UTF-8 text. */
  partString(index: number): string {
    return utf8Decoder.decode(this.part(index));
  }

  /** Every part, as views. */
  parts(): Uint8Array[] {
    return this.starts.map((_, i) => this.part(i));
  }

  private check(index: number): void {
    if (!Number.isInteger(index) || index < 0 || index >= this.starts.length) {
      throw new RangeError(`composite part ${index} out of range (${this.starts.length} parts)`);
    }
  }

  private reset(): void {
    this.bytes = new Uint8Array(0);
    this.starts = [];
    this.lengths = [];
  }
}
