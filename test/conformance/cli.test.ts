import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { main } from '../../conformance/cli.js';
import { tsxImportArgs } from '../../conformance/driver/ours-command.js';
import { MockServer } from '../../mock-server/index.js';
import { loadMockConfig } from '../../conformance/targets/embedded.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

function capture() {
  const out: string[] = [];
  const err: string[] = [];
  return { io: { out: (s: string) => out.push(s), err: (s: string) => err.push(s) }, out, err };
}

describe('amps-ts CLI', () => {
  let dir: string;
  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'conf-cli-'));
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('prints usage for help and rejects unknown commands and arguments', async () => {
    const a = capture();
    expect(await main(['help'], a.io)).toBe(0);
    expect(a.out.join('\n')).toContain('amps-ts conformance --client');
    const b = capture();
    expect(await main(['frobnicate'], b.io)).toBe(2);
    expect(b.err.join('\n')).toContain("unknown command 'frobnicate'");
    const c = capture();
    expect(await main(['conformance', '--bogus'], c.io)).toBe(2);
    const d = capture();
    expect(await main(['conformance'], d.io)).toBe(2);
    expect(d.err.join('\n')).toContain('--client');
  });

  it('conformance --client ours runs selected scenarios on the embedded server and writes the reports', { timeout: 30_000 }, async () => {
    const out = path.join(dir, 'embedded');
    const cap = capture();
    const code = await main(['conformance', '--client', 'ours', '--scenario', 'pubsub.publish-subscribe', '--scenario', 'sow.top-n', '--out', out, '--quiet'], cap.io);
    expect(code).toBe(0);
    const text = cap.out.join('\n');
    expect(text).toMatch(/pubsub\.publish-subscribe\s+pass/);
    expect(text).toMatch(/sow\.top-n\s+pass/);
    const json = JSON.parse(await readFile(path.join(out, 'report.json'), 'utf8'));
    expect(json.results).toHaveLength(2);
    expect(await readFile(path.join(out, 'report.html'), 'utf8')).toContain('<td class="pass">pass</td>');
  });

  it('conformance --uri points the suite at an external server', { timeout: 30_000 }, async () => {
    const server = await MockServer.start(loadMockConfig());
    try {
      const out = path.join(dir, 'external');
      const cap = capture();
      const code = await main(['conformance', '--client', 'ours', '--uri', server.uri('tcp', 'json'), '--scenario', 'queues.backlog', '--out', out, '--quiet'], cap.io);
      expect(code).toBe(0);
      expect(cap.out.join('\n')).toContain(`target: external ${server.uri('tcp', 'json')}`);
      expect(server.connections.length).toBe(0);
    } finally {
      await server.stop();
    }
  });

  it('exits 1 when a selected client fails a scenario outside its known differences', { timeout: 30_000 }, async () => {
    const cap = capture();
    // Nothing listens at this port: every scenario that connects fails.
    const code = await main(['conformance', '--client', 'ours', '--uri', 'tcp://127.0.0.1:1/amps/json', '--scenario', 'pubsub.two-clients', '--out', path.join(dir, 'bad'), '--quiet'], cap.io);
    expect(code).toBe(1);
    expect(cap.out.join('\n')).toContain('REGRESSION');
  });

  it('delegates mock-server to the mock server CLI', async () => {
    const cap = capture();
    const stdout = process.stdout.write;
    let printed = '';
    process.stdout.write = ((chunk: string) => ((printed += chunk), true)) as typeof process.stdout.write;
    try {
      const code = await main(['mock-server', '--help'], cap.io);
      expect(code).toBe(0);
    } finally {
      process.stdout.write = stdout;
    }
    expect(printed.toLowerCase()).toContain('usage');
  });

  it('runs as a script (node cli.ts help)', () => {
    const r = spawnSync(process.execPath, [...tsxImportArgs(), path.join(root, 'conformance/cli.ts'), 'help'], { encoding: 'utf8', timeout: 20_000 });
    expect(r.status).toBe(0);
    expect(r.stdout).toContain('amps-ts start');
  });
});
