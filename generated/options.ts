// generated from spec/options.yaml, spec/commands.yaml; do not edit. Run 'npm run generate'.

import type { CommandName } from './commands.js';

/**
 * A command option keyword (sent comma-separated in `o`).
 * - `replace`: Atomically replace the filter, topic or options of the existing subscription `sub_id`; sow_and_subscribe re-runs the query and sends only records not previously delivered.
 * - `oof`: Send out-of-focus (`oof`) messages when records stop matching (SOW topics, views, conflated topics; not bookmark subscriptions).
 * - `no_empties`: Suppress empty (no-change) delta updates.
 * - `send_keys`: Include the key fields in delta messages and sow results.
 * - `no_sowkey`: Omit the SOW key (`k`) header on results.
 * - `timestamp`: Add the server processing time (`ts`) to each result.
 * - `bookmark`: Include `bm` on each delivery without making it a bookmark subscription.
 * - `live`: Bookmark subscriptions: after replay, deliver messages before they are persisted (lower latency, risk of seeing messages that are later lost in failover).
 * - `fully_durable`: Bookmark subscriptions: deliver only messages persisted locally and by every synchronous replication destination.
 * - `pause`: Pause the bookmark subscription(s) named by `sub_id` (comma list allowed; not with `live`).
 * - `resume`: Resume paused bookmark subscription(s) named by `sub_id`.
 * - `rate`: Replay rate limit of a bookmark subscription (`<n>` messages/s, `<n>KB`, or `<x>X` of the original rate).
 * - `rate_max_gap`: With `rate`, the maximum idle gap during replay.
 * - `bookmark_not_found`: What to do when the requested bookmark is unknown (server 5.3.5+; default `now`).
 * - `conflation`: Server-side conflation of this subscription: an interval (e.g. `1s`), `auto` or `none`.
 * - `conflation_key`: Fields identifying records for conflation, e.g. `[/id,/region]`.
 * - `top_n`: Maximum number of records a query returns (preferred over the `top_n` header).
 * - `skip_n`: Number of records to skip (pagination; needs `top_n` and an order by).
 * - `select`: Field projection, e.g. `[-/,+/id,+/qty]`.
 * - `projection`: Aggregation: the projected fields and aggregate expressions.
 * - `grouping`: Aggregation: the fields to group by.
 * - `non_regex_topic`: Treat the topic literally, not as a regular expression.
 * - `max_backlog`: Queue subscriptions: the requested maximum of unacknowledged messages (server default 1; the effective value comes back as `opts: max_backlog=N` on the processed ack).
 * - `cancel`: Queue acknowledgement: return the message to the queue (counts toward MaxCancels).
 * - `expire`: Queue acknowledgement: expire the message immediately.
 * - `lease_extension`: Queue acknowledgement: extend the lease (server support details uncertain).
 * - `start`: Start or refresh the heartbeat timer with an interval of N seconds (`start,N`).
 * - `beat`: Answer a server heartbeat.
 * - `pretty`: The server returns formatted representations of built-in binary message types.
 * - `ack_conflation`: Conflation interval of `persisted` publish acks (default `1s`).
 */
export type OptionName = 'replace' | 'oof' | 'no_empties' | 'send_keys' | 'no_sowkey' | 'timestamp' | 'bookmark' | 'live' | 'fully_durable' | 'pause' | 'resume' | 'rate' | 'rate_max_gap' | 'bookmark_not_found' | 'conflation' | 'conflation_key' | 'top_n' | 'skip_n' | 'select' | 'projection' | 'grouping' | 'non_regex_topic' | 'max_backlog' | 'cancel' | 'expire' | 'lease_extension' | 'start' | 'beat' | 'pretty' | 'ack_conflation';

/**
 * Parameter of an option: none, an integer, an interval (`1s`, `300ms`), a string, or a list
 * (`[a,b]`).
 */
export type OptionParameterKind = 'none' | 'integer' | 'interval' | 'string' | 'list';

/** One option. */
export interface OptionSpec {
  readonly name: OptionName;
  readonly parameter: OptionParameterKind;
  /** Allowed values of a string parameter, when restricted. */
  readonly values?: readonly string[];
  /** Between name and value: `=` (e.g. `max_backlog=5`) or `,` (heartbeat `start,30`). */
  readonly separator: '=' | ',';
  /** Name of the Command builder method that adds the option. */
  readonly helper: string;
  /** Commands that accept the option. */
  readonly commands: readonly CommandName[];
  readonly description: string;
}

/** Every option, in spec order. */
export const OPTION_SPECS: Readonly<Record<OptionName, OptionSpec>> = Object.freeze({
  replace: {
    name: 'replace',
    parameter: 'none',

    separator: '=',
    helper: 'replace',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Atomically replace the filter, topic or options of the existing subscription `sub_id`; sow_and_subscribe re-runs the query and sends only records not previously delivered.',
  },
  oof: {
    name: 'oof',
    parameter: 'none',

    separator: '=',
    helper: 'oof',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Send out-of-focus (`oof`) messages when records stop matching (SOW topics, views, conflated topics; not bookmark subscriptions).',
  },
  no_empties: {
    name: 'no_empties',
    parameter: 'none',

    separator: '=',
    helper: 'noEmpties',
    commands: ['delta_subscribe', 'sow_and_delta_subscribe'],
    description: 'Suppress empty (no-change) delta updates.',
  },
  send_keys: {
    name: 'send_keys',
    parameter: 'none',

    separator: '=',
    helper: 'sendKeys',
    commands: ['delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Include the key fields in delta messages and sow results.',
  },
  no_sowkey: {
    name: 'no_sowkey',
    parameter: 'none',

    separator: '=',
    helper: 'noSowkey',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Omit the SOW key (`k`) header on results.',
  },
  timestamp: {
    name: 'timestamp',
    parameter: 'none',

    separator: '=',
    helper: 'timestampOption',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Add the server processing time (`ts`) to each result.',
  },
  bookmark: {
    name: 'bookmark',
    parameter: 'none',

    separator: '=',
    helper: 'bookmarkOption',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Include `bm` on each delivery without making it a bookmark subscription.',
  },
  live: {
    name: 'live',
    parameter: 'none',

    separator: '=',
    helper: 'live',
    commands: ['subscribe', 'delta_subscribe'],
    description: 'Bookmark subscriptions: after replay, deliver messages before they are persisted (lower latency, risk of seeing messages that are later lost in failover).',
  },
  fully_durable: {
    name: 'fully_durable',
    parameter: 'none',

    separator: '=',
    helper: 'fullyDurable',
    commands: ['subscribe', 'delta_subscribe'],
    description: 'Bookmark subscriptions: deliver only messages persisted locally and by every synchronous replication destination.',
  },
  pause: {
    name: 'pause',
    parameter: 'none',

    separator: '=',
    helper: 'pause',
    commands: ['subscribe', 'delta_subscribe'],
    description: 'Pause the bookmark subscription(s) named by `sub_id` (comma list allowed; not with `live`).',
  },
  resume: {
    name: 'resume',
    parameter: 'none',

    separator: '=',
    helper: 'resume',
    commands: ['subscribe', 'delta_subscribe'],
    description: 'Resume paused bookmark subscription(s) named by `sub_id`.',
  },
  rate: {
    name: 'rate',
    parameter: 'string',

    separator: '=',
    helper: 'rate',
    commands: ['subscribe', 'delta_subscribe'],
    description: 'Replay rate limit of a bookmark subscription (`<n>` messages/s, `<n>KB`, or `<x>X` of the original rate).',
  },
  rate_max_gap: {
    name: 'rate_max_gap',
    parameter: 'interval',

    separator: '=',
    helper: 'rateMaxGap',
    commands: ['subscribe', 'delta_subscribe'],
    description: 'With `rate`, the maximum idle gap during replay.',
  },
  bookmark_not_found: {
    name: 'bookmark_not_found',
    parameter: 'string',
    values: ['now', 'epoch', 'fail'],
    separator: '=',
    helper: 'bookmarkNotFound',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'What to do when the requested bookmark is unknown (server 5.3.5+; default `now`).',
  },
  conflation: {
    name: 'conflation',
    parameter: 'string',

    separator: '=',
    helper: 'conflation',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Server-side conflation of this subscription: an interval (e.g. `1s`), `auto` or `none`.',
  },
  conflation_key: {
    name: 'conflation_key',
    parameter: 'list',

    separator: '=',
    helper: 'conflationKey',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Fields identifying records for conflation, e.g. `[/id,/region]`.',
  },
  top_n: {
    name: 'top_n',
    parameter: 'integer',

    separator: '=',
    helper: 'topNOption',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Maximum number of records a query returns (preferred over the `top_n` header).',
  },
  skip_n: {
    name: 'skip_n',
    parameter: 'integer',

    separator: '=',
    helper: 'skipN',
    commands: ['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Number of records to skip (pagination; needs `top_n` and an order by).',
  },
  select: {
    name: 'select',
    parameter: 'list',

    separator: '=',
    helper: 'select',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Field projection, e.g. `[-/,+/id,+/qty]`.',
  },
  projection: {
    name: 'projection',
    parameter: 'list',

    separator: '=',
    helper: 'projection',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Aggregation: the projected fields and aggregate expressions.',
  },
  grouping: {
    name: 'grouping',
    parameter: 'list',

    separator: '=',
    helper: 'grouping',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Aggregation: the fields to group by.',
  },
  non_regex_topic: {
    name: 'non_regex_topic',
    parameter: 'none',

    separator: '=',
    helper: 'nonRegexTopic',
    commands: ['subscribe', 'delta_subscribe', 'sow', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Treat the topic literally, not as a regular expression.',
  },
  max_backlog: {
    name: 'max_backlog',
    parameter: 'integer',

    separator: '=',
    helper: 'maxBacklog',
    commands: ['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe'],
    description: 'Queue subscriptions: the requested maximum of unacknowledged messages (server default 1; the effective value comes back as `opts: max_backlog=N` on the processed ack).',
  },
  cancel: {
    name: 'cancel',
    parameter: 'none',

    separator: '=',
    helper: 'cancel',
    commands: ['sow_delete'],
    description: 'Queue acknowledgement: return the message to the queue (counts toward MaxCancels).',
  },
  expire: {
    name: 'expire',
    parameter: 'none',

    separator: '=',
    helper: 'expire',
    commands: ['sow_delete'],
    description: 'Queue acknowledgement: expire the message immediately.',
  },
  lease_extension: {
    name: 'lease_extension',
    parameter: 'interval',

    separator: '=',
    helper: 'leaseExtension',
    commands: ['sow_delete'],
    description: 'Queue acknowledgement: extend the lease (server support details uncertain).',
  },
  start: {
    name: 'start',
    parameter: 'integer',

    separator: ',',
    helper: 'start',
    commands: ['heartbeat'],
    description: 'Start or refresh the heartbeat timer with an interval of N seconds (`start,N`).',
  },
  beat: {
    name: 'beat',
    parameter: 'none',

    separator: '=',
    helper: 'beat',
    commands: ['heartbeat'],
    description: 'Answer a server heartbeat.',
  },
  pretty: {
    name: 'pretty',
    parameter: 'none',

    separator: '=',
    helper: 'pretty',
    commands: ['logon'],
    description: 'The server returns formatted representations of built-in binary message types.',
  },
  ack_conflation: {
    name: 'ack_conflation',
    parameter: 'interval',

    separator: '=',
    helper: 'ackConflation',
    commands: ['logon'],
    description: 'Conflation interval of `persisted` publish acks (default `1s`).',
  },
});

/** Is `name` a known option keyword? */
export function isOptionName(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTION_SPECS, name);
}

/** Formats one option entry: `name`, `name=value` or `name,value`; list values as `[a,b]`. */
export function formatOption(name: OptionName, value?: string | number | readonly string[]): string {
  const spec = OPTION_SPECS[name];
  if (value === undefined || spec.parameter === 'none') return name;
  const text = Array.isArray(value) ? `[${value.join(',')}]` : String(value);
  return `${name}${spec.separator}${text}`;
}

/** One parsed option entry. */
export interface ParsedOption {
  /** The keyword (a known OptionName or any other text). */
  readonly name: string;
  /** The parameter text, if any. */
  readonly value?: string;
  /** The entry as it appeared. */
  readonly raw: string;
}

/**
 * Splits an options string into entries: commas inside `[...]`, `(...)` or quotes do not split; a
 * known option whose separator is `,` (heartbeat `start,30`) takes the following entry as its
 * value; empty entries (trailing commas) are dropped.
 */
export function parseOptions(text: string | undefined): ParsedOption[] {
  if (text === undefined || text === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  const entries = parts.map((p) => p.trim()).filter((p) => p !== '');
  const out: ParsedOption[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const eq = entry.indexOf('=');
    if (eq > 0) {
      out.push({ name: entry.slice(0, eq).trim(), value: entry.slice(eq + 1).trim(), raw: entry });
      continue;
    }
    const next = entries[i + 1];
    if (isOptionName(entry) && OPTION_SPECS[entry].separator === ',' && next !== undefined && !isOptionName(next)) {
      out.push({ name: entry, value: next, raw: `${entry},${next}` });
      i++;
      continue;
    }
    out.push({ name: entry, raw: entry });
  }
  return out;
}
