import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { decodeHeader, decodeHeaderText, encodeHeader } from '../../runtime/wire/header-codec.js';
import { StreamException } from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';

const vectors = new URL('../../../shared/reference/vectors/', import.meta.url);
const jsFrames: Array<{ step: string; frames?: Array<{ text?: string; countFrameHex?: string }> }> = JSON.parse(
  readFileSync(new URL('js-client-ws-frames.json', vectors), 'utf8'),
);
const pyFrames: Array<{ length: number; header: string; body: string }> = JSON.parse(
  readFileSync(new URL('python-client-tcp-frames.json', vectors), 'utf8'),
);

describe('header codec against frames recorded from official clients', () => {
  it('re-encodes every JS client header byte for byte', () => {
    const headers = jsFrames.flatMap((s) => s.frames ?? []).map((f) => f.text).filter((t): t is string => t?.startsWith('{"c"') ?? false);
    expect(headers.length).toBeGreaterThan(15);
    for (const text of headers) expect(encodeHeader(decodeHeaderText(text))).toBe(text);
  });

  it('reads the Python client spellings into the same properties', () => {
    const byCommand = pyFrames.map((f) => decodeHeaderText(f.header));
    const logon = byCommand[0];
    expect(logon).toMatchObject({ command: 'logon', commandId: 'auto1', clientName: 'capture-py', userId: 'alice', messageType: 'json', password: 'secret' });
    const publish = byCommand[1];
    expect(publish.command).toBe('publish'); // sent as "c":"p"
    expect(byCommand[2].expiration).toBe(30); // sent as the string "30"
    const replay = byCommand.find((h) => h.topic === 'replay')!;
    expect(replay.bookmark).toBe('0'); // sent as "bookmark"
    const sow = byCommand.find((h) => h.command === 'sow' && h.topN === 5)!;
    expect(sow).toMatchObject({ batchSize: 100, orderBy: '/qty DESC', queryId: 'auto8' }); // "batch_size"
    expect(byCommand.find((h) => h.topic === 'work')!.options).toBe('max_backlog=10');
  });

  it('frame lengths of the Python vectors match header + body bytes', () => {
    for (const f of pyFrames) {
      expect(Buffer.byteLength(f.header) + Buffer.byteLength(f.body)).toBe(f.length);
    }
  });
});

describe('sequence numbers beyond 2^53', () => {
  it('decodes s exactly as a bigint, quoted or not', () => {
    expect(decodeHeaderText('{"c":"p","t":"orders","a":"persisted","s":1795494787122000001}').sequence).toBe(1795494787122000001n);
    expect(decodeHeaderText('{"c":"ack","s":"18446744073709551615","status":"success"}').sequence).toBe(18446744073709551615n);
    expect(decodeHeaderText('{"c":"ack","seq":9007199254740993}').sequence).toBe(9007199254740993n);
  });

  it('is not fooled by "s": inside a string value', () => {
    const h = decodeHeaderText('{"c":"sow","filter":"/x = \'{\\"s\\":1}\'","s":12345678901234567890}');
    expect(h.sequence).toBe(12345678901234567890n);
  });

  it('encodes s right after c, never last, as bare digits', () => {
    const text = encodeHeader({ command: 'ack', status: 'success', sequence: 1795494787122000001n, ackType: 'persisted' }, { server: true });
    expect(text).toBe('{"c":"ack","s":1795494787122000001,"status":"success","a":"persisted"}');
    expect(/"s":(\d+),/.exec(text)?.[1]).toBe('1795494787122000001');
  });
});

describe('server-side encoding', () => {
  it('uses server keys, drops fields a server never emits, never sends extras, delivers publish as p', () => {
    const header: Header = { command: 'publish', topic: 't', options: 'max_backlog=3', orderBy: '/a', subscriptionIds: '1,2', extras: { foo: 'bar' } };
    const text = encodeHeader(header, { server: true });
    expect(JSON.parse(text)).toEqual({ c: 'p', t: 't', opts: 'max_backlog=3', sids: '1,2' });
  });

  it('client-side encoding keeps extras for headers newer than the spec', () => {
    expect(encodeHeader({ command: 'subscribe', topic: 't', extras: { new_key: 'v', n: 3 } })).toBe('{"c":"subscribe","t":"t","new_key":"v","n":3}');
  });

  it('writes integers as numbers and escapes strings', () => {
    expect(encodeHeader({ command: 'sow', topic: 'a"b\\c\n', batchSize: 10, topN: 5 })).toBe('{"c":"sow","t":"a\\"b\\\\c\\n","bs":10,"top_n":5}');
  });

  it('rejects an unknown property instead of silently dropping it', () => {
    expect(() => encodeHeader({ command: 'sow', nonsense: 1 } as unknown as Header)).toThrow(/unknown header property 'nonsense'/);
  });
});

describe('decoding robustness', () => {
  it('keeps unknown keys in extras and coerces types', () => {
    const h = decodeHeaderText('{"c":"ack","cid":7,"foo":"bar","l":"12","send_keys":"true"}');
    expect(h.commandId).toBe('7');
    expect(h.messageLength).toBe(12);
    expect(h.extras).toEqual({ foo: 'bar' });
  });

  it('puts a value that cannot take the field type in extras rather than lying about its type', () => {
    const h = decodeHeaderText('{"c":"sow","bs":"ten"}');
    expect(h.batchSize).toBeUndefined();
    expect(h.extras).toEqual({ bs: 'ten' });
  });

  it('raises StreamException on bad JSON, non-objects and unterminated headers', () => {
    expect(() => decodeHeaderText('{"c":')).toThrow(StreamException);
    expect(() => decodeHeaderText('[1,2]')).toThrow(StreamException);
    const bytes = new TextEncoder().encode('{"c":"p","t":"x"');
    expect(() => decodeHeader(bytes, 0, bytes.length)).toThrow(StreamException);
  });

  it('finds the header end with braces and quotes inside strings, skipping leading bytes', () => {
    const bytes = new TextEncoder().encode('  {"c":"p","t":"a}b\\"{"}{"body":1}');
    const { header, end } = decodeHeader(bytes, 0, bytes.length);
    expect(header.topic).toBe('a}b"{');
    expect(new TextDecoder().decode(bytes.subarray(end))).toBe('{"body":1}');
  });
});
