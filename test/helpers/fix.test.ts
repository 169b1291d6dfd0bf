import { describe, expect, it } from 'vitest';
import {
  FIXBuilder,
  FIXShredder,
  FieldFormatError,
  NVFIXBuilder,
  NVFIXShredder,
} from '../../runtime/helpers/index.js';

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex');

describe('NVFIXBuilder', () => {
  it('writes tag=value followed by SOH for every field, the last included', () => {
    const b = new NVFIXBuilder();
    b.append('a', '1').append('b', 'x=y');
    expect(hex(b.data())).toBe('613d3101' + '623d783d7901');
    expect(b.toString()).toBe('a=1\x01b=x=y\x01');
    expect(b.fieldCount).toBe(2);
  });

  it('formats numbers, bigints and booleans with String()', () => {
    const b = new NVFIXBuilder().append('n', 42).append('big', 12345678901234567890n).append('f', false);
    expect(b.toString()).toBe('n=42\x01big=12345678901234567890\x01f=false\x01');
  });

  it('encodes values as UTF-8', () => {
    expect(hex(new NVFIXBuilder().append('s', 'é').data())).toBe('733dc3a901');
  });

  it('uses a configured field separator and key/value separator', () => {
    expect(new NVFIXBuilder('|').append('a', '1').append('b', '2').toString()).toBe('a=1|b=2|');
    expect(new NVFIXBuilder(';', ':').append('a', '1').toString()).toBe('a:1;');
  });

  it('reset() empties the message and keeps the separators', () => {
    const b = new NVFIXBuilder('|').append('a', '1');
    b.reset();
    expect(b.data().byteLength).toBe(0);
    expect(b.append('c', '3').toString()).toBe('c=3|');
  });

  it('refuses tags and values that would shred differently', () => {
    const b = new NVFIXBuilder();
    expect(() => b.append('a=b', '1')).toThrow(FieldFormatError);
    expect(() => b.append('a\x01', '1')).toThrow(FieldFormatError);
    expect(() => b.append('', '1')).toThrow(FieldFormatError);
    expect(() => b.append('a', 'x\x01y')).toThrow(FieldFormatError);
    expect(b.fieldCount).toBe(0);
    expect(() => new NVFIXBuilder('=')).toThrow(RangeError);
    expect(() => new NVFIXBuilder('')).toThrow(RangeError);
  });
});

describe('NVFIXShredder', () => {
  it('shreds the reference vector', () => {
    const m = new NVFIXShredder().toMap(Buffer.from('613d3101623d783d7901', 'hex'));
    expect([...m]).toEqual([
      ['a', '1'],
      ['b', 'x=y'],
    ]);
  });

  it('tolerates a missing trailing separator and empty fields; empty values are kept', () => {
    expect([...new NVFIXShredder().toMap('a=1\x01\x01b=\x01c=3')]).toEqual([
      ['a', '1'],
      ['b', ''],
      ['c', '3'],
    ]);
  });

  it('last value wins in toMap; toEntries keeps order and duplicates', () => {
    const s = new NVFIXShredder();
    expect(s.toMap('a=1\x01a=2\x01').get('a')).toBe('2');
    expect(s.toEntries('a=1\x01b=0\x01a=2\x01')).toEqual([
      ['a', '1'],
      ['b', '0'],
      ['a', '2'],
    ]);
  });

  it('raises FieldFormatError with the offset of a field lacking "="', () => {
    let err: unknown;
    try {
      new NVFIXShredder().toMap('a=1\x01bogus\x01');
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(FieldFormatError);
    expect((err as FieldFormatError).offset).toBe(4);
    expect(() => new NVFIXShredder().toMap('=1\x01')).toThrow(FieldFormatError);
  });

  it('round-trips with custom separators, including multi-character ones', () => {
    const fields: Array<[string, string]> = [
      ['Symbol', 'MSFT'],
      ['Note', 'a=b, c'],
      ['Empty', ''],
      ['Uni', '東京'],
    ];
    for (const [fs, kv] of [
      ['\x01', '='],
      ['|', '='],
      ['<>', '::'],
    ] as const) {
      const b = new NVFIXBuilder(fs, kv);
      for (const [k, v] of fields) b.append(k, v);
      expect(new NVFIXShredder(fs, kv).toEntries(b.data())).toEqual(fields);
    }
  });
});

describe('FIXBuilder / FIXShredder', () => {
  it('writes numeric tags byte for byte', () => {
    const b = new FIXBuilder().append(35, 'D').append(55, 'MSFT').append(38, 100);
    expect(b.toString()).toBe('35=D\x0155=MSFT\x0138=100\x01');
    expect(hex(b.data())).toBe('33353d4401' + '35353d4d53465401' + '33383d31303001');
  });

  it('rejects non-integer or negative tags', () => {
    const b = new FIXBuilder();
    expect(() => b.append(1.5, 'x')).toThrow(FieldFormatError);
    expect(() => b.append(-1, 'x')).toThrow(FieldFormatError);
    expect(() => b.append(Number.NaN, 'x')).toThrow(FieldFormatError);
  });

  it('shreds into Map<number, string>', () => {
    const m = new FIXShredder().toMap('35=D\x0155=MSFT\x0138=100\x01');
    expect(m.get(35)).toBe('D');
    expect(m.get(55)).toBe('MSFT');
    expect(m.get(38)).toBe('100');
    expect([...m.keys()]).toEqual([35, 55, 38]);
  });

  it('keeps repeating groups in toEntries', () => {
    const body = new FIXBuilder('|').append(268, 2).append(269, '0').append(270, '1.5').append(269, '1').append(270, '1.6');
    expect(new FIXShredder('|').toEntries(body.data())).toEqual([
      [268, '2'],
      [269, '0'],
      [270, '1.5'],
      [269, '1'],
      [270, '1.6'],
    ]);
  });

  it('rejects a non-numeric tag', () => {
    expect(() => new FIXShredder().toMap('35=D\x01Sym=MSFT\x01')).toThrow(FieldFormatError);
    expect(() => new FIXShredder().toMap('-1=x\x01')).toThrow(FieldFormatError);
  });

  it('round-trips with a custom separator', () => {
    const b = new FIXBuilder(';');
    b.append(8, 'FIX.4.2').append(49, 'A=B');
    expect(b.toString()).toBe('8=FIX.4.2;49=A=B;');
    expect([...new FIXShredder(';').toMap(b.toString())]).toEqual([
      [8, 'FIX.4.2'],
      [49, 'A=B'],
    ]);
  });
});
