// The generated tables and classes behave as the references say.
import { describe, expect, it, vi } from 'vitest';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  HEADER_FIELDS,
  HEADER_FIELD_BY_NAME,
  HEADER_FIELD_BY_WIRE_KEY,
  HEADER_FIELD_INFO,
  SERVER_HEADER_FIELDS,
} from '../../generated/header-fields.js';
import { COMMAND_NAMES, COMMAND_SPECS, SERVER_MESSAGE_SPECS, commandFromWire } from '../../generated/commands.js';
import { OPTION_SPECS, parseOptions, formatOption } from '../../generated/options.js';
import {
  ACK_TYPES,
  ConnectionState,
  connectionStateName,
  parseAckTypes,
  ackTypesToBits,
  OOF_REASONS,
  ACK_STATUSES,
} from '../../generated/enums.js';
import * as errors from '../../generated/errors.js';
import {
  AMPSException,
  AuthenticationException,
  CommandException,
  ConnectionException,
  EXCEPTION_CLASSES,
  EXCEPTION_PARENTS,
  InvalidTransportOptionsException,
  REASON_TO_EXCEPTION,
  Reasons,
  SubscriptionAlreadyExistsException,
  TransportException,
  exceptionForReason,
} from '../../generated/errors.js';
import { URI_OPTIONS, URI_OPTION_BY_NAME } from '../../generated/uri-options.js';
import { MessageFields } from '../../generated/message-fields.js';
import type { Header } from '../../generated/header-fields.js';
import { Command } from '../../generated/command-builder.js';
import * as index from '../../generated/index.js';

const FIXTURES = join(import.meta.dirname, 'fixtures');

describe('header fields', () => {
  it('covers every key of amps-protocol.md §2.1/§2.2 with the right property, keys and type', () => {
    expect(HEADER_FIELDS.length).toBeGreaterThanOrEqual(45);
    // [property, wireKey, serverKey | undefined, type, aliases that must be accepted]
    const table: [string, string, string | undefined, string, string[]][] = [
      ['command', 'c', 'c', 'string', ['cmd']],
      ['commandId', 'cid', 'cid', 'string', ['cmd_id']],
      ['ackType', 'a', 'a', 'string', ['ack', 'ack_type']],
      ['status', 'status', 'status', 'string', []],
      ['reason', 'reason', 'reason', 'string', []],
      ['topic', 't', 't', 'string', ['topic']],
      ['filter', 'filter', 'filter', 'string', ['f']],
      ['options', 'o', 'opts', 'string', ['opts']],
      ['subscriptionId', 'sub_id', 'sub_id', 'string', []],
      ['subscriptionIds', 'sids', 'sids', 'string', ['sub_ids']],
      ['queryId', 'query_id', 'query_id', 'string', []],
      ['batchSize', 'bs', 'bs', 'integer', ['batch_size']],
      ['topN', 'top_n', 'top_n', 'integer', []],
      ['orderBy', 'orderby', undefined, 'string', ['order_by']],
      ['sowKey', 'k', 'k', 'string', ['sow_key']],
      ['sowKeys', 'sow_keys', 'sow_keys', 'string', []],
      ['bookmark', 'bm', 'bm', 'string', ['bookmark']],
      ['sequence', 's', 's', 'sequence', ['seq']],
      ['correlationId', 'x', 'x', 'string', ['correlation_id']],
      ['expiration', 'e', 'e', 'integer', ['expiration']],
      ['messageLength', 'l', 'l', 'integer', ['msg_len']],
      ['timestamp', 'ts', 'ts', 'string', ['timestamp']],
      ['leasePeriod', 'lp', 'lp', 'string', ['leaseperiod']],
      ['groupSequenceNumber', 'gseq', 'gseq', 'integer', ['group_seq_num']],
      ['matches', 'matches', 'matches', 'integer', []],
      ['topicMatches', 'topic_matches', 'topic_matches', 'integer', []],
      ['recordsReturned', 'records_returned', 'records_returned', 'integer', []],
      ['recordsDeleted', 'records_deleted', 'records_deleted', 'integer', []],
      ['recordsInserted', 'records_inserted', 'records_inserted', 'integer', []],
      ['recordsUpdated', 'records_updated', 'records_updated', 'integer', []],
      ['clientName', 'client_name', 'client_name', 'string', []],
      ['userId', 'user_id', 'user_id', 'string', []],
      ['password', 'pw', 'pw', 'string', ['auth_key', 'password']],
      ['version', 'version', 'version', 'string', ['v']],
      ['messageType', 'mt', undefined, 'string', ['message_type']],
      ['heartbeat', 'heartbeat', undefined, 'string', []],
      ['timeoutInterval', 'timeout_interval', undefined, 'integer', ['time_interval']],
      ['dataOnly', 'data_only', undefined, 'boolean', []],
      ['sendEmpty', 'send_empty', undefined, 'boolean', []],
      ['sendKeys', 'send_keys', undefined, 'boolean', []],
      ['sendOutOfFocus', 'send_oof', undefined, 'boolean', []],
      ['sendSubscriptionIds', 'send_subscription_ids', undefined, 'boolean', ['send_matching_ids']],
      ['useNamespaces', 'use_ns', undefined, 'boolean', []],
      ['maximumMessages', 'max_msgs', undefined, 'integer', []],
      ['source', 'src', undefined, 'string', []],
      ['transmissionTime', 'transmission_time', undefined, 'string', []],
    ];
    for (const [name, wireKey, serverKey, type, aliases] of table) {
      const f = HEADER_FIELD_BY_NAME.get(name);
      expect(f, name).toBeDefined();
      expect(f!.wireKey, name).toBe(wireKey);
      expect(f!.serverKey, name).toBe(serverKey);
      expect(f!.type, name).toBe(type);
      for (const a of [wireKey, ...aliases]) expect(HEADER_FIELD_BY_WIRE_KEY.get(a)?.name, a).toBe(name);
    }
    expect(HEADER_FIELD_INFO.sequence.type).toBe('sequence');
  });

  it('a server never emits a key the C parser rejects or mis-reads', () => {
    const emitted = SERVER_HEADER_FIELDS.map((f) => f.serverKey);
    for (const bad of ['f', 'v', 'orderby', 'timestamp', 'leaseperiod', 'correlation_id', 'sow_key', 'msg_len', 'o', 'transmission_time']) {
      expect(emitted).not.toContain(bad);
    }
    const cParserAccepts = new Set(
      'c cid a status reason t filter opts sub_id sids query_id bs top_n k sow_keys bm s x e l ts lp gseq matches topic_matches records_returned records_deleted records_inserted records_updated client_name user_id pw version'.split(
        ' ',
      ),
    );
    for (const k of emitted) expect(cParserAccepts.has(k!), k).toBe(true);
  });

  it('unknown keys are not found, including Object.prototype names', () => {
    expect(HEADER_FIELD_BY_WIRE_KEY.get('foo')).toBeUndefined();
    expect(HEADER_FIELD_BY_WIRE_KEY.get('constructor')).toBeUndefined();
    expect(HEADER_FIELD_BY_WIRE_KEY.get('__proto__')).toBeUndefined();
  });
});

describe('commands', () => {
  it('lists the 14 client commands and the server message kinds', () => {
    expect(COMMAND_NAMES).toEqual([
      'logon',
      'publish',
      'delta_publish',
      'subscribe',
      'delta_subscribe',
      'sow',
      'sow_and_subscribe',
      'sow_and_delta_subscribe',
      'sow_delete',
      'unsubscribe',
      'flush',
      'heartbeat',
      'start_timer',
      'stop_timer',
    ]);
    expect(Object.keys(SERVER_MESSAGE_SPECS)).toEqual(['publish', 'sow', 'oof', 'ack', 'group_begin', 'group_end', 'heartbeat']);
    expect(SERVER_MESSAGE_SPECS.publish.wireName).toBe('p');
  });

  it('maps wire command names', () => {
    expect(commandFromWire('p')).toBe('publish');
    expect(commandFromWire('publish')).toBe('publish');
    expect(commandFromWire('sow_and_delta_subscribe')).toBe('sow_and_delta_subscribe');
    expect(commandFromWire('group_end')).toBe('group_end');
    expect(commandFromWire('ack')).toBe('ack');
    expect(commandFromWire('nope')).toBeUndefined();
    expect(commandFromWire('toString')).toBeUndefined();
  });

  it('every header the official clients sent in the recorded vectors is allowed on its command', () => {
    const wsFrames = JSON.parse(readFileSync(join(FIXTURES, 'client-frames.json'), 'utf8')) as Record<string, unknown>[];
    for (const header of wsFrames) {
      const name = commandFromWire(String(header.c));
      expect(name, String(header.c)).toBeDefined();
      const spec = COMMAND_SPECS[name as keyof typeof COMMAND_SPECS];
      for (const key of Object.keys(header)) {
        const field = HEADER_FIELD_BY_WIRE_KEY.get(key);
        expect(field, key).toBeDefined();
        expect(spec.allowedFields, `${key} on ${name}`).toContain(field!.name);
      }
      for (const req of spec.requiredFields) {
        const f = HEADER_FIELD_INFO[req];
        expect([f.wireKey, ...f.aliases].some((k) => k in header), `${req} on ${name}`).toBe(true);
      }
      for (const o of parseOptions(header.o as string | undefined)) expect(spec.options, `${o.name} on ${name}`).toContain(o.name);
    }
  });

  it('encodes the protocol rules of §3', () => {
    expect(COMMAND_SPECS.sow.defaultAcks).toEqual(['processed', 'completed']);
    expect(COMMAND_SPECS.logon.defaultAcks).toEqual(['processed']);
    expect(COMMAND_SPECS.publish.defaultAcks).toEqual([]);
    expect(COMMAND_SPECS.publish.allowedAcks).not.toContain('stats');
    expect(COMMAND_SPECS.delta_subscribe.allowedAcks).toContain('stats');
    expect(COMMAND_SPECS.publish.body).toBe('required');
    expect(COMMAND_SPECS.sow_delete.body).toBe('optional');
    expect(COMMAND_SPECS.subscribe.body).toBe('none');
    expect(COMMAND_SPECS.publish.requiredFields).toEqual(['command', 'topic']);
    expect(COMMAND_SPECS.publish.allowedFields).not.toContain('batchSize');
    expect(COMMAND_SPECS.sow.allowedFields).toEqual(expect.arrayContaining(['batchSize', 'topN', 'orderBy', 'sowKeys', 'queryId']));
    const subscribing = COMMAND_NAMES.filter((c) => COMMAND_SPECS[c].opensSubscription);
    expect(subscribing).toEqual(['subscribe', 'delta_subscribe', 'sow_and_subscribe', 'sow_and_delta_subscribe']);
    expect(COMMAND_NAMES.filter((c) => COMMAND_SPECS[c].hasQuery)).toEqual(['sow', 'sow_and_subscribe', 'sow_and_delta_subscribe']);
    expect(COMMAND_SPECS.sow_delete.options).toEqual(expect.arrayContaining(['cancel', 'expire']));
    expect(COMMAND_SPECS.heartbeat.options).toEqual(['start', 'beat']);
    expect(COMMAND_SPECS.logon.options).toEqual(['pretty', 'ack_conflation']);
  });
});

describe('options', () => {
  it('covers the options of amps-protocol.md §8', () => {
    for (const o of [
      'replace', 'oof', 'no_empties', 'send_keys', 'no_sowkey', 'timestamp', 'bookmark', 'live', 'fully_durable', 'pause',
      'resume', 'rate', 'rate_max_gap', 'bookmark_not_found', 'conflation', 'conflation_key', 'top_n', 'skip_n', 'select',
      'projection', 'grouping', 'non_regex_topic', 'max_backlog', 'cancel', 'expire', 'lease_extension', 'start', 'beat',
      'pretty', 'ack_conflation',
    ]) {
      expect(OPTION_SPECS[o as keyof typeof OPTION_SPECS]?.name, o).toBe(o);
    }
    expect(OPTION_SPECS.max_backlog.parameter).toBe('integer');
    expect(OPTION_SPECS.top_n.helper).toBe('topNOption');
  });

  it('parses and formats option lists', () => {
    expect(parseOptions('oof,max_backlog=5,select=[-/,+/a],start,30,')).toEqual([
      { name: 'oof', raw: 'oof' },
      { name: 'max_backlog', value: '5', raw: 'max_backlog=5' },
      { name: 'select', value: '[-/,+/a]', raw: 'select=[-/,+/a]' },
      { name: 'start', value: '30', raw: 'start,30' },
    ]);
    expect(parseOptions(undefined)).toEqual([]);
    expect(formatOption('max_backlog', 3)).toBe('max_backlog=3');
    expect(formatOption('start', 30)).toBe('start,30');
    expect(formatOption('select', ['/a', '/b'])).toBe('select=[/a,/b]');
    expect(formatOption('oof')).toBe('oof');
  });
});

describe('enums', () => {
  it('ack types carry the C++ bit values', () => {
    expect(Object.fromEntries(Object.values(ACK_TYPES).map((a) => [a.name, a.bit]))).toEqual({
      received: 1,
      parsed: 2,
      processed: 4,
      persisted: 8,
      completed: 16,
      stats: 32,
    });
    expect(parseAckTypes('stats,processed,bogus,processed')).toEqual(['processed', 'stats']);
    expect(ackTypesToBits(['processed', 'completed'])).toBe(20);
  });

  it('connection states, statuses and oof reasons', () => {
    expect(ConnectionState).toEqual({
      Disconnected: 0,
      Shutdown: 1,
      Connected: 2,
      LoggedOn: 4,
      PublishReplayed: 8,
      HeartbeatInitiated: 16,
      Resubscribed: 32,
      Unknown: 16384,
    });
    expect(connectionStateName(4)).toBe('LoggedOn');
    expect(connectionStateName(999)).toBe('Unknown');
    expect(Object.keys(ACK_STATUSES)).toEqual(['success', 'failure', 'retry']);
    expect(Object.keys(OOF_REASONS)).toEqual(['deleted', 'expired', 'match', 'entitlement']);
  });
});

describe('errors', () => {
  const hierarchy = readFileSync(join(FIXTURES, 'python-client-exception-hierarchy.txt'), 'utf8')
    .split('\n')
    .filter((l) => l.includes('->'))
    .map((l) => {
      const [name, rest] = l.split('->').map((s) => s.trim());
      return { name: name!, ancestors: rest === '' ? [] : rest!.split('>').map((s) => s.trim()) };
    });

  it('has AMPSException plus every Python class ending in Exception, each with its nearest Exception ancestor as parent', () => {
    const expected = hierarchy.filter((h) => h.name.endsWith('Exception'));
    expect(Object.keys(EXCEPTION_CLASSES).sort()).toEqual(expected.map((h) => h.name).sort());
    for (const h of expected) {
      const parent = h.ancestors.find((a) => a.endsWith('Exception')) ?? null;
      expect(EXCEPTION_PARENTS[h.name as keyof typeof EXCEPTION_PARENTS], h.name).toBe(parent);
      const cls = EXCEPTION_CLASSES[h.name as keyof typeof EXCEPTION_CLASSES];
      const e = new cls('boom');
      for (const a of h.ancestors.filter((x) => x.endsWith('Exception'))) {
        const anc = EXCEPTION_CLASSES[a as keyof typeof EXCEPTION_CLASSES];
        expect(e instanceof anc, `${h.name} instanceof ${a}`).toBe(true);
      }
      expect(e).toBeInstanceOf(Error);
      expect(e.name).toBe(h.name);
    }
    expect(new AuthenticationException() instanceof CommandException).toBe(false);
    expect(new InvalidTransportOptionsException() instanceof TransportException).toBe(true);
    expect(new InvalidTransportOptionsException() instanceof ConnectionException).toBe(true);
  });

  it('maps every reason of the Python vectors to the same class (except the documented subscription-already-exists decision)', () => {
    const lines = readFileSync(join(FIXTURES, 'python-client-reason-to-exception.txt'), 'utf8')
      .split('\n')
      .filter((l) => l.includes('->'));
    expect(lines.length).toBeGreaterThan(30);
    for (const l of lines) {
      const i = l.lastIndexOf('->');
      const reason = l.slice(0, i).trim();
      const cls = l.slice(i + 2).trim();
      expect(Object.values(Reasons), reason).toContain(reason);
      const e = exceptionForReason(reason, { command: 'subscribe', commandId: 'auto1' });
      if (reason === 'subscription already exists') {
        expect(e).toBeInstanceOf(SubscriptionAlreadyExistsException);
        expect(e).toBeInstanceOf(CommandException);
      } else {
        expect(e.name, reason).toBe(cls);
      }
      expect(e.reason).toBe(reason);
      expect(e.command).toBe('subscribe');
      expect(e.commandId).toBe('auto1');
      expect(e.message).toBe(reason);
    }
    expect(exceptionForReason('authentication failure')).toBeInstanceOf(AuthenticationException);
    expect(REASON_TO_EXCEPTION[Reasons.BAD_FILTER]).toBe(errors.BadFilterException);
    expect(Reasons.AUTH_FAILURE).toBe('auth failure');
  });

  it('unknown reasons give CommandException; cause is kept', () => {
    const cause = new Error('inner');
    const e = exceptionForReason('something odd', { cause });
    expect(e.constructor).toBe(CommandException);
    expect(e.cause).toBe(cause);
    expect(exceptionForReason('constructor').constructor).toBe(CommandException);
    expect(exceptionForReason('  Bad   Filter ')).toBeInstanceOf(errors.BadFilterException);
  });

  it('instanceof survives a duplicated copy of the module', async () => {
    // A second, independent module instance, as a duplicated package would load.
    vi.resetModules();
    const copy = (await import('../../generated/errors.js')) as typeof errors;
    expect(copy.BadFilterException).not.toBe(errors.BadFilterException);
    const foreign = new copy.BadFilterException('x', { reason: 'bad filter' });
    expect(foreign instanceof errors.BadFilterException).toBe(true);
    expect(foreign instanceof errors.CommandException).toBe(true);
    expect(foreign instanceof errors.AMPSException).toBe(true);
    expect(foreign instanceof errors.ConnectionException).toBe(false);
    expect(new errors.NameInUseException() instanceof copy.ConnectionException).toBe(true);
    expect({} instanceof AMPSException).toBe(false);
    expect(new Error('x') instanceof AMPSException).toBe(false);
  });
});

describe('URI options', () => {
  it('declares every transport and logon option', () => {
    expect(URI_OPTIONS.map((o) => o.name)).toEqual([
      'bind', 'tcp_rcvbuf', 'tcp_sndbuf', 'tcp_nodelay', 'tcp_linger', 'tcp_keepalive', 'ip_protocol_prefer', 'path', 'pretty',
      'compression', 'http_preflight',
    ]);
    expect(URI_OPTION_BY_NAME.ip_protocol_prefer.values).toEqual(['ipv4', 'ipv6']);
    expect(URI_OPTION_BY_NAME.path.schemes).toEqual(['unix']);
    expect(URI_OPTION_BY_NAME.pretty.kind).toBe('logon');
    expect(URI_OPTION_BY_NAME.compression.kind).toBe('unsupported');
    expect(URI_OPTION_BY_NAME.tcp_nodelay.type).toBe('bool');
  });
});

describe('MessageFields', () => {
  class Msg extends MessageFields {
    constructor(readonly header: Header) {
      super();
    }
  }
  it('reads and writes the header in place, typed', () => {
    const header: Header = { command: 'p', topic: 'orders', sequence: 18446744073709551615n, batchSize: 3, ackType: 'processed,stats' };
    const m = new Msg(header);
    expect(m.topic).toBe('orders');
    expect(m.sequence).toBe(18446744073709551615n);
    expect(m.batchSize).toBe(3);
    expect(m.ackTypes).toEqual(['processed', 'stats']);
    m.bookmark = '1|2|';
    expect(header.bookmark).toBe('1|2|');
    m.topic = undefined;
    expect('topic' in header).toBe(false);
    for (const f of HEADER_FIELDS) expect(Object.getOwnPropertyDescriptor(MessageFields.prototype, f.name)?.get, f.name).toBeTypeOf('function');
  });
});

describe('Command builders (runtime)', () => {
  it('builds headers by property name, options as an ordered de-duplicated comma list', () => {
    const c = Command.sow('orders')
      .filter("/symbol = 'ROL'")
      .batchSize(100)
      .topN(10)
      .oof()
      .topNOption(5)
      .sendKeys()
      .oof()
      .option('top_n=7')
      .ackType('processed', 'completed', 'processed')
      .addAckType('stats');
    expect(c.commandName).toBe('sow');
    expect(c.header).toEqual({
      command: 'sow',
      topic: 'orders',
      filter: "/symbol = 'ROL'",
      batchSize: 100,
      topN: 10,
      options: 'oof,top_n=7,send_keys',
      ackType: 'processed,completed,stats',
    });
    expect(c.options).toEqual(['oof', 'top_n=7', 'send_keys']);
    expect(c.data).toBeUndefined();
  });

  it('option helpers format their parameters', () => {
    const s = Command.subscribe('q').maxBacklog(5).conflation('1s').select('/a', '/b').bookmarkNotFound('epoch').live();
    expect(s.header.options).toBe('max_backlog=5,conflation=1s,select=[/a,/b],bookmark_not_found=epoch,live');
    expect(Command.heartbeat().start(30).header).toEqual({ command: 'heartbeat', options: 'start,30' });
    expect(Command.heartbeat().beat().header.options).toBe('beat');
    expect(Command.sowDelete('q').bookmark('1|2|').cancel().header).toEqual({
      command: 'sow_delete',
      topic: 'q',
      bookmark: '1|2|',
      options: 'cancel',
    });
    expect(Command.logon().pretty().ackConflation('300ms').header.options).toBe('pretty,ack_conflation=300ms');
  });

  it('sets sequence as bigint, data, raw headers and extras', () => {
    const p = Command.publish('t').body('{"a":1}').sequence(5).expiration(30).correlationId('abc');
    expect(p.header.sequence).toBe(5n);
    expect(p.data).toBe('{"a":1}');
    p.rawHeader('zz', 'y').rawHeader('bookmark', 'x|1|').rawHeader('e', '60').rawHeader('seq', '18446744073709551615');
    expect(p.header.extras).toEqual({ zz: 'y' });
    expect(p.header.bookmark).toBe('x|1|');
    expect(p.header.expiration).toBe(60);
    expect(p.header.sequence).toBe(18446744073709551615n);
    const s = Command.subscribe('t').rawHeader('opts', 'oof,live');
    expect(s.options).toEqual(['oof', 'live']);
    expect(s.header.options).toBe('oof,live');
    const bytes = new Uint8Array([1, 2]);
    expect(Command.sowDelete('t').body(bytes).data).toBe(bytes);
  });

  it('factories set the command and their parameters', () => {
    expect(Command.publish('a').header).toEqual({ command: 'publish', topic: 'a' });
    expect(Command.deltaPublish('a').header.command).toBe('delta_publish');
    expect(Command.sowAndDeltaSubscribe('a').commandName).toBe('sow_and_delta_subscribe');
    expect(Command.unsubscribe().header).toEqual({ command: 'unsubscribe' });
    expect(Command.unsubscribe('all').header).toEqual({ command: 'unsubscribe', subscriptionId: 'all' });
    expect(Command.flush().header).toEqual({ command: 'flush' });
    expect(Command.startTimer().commandName).toBe('start_timer');
    expect(Command.stopTimer().commandName).toBe('stop_timer');
    expect(Command.create('delta_subscribe').topic('x').header).toEqual({ command: 'delta_subscribe', topic: 'x' });
  });
});

describe('index', () => {
  it('re-exports every generated module', () => {
    for (const name of ['Command', 'MessageFields', 'HEADER_FIELDS', 'COMMAND_SPECS', 'OPTION_SPECS', 'ACK_TYPES', 'ConnectionState', 'AMPSException', 'exceptionForReason', 'URI_OPTIONS', 'Reasons']) {
      expect(index, name).toHaveProperty(name);
    }
  });
});
