// Command preparation: turns what `execute` / `executeAsync` receive (a Command builder or `{ commandName,
// header, data }`) into the header and body to send and the ack bookkeeping the command router needs. Assigns
// command / subscription / query ids, the default batch size of queries, resolves bookmarks (MOST_RECENT, ranges)
// through the client, builds the `a` list (what the caller asked for, plus `processed` when the command's defaults
// have it, plus `persisted` for bookmark subscriptions with a bookmark store and writes with a publish store), and
// stores writes in the publish store. Also the command the convenience methods (`subscribe`, `sow`, ...) build
// from their parameters.

import type { Header } from '../../generated/header-fields.js';
import { COMMAND_SPECS } from '../../generated/commands.js';
import { COMPLETED, PERSISTED, PROCESSED, RECEIVED, STATS, ackBits, ackList } from './ack-bits.js';
import { QUERY_COMMANDS, SUBSCRIBE_COMMANDS, WRITE_COMMANDS } from './command-kinds.js';
import type {
  ClientBookmarkStore,
  ClientPublishStore,
  CommandLike,
  MessageData,
  SowAndSubscribeParams,
  SubscribeParams,
} from './types.js';

const utf8Encoder = new TextEncoder();
const EMPTY_BODY = new Uint8Array(0);

/** What preparation needs from the client (its protected hooks and its stores). */
export interface PrepareEnv {
  newCommandId(): string;
  resolveBookmark(subId: string, requested: string): string;
  serialize(data: object): string;
  bookmarkStore(): ClientBookmarkStore | undefined;
  publishStore(): ClientPublishStore | undefined;
}

export interface PreparedCommand {
  header: Header & Record<string, unknown>;
  body: Uint8Array | string | undefined;
  subscription: boolean;
  query: boolean;
  /** Acks the caller asked for (delivered to its handler / stream). */
  userAcks: number;
  /** Acks sent in `a`. */
  requestAcks: number;
  /** The ack that settles the command (0: settled when sent). */
  resolveOn: number;
  bookmarkSub: boolean;
}

/** Builds the header, body and ack bookkeeping for `command` (a copy: the caller's header is not changed). */
export function prepareCommand(command: CommandLike, env: PrepareEnv): PreparedCommand {
  const src = command.header as Header & Record<string, unknown>;
  const name = (command.commandName ?? src.command) as string;
  const h = { ...src } as Header & Record<string, unknown>;
  h.command = name === 'publish' ? 'p' : name;
  const subscription = SUBSCRIBE_COMMANDS.has(name);
  const query = QUERY_COMMANDS.has(name);
  if (h.commandId === undefined || h.commandId === '') h.commandId = env.newCommandId();
  const cid = h.commandId as string;
  if (subscription && (h.subscriptionId === undefined || h.subscriptionId === '')) h.subscriptionId = cid;
  if (query && (h.queryId === undefined || h.queryId === '')) h.queryId = cid;
  if (query && h.batchSize === undefined) h.batchSize = 10;
  let bookmarkSub = false;
  if (h.bookmark !== undefined) {
    bookmarkSub = name === 'subscribe' || name === 'delta_subscribe';
    if (bookmarkSub) h.bookmark = env.resolveBookmark((h.subscriptionId as string | undefined) ?? cid, h.bookmark);
  }
  const userAcks = ackBits(src.ackType as string | undefined);
  const spec = (COMMAND_SPECS as unknown as Record<string, { defaultAcks?: readonly string[] } | undefined>)[name];
  const defaults = ackBits(spec?.defaultAcks?.join(','));
  let requestAcks = src.ackType === undefined ? defaults : userAcks | (defaults & PROCESSED);
  if (bookmarkSub && env.bookmarkStore() !== undefined) requestAcks |= PERSISTED;
  const write = WRITE_COMMANDS.has(name);
  if (write && env.publishStore() !== undefined && name !== 'sow_delete') {
    requestAcks |= PERSISTED;
  }
  if (requestAcks !== 0) h.ackType = ackList(requestAcks);
  else delete h.ackType;
  let body: Uint8Array | string | undefined;
  const data = command.data as MessageData | undefined | null;
  if (data !== undefined && data !== null) {
    body = typeof data === 'string' || data instanceof Uint8Array ? data : env.serialize(data);
  }
  const publishStore = env.publishStore();
  if (write && publishStore !== undefined && name !== 'sow_delete') {
    if (typeof body === 'string') body = utf8Encoder.encode(body);
    publishStore.store(h, body ?? EMPTY_BODY);
  }
  let resolveOn = 0;
  if (requestAcks & PROCESSED) resolveOn = PROCESSED;
  else if (requestAcks & RECEIVED) resolveOn = RECEIVED;
  else if (requestAcks & COMPLETED) resolveOn = COMPLETED;
  else if (requestAcks & STATS) resolveOn = STATS;
  else if ((requestAcks & PERSISTED) && !write) resolveOn = PERSISTED;
  return { header: h, body, subscription, query, userAcks, requestAcks, resolveOn, bookmarkSub };
}


/** The command `subscribe` / `sow` / `sowAndSubscribe` / ... run, from the convenience method's parameters. */
export function subscriptionCommand(
  command: string,
  topic: string,
  filter: string | undefined,
  params: (SowAndSubscribeParams & SubscribeParams) | undefined,
): CommandLike {
  const h = { command, topic } as Header & Record<string, unknown>;
  if (filter !== undefined && filter !== '') h.filter = filter;
  const subscription = SUBSCRIBE_COMMANDS.has(command);
  const query = QUERY_COMMANDS.has(command);
  if (subscription && params?.subId !== undefined) h.subscriptionId = params.subId;
  if (query && params?.queryId !== undefined) h.queryId = params.queryId;
  if (params?.bookmark !== undefined) h.bookmark = params.bookmark;
  if (query) h.batchSize = params?.batchSize ?? 10;
  if (params?.topN !== undefined) h.topN = params.topN;
  if (params?.orderBy !== undefined) h.orderBy = params.orderBy;
  if (params?.sowKeys !== undefined) h.sowKeys = params.sowKeys;
  if (params?.options !== undefined && params.options !== '') h.options = params.options;
  return { commandName: command, header: h, data: undefined } as unknown as CommandLike;
}
