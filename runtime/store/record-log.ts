// Append-only record log shared by the file-backed stores.
//
// File layout:
//
//   magic: 8 ASCII bytes identifying the store kind and format version (e.g. `AMPSPS01`)
//   record*, each:
//     +--------------------+--------------------+-----------+------------------------+
//     | len: uint32 BE     | crc: uint32 BE     | type: u8  | body: len - 1 bytes    |
//     +--------------------+--------------------+-----------+------------------------+
//     len counts type + body (>= 1); crc = CRC-32 (IEEE, as zlib) of those len bytes.
//
// Each record is written with a single write(2) before the caller's operation returns, so a killed process
// leaves at most one partial record, at the tail. Opening a log replays every whole record whose CRC matches
// and stops at the first that is short, zero-length, or fails its CRC: that tail is cut off (ftruncate) with a
// warning through the logger. Earlier records are never touched. Compaction (`rewrite`) writes a complete new
// file next to the old one, fsyncs it, renames it over the old one and fsyncs the directory, so a crash leaves
// either the old or the new file, both whole.

import type * as NodeFs from 'node:fs';
import type * as NodePath from 'node:path';
import type * as NodeZlib from 'node:zlib';
import { StoreClosedException, StoreFormatException } from './errors.js';
import { defaultStoreLogger, type FileStoreOptions, type FsyncMode, type StoreLogger } from './types.js';

export const RECORD_HEADER_BYTES = 9; // len + crc + type

// ---------------------------------------------------------------------------------------------------- CRC-32

// Node built-ins are fetched synchronously at run time rather than imported, so a browser bundle of the client
// (which has no file stores to offer) builds without them. process.getBuiltinModule exists from Node 20.16.
type BuiltinLoader = (id: string) => unknown;
const getBuiltin = (globalThis as { process?: { getBuiltinModule?: BuiltinLoader } }).process?.getBuiltinModule;
const fs = getBuiltin?.('node:fs') as typeof NodeFs;
const path = getBuiltin?.('node:path') as typeof NodePath;
const zlib = getBuiltin?.('node:zlib') as typeof NodeZlib | undefined;

const nativeCrc32 = (zlib as unknown as { crc32?: (data: Uint8Array, value?: number) => number } | undefined)?.crc32;
let table: Uint32Array | undefined;

/** Table-driven CRC-32, used when node:zlib has no crc32 (Node < 20.15). Exported for tests. */
export function jsCrc32(data: Uint8Array): number {
  if (!table) {
    table = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      table[n] = c >>> 0;
    }
  }
  let crc = 0xffffffff;
  for (let i = 0; i < data.length; i++) crc = table[(crc ^ data[i]!) & 0xff]! ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 (IEEE 802.3, the zlib/PNG one). Uses node:zlib's when available (Node >= 20.15). */
export function crc32(data: Uint8Array): number {
  return nativeCrc32 ? nativeCrc32(data) >>> 0 : jsCrc32(data);
}

// ---------------------------------------------------------------------------------------------------- records

export interface LogRecord {
  readonly type: number;
  /** The record body (after the type byte): a view into the file contents read at open. */
  readonly body: Uint8Array;
  /** Total bytes the record occupies in the file (header included). */
  readonly size: number;
}

/** Encodes one record: header + type + the concatenated parts. */
export function encodeRecord(type: number, parts: readonly Uint8Array[]): Uint8Array {
  let bodyLen = 0;
  for (const p of parts) bodyLen += p.byteLength;
  const out = new Uint8Array(RECORD_HEADER_BYTES + bodyLen);
  out[8] = type;
  let at = RECORD_HEADER_BYTES;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength;
  }
  const view = new DataView(out.buffer);
  view.setUint32(0, 1 + bodyLen, false);
  view.setUint32(4, crc32(out.subarray(8)), false);
  return out;
}

/** Parses records from `bytes[start..]`; returns them and the offset just past the last whole valid record. */
export function decodeRecords(bytes: Uint8Array, start: number): { records: LogRecord[]; validEnd: number; reason?: string } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const records: LogRecord[] = [];
  let at = start;
  while (at < bytes.byteLength) {
    const remaining = bytes.byteLength - at;
    if (remaining < RECORD_HEADER_BYTES) return { records, validEnd: at, reason: `${remaining}-byte partial record header` };
    const len = view.getUint32(at, false);
    if (len < 1) return { records, validEnd: at, reason: 'zero-length record' };
    if (len > remaining - 8) return { records, validEnd: at, reason: `record of ${len} bytes cut short at ${remaining - 8}` };
    const payload = bytes.subarray(at + 8, at + 8 + len);
    if (crc32(payload) !== view.getUint32(at + 4, false)) return { records, validEnd: at, reason: 'CRC mismatch' };
    records.push({ type: payload[0]!, body: payload.subarray(1), size: 8 + len });
    at += 8 + len;
  }
  return { records, validEnd: at };
}

// ---------------------------------------------------------------------------------------------------- the log

const openPaths = new Set<string>();

export interface OpenedLog {
  readonly log: RecordLog;
  readonly records: LogRecord[];
}

/**
 * One open log file. Opening the same file twice (in this process, or in another live process while the lock
 * file is held) throws.
 */
export class RecordLog {
  readonly path: string;
  private readonly magic: Uint8Array;
  private readonly fsyncMode: FsyncMode;
  private readonly logger: StoreLogger;
  private fd: number;
  private bytes: number;
  private dirty = false;
  private timer: NodeJS.Timeout | undefined;
  private closed = false;
  private readonly locked: boolean;

  private constructor(filePath: string, magic: Uint8Array, fd: number, size: number, options: FileStoreOptions) {
    this.path = filePath;
    this.magic = magic;
    this.fd = fd;
    this.bytes = size;
    this.fsyncMode = options.fsync ?? 'interval';
    this.logger = options.logger ?? defaultStoreLogger;
    this.locked = options.lock !== false;
    if (this.fsyncMode === 'interval') {
      const ms = options.fsyncIntervalMs ?? 100;
      this.timer = setInterval(() => {
        try {
          this.syncIfDirty();
        } catch (e) {
          // Never an uncaught exception from a timer: report and retry at the next tick.
          this.dirty = true;
          this.logger.warn(`store ${this.path}: fsync failed: ${e instanceof Error ? e.message : String(e)}`);
        }
      }, ms);
      this.timer.unref();
    }
  }

  /**
   * Opens (creating if needed) the log at `filePath`, recovers its records and truncates a torn tail.
   * `magic` must be 8 ASCII characters. Throws StoreFormatException for a file with another magic.
   */
  static open(filePath: string, magic: string, options: FileStoreOptions = {}): OpenedLog {
    if (fs === undefined) {
      throw new StoreFormatException('file-backed stores need Node.js 20.16 or later (no file system here); use a memory store');
    }
    const magicBytes = new TextEncoder().encode(magic);
    if (magicBytes.byteLength !== 8) throw new RangeError('log magic must be 8 bytes');
    const abs = path.resolve(filePath);
    if (openPaths.has(abs)) throw new StoreFormatException(`store file ${abs} is already open in this process`);
    const logger = options.logger ?? defaultStoreLogger;
    if (options.lock !== false) RecordLog.lock(abs);
    try {
      return RecordLog.openLocked(abs, magic, magicBytes, options, logger);
    } catch (e) {
      if (options.lock !== false) releaseLock(abs);
      throw e;
    }
  }

  private static openLocked(
    abs: string,
    magic: string,
    magicBytes: Uint8Array,
    options: FileStoreOptions,
    logger: StoreLogger,
  ): OpenedLog {
    removeStaleTemps(abs);

    let contents: Uint8Array | undefined;
    try {
      contents = fs.readFileSync(abs);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'ENOENT') throw e;
    }
    let records: LogRecord[] = [];
    if (contents === undefined || contents.byteLength < 8) {
      if (contents !== undefined && contents.byteLength > 0 && !isPrefix(contents, magicBytes)) {
        throw new StoreFormatException(`${abs} is not a ${magic} store file`);
      }
      if (contents !== undefined && contents.byteLength > 0) {
        logger.warn(`store ${abs}: ${contents.byteLength}-byte partial file header; reinitialised`);
      }
      // Create through a temp file + rename, so the file never exists without its magic.
      writeWhole(abs, [magicBytes]);
    } else {
      if (!isPrefix(magicBytes, contents)) throw new StoreFormatException(`${abs} is not a ${magic} store file`);
      const decoded = decodeRecords(contents, 8);
      records = decoded.records;
      if (decoded.validEnd < contents.byteLength) {
        logger.warn(
          `store ${abs}: dropped ${contents.byteLength - decoded.validEnd} bytes after offset ${decoded.validEnd} ` +
            `(${decoded.reason}); kept ${records.length} whole records`,
        );
        fs.truncateSync(abs, decoded.validEnd);
      }
    }
    const size = contents === undefined || contents.byteLength < 8 ? 8 : 8 + sumSizes(records);
    const fd = fs.openSync(abs, 'a');
    openPaths.add(abs);
    return { log: new RecordLog(abs, magicBytes, fd, size, options), records };
  }

  /**
   * Takes the cross-process lock `<file>.lock` (holding the owner's pid). A lock whose pid is not alive is
   * stale (e.g. left by a killed process) and taken over. Throws StoreFormatException when a live process
   * holds it. Pid checks cannot see other hosts or pid namespaces sharing the directory: one store, one host.
   */
  private static lock(abs: string): void {
    const lockPath = `${abs}.lock`;
    for (let attempt = 0; attempt < 3; attempt++) {
      try {
        fs.writeFileSync(lockPath, String(process.pid), { flag: 'wx' });
        return;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw e;
      }
      const owner = Number.parseInt(readOrEmpty(lockPath), 10);
      if (Number.isInteger(owner) && owner > 0 && owner !== process.pid && isAlive(owner)) {
        throw new StoreFormatException(`store file ${abs} is in use by process ${owner} (${lockPath})`);
      }
      try {
        fs.unlinkSync(lockPath);
      } catch {
        // raced with another opener: retry
      }
    }
    throw new StoreFormatException(`could not lock store file ${abs}`);
  }

  /** Current file size in bytes. */
  get size(): number {
    return this.bytes;
  }

  /** Appends one record with a single write; fsyncs according to the mode. */
  append(type: number, parts: readonly Uint8Array[]): number {
    this.checkOpen();
    const rec = encodeRecord(type, parts);
    try {
      writeFully(this.fd, rec);
    } catch (e) {
      // A partial write (ENOSPC, EIO) must not stay in the middle of the log: cut back to the last whole record.
      try {
        fs.ftruncateSync(this.fd, this.bytes);
      } catch {
        // The next open truncates the torn tail anyway.
      }
      throw e;
    }
    this.bytes += rec.byteLength;
    if (this.fsyncMode === 'always') fs.fdatasyncSync(this.fd);
    else this.dirty = true;
    return rec.byteLength;
  }

  /** Replaces the whole file with `records` (temp file + fsync + rename + directory fsync). */
  rewrite(records: Iterable<{ type: number; parts: readonly Uint8Array[] }>): void {
    this.checkOpen();
    const chunks: Uint8Array[] = [this.magic];
    for (const r of records) chunks.push(encodeRecord(r.type, r.parts));
    fs.closeSync(this.fd);
    this.fd = -1;
    try {
      writeWhole(this.path, chunks);
    } finally {
      this.fd = fs.openSync(this.path, 'a');
    }
    this.bytes = fs.fstatSync(this.fd).size;
    this.dirty = false;
  }

  /** fsync now if anything was written since the last one. */
  syncIfDirty(): void {
    if (this.closed || !this.dirty) return;
    this.dirty = false;
    fs.fdatasyncSync(this.fd);
  }

  close(): void {
    if (this.closed) return;
    if (this.timer) clearInterval(this.timer);
    try {
      if (this.fsyncMode !== 'never') this.syncIfDirty();
    } finally {
      // Release the file even when the last fsync failed (the error still reaches the caller).
      this.closed = true;
      fs.closeSync(this.fd);
      openPaths.delete(this.path);
      if (this.locked) releaseLock(this.path);
    }
  }

  get isClosed(): boolean {
    return this.closed;
  }

  private checkOpen(): void {
    if (this.closed) throw new StoreClosedException(`store file ${this.path} is closed`);
  }
}

function readOrEmpty(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return '';
  }
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

function releaseLock(abs: string): void {
  const lockPath = `${abs}.lock`;
  if (readOrEmpty(lockPath) === String(process.pid)) {
    try {
      fs.unlinkSync(lockPath);
    } catch {
      // already gone
    }
  }
}

/** Removes `<file>.tmp-<pid>` left by a compaction that a killed process never finished. */
function removeStaleTemps(abs: string): void {
  const dir = path.dirname(abs);
  const prefix = `${path.basename(abs)}.tmp-`;
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const name of names) {
    if (!name.startsWith(prefix)) continue;
    const pid = Number.parseInt(name.slice(prefix.length), 10);
    if (pid === process.pid || !isAlive(pid)) {
      try {
        fs.unlinkSync(path.join(dir, name));
      } catch {
        // ignore
      }
    }
  }
}

function sumSizes(records: readonly LogRecord[]): number {
  let n = 0;
  for (const r of records) n += r.size;
  return n;
}

function isPrefix(prefix: Uint8Array, of: Uint8Array): boolean {
  if (prefix.byteLength > of.byteLength) return false;
  for (let i = 0; i < prefix.byteLength; i++) if (prefix[i] !== of[i]) return false;
  return true;
}

function writeFully(fd: number, data: Uint8Array): void {
  let off = 0;
  while (off < data.byteLength) off += fs.writeSync(fd, data, off, data.byteLength - off);
}

/** Writes `chunks` to `target` atomically: temp file, fsync, rename, fsync of the directory. */
function writeWhole(target: string, chunks: readonly Uint8Array[]): void {
  const tmp = `${target}.tmp-${process.pid}`;
  try {
    const fd = fs.openSync(tmp, 'w');
    try {
      for (const c of chunks) writeFully(fd, c);
      fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    fs.renameSync(tmp, target);
  } catch (e) {
    try {
      fs.unlinkSync(tmp);
    } catch {
      // never created
    }
    throw e;
  }
  syncDirectory(path.dirname(target));
}

function syncDirectory(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms/filesystems cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}
