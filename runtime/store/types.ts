// Types shared by the stores.

export type { Header } from '../../generated/header-fields.js';

/**
 * What a publish store needs from a header: the 64-bit `sequence` (wire `s`). The stores are generic over the
 * header type so the client can use `Header` from generated/header-fields.ts (a plain object keyed by property
 * names) and get the same type back from `replay`. A file store persists every own enumerable property of the
 * header as JSON (bigints tagged, see file-publish-store.ts), so headers must be plain data.
 */
export interface StoreHeader {
  sequence?: bigint;
}

/** Where file stores report recoverable problems (a torn tail, a skipped record). Defaults to `process.emitWarning`. */
export interface StoreLogger {
  warn(message: string): void;
}

export const defaultStoreLogger: StoreLogger = {
  warn(message: string): void {
    const proc = (globalThis as { process?: { emitWarning?: (m: string, o: { code: string }) => void } }).process;
    if (proc?.emitWarning) proc.emitWarning(message, { code: 'AMPS_STORE' });
    else console.warn(message);
  },
};

/**
 * How a file store makes writes durable. Every record is written with one `write(2)` before the call that
 * produced it returns, so it survives the process being killed in all modes; the mode only decides what survives
 * an OS crash or power loss:
 * - `always`: `fsync` after every record (nothing acknowledged to the caller is ever lost; slowest);
 * - `interval`: `fsync` at most every `fsyncIntervalMs` when something was written (loses at most that window);
 * - `never`: leave it to the OS.
 */
export type FsyncMode = 'always' | 'interval' | 'never';

export interface FileStoreOptions {
  readonly fsync?: FsyncMode;
  /** For `fsync: 'interval'`. Default 100 ms. */
  readonly fsyncIntervalMs?: number;
  readonly logger?: StoreLogger;
  /**
   * Take the cross-process lock file `<path>.lock` (default true): a second process opening a store file in use
   * fails instead of interleaving writes. A lock left by a dead process is taken over.
   */
  readonly lock?: boolean;
}
