// The mock server under hostile clients, over real loopback sockets. One well-behaved Client (ours, over tcp)
// stays subscribed throughout and must keep receiving its publishes; hostile raw TCP and WebSocket connections
// send garbage, lies and absurd commands. Asserts: nothing escapes as an uncaught exception / unhandled
// rejection, each malformed command that deserves a failure ack gets one whose reason maps (exceptionForReason)
// to the right exception class, connections that must be closed are closed, sessions do not leak, and the good
// client can still run a sow at the end. Seeded (FUZZ_SEED), bounded in count and time.

import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import {
  BadFilterException,
  BadRegexTopicException,
  CommandException,
  DuplicateLogonException,
  exceptionForReason,
  InvalidOptionsException,
  InvalidSubIdException,
  InvalidTopicException,
  MissingFieldsException,
  Reasons,
  SubscriptionAlreadyExistsException,
  type ExceptionClass,
} from '../../generated/errors.js';
import { HEADER_FIELDS } from '../../generated/header-fields.js';
import { Client } from '../../runtime/index.js';
import { MockServer } from '../../mock-server/index.js';
import { boundedAsync, lengthPrefixed, Rng, SEED, sleep, waitFor } from './fuzz-util.js';
import { H, RawTcp, RawWs } from './raw.js';

const escaped: unknown[] = [];
const internalErrors: string[] = [];
const onUncaught = (e: unknown) => escaped.push(e);

let server: MockServer;
let good: Client;
const goodReceived = new Set<string>();
const goodErrors: unknown[] = [];
let goodSeq = 0;
const open: (RawTcp | RawWs)[] = [];

async function tcp(): Promise<RawTcp> {
  const c = await RawTcp.connect(server.port('tcp'));
  open.push(c);
  return c;
}

async function ws(preamble: string | null = 'text'): Promise<RawWs> {
  const c = await RawWs.connect(`ws://127.0.0.1:${server.port('ws')}/amps/json`, preamble);
  open.push(c);
  return c;
}

/** The good client publishes to its own subscription and must receive it. */
async function goodStillWorks(what: string): Promise<void> {
  const n = `${++goodSeq}`;
  good.publish('robust-live', JSON.stringify({ n }));
  await waitFor(() => goodReceived.has(n), 8000, `the good client's publish #${n} (after ${what})`);
}

function noEscapes(): void {
  if (internalErrors.length > 0) expect.fail(`the server hit internal errors:\n${internalErrors.map((x) => x.slice(0, 600)).join('\n---\n')}`);
  if (escaped.length > 0) {
    expect.fail(`uncaught exception / unhandled rejection in the server process: ${escaped.map((e) => (e as Error)?.stack ?? String(e)).join('\n---\n')}`);
  }
}

beforeAll(async () => {
  process.on('uncaughtException', onUncaught);
  process.on('unhandledRejection', onUncaught);
  server = await MockServer.start(undefined, {
    log: (e) => {
      // An exception the session did not expect (not a CommandFailure / EngineError) is logged with its stack;
      // broker timers log "internal error". Either is a bug even though the server survived it.
      if (/internal error|failed: (TypeError|RangeError|ReferenceError|SyntaxError|Error)\b/.test(e.message)) internalErrors.push(e.message);
    },
  });
  good = new Client('robust-good');
  good.setExceptionListener((e) => goodErrors.push(e));
  await good.connect(`tcp://127.0.0.1:${server.port('tcp')}/amps/json`);
  await good.logon();
  await good.subscribe(
    (m) => {
      try {
        goodReceived.add((JSON.parse(m.data) as { n: string }).n);
      } catch {
        // not ours
      }
    },
    'robust-live',
  );
  good.publish('orders', JSON.stringify({ id: 1, who: 'good' }));
  await goodStillWorks('setup');
});

afterAll(async () => {
  for (const c of open.splice(0)) c.close();
  await good?.disconnect();
  await server?.close();
  process.off('uncaughtException', onUncaught);
  process.off('unhandledRejection', onUncaught);
});

// ---------------------------------------------------------------------------------------------------------------

interface FailCase {
  name: string;
  header: Record<string, unknown>;
  body?: string;
  reason: string;
  exception: ExceptionClass;
  /** Logon first (default true). */
  logon?: boolean;
  /** Commands to send before (same connection). */
  before?: Record<string, unknown>[];
}

const DEEP = `${'('.repeat(10_000)}/a = 1${')'.repeat(10_000)}`;
const MB_FILTER = `/a = '${'x'.repeat(1024 * 1024)}`; // 1 MB, unterminated string
const MB_FILTER_2 = `/a = 1 AND ${'('.repeat(512 * 1024)}`;

const FAIL_CASES: FailCase[] = [
  { name: 'unknown command', header: { command: 'bogus_cmd' }, reason: Reasons.NOT_SUPPORTED, exception: CommandException },
  { name: 'numeric command', header: { command: 5 }, reason: Reasons.NOT_SUPPORTED, exception: CommandException },
  { name: 'no command at all', header: {}, reason: Reasons.NOT_SUPPORTED, exception: CommandException },
  { name: 'subscribe without topic', header: { command: 'subscribe', subscriptionId: 's' }, reason: Reasons.NO_TOPIC, exception: MissingFieldsException },
  { name: 'sow without topic', header: { command: 'sow' }, reason: Reasons.NO_TOPIC, exception: MissingFieldsException },
  { name: 'publish without topic', header: { command: 'publish' }, body: '{}', reason: Reasons.NO_TOPIC, exception: MissingFieldsException },
  { name: 'unparsable filter', header: { command: 'subscribe', topic: 't', filter: '((/a = ' }, reason: Reasons.BAD_FILTER, exception: BadFilterException },
  { name: 'filter nested 10k deep', header: { command: 'subscribe', topic: 't', filter: DEEP }, reason: Reasons.BAD_FILTER, exception: BadFilterException },
  { name: '1 MB unterminated filter', header: { command: 'sow', topic: 'orders', filter: MB_FILTER }, reason: Reasons.BAD_FILTER, exception: BadFilterException },
  { name: '1 MB of open parens', header: { command: 'sow', topic: 'orders', filter: MB_FILTER_2 }, reason: Reasons.BAD_FILTER, exception: BadFilterException },
  { name: 'invalid regex in LIKE', header: { command: 'subscribe', topic: 't', filter: "/a LIKE '(('" }, reason: Reasons.BAD_FILTER, exception: BadFilterException },
  { name: 'invalid regex topic', header: { command: 'subscribe', topic: 'a((b' }, reason: Reasons.BAD_REGEX_TOPIC, exception: BadRegexTopicException },
  { name: 'invalid regex topic on sow', header: { command: 'sow', topic: '[z-a]' }, reason: Reasons.BAD_REGEX_TOPIC, exception: BadRegexTopicException },
  { name: 'sow on a topic without SOW', header: { command: 'sow', topic: 'no-sow-here' }, reason: Reasons.INVALID_TOPIC, exception: InvalidTopicException },
  {
    name: 'sow_delete with every selector',
    header: { command: 'sow_delete', topic: 'orders', filter: '/id = 1', sowKeys: '1,2', bookmark: '1|1|' },
    body: '{"id":1}',
    reason: Reasons.SOW_DELETE_ONE_SELECTOR,
    exception: CommandException,
  },
  { name: 'logon twice', header: { command: 'logon', clientName: 'again' }, reason: Reasons.DUPLICATE_LOGON_ATTEMPT, exception: DuplicateLogonException },
  {
    name: 'subscription id reused',
    before: [{ command: 'subscribe', topic: 't', subscriptionId: 'dup' }],
    header: { command: 'subscribe', topic: 't', subscriptionId: 'dup' },
    reason: Reasons.SUBSCRIPTION_ALREADY_EXISTS,
    exception: SubscriptionAlreadyExistsException,
  },
  { name: 'bad conflation interval', header: { command: 'subscribe', topic: 't', options: 'conflation=soon' }, reason: Reasons.INVALID_OPTIONS, exception: InvalidOptionsException },
  { name: 'queue ack of a non-queue topic with bookmarks', header: { command: 'sow_delete', topic: 'orders', bookmark: 'garbage' }, reason: Reasons.INVALID_TOPIC, exception: InvalidTopicException },
  { name: 'sow_and_subscribe with a bad filter', header: { command: 'sow_and_subscribe', topic: 'orders', filter: '/a = = 1' }, reason: Reasons.BAD_FILTER, exception: BadFilterException },
];

describe(`mock server under hostile clients (seed ${SEED}; rerun with FUZZ_SEED=<n>)`, () => {
  // The good client keeps being served after every test, not just at the end.
  afterEach(async () => {
    await goodStillWorks('the previous test');
  });

  it.each(FAIL_CASES.flatMap((c) => (['tcp', 'ws'] as const).map((kind) => ({ ...c, kind }))))('failure ack over $kind: $name', async (c) => {
    const raw = c.kind === 'tcp' ? await tcp() : await ws();
    if (c.logon !== false) expect((await raw.logon(`fail-${c.kind}-${c.name}`))?.header.status).toBe('success');
    let k = 0;
    for (const b of c.before ?? []) {
      const cid = `pre${k++}`;
      raw.send(H({ ...b, commandId: cid, ackType: 'processed' }));
      expect((await raw.ackFor(cid))?.header.status).toBe('success');
    }
    raw.send(H({ ...c.header, commandId: 'x', ackType: 'processed' }), c.body);
    const ack = await raw.ackFor('x', 10_000);
    expect(ack, `no processed ack for ${c.name}`).toBeDefined();
    expect(ack?.header.status).toBe('failure');
    expect(ack?.header.reason).toBe(c.reason);
    const e = exceptionForReason(String(ack?.header.reason), { command: String(c.header.command) });
    expect(e.constructor).toBe(c.exception);
    // The connection is still usable after a failure ack.
    raw.send(H({ command: 'flush', commandId: 'after', ackType: 'processed' }));
    expect((await raw.ackFor('after'))?.header.status).toBe('success');
    raw.close();
    noEscapes();
  });

  // A subscribe with neither sub_id nor cid fails with INVALID_SUBID (an ack without a cid); the session goes on.
  it('subscribe without sub_id or cid is rejected (when an ack is asked for by a later flush, nothing crashes)', async () => {
    const raw = await tcp();
    await raw.logon('nosubid');
    raw.send(H({ command: 'subscribe', topic: 't', ackType: 'processed' }));
    raw.send(H({ command: 'flush', commandId: 'f', ackType: 'processed' }));
    expect((await raw.ackFor('f'))?.header.status).toBe('success');
    expect(exceptionForReason(Reasons.INVALID_SUBID).constructor).toBe(InvalidSubIdException);
    noEscapes();
  });

  it('wrong types, absurd values and unknown ids are answered (success or a mapped failure), never crash', async () => {
    const raw = await tcp();
    await raw.logon('wrongtypes');
    const cases: Record<string, unknown>[] = [
      { command: 'sow', topic: 'orders', batchSize: 'abc' },
      { command: 'sow', topic: 'orders', topN: -5 },
      { command: 'sow', topic: 'orders', batchSize: -1, topN: 1e300 },
      { command: 'sow', topic: 'orders', batchSize: 1e12 },
      { command: 'sow', topic: 'orders', options: 'top_n=-5,skip_n=abc,orderby=/x DESC DESC' },
      { command: 'sow', topic: 'orders', orderBy: ')))' },
      { command: 'sow', topic: 'orders', sowKeys: ',,,' },
      { command: 'sow', topic: 'orders', bookmark: 'not|a|bookmark|' },
      { command: 'unsubscribe', subscriptionId: 'never-existed' },
      { command: 'unsubscribe', subscriptionId: ',,,' },
      { command: 'unsubscribe' },
      { command: 'heartbeat', options: 'start,0' },
      { command: 'heartbeat', options: 'start,-1' },
      { command: 'heartbeat', options: 'start,abc' },
      { command: 'heartbeat', options: 'start,999999999' },
      { command: 'heartbeat', options: 'start,1e400' },
      { command: 'heartbeat', options: 'stop' },
      { command: 'heartbeat', options: ',,,' },
      { command: 'sow_delete', topic: 'work', bookmark: 'garbage,|||,1|2|,,' },
      { command: 'sow_delete', topic: 'work', bookmark: 'x', options: 'lease_extension=abc,cancel,expire' },
      { command: 'sow_delete', topic: 'orders', sowKeys: 'no-such-key' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'b1', bookmark: 'garbage|||' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'b2', bookmark: '[1|1|:' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'b3', bookmark: '(99999999999999999999999|1|:0|1|)' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'b4', bookmark: '20261399T996161Z' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'b5', bookmark: '1|1|,2|2|,,,|', options: 'bookmark_not_found=fail' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'b6', options: 'pause' },
      { command: 'subscribe', topic: 'messages', subscriptionId: 'nope1,nope2', options: 'resume' },
      { command: 'subscribe', topic: 'work', subscriptionId: 'q1', options: 'max_backlog=-5' },
      { command: 'subscribe', topic: 't', subscriptionId: 'o1', options: ',,=,==,conflation_key=[,' },
      { command: 'publish', topic: 'orders', sequence: '123456789012345678901234567890' },
      { command: 'publish', topic: 'orders', expiration: -1 },
      { command: 'delta_publish', topic: 'orders' },
      { command: 'flush', ackType: 'persisted,stats,bogus' },
      { command: 'start_timer' },
      { command: 'stop_timer' },
    ];
    let k = 0;
    for (const c of cases) {
      const cid = `w${k++}`;
      raw.send(H({ ackType: 'processed', ...c, commandId: cid }), c.command === 'publish' || c.command === 'delta_publish' ? '{"id":"zz"}' : undefined);
      const ack = await raw.waitFor((m) => m.header.command === 'ack' && m.header.commandId === cid, 10_000);
      const input = JSON.stringify(c);
      if (raw.closed && c.command === 'heartbeat') break; // start,<tiny> may legitimately time the connection out
      expect(ack, `no ack for ${input}`).toBeDefined();
      if (ack?.header.status === 'failure') {
        // A failure reason must be one the generated table knows (so the client raises the right class).
        expect(Object.values(Reasons) as string[], `${input} -> ${String(ack.header.reason)}`).toContain(ack.header.reason);
      }
    }
    expect(raw.decodeError).toBeUndefined();
    noEscapes();
    await goodStillWorks('wrong types');
  });

  it('heartbeat start,-1 / start,0 do not make the server drop or spin on the connection', async () => {
    for (const opt of ['start,0', 'start,-1', 'start,999999999']) {
      const raw = await tcp();
      await raw.logon(`hb${opt}`);
      raw.send(H({ command: 'heartbeat', options: opt, commandId: 'h', ackType: 'processed' }));
      expect((await raw.ackFor('h'))?.header.status, opt).toBe('success');
      await sleep(100);
      raw.send(H({ command: 'flush', commandId: 'f', ackType: 'processed' }));
      expect((await raw.ackFor('f'))?.header.status, opt).toBe('success');
      expect(raw.closed, opt).toBe(false);
      raw.close();
    }
    noEscapes();
  });

  it('commands before logon are answered (implicit logon, no users configured)', async () => {
    const raw = await tcp();
    raw.send(H({ command: 'subscribe', topic: 'robust-live', subscriptionId: 'pre', commandId: 'p', ackType: 'processed' }));
    expect((await raw.ackFor('p'))?.header.status).toBe('success');
    raw.send(H({ command: 'logon', clientName: 'late', commandId: 'l', ackType: 'processed' }));
    const ack = await raw.ackFor('l');
    expect(ack?.header.status).toBe('failure');
    expect(exceptionForReason(String(ack?.header.reason)).constructor).toBe(DuplicateLogonException);
    raw.close();
    noEscapes();
  });

  it('TCP framing abuse: huge length then silence, half frames, lies; the offenders are closed', async () => {
    // A frame announcing 2 GB: over the limit, that connection is closed.
    const huge = await tcp();
    huge.write(Uint8Array.from([0x7f, 0xff, 0xff, 0xff, 0x7b]));
    expect(await huge.whenClosed(5000)).toBe(true);
    // 0xFFFFFFFF.
    const huger = await tcp();
    huger.write(Uint8Array.from([0xff, 0xff, 0xff, 0xff]));
    expect(await huger.whenClosed(5000)).toBe(true);
    // Half a frame, then FIN: the server closes its side too.
    const half = await tcp();
    const f = lengthPrefixed('{"c":"logon","cid":"1","client_name":"half","a":"processed"}');
    half.write(f.subarray(0, 20));
    half.end();
    expect(await half.whenClosed(5000)).toBe(true);
    // Valid length, garbage JSON: reported, connection kept (the stream is still in sync).
    const g = await tcp();
    g.write(lengthPrefixed('definitely not json'));
    g.write(lengthPrefixed('{"c":"subscribe",,,}'));
    g.write(lengthPrefixed(new Uint8Array([0xff, 0xfe, 0x7b, 0x22, 0xc3, 0x22, 0x3a, 0x31, 0x7d])));
    g.write(lengthPrefixed(''));
    g.send(H({ command: 'flush', commandId: 'ok', ackType: 'processed' }));
    expect((await g.ackFor('ok'))?.header.status).toBe('success');
    noEscapes();
    await goodStillWorks('framing abuse');
  });

  it('WebSocket abuse: non-count binary frames, a 1e6 count, non-JSON text, frames after close', async () => {
    // Non-count binary frame then a valid command: the server resets and answers.
    const a = await ws();
    a.frame(new Uint8Array([1, 2, 3]));
    a.frame(new Uint8Array(1000));
    a.frame('this is not json');
    a.frame('[1,2,3]');
    a.frame('{"c":"flush","cid":"x",');
    a.send(H({ command: 'logon', clientName: 'wsabuse', commandId: 'l', ackType: 'processed' }));
    expect((await a.ackFor('l'))?.header.status).toBe('success');
    a.send(H({ command: 'bogus', commandId: 'u', ackType: 'processed' }));
    const u = await a.ackFor('u');
    expect(u?.header.status).toBe('failure');
    expect(exceptionForReason(String(u?.header.reason)).constructor).toBe(CommandException);
    a.send(H({ command: 'subscribe', commandId: 'bf', topic: 't', filter: '((', ackType: 'processed' }));
    expect(exceptionForReason(String((await a.ackFor('bf'))?.header.reason)).constructor).toBe(BadFilterException);
    // A count frame announcing 1e6 (and 2^32-1) frames, then a trickle: no crash; the connection can be dropped.
    const b = await ws();
    b.frame(Uint8Array.from([0x40, 0x42, 0x0f, 0x00]));
    for (let i = 0; i < 200; i++) b.frame(i % 2 ? 'x' : new Uint8Array(10));
    const c = await ws();
    c.frame(Uint8Array.from([0xff, 0xff, 0xff, 0xff]));
    c.frame(Uint8Array.from([0, 0, 0, 0]));
    c.send(H({ command: 'flush', commandId: 'f', ackType: 'processed' }));
    expect((await c.ackFor('f'))?.header.status).toBe('success');
    // No preamble at all, then a header without its count frame (lenient path).
    const d = await ws(null);
    d.frame('{"c":"flush","cid":"nf","a":"processed"}');
    expect((await d.ackFor('nf'))?.header.status).toBe('success');
    // Frames right after a close.
    const e = await ws();
    e.ws.close();
    e.frame('{"c":"flush"}');
    b.close();
    noEscapes();
    await goodStillWorks('websocket abuse');
  });

  it('random option strings on every option-taking command are answered, never an internal error', async () => {
    const rng = new Rng(SEED ^ 0x0b7);
    const raw = await tcp();
    await raw.logon('options-fuzz');
    const names = ['oof', 'replace', 'pause', 'resume', 'no_sowkey', 'timestamp', 'bookmark', 'no_empties', 'conflation', 'conflation_key',
      'top_n', 'skip_n', 'orderby', 'max_backlog', 'lease_extension', 'bookmark_not_found', 'non_regex_topic', 'send_keys', 'expire',
      'cancel', 'ack_conflation', 'no_keys', 'live', 'fully_durable', 'start', 'stop', 'beat', 'select', 'projection', 'grouping', 'rate'];
    const vals = ['', '-1', '0', '1e400', 'abc', '10ms', '1h', '[/a,/b', '/a DESC', '99999999999999999999', 'now', 'epoch', 'fail', '[/id]', '0.5s', '=='];
    const commands = ['subscribe', 'sow_and_subscribe', 'sow', 'delta_subscribe', 'sow_and_delta_subscribe', 'sow_delete', 'heartbeat', 'unsubscribe', 'flush'];
    const topics = ['orders', 'work', 'messages', 'robust-x', 'orders.*'];
    let n = 0;
    await boundedAsync(400, 4000, async (i) => {
      const parts: string[] = [];
      for (let k = 1 + rng.int(4); k > 0; k--) {
        const name = rng.pick(names);
        parts.push(rng.chance(0.6) ? `${name}=${rng.pick(vals)}` : name);
      }
      const h = { command: rng.pick(commands), topic: rng.pick(topics), options: parts.join(rng.pick([',', ',,', ' , '])), subscriptionId: `o${i % 7}`, commandId: `o${i}`, ackType: 'processed' };
      if (h.command === 'sow_delete' && rng.chance(0.5)) (h as Record<string, unknown>).filter = '/id = 1';
      raw.send(H(h));
      const ack = await raw.ackFor(`o${i}`, 5000);
      const input = `seed ${SEED ^ 0x0b7} run ${i}: ${JSON.stringify(h)}`;
      if (raw.closed) return;
      expect(ack, `no ack for ${input}`).toBeDefined();
      if (ack?.header.status === 'failure') expect(Object.values(Reasons) as string[], input).toContain(ack.header.reason);
      n++;
    });
    expect(n).toBeGreaterThan(10);
    raw.close();
    noEscapes();
  });

  it(`random hostile connections (TCP and WebSocket, bounded to 200)`, async () => {
    const rng = new Rng(SEED ^ 0x9999);
    const fields = HEADER_FIELDS.map((f) => f.wireKey);
    const values = ['', 'x', -1, 0, 1e308, '1e400', -5, 'abc', true, null, '((', '(a+)+$', '.*', '|||', '1|1|', 'start,-1', 'all', 'oof,replace,pause', '\u0000', '😀'];
    const commands = ['logon', 'p', 'publish', 'subscribe', 'sow', 'sow_and_subscribe', 'delta_subscribe', 'sow_delete', 'unsubscribe', 'flush', 'heartbeat', 'bogus', 'ack', 'sow_and_delta_subscribe', 'delta_publish'];
    const randomHeader = (): Record<string, unknown> => {
      const h: Record<string, unknown> = { c: rng.pick(commands), cid: `r${rng.int(1000)}`, a: rng.pick(['processed', 'completed,stats', 'received', '', 'bogus']) };
      for (let k = rng.int(6); k > 0; k--) h[rng.pick(fields)] = rng.pick(values);
      if (rng.chance(0.5)) h.t = rng.pick(['orders', 'robust-live', 'work', 'messages', 'x.*', 'orders']);
      return h;
    };
    const jsonFrame = (h: Record<string, unknown>) => lengthPrefixed(JSON.stringify(h) + (rng.chance(0.3) ? '{"id":1}' : ''));
    let opened = 0;
    const log: string[] = [];
    const runs = await boundedAsync(20, 8000, async (round) => {
      const batch: Promise<void>[] = [];
      for (let j = 0; j < 10; j++) {
        opened++;
        const kind = rng.int(9);
        const useWs = rng.chance(0.3);
        log.push(`round ${round} conn ${j}: kind ${kind} ws=${useWs}`);
        batch.push(
          (async () => {
            if (useWs) {
              const c = await ws(rng.pick(['text', 'binary', null, 'garbage']));
              for (let k = 1 + rng.int(8); k > 0; k--) {
                const r = rng.int(5);
                if (r === 0) c.frame(rng.bytes(rng.int(16)));
                else if (r === 1) c.frame(JSON.stringify(randomHeader()));
                else if (r === 2) c.frame(Uint8Array.from([rng.int(4), 0, 0, 0]));
                else if (r === 3) c.frame(rng.pick(['', 'text', '{', '}{', 'null']));
                else {
                  // A well-framed command (count, header, optional body) with hostile contents.
                  const body = rng.chance(0.5);
                  c.frame(Uint8Array.from([body ? 2 : 1, 0, 0, 0]));
                  c.frame(JSON.stringify(randomHeader()));
                  if (body) c.frame(rng.chance(0.5) ? '{"id":2}' : rng.bytes(8));
                }
              }
              await sleep(rng.int(30));
              c.close();
              return;
            }
            const c = await tcp();
            switch (kind) {
              case 0:
                c.write(rng.bytes(1 + rng.int(200)));
                break;
              case 1:
                c.write(lengthPrefixed(rng.bytes(rng.int(100))));
                break;
              case 2:
                c.write(Uint8Array.from([0x40 + rng.int(0x40), rng.int(256), 0, 0]));
                break;
              case 3: {
                const f = jsonFrame(randomHeader());
                c.write(f.subarray(0, rng.int(f.length)));
                break;
              }
              default:
                if (rng.chance(0.5)) await c.logon(`rnd${round}-${j}`);
                for (let k = 1 + rng.int(10); k > 0; k--) c.write(jsonFrame(randomHeader()));
            }
            await sleep(rng.int(30));
            if (c.decodeError !== undefined) expect.fail(`server sent undecodable bytes: ${String(c.decodeError)}`);
            c.close();
          })(),
        );
      }
      await Promise.all(batch);
      noEscapes();
      await goodStillWorks(`hostile round ${round} (seed ${SEED ^ 0x9999}; ${log.slice(-10).join(', ')})`);
    });
    expect(runs).toBeGreaterThan(0);
    expect(opened).toBeLessThanOrEqual(200);
    for (const c of open.splice(0)) c.close();
    // Every hostile session is gone: only the good client remains.
    await waitFor(() => server.broker.sessions.size === 1, 8000, `sessions to drain (have ${server.broker.sessions.size})`);
    noEscapes();
  });

  it('the good client kept its subscription and can still run a sow at the end', async () => {
    await goodStillWorks('the end');
    good.publish('orders', JSON.stringify({ id: 'final-check', who: 'good' }));
    await good.publishFlush(5000).catch(() => undefined);
    const records = await (await good.sow('orders', "/id = 'final-check'")).toArray();
    expect(records.filter((m) => m.header.command === 'sow').map((m) => m.data)).toEqual(['{"id":"final-check","who":"good"}']);
    expect(goodErrors).toEqual([]);
    noEscapes();
  });
});
