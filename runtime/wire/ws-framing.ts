// WebSocket framing, as the official AMPS JavaScript client and the AMPS `websocket` protocol use it.
//
// Client -> server, per command: a 4-byte LITTLE-endian count of the frames that follow (not a byte length),
// the header as a text frame, then the body frames. Before logon the client sends one text frame, `text` for
// the json message type and `binary` otherwise, telling the server which frame type to use for bodies.
// Server -> client: no count frame. A header text frame, then: one body frame for `p`/`oof` unless `l` is 0;
// for `sow`, `bs` pairs of (record header text frame, record body frame); nothing for the other kinds.

import type { Header } from '../../generated/header-fields.js';
import { StreamException } from '../../generated/errors.js';
import { decodeHeaderText, encodeHeader } from './header-codec.js';
import { concatBytes, mergeRecordHeader, utf8Length, type SowRecord } from './tcp-framing.js';
import type { InboundMessage } from './message.js';

export type WsFrame = string | Uint8Array;
export type WsBodyType = 'text' | 'binary';

const encoder = new TextEncoder();
const decoder = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

/** The frame a client sends right after the socket opens. */
export function wsPreamble(messageType: string): WsBodyType {
  return messageType.toLowerCase() === 'json' ? 'text' : 'binary';
}

function countFrame(n: number): Uint8Array {
  const b = new Uint8Array(4);
  b[0] = n & 0xff;
  b[1] = (n >>> 8) & 0xff;
  b[2] = (n >>> 16) & 0xff;
  b[3] = (n >>> 24) & 0xff;
  return b;
}

/**
 * Frames for one client command: count, header text, and the body (text for strings, binary for bytes). This is
 * the official JS client's rule too: its json helper produces strings, and bytes it is given go as binary.
 */
export function encodeWsCommand(header: Header, body?: WsFrame): WsFrame[] {
  const hasBody = body !== undefined && body.length > 0;
  const headerText = encodeHeader(header);
  return hasBody ? [COUNT_TWO, headerText, body] : [COUNT_ONE, headerText];
}

/** As encodeWsCommand, with a header encoded beforehand. */
export function encodeWsCommandText(headerText: string, body?: WsFrame): WsFrame[] {
  return body !== undefined && body.length > 0 ? [COUNT_TWO, headerText, body] : [COUNT_ONE, headerText];
}

// Shared, never mutated by us; WebSocket implementations copy a frame before masking it (the ws package treats
// typed-array views as read-only), so one instance serves every command.
const COUNT_ONE = countFrame(1);
const COUNT_TWO = countFrame(2);

function asText(frame: WsFrame): string {
  return typeof frame === 'string' ? frame : decoder.decode(frame);
}

function asBytes(frame: WsFrame): Uint8Array {
  return typeof frame === 'string' ? encoder.encode(frame) : frame;
}

/** Client side: turns the server's frames back into messages. */
export class WsInboundParser {
  private header: Header | undefined;
  private remainingRecords = 0;
  private recordHeader: Header | undefined;

  push(frame: WsFrame): InboundMessage[] {
    if (this.header === undefined) return this.onHeader(decodeHeaderText(asText(frame)));
    const batch = this.header;
    if (batch.command === 'sow') {
      if (this.recordHeader === undefined) {
        this.recordHeader = decodeHeaderText(asText(frame));
        return [];
      }
      const message = { header: mergeRecordHeader(batch, this.recordHeader), body: asBytes(frame) };
      this.recordHeader = undefined;
      if (--this.remainingRecords === 0) this.header = undefined;
      return [message];
    }
    this.header = undefined;
    return [{ header: batch, body: asBytes(frame) }];
  }

  private onHeader(header: Header): InboundMessage[] {
    switch (header.command) {
      case 'publish':
      case 'oof':
        if (header.messageLength === 0) return [{ header, body: EMPTY }];
        if (header.messageLength !== undefined && (!Number.isSafeInteger(header.messageLength) || header.messageLength < 0)) {
          throw new StreamException(`bad message length ${String(header.messageLength)}`);
        }
        this.header = header; // a missing `l` means a body frame follows
        return [];
      case 'sow': {
        const records = header.batchSize ?? 0;
        if (!Number.isSafeInteger(records) || records < 0) {
          throw new StreamException(`sow batch announces ${String(records)} records`);
        }
        if (records === 0) return [];
        this.header = header;
        this.remainingRecords = records;
        return [];
      }
      default:
        return [{ header, body: EMPTY }];
    }
  }
}

/** Server side: assembles client commands from count/header/body frames. */
export class WsCommandAssembler {
  /** Body frame type the client asked for in its preamble (`text` for json). */
  bodyType: WsBodyType | undefined;
  private expected = 0;
  private header: Header | undefined;
  private parts: Uint8Array[] = [];
  private assembled = 0;
  /** Set when a command went past maxCommandBytes: the connection should close, as it does for TCP. */
  overLimit = false;

  /** `maxCommandBytes` bounds a whole command (header and every body frame), not just each frame. */
  constructor(private readonly maxCommandBytes = Number.MAX_SAFE_INTEGER) {}

  /** Returns a message when the frame completes a command. Malformed sequences raise StreamException. */
  push(frame: WsFrame): InboundMessage | undefined {
    if (this.expected === 0) {
      if (typeof frame === 'string') {
        if (frame === 'text' || frame === 'binary') {
          this.bodyType = frame;
          return undefined;
        }
        // Lenient: a header sent without its count frame is taken as a header-only command.
        return { header: decodeHeaderText(frame), body: EMPTY };
      }
      if (frame.length !== 4) throw new StreamException(`expected a 4-byte frame count, got ${frame.length} bytes`);
      const count = (frame[0] | (frame[1] << 8) | (frame[2] << 16) | (frame[3] << 24)) >>> 0;
      if (count < 1 || count > 1_000_000) throw new StreamException(`bad frame count ${count}`);
      this.expected = count;
      return undefined;
    }
    this.assembled += frame.length;
    if (this.assembled > this.maxCommandBytes) {
      this.overLimit = true;
      throw new StreamException(`command of more than ${this.maxCommandBytes} bytes exceeds the limit`);
    }
    if (this.header === undefined) {
      this.header = decodeHeaderText(asText(frame));
    } else {
      this.parts.push(asBytes(frame));
    }
    if (--this.expected > 0) return undefined;
    const header = this.header;
    const body = this.parts.length === 0 ? EMPTY : this.parts.length === 1 ? this.parts[0] : concatBytes(this.parts);
    this.header = undefined;
    this.parts = [];
    this.assembled = 0;
    return { header, body };
  }
}

function bodyFrame(body: WsFrame, type: WsBodyType): WsFrame {
  if (type === 'text') return asText(body);
  return asBytes(body);
}

function byteLength(body: WsFrame | undefined): number {
  if (body === undefined) return 0;
  return typeof body === 'string' ? utf8Length(body) : body.length;
}

/**
 * Server side: frames for one message. `p`/`oof` always carry a numeric `l` (0 = no body frame follows),
 * which the official JS client relies on.
 */
export function encodeWsServerMessage(
  header: Header,
  body: WsFrame | undefined,
  type: WsBodyType,
  /** The body's UTF-8 byte length when the caller knows it (saves a scan of a text body per subscriber). */
  length = byteLength(body),
): WsFrame[] {
  const command = header.command;
  if (command === 'publish' || command === 'p' || command === 'oof') {
    const text = encodeHeader(header.messageLength === length ? header : { ...header, messageLength: length }, { server: true });
    return length === 0 ? [text] : [text, bodyFrame(body as WsFrame, type)];
  }
  const text = encodeHeader(header, { server: true });
  return length > 0 ? [text, bodyFrame(body as WsFrame, type)] : [text];
}

/** Server side: a sow batch as a header frame (`bs` = records) and a (record header, body) pair per record. */
export function encodeWsSowBatch(batchHeader: Header, records: readonly SowRecord[], type: WsBodyType): WsFrame[] {
  const frames: WsFrame[] = [encodeHeader({ ...batchHeader, batchSize: records.length }, { server: true })];
  for (const r of records) {
    frames.push(encodeHeader({ ...r.header, messageLength: r.body.length }, { server: true }));
    frames.push(bodyFrame(r.body, type));
  }
  return frames;
}
