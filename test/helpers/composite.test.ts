import { describe, expect, it } from 'vitest';
import {
  CompositeMessageBuilder,
  CompositeMessageFormatError,
  CompositeMessageParser,
} from '../../runtime/helpers/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('CompositeMessageBuilder', () => {
  it('writes a 4-byte big-endian length before each part, nothing else', () => {
    const b = new CompositeMessageBuilder();
    b.append('{"a":1}').append(new Uint8Array([1, 2]));
    expect(hex(b.data())).toBe('00000007' + '7b2261223a317d' + '00000002' + '0102');
    expect(b.partCount).toBe(2);
    expect(b.byteLength).toBe(4 + 7 + 4 + 2);
  });

  it('encodes an empty part as four zero bytes and an empty message as nothing', () => {
    expect(hex(new CompositeMessageBuilder().data())).toBe('');
    expect(hex(new CompositeMessageBuilder().append('').data())).toBe('00000000');
  });

  it('encodes text parts as UTF-8 and counts bytes, not characters', () => {
    const data = new CompositeMessageBuilder().append('é€').data();
    expect(hex(data)).toBe('00000005' + 'c3a9e282ac');
  });

  it('writes every byte of the length big-endian', () => {
    const data = new CompositeMessageBuilder().append(new Uint8Array(0x010203).fill(7)).data();
    expect(hex(data.subarray(0, 4))).toBe('00010203');
    expect(data.byteLength).toBe(4 + 0x010203);
  });

  it('copies appended bytes and clears', () => {
    const src = new Uint8Array([9, 9]);
    const b = new CompositeMessageBuilder().append(src);
    src[0] = 0;
    expect(hex(b.data())).toBe('000000020909');
    b.clear();
    expect(b.partCount).toBe(0);
    expect(b.data().byteLength).toBe(0);
  });
});

describe('CompositeMessageParser', () => {
  it('parses the reference vector into views', () => {
    const bytes = Buffer.from('00000007' + '7b2261223a317d' + '00000002' + '0102', 'hex');
    const p = new CompositeMessageParser();
    expect(p.parse(bytes)).toBe(2);
    expect(p.partString(0)).toBe('{"a":1}');
    expect([...p.part(1)]).toEqual([1, 2]);
    // a view, not a copy
    expect(p.part(1).buffer).toBe(bytes.buffer);
  });

  it('round-trips mixed parts, including empty ones, and respects the byteOffset of the input view', () => {
    const doubles = new Float64Array([1.5, -2.25, Math.PI]);
    const b = new CompositeMessageBuilder()
      .append('{"id":1,"name":"x"}')
      .append('')
      .append(new Uint8Array(doubles.buffer))
      .append('<xml/>');
    const data = b.data();
    // embed in a larger buffer at an odd offset
    const outer = new Uint8Array(data.byteLength + 7);
    outer.set(data, 3);
    const view = outer.subarray(3, 3 + data.byteLength);
    const p = new CompositeMessageParser();
    expect(p.parse(view)).toBe(4);
    expect(p.partString(0)).toBe('{"id":1,"name":"x"}');
    expect(p.part(1).byteLength).toBe(0);
    const back = new Float64Array(p.part(2).slice().buffer);
    expect([...back]).toEqual([...doubles]);
    expect(p.partString(3)).toBe('<xml/>');
    expect(p.parts().map((x) => x.byteLength)).toEqual([19, 0, 24, 6]);
  });

  it('accepts a string body', () => {
    const p = new CompositeMessageParser();
    expect(p.parse('\0\0\0\x02hi')).toBe(1);
    expect(p.partString(0)).toBe('hi');
  });

  it('parses an empty body as zero parts', () => {
    expect(new CompositeMessageParser().parse(new Uint8Array(0))).toBe(0);
  });

  it('raises a typed error at every truncation point, and stays empty afterwards', () => {
    const data = new CompositeMessageBuilder().append('abc').append(new Uint8Array([1, 2, 3, 4])).data();
    const p = new CompositeMessageParser();
    const boundaries = new Set([0, 7, data.byteLength]);
    for (let cut = 0; cut <= data.byteLength; cut++) {
      if (boundaries.has(cut)) {
        expect(() => p.parse(data.subarray(0, cut))).not.toThrow();
        continue;
      }
      let err: unknown;
      try {
        p.parse(data.subarray(0, cut));
      } catch (e) {
        err = e;
      }
      expect(err, `cut at ${cut}`).toBeInstanceOf(CompositeMessageFormatError);
      expect((err as CompositeMessageFormatError).offset).toBe(cut < 7 ? 0 : 7);
      expect(p.partCount).toBe(0);
    }
  });

  it('rejects a length prefix larger than the rest of the input', () => {
    const p = new CompositeMessageParser();
    expect(() => p.parse(Buffer.from('ffffffff00', 'hex'))).toThrow(CompositeMessageFormatError);
  });

  it('throws RangeError for a part index out of range', () => {
    const p = new CompositeMessageParser();
    p.parse(new CompositeMessageBuilder().append('x').data());
    expect(() => p.part(1)).toThrow(RangeError);
    expect(() => p.part(-1)).toThrow(RangeError);
  });
});
