// Generation is deterministic, the committed output is current, and the CLI reports bad specs readably.
import { describe, expect, it, vi } from 'vitest';
import { execFile } from 'node:child_process';
import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { generateInMemory } from '../../generator/generate.js';
import { copySpec, DOCS_FILE, editYaml, GENERATED_DIR, ROOT, SPEC_DIR, tempDir } from './helpers.js';

// Generation formats with the TypeScript formatter and the CLI tests spawn tsx: allow for a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const run = promisify(execFile);
const TSX = join(ROOT, 'node_modules/.bin/tsx');

async function snapshot(dir: string): Promise<Record<string, string>> {
  const out: Record<string, string> = {};
  for (const f of (await readdir(dir)).sort()) out[f] = await readFile(join(dir, f), 'utf8');
  return out;
}

describe('determinism', () => {
  it('two in-memory runs produce identical text', async () => {
    const a = await generateInMemory(SPEC_DIR);
    const b = await generateInMemory(SPEC_DIR);
    expect(b.files).toEqual(a.files);
    expect(b.docs).toBe(a.docs);
  });

  it('the committed generated/ and docs/API.md match the spec (not stale)', async () => {
    const { files, docs } = await generateInMemory(SPEC_DIR);
    for (const f of files) expect(await readFile(join(GENERATED_DIR, f.path), 'utf8'), f.path).toBe(f.text);
    expect(await readFile(DOCS_FILE, 'utf8')).toBe(docs);
  });

  it('every generated file carries the do-not-edit stamp naming its spec files', async () => {
    const { files, docs } = await generateInMemory(SPEC_DIR);
    for (const f of files) {
      expect(f.text.split('\n')[0], f.path).toMatch(
        /^\/\/ generated from spec\/[a-z-]+\.yaml(, spec\/[a-z-]+\.yaml)*; do not edit\. Run 'npm run generate'\.$/,
      );
    }
    expect(docs).toContain("generated from spec/headers.yaml");
    expect(docs).toContain('do not edit');
  });

  it('the CLI writes byte-identical files on a rerun, and a second run changes nothing', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const out = join(dir, 'gen');
      const docs = join(dir, 'API.md');
      await run(TSX, ['generator/cli.ts', '--spec', 'spec', '--out', out, '--docs', docs], { cwd: ROOT, timeout: 110_000 });
      const first = await snapshot(out);
      const firstDocs = await readFile(docs, 'utf8');
      const again = await run(TSX, ['generator/cli.ts', '--out', out, '--docs', docs], { cwd: ROOT, timeout: 110_000 });
      expect(again.stdout).toContain('no changes');
      expect(await snapshot(out)).toEqual(first);
      expect(await readFile(docs, 'utf8')).toBe(firstDocs);
      expect(Object.keys(first).sort()).toEqual((await readdir(GENERATED_DIR)).filter((f) => f.endsWith('.ts')).sort());
    } finally {
      await cleanup();
    }
  }, 120_000);

  it('the CLI exits non-zero with the readable error on a bad spec, writing nothing', async () => {
    const { dir, cleanup } = await tempDir();
    try {
      const spec = await copySpec(dir);
      await editYaml(join(spec, 'headers.yaml'), (d) => {
        d.fields[3].type = 'text';
        return d;
      });
      const out = join(dir, 'gen');
      const err = await run(TSX, ['generator/cli.ts', '--spec', spec, '--out', out, '--no-docs'], {
        cwd: ROOT,
        timeout: 60_000,
      }).then(
        () => undefined,
        (e: { code: number; stderr: string }) => e,
      );
      expect(err).toBeDefined();
      expect(err!.code).toBe(1);
      expect(err!.stderr).toContain('spec/headers.yaml: /fields/3/type: must be one of "string", "integer", "sequence", "boolean"');
      await expect(readdir(out)).rejects.toThrow();
    } finally {
      await cleanup();
    }
  }, 120_000);
});
