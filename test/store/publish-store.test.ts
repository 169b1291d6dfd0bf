import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  ENTRY_OVERHEAD,
  FilePublishStore,
  MemoryPublishStore,
  PublishStoreFullException,
  PublishStoreGapException,
  StoreClosedException,
  TimedOutException,
  type PublishStore,
  type PublishStoreOptions,
} from '../../runtime/store/index.js';

interface TestHeader {
  command: string;
  topic: string;
  sequence?: bigint;
  ackType?: string;
  extras?: Record<string, string | number | bigint | boolean>;
}

const te = new TextEncoder();
const td = new TextDecoder();
const h = (topic = 't'): TestHeader => ({ command: 'publish', topic, ackType: 'persisted' });
const collect = (s: PublishStore<TestHeader>) => {
  const out: Array<[bigint | undefined, string]> = [];
  s.replay((hd, b) => out.push([hd.sequence, td.decode(b)]));
  return out;
};

let dir: string;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'amps-ps-'));
});
afterEach(() => {
  fs.rmSync(dir, { recursive: true, force: true });
});

const kinds: Array<[string, (o?: PublishStoreOptions) => PublishStore<TestHeader>]> = [
  ['MemoryPublishStore', (o) => new MemoryPublishStore<TestHeader>(o)],
  ['FilePublishStore', (o) => new FilePublishStore<TestHeader>(path.join(dir, `ps-${Math.random()}.log`), { ...o, fsync: 'never' })],
];

describe.each(kinds)('%s', (_name, make) => {
  it('assigns monotonic sequences from the initial value and writes them into the header', async () => {
    const s = make({ initialSequence: 100n });
    const hd = h();
    expect(s.store(hd, te.encode('a'))).toBe(101n);
    expect(hd.sequence).toBe(101n);
    expect(s.store(h(), te.encode('b'))).toBe(102n);
    expect(s.lastSequence()).toBe(102n);
    expect(s.unpersistedCount()).toBe(2);
    expect(s.lowestUnpersisted()).toBe(101n);
    expect(s.lastPersisted()).toBe(0n);
    await s.close();
  });

  it('derives the first sequence from the clock (epoch ms × 10^6) by default', async () => {
    const before = BigInt(Date.now()) * 1_000_000n;
    const s = make();
    const seq = s.store(h(), te.encode('x'));
    const after = BigInt(Date.now()) * 1_000_000n;
    expect(seq > before).toBe(true);
    expect(seq <= after + 1n).toBe(true);
    await s.close();
  });

  it('discardUpTo drops everything <= s and replay returns the rest in order, as copies', async () => {
    const s = make({ initialSequence: 0n });
    for (const x of ['a', 'b', 'c', 'd']) s.store(h(), te.encode(x));
    s.discardUpTo(2n);
    expect(s.unpersistedCount()).toBe(2);
    expect(s.lastPersisted()).toBe(2n);
    expect(s.lowestUnpersisted()).toBe(3n);
    expect(collect(s)).toEqual([
      [3n, 'c'],
      [4n, 'd'],
    ]);
    // replayed headers are copies: mutating them does not change the store
    s.replay((hd) => {
      hd.topic = 'changed';
    });
    s.replay((hd) => expect(hd.topic).toBe('t'));
    // discarding an older point is a no-op without errorOnPublishGap
    s.discardUpTo(1n);
    expect(s.unpersistedCount()).toBe(2);
    s.discardUpTo(4n);
    expect(s.unpersistedCount()).toBe(0);
    expect(s.lowestUnpersisted()).toBeUndefined();
    await s.close();
  });

  it('copies the body at store time', async () => {
    const s = make({ initialSequence: 0n });
    const body = te.encode('abc');
    s.store(h(), body);
    body[0] = 0x7a;
    expect(collect(s)).toEqual([[1n, 'abc']]);
    await s.close();
  });

  it('replaySingle and get find one message', async () => {
    const s = make({ initialSequence: 10n });
    s.store(h('x'), te.encode('1'));
    s.store(h('y'), te.encode('2'));
    const seen: string[] = [];
    expect(s.replaySingle(12n, (hd, b) => seen.push(`${hd.topic}:${td.decode(b)}`))).toBe(true);
    expect(s.replaySingle(13n, () => seen.push('no'))).toBe(false);
    expect(seen).toEqual(['y:2']);
    expect(s.get(11n)?.header.topic).toBe('x');
    s.discardUpTo(11n);
    expect(s.get(11n)).toBeUndefined();
    await s.close();
  });

  it('a server ahead of the store moves the sequence counter forward', async () => {
    const s = make({ initialSequence: 0n });
    s.store(h(), te.encode('a'));
    s.discardUpTo(500n);
    expect(s.unpersistedCount()).toBe(0);
    expect(s.lastPersisted()).toBe(500n);
    expect(s.store(h(), te.encode('b'))).toBe(501n);
    await s.close();
  });

  it('errorOnPublishGap: a server behind the last persisted sequence raises PublishStoreGapException', async () => {
    const s = make({ initialSequence: 0n, errorOnPublishGap: true });
    for (let i = 0; i < 5; i++) s.store(h(), te.encode(String(i)));
    s.discardUpTo(3n);
    let err: unknown;
    try {
      s.discardUpTo(1n);
    } catch (e) {
      err = e;
    }
    expect(err).toBeInstanceOf(PublishStoreGapException);
    expect((err as PublishStoreGapException).serverSequence).toBe(1n);
    expect((err as PublishStoreGapException).storeLastPersisted).toBe(3n);
    // nothing changed; equal or ahead is fine
    expect(s.unpersistedCount()).toBe(2);
    s.discardUpTo(3n);
    s.discardUpTo(4n);
    expect(s.unpersistedCount()).toBe(1);
    // a server with no history for the client name (s = 0) is not a gap
    expect(() => s.discardUpTo(0n)).not.toThrow();
    expect(s.unpersistedCount()).toBe(1);
    // fresh store, fresh server (s = 0): no gap
    const fresh = make({ errorOnPublishGap: true });
    expect(() => fresh.discardUpTo(0n)).not.toThrow();
    await fresh.close();
    s.errorOnPublishGap = false;
    expect(() => s.discardUpTo(0n)).not.toThrow();
    await s.close();
  });

  it('flush resolves once everything stored before the call is persisted, not later messages', async () => {
    const s = make({ initialSequence: 0n });
    expect(await s.flush(0).then(() => 'empty')).toBe('empty');
    s.store(h(), te.encode('a'));
    s.store(h(), te.encode('b'));
    let done = false;
    const p = s.flush().then(() => {
      done = true;
    });
    s.store(h(), te.encode('c')); // after the flush call: not waited for
    s.discardUpTo(1n);
    await Promise.resolve();
    expect(done).toBe(false);
    s.discardUpTo(2n);
    await p;
    expect(done).toBe(true);
    expect(s.unpersistedCount()).toBe(1);
    await s.close();
  });

  it('flush rejects with TimedOutException when acks do not come', async () => {
    const s = make({ initialSequence: 0n });
    s.store(h(), te.encode('a'));
    await expect(s.flush(5)).rejects.toBeInstanceOf(TimedOutException);
    await s.close();
  });

  it('close rejects pending flushes and refuses further use', async () => {
    const s = make({ initialSequence: 0n });
    s.store(h(), te.encode('a'));
    const p = s.flush();
    await s.close();
    await expect(p).rejects.toBeInstanceOf(StoreClosedException);
    expect(() => s.store(h(), te.encode('b'))).toThrow(StoreClosedException);
    expect(() => s.discardUpTo(5n)).not.toThrow(); // a late ack is ignored
    await s.close(); // idempotent
  });

  it('capacity: the resize handler can refuse, grow, or set a size; refusal stores nothing', async () => {
    const cap = 3 * (ENTRY_OVERHEAD + 10);
    const answers: Array<boolean | number> = [false, true];
    const requests: number[] = [];
    const s = make({
      initialSequence: 0n,
      capacityBytes: cap,
      resizeHandler: (r) => {
        requests.push(r.requestedBytes);
        return answers.shift() ?? false;
      },
    });
    for (let i = 0; i < 3; i++) s.store(h(), new Uint8Array(10));
    expect(s.usedBytes).toBe(cap);
    expect(() => s.store(h(), new Uint8Array(10))).toThrow(PublishStoreFullException);
    expect(s.lastSequence()).toBe(3n);
    expect(s.unpersistedCount()).toBe(3);
    expect(s.store(h(), new Uint8Array(10))).toBe(4n); // handler said true: doubled
    expect(s.capacityBytes).toBe(cap * 2);
    expect(requests).toEqual([cap + ENTRY_OVERHEAD + 10, cap + ENTRY_OVERHEAD + 10]);
    s.setResizeHandler(() => cap * 10);
    for (let i = 0; i < 5; i++) s.store(h(), new Uint8Array(10));
    expect(s.capacityBytes).toBe(cap * 10);
    await s.close();
  });

  it('storeWhenSpace waits for acks instead of throwing', async () => {
    const s = make({ initialSequence: 0n, capacityBytes: 2 * (ENTRY_OVERHEAD + 10) });
    s.store(h(), new Uint8Array(10));
    s.store(h(), new Uint8Array(10));
    const p = s.storeWhenSpace(h(), new Uint8Array(10));
    s.discardUpTo(2n);
    expect(await p).toBe(3n);
    s.store(h(), new Uint8Array(10));
    await expect(s.storeWhenSpace(h(), new Uint8Array(10), 5)).rejects.toBeInstanceOf(TimedOutException);
    await expect(s.storeWhenSpace(h(), new Uint8Array(10_000))).rejects.toBeInstanceOf(PublishStoreFullException);
    await s.close();
  });

  it('keeps its own copy of nested header objects (extras)', async () => {
    const s = make({ initialSequence: 0n });
    const hd: TestHeader = { ...h(), extras: { k: 'v' } };
    s.store(hd, new Uint8Array(1));
    hd.extras!.k = 'changed';
    s.replay((r) => {
      expect(r.extras).toEqual({ k: 'v' });
      r.extras!.k = 'mutated by replay';
    });
    expect(s.get(1n)?.header.extras).toEqual({ k: 'v' });
    await s.close();
  });

  it('whenSpaceAvailable waits for acks to free space', async () => {
    const s = make({ initialSequence: 0n, capacityBytes: 2 * (ENTRY_OVERHEAD + 10) });
    s.store(h(), new Uint8Array(10));
    s.store(h(), new Uint8Array(10));
    expect(() => s.store(h(), new Uint8Array(10))).toThrow(PublishStoreFullException);
    const p = s.whenSpaceAvailable(10);
    s.discardUpTo(1n);
    await p;
    expect(s.store(h(), new Uint8Array(10))).toBe(3n);
    await expect(s.whenSpaceAvailable(10, 5)).rejects.toBeInstanceOf(TimedOutException);
    await s.close();
  });
});

describe('FilePublishStore persistence', () => {
  const file = () => path.join(dir, 'pub.store');

  it('reopens with unpersisted messages, original sequences, headers (bigints too) and bodies', async () => {
    const s = new FilePublishStore<TestHeader>(file(), { initialSequence: 1_700_000_000_000_000_000n, fsync: 'always' });
    const h1 = { ...h('orders'), extras: { big: 12345678901234567890n, flag: true } };
    s.store(h1, te.encode('{"id":1}'));
    s.store(h('orders'), new Uint8Array([0, 1, 2, 255]));
    s.store(h('orders'), te.encode('third'));
    s.discardUpTo(1_700_000_000_000_000_001n);
    await s.close();

    const r = new FilePublishStore<TestHeader>(file(), { initialSequence: 0n });
    expect(r.unpersistedCount()).toBe(2);
    expect(r.lastPersisted()).toBe(1_700_000_000_000_000_001n);
    expect(r.lowestUnpersisted()).toBe(1_700_000_000_000_000_002n);
    const got: Array<[TestHeader, number[]]> = [];
    r.replay((hd, b) => got.push([hd, [...b]]));
    expect(got[0]![0]).toEqual({ ...h('orders'), sequence: 1_700_000_000_000_000_002n });
    expect(got[0]![1]).toEqual([0, 1, 2, 255]);
    expect(td.decode(new Uint8Array(got[1]![1]))).toBe('third');
    // the counter continues after the highest stored sequence even with a lower initialSequence
    expect(r.store(h(), te.encode('4'))).toBe(1_700_000_000_000_000_004n);
    await r.close();

    // bigint extras survive too
    const s2 = new FilePublishStore<TestHeader>(path.join(dir, 'ext.store'), { initialSequence: 0n });
    s2.store(h1, te.encode('x'));
    await s2.close();
    const r2 = new FilePublishStore<TestHeader>(path.join(dir, 'ext.store'));
    expect(r2.get(1n)?.header.extras).toEqual({ big: 12345678901234567890n, flag: true });
    await r2.close();
  });

  it('keeps the sequence counter across a compaction that empties the store', async () => {
    const s = new FilePublishStore<TestHeader>(file(), { initialSequence: 0n, compactMinBytes: 0 });
    for (let i = 0; i < 10; i++) s.store(h(), new Uint8Array(100));
    s.discardUpTo(10n);
    expect(s.fileBytes).toBeLessThan(100);
    await s.close();
    const r = new FilePublishStore<TestHeader>(file(), { initialSequence: 0n });
    expect(r.lastSequence()).toBe(10n);
    expect(r.lastPersisted()).toBe(10n);
    expect(r.store(h(), new Uint8Array(1))).toBe(11n);
    await r.close();
  });

  it('compacts when the discarded prefix grows and keeps the live messages', async () => {
    const s = new FilePublishStore<TestHeader>(file(), { initialSequence: 0n, compactMinBytes: 10_000 });
    for (let i = 1; i <= 200; i++) s.store(h(), te.encode(`m${i}`.padEnd(200, '.')));
    const full = s.fileBytes;
    s.discardUpTo(190n);
    expect(s.fileBytes).toBeLessThan(full / 5);
    s.store(h(), te.encode('after'));
    await s.close();
    const r = new FilePublishStore<TestHeader>(file());
    expect(collect(r).map(([q, b]) => [q, b.replace(/\.+$/, '')])).toEqual([
      ...Array.from({ length: 10 }, (_, i) => [BigInt(191 + i), `m${191 + i}`]),
      [201n, 'after'],
    ]);
    await r.close();
  });

  it('survives truncation at every byte offset of the last record: earlier records intact, warning logged', async () => {
    const base = file();
    const s = new FilePublishStore<TestHeader>(base, { initialSequence: 0n });
    s.store(h(), te.encode('one'));
    s.store(h(), te.encode('two'));
    s.discardUpTo(1n);
    s.store(h(), te.encode('three'));
    const beforeLast = s.fileBytes;
    s.store({ ...h(), extras: { k: 'v' } }, te.encode('the last record body'));
    const total = s.fileBytes;
    await s.close();
    const bytes = fs.readFileSync(base);
    expect(bytes.byteLength).toBe(total);

    for (let cut = beforeLast; cut < total; cut++) {
      const f = path.join(dir, `cut-${cut}.store`);
      fs.writeFileSync(f, bytes.subarray(0, cut));
      const warnings: string[] = [];
      const r = new FilePublishStore<TestHeader>(f, { initialSequence: 0n, logger: { warn: (m) => warnings.push(m) } });
      expect(collect(r), `cut at ${cut}`).toEqual([
        [2n, 'two'],
        [3n, 'three'],
      ]);
      expect(r.lastPersisted()).toBe(1n);
      expect(warnings.length, `cut at ${cut}`).toBe(cut === beforeLast ? 0 : 1);
      expect(fs.statSync(f).size).toBe(beforeLast);
      // still usable: the next record lands where the torn one was, and a second reopen sees it
      expect(r.store(h(), te.encode('again'))).toBe(4n);
      await r.close();
      const r2 = new FilePublishStore<TestHeader>(f, { logger: { warn: () => warnings.push('unexpected') } });
      expect(collect(r2).map(([q]) => q)).toEqual([2n, 3n, 4n]);
      expect(warnings.length).toBe(cut === beforeLast ? 0 : 1);
      await r2.close();
    }
  });

  it('a corrupt byte in the last record is detected by its CRC and cut off', async () => {
    const s = new FilePublishStore<TestHeader>(file(), { initialSequence: 0n });
    s.store(h(), te.encode('keep'));
    s.store(h(), te.encode('flip'));
    await s.close();
    const bytes = fs.readFileSync(file());
    bytes[bytes.byteLength - 2] ^= 0xff;
    fs.writeFileSync(file(), bytes);
    const warnings: string[] = [];
    const r = new FilePublishStore<TestHeader>(file(), { logger: { warn: (m) => warnings.push(m) } });
    expect(collect(r)).toEqual([[1n, 'keep']]);
    expect(warnings[0]).toMatch(/CRC mismatch/);
    await r.close();
  });

  it('a zero-filled tail (file extended but never written) is cut off', async () => {
    const s = new FilePublishStore<TestHeader>(file(), { initialSequence: 0n });
    s.store(h(), te.encode('keep'));
    await s.close();
    fs.appendFileSync(file(), new Uint8Array(4096));
    const warnings: string[] = [];
    const r = new FilePublishStore<TestHeader>(file(), { logger: { warn: (m) => warnings.push(m) } });
    expect(collect(r)).toEqual([[1n, 'keep']]);
    expect(warnings).toHaveLength(1);
    await r.close();
  });

  it('refuses a file that is not a publish store, and a second open of the same file', async () => {
    fs.writeFileSync(file(), 'hello world, not a store');
    expect(() => new FilePublishStore(file())).toThrow(/not a AMPSPS01 store/);
    expect(fs.readFileSync(file(), 'utf8')).toBe('hello world, not a store');
    const other = path.join(dir, 'o.store');
    const a = new FilePublishStore(other);
    expect(() => new FilePublishStore(other)).toThrow(/already open/);
    await a.close();
    const b = new FilePublishStore(other);
    await b.close();
  });

  it('a file torn inside its 8-byte magic is reinitialised', async () => {
    fs.writeFileSync(file(), 'AMPS');
    const warnings: string[] = [];
    const r = new FilePublishStore(file(), { logger: { warn: (m) => warnings.push(m) } });
    expect(r.unpersistedCount()).toBe(0);
    expect(warnings).toHaveLength(1);
    await r.close();
  });
});

describe('store file locking and leftovers', () => {
  it('refuses a file locked by a live process, takes over a dead one, and removes its lock on close', async () => {
    const f = path.join(dir, 'locked.store');
    fs.writeFileSync(`${f}.lock`, String(process.ppid)); // a live process that is not us
    expect(() => new FilePublishStore(f)).toThrow(/in use by process/);
    fs.writeFileSync(`${f}.lock`, '999999999'); // no such process
    const s = new FilePublishStore(f);
    expect(fs.readFileSync(`${f}.lock`, 'utf8')).toBe(String(process.pid));
    await s.close();
    expect(fs.existsSync(`${f}.lock`)).toBe(false);
    const unlocked = new FilePublishStore(f, { lock: false });
    expect(fs.existsSync(`${f}.lock`)).toBe(false);
    await unlocked.close();
  });

  it('removes a compaction temp file left by a dead process', async () => {
    const f = path.join(dir, 'tmp.store');
    fs.writeFileSync(`${f}.tmp-999999999`, 'partial');
    const s = new FilePublishStore(f);
    expect(fs.existsSync(`${f}.tmp-999999999`)).toBe(false);
    await s.close();
  });
});
