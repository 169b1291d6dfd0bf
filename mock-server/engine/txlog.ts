// Transaction log (semantics §6): bookmarks, duplicate detection, replay, optional on-disk persistence.
import type { Clock } from './clock.js';
import { Doc, type MessageType } from './message.js';
import type { CompiledFilter } from './filter/index.js';
import type { TopicMatcher } from './topic.js';

export type LoggedCommand = 'publish' | 'delta_publish' | 'sow_delete';

export interface TxEntry {
  /** 0-based position in the log. */
  readonly index: number;
  /** `<clientNameHash>|<seq>|`. */
  readonly bookmark: string;
  readonly publisher: string;
  /** Sequence part of the bookmark (the publisher's `s`, or a server-assigned increasing number). */
  readonly sequence: bigint;
  readonly clientName: string;
  /** The `s` the client sent, if any. */
  readonly clientSequence?: bigint;
  readonly command: LoggedCommand;
  readonly topic: string;
  readonly doc: Doc;
  /** Server time (ms) when logged (monotonic non-decreasing). */
  readonly timestamp: number;
  readonly sowKey?: string;
  readonly correlationId?: string;
  readonly expiration?: number;
}

export interface AppendInput {
  readonly clientName: string;
  /** The publish's `s`; absent → the server assigns the next bookmark sequence for this publisher. */
  readonly sequence?: bigint;
  readonly topic: string;
  readonly data: Uint8Array | Doc;
  readonly messageType?: MessageType;
  readonly command?: LoggedCommand;
  readonly sowKey?: string;
  readonly correlationId?: string;
  readonly expiration?: number;
}

export type AppendResult =
  | { readonly duplicate: false; readonly entry: TxEntry }
  /** (client name, s) already seen: drop the message; `lastSequence` is the highest s seen for the name. */
  | { readonly duplicate: true; readonly lastSequence: bigint };

export interface ReplayOptions {
  /** Topic of the subscription (string = exact). Undefined: all topics. */
  readonly topic?: TopicMatcher | string;
  readonly filter?: CompiledFilter;
  /** `bookmark_not_found` option: default `now`; `fail` throws EngineError `invalid bookmark`. */
  readonly notFound?: 'now' | 'epoch' | 'fail';
}

export interface ReplayPlan {
  /** Log index of the first entry after the start point (replay covers [startIndex, end of log)). */
  readonly startIndex: number;
  /** Matching entries to replay now, in log order (already bounded by a range end). */
  readonly messages: TxEntry[];
  /** A range whose end was reached during replay: send `completed` and do not go live. */
  readonly completed: boolean;
  /** True when no listed bookmark was found (the plan then starts per `notFound`, default NOW). */
  readonly notFound: boolean;
  /** For a live entry appended after the plan was made: false once past a range end (then complete). */
  inRange(entry: TxEntry): boolean;
}

export interface TransactionLogOptions {
  readonly clock?: Clock;
  /** Directory for the on-disk log; undefined = memory only. */
  readonly dataDir?: string;
  /** File name inside dataDir (default `txlog.dat`). */
  readonly fileName?: string;
}

export class TransactionLog {
  /** Opens (and, with a dataDir, reloads) a log. A torn or corrupt tail record is dropped and truncated. */
  constructor(opts: TransactionLogOptions = {}) {
    void opts;
  }
  append(input: AppendInput): AppendResult {
    void input;
    throw new Error('not implemented');
  }
  /** Highest client `s` seen for this client name (0n if none): the logon ack's `s`. */
  lastSequence(clientName: string): bigint {
    void clientName;
    throw new Error('not implemented');
  }
  /** Bookmark of the last message from this client name (for the logon ack's `bm`), or undefined. */
  lastBookmark(clientName: string): string | undefined {
    void clientName;
    throw new Error('not implemented');
  }
  /** Bookmark of the newest entry in the log, or undefined when empty. */
  get lastLogBookmark(): string | undefined {
    throw new Error('not implemented');
  }
  get size(): number {
    throw new Error('not implemented');
  }
  at(index: number): TxEntry | undefined {
    void index;
    throw new Error('not implemented');
  }
  /** Entry for one exact `pub|seq|` bookmark. */
  find(bookmark: string): TxEntry | undefined {
    void bookmark;
    throw new Error('not implemented');
  }
  /**
   * Plans a bookmark subscription: EPOCH `0`, NOW `0|1|`, `pub|seq|` (exclusive), a comma list (earliest found),
   * a timestamp (first entry at/after), a range `[a:b]` / `(a:b)`. Unknown bookmark → NOW (or per notFound).
   * Throws EngineError `invalid bookmark` for unparsable text when notFound is `fail`.
   */
  replay(bookmark: string, opts: ReplayOptions = {}): ReplayPlan {
    void bookmark;
    void opts;
    throw new Error('not implemented');
  }
  /** Closes the file (if any). */
  close(): void {
    throw new Error('not implemented');
  }
}
