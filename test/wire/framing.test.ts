import { describe, expect, it } from 'vitest';
import { readFileSync } from 'node:fs';
import { FrameBuffer, FrameDecoder, encodeFrame, encodeSowBatch, parseFrame } from '../../runtime/wire/tcp-framing.js';
import {
  WsCommandAssembler,
  WsInboundParser,
  encodeWsCommand,
  encodeWsServerMessage,
  encodeWsSowBatch,
  wsPreamble,
} from '../../runtime/wire/ws-framing.js';
import { decodeHeaderText } from '../../runtime/wire/header-codec.js';
import { StreamException } from '../../generated/errors.js';
import type { InboundMessage } from '../../runtime/wire/message.js';

const text = (b: Uint8Array) => new TextDecoder().decode(b);
const bytes = (s: string) => new TextEncoder().encode(s);

function collect(chunks: Uint8Array[], max?: number): Uint8Array[] {
  const out: Uint8Array[] = [];
  const d = new FrameDecoder((p) => out.push(p.slice()), { maxFrameBytes: max });
  for (const c of chunks) d.push(c);
  return out;
}

describe('TCP frames', () => {
  const frames = [
    encodeFrame({ command: 'publish', topic: 'orders' }, '{"id":1,"symbol":"ROL"}'),
    encodeFrame({ command: 'ack', commandId: 'x', status: 'success' }),
    encodeFrame({ command: 'publish', topic: 'ünïcödé' }, bytes('{"name":"😀"}')),
  ];
  const stream = Buffer.concat(frames);

  it('encodes the exact bytes the Python client sends (length prefix is big-endian and excludes itself)', () => {
    const f = encodeFrame({ command: 'publish', topic: 'orders' }, '{"id":1,"symbol":"ROL"}');
    expect(Buffer.from(f.subarray(0, 4)).readUInt32BE(0)).toBe(f.length - 4);
    expect(text(f.subarray(4))).toBe('{"c":"publish","t":"orders"}{"id":1,"symbol":"ROL"}');
  });

  it('decodes a storm of frames in one chunk', () => {
    const many = Buffer.concat(Array.from({ length: 500 }, (_, i) => encodeFrame({ command: 'publish', topic: `t${i}` }, `{"i":${i}}`)));
    const out = collect([many]);
    expect(out).toHaveLength(500);
    expect(parseFrame(out[499])[0].header.topic).toBe('t499');
  });

  it('decodes the same stream split at every byte boundary', () => {
    for (let cut = 1; cut < stream.length; cut++) {
      const out = collect([stream.subarray(0, cut), stream.subarray(cut)]);
      expect(out.map((p) => text(p))).toEqual(frames.map((f) => text(f.subarray(4))));
    }
  });

  it('decodes byte-by-byte delivery and a large frame arriving in many chunks', () => {
    expect(collect([...stream].map((b) => Uint8Array.of(b)))).toHaveLength(3);
    const big = encodeFrame({ command: 'publish', topic: 'big' }, new Uint8Array(3_000_000).fill(65));
    const chunks: Uint8Array[] = [];
    for (let i = 0; i < big.length; i += 65536) chunks.push(big.subarray(i, i + 65536));
    const [payload] = collect(chunks);
    const [m] = parseFrame(payload);
    expect(m.header.topic).toBe('big');
    expect(m.body.length).toBe(3_000_000);
  });

  it('refuses an oversized frame with StreamException and stays failed', () => {
    const d = new FrameDecoder(() => {}, { maxFrameBytes: 1024 });
    const head = Buffer.alloc(4);
    head.writeUInt32BE(1025);
    expect(() => d.push(head)).toThrow(StreamException);
    expect(() => d.push(encodeFrame({ command: 'ack' }))).toThrow(StreamException);
  });

  it('refuses corrupt frames with StreamException', () => {
    expect(() => parseFrame(bytes('not json at all'))).toThrow(StreamException);
    expect(() => parseFrame(bytes('{"c":"p","t":'))).toThrow(StreamException);
  });
});

describe('TCP sow batches', () => {
  it('round-trips the batch layout verified against the official Python client', () => {
    const frame = encodeSowBatch({ command: 'sow', topic: 'orders', queryId: 'q1' }, [
      { header: { sowKey: '11' }, body: bytes('{"id":1,"qty":20}') },
      { header: { sowKey: '33', bookmark: '12|3|' }, body: bytes('{"id":3}') },
    ], { server: true });
    expect(text(frame.subarray(4))).toBe(
      '{"c":"sow","t":"orders","query_id":"q1","bs":2}{"k":"11","l":17}{"id":1,"qty":20}{"k":"33","bm":"12|3|","l":8}{"id":3}',
    );
    const records = parseFrame(frame.subarray(4));
    expect(records.map((r) => [r.header.sowKey, r.header.queryId, r.header.topic, text(r.body)])).toEqual([
      ['11', 'q1', 'orders', '{"id":1,"qty":20}'],
      ['33', 'q1', 'orders', '{"id":3}'],
    ]);
    expect(records[1].header.bookmark).toBe('12|3|');
  });

  it('handles record bodies that contain braces and a record with an empty body', () => {
    const frame = encodeSowBatch({ command: 'sow', queryId: 'q' }, [
      { header: { sowKey: '1' }, body: bytes('{"a":"}{"}') },
      { header: { sowKey: '2' }, body: new Uint8Array(0) },
    ]);
    const records = parseFrame(frame.subarray(4));
    expect(records.map((r) => text(r.body))).toEqual(['{"a":"}{"}', '']);
  });

  it('raises StreamException when a record length runs past the frame', () => {
    expect(() => parseFrame(bytes('{"c":"sow","bs":1}{"k":"1","l":99}{"a":1}'))).toThrow(StreamException);
  });
});

const vectors = new URL('../../../shared/reference/vectors/', import.meta.url);
const jsSteps: Array<{ step: string; preamble?: { text: string }; frames?: Array<{ text?: string; countFrameHex?: string; count?: number }> }> =
  JSON.parse(readFileSync(new URL('js-client-ws-frames.json', vectors), 'utf8'));

describe('WebSocket framing against the official JS client recording', () => {
  it('encodes each command exactly as the JS client does: LE count, header text, body text', () => {
    for (const step of jsSteps.filter((s) => s.frames)) {
      const [count, headerFrame, ...body] = step.frames!;
      const ours = encodeWsCommand(decodeHeaderText(headerFrame.text!), body[0]?.text);
      expect(Buffer.from(ours[0] as Uint8Array).toString('hex')).toBe(count.countFrameHex);
      expect(ours.slice(1)).toEqual([headerFrame.text, ...body.map((b) => b.text)]);
    }
  });

  it('the server-side assembler reads the recorded session, preamble included', () => {
    const asm = new WsCommandAssembler();
    const commands: InboundMessage[] = [];
    for (const step of jsSteps) {
      if (step.preamble) expect(asm.push(step.preamble.text)).toBeUndefined();
      for (const f of step.frames ?? []) {
        const m = asm.push(f.countFrameHex ? Buffer.from(f.countFrameHex, 'hex') : f.text!);
        if (m) commands.push(m);
      }
    }
    expect(asm.bodyType).toBe('text');
    expect(commands.map((c) => c.header.command)).toEqual(jsSteps.filter((s) => s.frames).map((s) => JSON.parse(s.frames![1].text!).c));
    const publish = commands.find((c) => c.header.command === 'publish')!;
    expect(text(publish.body)).toBe('{"id":1,"symbol":"ROL"}');
    expect(wsPreamble('json')).toBe('text');
    expect(wsPreamble('nvfix')).toBe('binary');
  });

  it('rejects a malformed count frame', () => {
    expect(() => new WsCommandAssembler().push(new Uint8Array(3))).toThrow(StreamException);
  });
});

describe('WebSocket server -> client', () => {
  it('publish carries a numeric l; l = 0 means no body frame', () => {
    const withBody = encodeWsServerMessage({ command: 'publish', topic: 't', subscriptionIds: 's1' }, '{"a":1}', 'text');
    expect(withBody).toEqual(['{"c":"p","t":"t","sids":"s1","l":7}', '{"a":1}']);
    const oof = encodeWsServerMessage({ command: 'oof', topic: 't', subscriptionIds: 's1', reason: 'deleted' }, undefined, 'text');
    expect(oof).toEqual(['{"c":"oof","t":"t","sids":"s1","reason":"deleted","l":0}']);
  });

  it('the client parser turns server frames back into messages, sow batches included', () => {
    const frames = [
      ...encodeWsServerMessage({ command: 'ack', commandId: 'a1', status: 'success', ackType: 'processed' }, undefined, 'text'),
      ...encodeWsServerMessage({ command: 'group_begin', queryId: 'q' }, undefined, 'text'),
      ...encodeWsSowBatch({ command: 'sow', topic: 'orders', queryId: 'q' }, [
        { header: { sowKey: '1' }, body: bytes('{"id":1}') },
        { header: { sowKey: '2' }, body: bytes('{"id":2}') },
      ], 'text'),
      ...encodeWsServerMessage({ command: 'group_end', queryId: 'q' }, undefined, 'text'),
      ...encodeWsServerMessage({ command: 'publish', topic: 'orders', subscriptionIds: 'q', sequence: 2n ** 63n }, bytes('{"id":3}'), 'binary'),
      ...encodeWsServerMessage({ command: 'oof', topic: 'orders', subscriptionIds: 'q', reason: 'deleted' }, undefined, 'text'),
    ];
    const parser = new WsInboundParser();
    const out = frames.flatMap((f) => parser.push(f));
    expect(out.map((m) => [m.header.command, m.header.sowKey ?? null, text(m.body)])).toEqual([
      ['ack', null, ''],
      ['group_begin', null, ''],
      ['sow', '1', '{"id":1}'],
      ['sow', '2', '{"id":2}'],
      ['group_end', null, ''],
      ['publish', null, '{"id":3}'],
      ['oof', null, ''],
    ]);
    expect(out[5].header.sequence).toBe(2n ** 63n);
    expect(out[2].header.queryId).toBe('q');
  });
});


describe('FrameBuffer', () => {
  it('encodes frames back to back exactly as encodeFrame does, growing past its capacity', () => {
    const fb = new FrameBuffer(16);
    const inputs: Array<[Parameters<typeof encodeFrame>[0], string | Uint8Array | undefined]> = [
      [{ command: 'publish', topic: 'orders' }, '{"id":1}'],
      [{ command: 'publish', topic: 'ünï' }, '{"name":"😀 ü"}'],
      [{ command: 'ack', commandId: 'x' }, undefined],
      [{ command: 'publish', topic: 'big' }, new Uint8Array(100_000).fill(7)],
    ];
    const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');
    const views = inputs.map(([h, b]) => hex(fb.append(h, b)));
    const expected = inputs.map(([h, b]) => encodeFrame(h, b));
    expect(views).toEqual(expected.map(hex));
    const taken = fb.take();
    expect(Buffer.from(taken).equals(Buffer.concat(expected))).toBe(true);
    expect(fb.length).toBe(0);
    expect(collect([taken]).map((p) => parseFrame(p)[0].header.topic)).toEqual(['orders', 'ünï', undefined, 'big']);
  });
});
