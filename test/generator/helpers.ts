// Shared helpers for the generator tests: temp copies of spec/ that a test may edit.
import { cp, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';

export const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
export const SPEC_DIR = join(ROOT, 'spec');
export const GENERATED_DIR = join(ROOT, 'generated');
export const DOCS_FILE = join(ROOT, 'docs/API.md');

/** A fresh temp directory; `cleanup` removes it. */
export async function tempDir(prefix = 'amps-ts-gen-'): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), prefix));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Copies spec/ (YAML and schemas) into `<dir>/spec` and returns that path. */
export async function copySpec(dir: string): Promise<string> {
  const target = join(dir, 'spec');
  await cp(SPEC_DIR, target, { recursive: true });
  return target;
}

/**
 * Edits one YAML spec file in place through the `yaml` document model (comments kept). `edit` receives the plain
 * JS value and returns the new value.
 */
export async function editYaml(file: string, edit: (data: any) => unknown): Promise<void> {
  const doc = parseDocument(await readFile(file, 'utf8'));
  const next = edit(doc.toJS());
  doc.contents = doc.createNode(next) as typeof doc.contents;
  await writeFile(file, doc.toString());
}
