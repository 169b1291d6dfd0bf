import { Ajv, type ErrorObject } from 'ajv';
import { SPEC_FILES, type LoadedSpec } from './load.js';
import { SpecError } from './spec-error.js';

/** Formats one ajv error as `<file>: <json path>: <message>`. */
export function formatAjvError(label: string, err: ErrorObject): string {
  let path = err.instancePath === '' ? '/' : err.instancePath;
  let message = err.message ?? 'is invalid';
  const p = err.params as Record<string, unknown>;
  switch (err.keyword) {
    case 'enum':
      message = `must be one of ${(p.allowedValues as unknown[]).map((v) => JSON.stringify(v)).join(', ')}`;
      break;
    case 'additionalProperties':
      path = `${err.instancePath}/${String(p.additionalProperty)}`;
      message = 'unknown key (not allowed by the schema)';
      break;
    case 'required':
      path = `${err.instancePath}/${String(p.missingProperty)}`;
      message = 'is required';
      break;
    case 'pattern':
      message = `must match ${String(p.pattern)}`;
      break;
    case 'type':
      message = `must be ${String(p.type)}`;
      break;
    case 'uniqueItems':
      message = `must not contain duplicates (items ${String(p.j)} and ${String(p.i)} are equal)`;
      break;
    default:
      break;
  }
  return `${label}: ${path}: ${message}`;
}

/** Validates every loaded file against its JSON Schema; throws a SpecError listing every problem. */
export function validateSpec(spec: LoadedSpec): void {
  const ajv = new Ajv({ allErrors: true, strict: true });
  const problems: string[] = [];
  for (const name of SPEC_FILES) {
    const file = spec[name];
    let validate;
    try {
      validate = ajv.compile(file.schema);
    } catch (e) {
      problems.push(`spec/schema/${name}.schema.json: ${(e as Error).message}`);
      continue;
    }
    if (!validate(file.data)) {
      const seen = new Set<string>();
      for (const err of validate.errors ?? []) {
        const line = formatAjvError(file.label, err);
        if (!seen.has(line)) {
          seen.add(line);
          problems.push(line);
        }
      }
    }
  }
  if (problems.length > 0) throw new SpecError(problems);
}
