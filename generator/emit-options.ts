import type { Model } from './model.js';
import { blocks, doc, prop, stamp, str, strArray, union } from './emit-util.js';

export function emitOptions(model: Model): string {
  const opts = model.options;
  const spec = (o: Model['options'][number]): string =>
    `${prop(o.name)}: {
  name: ${str(o.name)},
  parameter: ${str(o.parameter)},
  ${o.values !== undefined ? `values: ${strArray(o.values)},` : ''}
  separator: ${str(o.separator)},
  helper: ${str(o.helper)},
  commands: ${strArray(o.commands)},
  description: ${str(o.description)},
}`;
  return blocks(
    stamp(['options', 'commands']),
    "import type { CommandName } from './commands.js';",
    doc('A command option keyword (sent comma-separated in `o`).', opts.map((o) => `- \`${o.name}\`: ${o.description}`)),
    `export type OptionName = ${union(opts.map((o) => o.name))};`,
    doc('Parameter of an option: none, an integer, an interval (`1s`, `300ms`), a string, or a list (`[a,b]`).'),
    "export type OptionParameterKind = 'none' | 'integer' | 'interval' | 'string' | 'list';",
    doc('One option.'),
    `export interface OptionSpec {
  readonly name: OptionName;
  readonly parameter: OptionParameterKind;
  ${doc('Allowed values of a string parameter, when restricted.')}
  readonly values?: readonly string[];
  ${doc('Between name and value: `=` (e.g. `max_backlog=5`) or `,` (heartbeat `start,30`).')}
  readonly separator: '=' | ',';
  ${doc('Name of the Command builder method that adds the option.')}
  readonly helper: string;
  ${doc('Commands that accept the option.')}
  readonly commands: readonly CommandName[];
  readonly description: string;
}`,
    doc('Every option, in spec order.'),
    `export const OPTION_SPECS: Readonly<Record<OptionName, OptionSpec>> = Object.freeze({\n${opts.map(spec).join(',\n')},\n});`,
    doc('Is `name` a known option keyword?'),
    `export function isOptionName(name: string): name is OptionName {
  return Object.prototype.hasOwnProperty.call(OPTION_SPECS, name);
}`,
    doc('Formats one option entry: `name`, `name=value` or `name,value`; list values as `[a,b]`.'),
    `export function formatOption(name: OptionName, value?: string | number | readonly string[]): string {
  const spec = OPTION_SPECS[name];
  if (value === undefined || spec.parameter === 'none') return name;
  const text = Array.isArray(value) ? \`[\${value.join(',')}]\` : String(value);
  return \`\${name}\${spec.separator}\${text}\`;
}`,
    doc('One parsed option entry.'),
    `export interface ParsedOption {
  ${doc('The keyword (a known OptionName or any other text).')}
  readonly name: string;
  ${doc('The parameter text, if any.')}
  readonly value?: string;
  ${doc('The entry as it appeared.')}
  readonly raw: string;
}`,
    doc(
      'Splits an options string into entries: commas inside `[...]`, `(...)` or quotes do not split; a known option whose separator is `,` (heartbeat `start,30`) takes the following entry as its value; empty entries (trailing commas) are dropped.',
    ),
    `export function parseOptions(text: string | undefined): ParsedOption[] {
  if (text === undefined || text === '') return [];
  const parts: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of text) {
    if (quote !== '') {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '"') quote = ch;
    else if (ch === '[' || ch === '(') depth++;
    else if ((ch === ']' || ch === ')') && depth > 0) depth--;
    else if (ch === ',' && depth === 0) {
      parts.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  parts.push(cur);
  const entries = parts.map((p) => p.trim()).filter((p) => p !== '');
  const out: ParsedOption[] = [];
  for (let i = 0; i < entries.length; i++) {
    const entry = entries[i]!;
    const eq = entry.indexOf('=');
    if (eq > 0) {
      out.push({ name: entry.slice(0, eq).trim(), value: entry.slice(eq + 1).trim(), raw: entry });
      continue;
    }
    const next = entries[i + 1];
    if (isOptionName(entry) && OPTION_SPECS[entry].separator === ',' && next !== undefined && !isOptionName(next)) {
      out.push({ name: entry, value: next, raw: \`\${entry},\${next}\` });
      i++;
      continue;
    }
    out.push({ name: entry, raw: entry });
  }
  return out;
}`,
  );
}
