// `npm run bench`: every benchmark side by side in one run, printed as Markdown tables with the ratios.
//   npm run bench                 full run (a few minutes)
//   npm run bench -- --quick      small counts, to check the harness
//   npm run bench -- --write      also rewrite docs/BENCHMARKS.md with the results
// Loopback only; every loop is bounded by a message count and a timeout.

import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { benchClients, type ClientBenchRow } from './client-bench.js';
import { benchFanOut, benchSow } from './server-bench.js';

const args = new Set(process.argv.slice(2));
const quick = args.has('--quick');
const only = [...args].find((a) => a.startsWith('--only='))?.slice('--only='.length);

const fmt = (n: number | null | undefined, digits = 0) =>
  n === null || n === undefined ? '–' : n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });

function table(head: string[], rows: Array<Array<string>>): string {
  return [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map((r) => `| ${r.join(' | ')} |`)].join('\n');
}

/** The issue's targets: at least half the raw-socket ceiling and at least 5x the official client. */
function targetChecks(rows: ClientBenchRow[]): string {
  const lines: string[] = ['#### Targets (≥ 0.5x the raw-socket ceiling, ≥ 5x the official client)', ''];
  for (const payload of [...new Set(rows.map((r) => r.payload))]) {
    const group = rows.filter((r) => r.payload === payload);
    const official = group.find((r) => r.client.startsWith('official'))!;
    const raw = group.find((r) => r.client.startsWith('raw'))!;
    for (const r of group.filter((x) => x.client.startsWith('amps-ts'))) {
      const checks = [
        ['publish vs raw', r.publishMsgsPerSec / raw.publishMsgsPerSec, 0.5],
        ['receive vs raw', r.receiveMsgsPerSec / raw.receiveMsgsPerSec, 0.5],
        ['publish vs official', r.publishMsgsPerSec / official.publishMsgsPerSec, 5],
        ['receive vs official', r.receiveMsgsPerSec / official.receiveMsgsPerSec, 5],
      ] as const;
      lines.push(`- ${r.client}, ${payload}: ${checks.map(([name, v, goal]) => `${name} ${fmt(v, 2)}x ${v >= goal ? 'met' : 'NOT met'}`).join('; ')}`);
    }
  }
  return lines.join('\n') + '\n';
}

function clientTables(rows: ClientBenchRow[]): string {
  const out: string[] = [];
  for (const payload of [...new Set(rows.map((r) => r.payload))]) {
    const group = rows.filter((r) => r.payload === payload);
    const official = group.find((r) => r.client.startsWith('official'))!;
    const raw = group.find((r) => r.client.startsWith('raw'))!;
    out.push(`#### ${payload} JSON payload\n`);
    out.push(
      table(
        ['client', 'publish msg/s', 'publish MB/s', 'receive msg/s', 'receive MB/s', 'p50 µs', 'p99 µs', 'publish vs official', 'publish vs raw', 'receive vs official', 'receive vs raw'],
        group.map((r) => [
          r.client,
          fmt(r.publishMsgsPerSec),
          fmt(r.publishMBPerSec, 1),
          fmt(r.receiveMsgsPerSec),
          fmt(r.receiveMBPerSec, 1),
          r.latencyP50Ms === null ? '–' : fmt(r.latencyP50Ms * 1000),
          r.latencyP99Ms === null ? '–' : fmt(r.latencyP99Ms * 1000),
          `${fmt(r.publishMsgsPerSec / official.publishMsgsPerSec, 2)}x`,
          `${fmt(r.publishMsgsPerSec / raw.publishMsgsPerSec, 2)}x`,
          `${fmt(r.receiveMsgsPerSec / official.receiveMsgsPerSec, 2)}x`,
          `${fmt(r.receiveMsgsPerSec / raw.receiveMsgsPerSec, 2)}x`,
        ]),
      ),
      '',
    );
  }
  out.push(targetChecks(rows));
  return out.join('\n');
}

async function optionalHa(): Promise<string | undefined> {
  try {
    const mod = (await import('./ha.js')) as { benchHa?: (o?: { quick?: boolean }) => Promise<Record<string, unknown>[]> };
    if (!mod.benchHa) return undefined;
    const rows = await mod.benchHa({ quick });
    if (rows.length === 0) return undefined;
    const head = Object.keys(rows[0]);
    return table(head, rows.map((r) => head.map((k) => (typeof r[k] === 'number' ? fmt(r[k] as number, 2) : String(r[k])))));
  } catch (err) {
    return `HA benchmark failed: ${(err as Error).message}`;
  }
}

const READING = `
## Reading the numbers

- **Raw-socket ceiling.** Publishing: one frame encoded once and copied into pre-built 1,000-frame batches, one
  socket write per batch: a memcpy, no per-message work at all. Receiving: split frames and \`JSON.parse\` each
  header, the least any client must do to route a message. Both run over TCP.
- **This client over TCP** encodes each publish header once per topic and writes every frame of an event-loop turn
  into one buffer (one socket write per turn); headers are decoded by a compact-JSON fast path that falls back to
  \`JSON.parse\`. What is left per message is the body's UTF-8 encode and, on receive, one Message object.
- **WebSocket** costs three WebSocket frames per command (count, header, body) in both directions, as the
  protocol requires, and the \`ws\` package's per-frame work (masking every client frame, frame headers, events)
  dominates; the official client pays the same protocol cost through the \`websocket\` package.
- **Latency** is one message in flight through a reflector peer on loopback (publish → delivery back).
- **Mock server** numbers include the server's real work: filter evaluation per subscriber, SOW upserts, and the
  transaction log (every topic is logged in the default configuration).
- **HA publish-store rows** measure "until the server has persisted everything": with a store every publish
  carries a sequence number and asks for a persisted ack, so the mock server's durable path (duplicate check,
  transaction log, persisted acks) is part of the ratio. The stores alone cost about 1.5 µs (memory) and 8 µs
  (file, fsync never) per message (runtime/store/README.md, test/store/fsync-cost.ts).
- Machine: 2 cores shared with the peer worker thread; numbers vary by ±20% between runs.
`;

const sections: string[] = [];
const machine = `${os.cpus().length} × ${os.cpus()[0]?.model ?? 'cpu'}, ${Math.round(os.totalmem() / 2 ** 30)} GiB, Node ${process.version}`;
sections.push(`Measured ${new Date().toISOString().slice(0, 10)} on ${machine}${quick ? ' (--quick: small counts, not representative)' : ''}.\n`);

if (!only || only === 'client') {
  console.error('client throughput and latency…');
  sections.push('### Client: publish and receive throughput, publish-to-receive latency\n', clientTables(await benchClients({ quick })));
}
if (!only || only === 'server') {
  console.error('mock-server fan-out…');
  const fan = await benchFanOut({ quick });
  sections.push(
    '### Mock server: fan-out, one publisher to N filtered subscribers\n',
    table(['subscribers', 'published', 'published msg/s', 'delivered msg/s'], fan.map((r) => [String(r.subscribers), fmt(r.published), fmt(r.publishedPerSec), fmt(r.deliveredPerSec)])),
    '',
  );
  console.error('mock-server SOW…');
  const sow = await benchSow({ quick });
  sections.push(
    '### Mock server: SOW load and query (through this client, batch size 100)\n',
    table(['records', 'load msg/s', 'query records/s', 'filtered query records/s'], sow.map((r) => [fmt(r.records), fmt(r.loadPerSec), fmt(r.queryRecordsPerSec), fmt(r.filteredQueryRecordsPerSec)])),
    '',
  );
}
if (!only || only === 'ha') {
  console.error('HA…');
  const ha = await optionalHa();
  if (ha) sections.push('### HA: failover time and publish-store cost\n', ha, '');
}

const report = sections.join('\n');
console.log(report);
if (args.has('--write')) {
  const header = `# Benchmarks\n\nReproduce with \`npm run bench -- --write\` (this file is rewritten by it). Every number below comes from one run,\nside by side, on loopback. Peers (sink, blaster, reflector) and the mock server run in a worker thread so the\nmeasured client owns its event loop. See test/bench/ for what each row does.\n\n`;
  writeFileSync(new URL('../../docs/BENCHMARKS.md', import.meta.url), header + report + '\n' + READING);
}
process.exit(0);
