import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { RecordLog, crc32, decodeRecords, encodeRecord, jsCrc32 } from '../../runtime/store/record-log.js';

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amps-log-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

it('CRC-32 matches the standard check value, native and fallback alike', () => {
  const check = new TextEncoder().encode('123456789');
  expect(crc32(check)).toBe(0xcbf43926);
  expect(jsCrc32(check)).toBe(0xcbf43926);
  const big = new Uint8Array(100_000).map((_, i) => (i * 31) & 0xff);
  expect(jsCrc32(big)).toBe(crc32(big));
  expect(crc32(new Uint8Array(0))).toBe(0);
});

it('encodes records byte for byte: [len BE][crc BE][type][body]', () => {
  const rec = encodeRecord(7, [new Uint8Array([1, 2]), new Uint8Array([3])]);
  const payload = new Uint8Array([7, 1, 2, 3]);
  const crc = crc32(payload);
  expect(Buffer.from(rec).toString('hex')).toBe('00000004' + crc.toString(16).padStart(8, '0') + '07010203');
  const { records, validEnd } = decodeRecords(rec, 0);
  expect(validEnd).toBe(rec.byteLength);
  expect(records).toHaveLength(1);
  expect(records[0]!.type).toBe(7);
  expect([...records[0]!.body]).toEqual([1, 2, 3]);
});

it('appends, reopens, rewrites atomically', () => {
  const f = path.join(dir, 'x.log');
  const a = RecordLog.open(f, 'TESTLOG1', { fsync: 'always' });
  expect(a.records).toEqual([]);
  a.log.append(1, [new TextEncoder().encode('one')]);
  a.log.append(2, [new TextEncoder().encode('two')]);
  expect(a.log.size).toBe(fs.statSync(f).size);
  a.log.close();
  const b = RecordLog.open(f, 'TESTLOG1');
  expect(b.records.map((r) => [r.type, new TextDecoder().decode(r.body)])).toEqual([
    [1, 'one'],
    [2, 'two'],
  ]);
  b.log.rewrite([{ type: 3, parts: [new TextEncoder().encode('only')] }]);
  b.log.append(4, []);
  b.log.close();
  const c = RecordLog.open(f, 'TESTLOG1');
  expect(c.records.map((r) => r.type)).toEqual([3, 4]);
  expect(fs.readdirSync(dir).sort()).toEqual(['x.log', 'x.log.lock']);
  c.log.close();
  expect(() => RecordLog.open(f, 'OTHERLOG')).toThrow(/not a OTHERLOG store/);
});
