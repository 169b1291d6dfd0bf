import { mkdir, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { loadSpec } from './load.js';
import { validateSpec } from './validate.js';
import { buildModel, type Model } from './model.js';
import { formatTs } from './emit-util.js';
import { emitHeaderFields } from './emit-header-fields.js';
import { emitEnums } from './emit-enums.js';
import { emitErrors } from './emit-errors.js';
import { emitCommands } from './emit-commands.js';
import { emitOptions } from './emit-options.js';
import { emitUriOptions } from './emit-uri-options.js';
import { emitIndex } from './emit-index.js';
import { emitMessageFields } from './emit-message-fields.js';
import { emitCommandBuilder } from './emit-command-builder.js';
import { emitDocs } from './emit-docs.js';

export interface GenerateOptions {
  /** Directory holding the YAML specs and `schema/`. */
  readonly specDir: string;
  /** Directory receiving the generated TypeScript. */
  readonly outDir: string;
  /** Markdown API reference to write; undefined = do not write docs. */
  readonly docsFile?: string;
}

export interface GeneratedFile {
  /** File name relative to outDir (or the docs path). */
  readonly path: string;
  readonly text: string;
}

export interface GenerateResult {
  readonly model: Model;
  readonly files: readonly GeneratedFile[];
  readonly docs: string | undefined;
  /** Files whose content changed on disk. */
  readonly written: readonly string[];
}

type Emitter = readonly [file: string, emit: (model: Model) => string];

const EMITTERS: readonly Emitter[] = [
  ['header-fields.ts', emitHeaderFields],
  ['enums.ts', emitEnums],
  ['errors.ts', emitErrors],
  ['commands.ts', emitCommands],
  ['options.ts', emitOptions],
  ['uri-options.ts', emitUriOptions],
  ['message-fields.ts', emitMessageFields],
  ['command-builder.ts', emitCommandBuilder],
];

/** Runs load → validate → model → emit in memory; no file is touched. Throws SpecError on a bad spec. */
export async function generateInMemory(specDir: string): Promise<{ model: Model; files: GeneratedFile[]; docs: string }> {
  const loaded = await loadSpec(specDir);
  validateSpec(loaded);
  const model = buildModel(loaded);
  const files: GeneratedFile[] = EMITTERS.map(([file, emit]) => ({ path: file, text: formatTs(file, emit(model)) }));
  files.push({ path: 'index.ts', text: formatTs('index.ts', emitIndex(EMITTERS.map(([f]) => f))) });
  return { model, files, docs: emitDocs(model) };
}

async function writeIfChanged(path: string, text: string): Promise<boolean> {
  let old: string | undefined;
  try {
    old = await readFile(path, 'utf8');
  } catch {
    old = undefined;
  }
  if (old === text) return false;
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, text);
  return true;
}

/** Generates every output; removes stale generated files (only files carrying the generated stamp). */
export async function generate(opts: GenerateOptions): Promise<GenerateResult> {
  const { model, files, docs } = await generateInMemory(opts.specDir);
  const written: string[] = [];
  await mkdir(opts.outDir, { recursive: true });
  for (const f of files) {
    if (await writeIfChanged(join(opts.outDir, f.path), f.text)) written.push(f.path);
  }
  const keep = new Set(files.map((f) => f.path));
  const marker = '// generated from ';
  for (const entry of await readdir(opts.outDir)) {
    if (keep.has(entry) || !entry.endsWith('.ts')) continue;
    const p = join(opts.outDir, entry);
    const text = await readFile(p, 'utf8');
    if (text.startsWith(marker)) await rm(p);
  }
  if (opts.docsFile !== undefined && (await writeIfChanged(opts.docsFile, docs))) written.push(opts.docsFile);
  return { model, files, docs: opts.docsFile !== undefined ? docs : undefined, written };
}
