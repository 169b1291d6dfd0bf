import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { SpecError } from './spec-error.js';

/** The spec files, in the order they are loaded and cited. Each has `schema/<name>.schema.json`. */
export const SPEC_FILES = ['headers', 'commands', 'options', 'enums', 'exceptions', 'uri-options'] as const;
export type SpecFileName = (typeof SPEC_FILES)[number];

export interface LoadedFile {
  /** Display name used in errors and generated-file stamps, e.g. `spec/headers.yaml`. */
  readonly label: string;
  readonly data: unknown;
  readonly schema: object;
}

export type LoadedSpec = Readonly<Record<SpecFileName, LoadedFile>>;

export function specLabel(name: SpecFileName): string {
  return `spec/${name}.yaml`;
}

/** Reads and parses every spec file and its JSON Schema. YAML syntax errors are reported with file and line. */
export async function loadSpec(specDir: string): Promise<LoadedSpec> {
  const problems: string[] = [];
  const out: Partial<Record<SpecFileName, LoadedFile>> = {};
  for (const name of SPEC_FILES) {
    const label = specLabel(name);
    let text: string;
    let schemaText: string;
    try {
      text = await readFile(join(specDir, `${name}.yaml`), 'utf8');
    } catch (e) {
      problems.push(`${label}: cannot read: ${(e as Error).message}`);
      continue;
    }
    try {
      schemaText = await readFile(join(specDir, 'schema', `${name}.schema.json`), 'utf8');
    } catch (e) {
      problems.push(`spec/schema/${name}.schema.json: cannot read: ${(e as Error).message}`);
      continue;
    }
    const doc = parseDocument(text, { prettyErrors: true, uniqueKeys: true });
    if (doc.errors.length > 0) {
      for (const err of doc.errors) problems.push(`${label}: YAML: ${err.message.split('\n')[0]}`);
      continue;
    }
    let schema: object;
    try {
      schema = JSON.parse(schemaText) as object;
    } catch (e) {
      problems.push(`spec/schema/${name}.schema.json: ${(e as Error).message}`);
      continue;
    }
    out[name] = { label, data: doc.toJS(), schema };
  }
  if (problems.length > 0) throw new SpecError(problems);
  return out as LoadedSpec;
}
