// Not a test: measures what durability costs on this machine's temp filesystem.
//   npx tsx test/store/fsync-cost.ts [messages] [bodyBytes] [dir]
// Prints per-operation cost of FilePublishStore.store() and LoggedBookmarkStore log()+discard() in each fsync
// mode, plus MemoryPublishStore as the floor, and a bare fdatasync for reference.
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import {
  FilePublishStore,
  LoggedBookmarkStore,
  MemoryBookmarkStore,
  MemoryPublishStore,
  type FsyncMode,
  type Header,
} from '../../runtime/store/index.js';

const messages = Number(process.argv[2] ?? 20_000);
const bodyBytes = Number(process.argv[3] ?? 256);
const dir = fs.mkdtempSync(path.join(process.argv[4] ?? os.tmpdir(), 'amps-fsync-'));
const body = new Uint8Array(bodyBytes).fill(0x61);
const header = (): Header => ({ command: 'publish', topic: 'orders', ackType: 'persisted' });

function time(label: string, n: number, fn: (i: number) => void): void {
  const t0 = process.hrtime.bigint();
  for (let i = 0; i < n; i++) fn(i);
  const ns = Number(process.hrtime.bigint() - t0);
  const per = ns / n / 1000;
  console.log(`${label.padEnd(52)} ${per.toFixed(2).padStart(9)} µs/op  ${Math.round(1e6 / per).toLocaleString('en').padStart(11)} ops/s  (n=${n})`);
}

async function main(): Promise<void> {
  console.log(`node ${process.version}, ${os.platform()} ${os.release()}, dir ${dir}, body ${bodyBytes} B`);

  {
    const f = path.join(dir, 'raw');
    const fd = fs.openSync(f, 'a');
    const rec = new Uint8Array(bodyBytes + 100);
    time('raw write(2) only', messages, () => fs.writeSync(fd, rec));
    time('raw write(2) + fdatasync', Math.min(messages, 2000), () => {
      fs.writeSync(fd, rec);
      fs.fdatasyncSync(fd);
    });
    fs.closeSync(fd);
  }

  {
    const s = new MemoryPublishStore({ initialSequence: 0n });
    time('MemoryPublishStore.store + discardUpTo every 100', messages, (i) => {
      s.store(header(), body);
      if (i % 100 === 99) s.discardUpTo(s.lastSequence());
    });
    await s.close();
  }

  for (const mode of ['never', 'interval', 'always'] as FsyncMode[]) {
    const n = mode === 'always' ? Math.min(messages, 2000) : messages;
    const s = new FilePublishStore(path.join(dir, `ps-${mode}`), { fsync: mode, fsyncIntervalMs: 100, initialSequence: 0n });
    time(`FilePublishStore.store fsync=${mode} (+discard/100)`, n, (i) => {
      s.store(header(), body);
      if (i % 100 === 99) s.discardUpTo(s.lastSequence());
    });
    await s.close();
  }

  {
    const b = new MemoryBookmarkStore();
    time('MemoryBookmarkStore log + discard', messages, (i) => {
      const bm = `5934099655320710513|${1_700_000_000_000_000_000n + BigInt(i)}|`;
      b.discardBySeqNo('sub-1', b.log('sub-1', bm));
    });
    await b.close();
  }

  for (const mode of ['never', 'interval', 'always'] as FsyncMode[]) {
    const n = mode === 'always' ? Math.min(messages, 2000) : messages;
    const b = new LoggedBookmarkStore(path.join(dir, `bm-${mode}`), { fsync: mode });
    time(`LoggedBookmarkStore log + discard fsync=${mode}`, n, (i) => {
      const bm = `5934099655320710513|${1_700_000_000_000_000_000n + BigInt(i)}|`;
      b.discardBySeqNo('sub-1', b.log('sub-1', bm));
    });
    const t0 = process.hrtime.bigint();
    const before = b.fileBytes;
    b.prune();
    console.log(`  prune of ${before.toLocaleString('en')} bytes → ${b.fileBytes} bytes in ${(Number(process.hrtime.bigint() - t0) / 1e6).toFixed(2)} ms`);
    await b.close();
  }

  {
    const f = path.join(dir, 'reopen');
    const s = new FilePublishStore(f, { fsync: 'never', initialSequence: 0n });
    for (let i = 0; i < messages; i++) s.store(header(), body);
    await s.close();
    const t0 = process.hrtime.bigint();
    const r = new FilePublishStore(f);
    const ms = Number(process.hrtime.bigint() - t0) / 1e6;
    console.log(`FilePublishStore reopen with ${r.unpersistedCount()} unpersisted (${fs.statSync(f).size.toLocaleString('en')} bytes): ${ms.toFixed(1)} ms`);
    await r.close();
  }

  fs.rmSync(dir, { recursive: true, force: true });
}

void main();
