import { IndentationText, NewLineKind, Project, QuoteKind } from 'ts-morph';
import type { SpecFileName } from './load.js';
import { specLabel } from './load.js';

/** First line of every generated TypeScript file. */
export function stamp(files: readonly SpecFileName[]): string {
  return `// generated from ${files.map(specLabel).join(', ')}; do not edit. Run 'npm run generate'.`;
}

/** A single-quoted TypeScript string literal. */
export function str(s: string): string {
  return `'${s
    .replace(/\\/g, '\\\\')
    .replace(/'/g, "\\'")
    .replace(/\n/g, '\\n')
    .replace(/\r/g, '\\r')
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029')}'`;
}

/** `['a', 'b']` */
export function strArray(items: readonly string[]): string {
  return `[${items.map(str).join(', ')}]`;
}

/** A union of string literals, or `never` when empty. */
export function union(items: readonly string[]): string {
  return items.length === 0 ? 'never' : items.map(str).join(' | ');
}

/** Is `name` usable as a bare property name? */
export function isIdent(name: string): boolean {
  return /^[A-Za-z_$][A-Za-z0-9_$]*$/.test(name);
}

export function prop(name: string): string {
  return isIdent(name) ? name : str(name);
}

function wrap(text: string, width: number): string[] {
  const out: string[] = [];
  for (const para of text.split('\n')) {
    let line = '';
    for (const word of para.split(/\s+/).filter((w) => w.length > 0)) {
      if (line.length > 0 && line.length + 1 + word.length > width) {
        out.push(line);
        line = word;
      } else line = line.length > 0 ? `${line} ${word}` : word;
    }
    out.push(line);
  }
  return out;
}

/** A TSDoc block (the text is wrapped; `*\/` is neutralised). */
export function doc(text: string, extra: readonly string[] = []): string {
  const lines = [...wrap(text.replace(/\*\//g, '*\\/'), 96), ...extra.map((e) => e.replace(/\*\//g, '*\\/'))];
  if (lines.length === 1) return `/** ${lines[0]} */`;
  return `/**\n${lines.map((l) => (l.length > 0 ? ` * ${l}` : ' *')).join('\n')}\n */`;
}

let project: Project | undefined;

/** Formats TypeScript source with the TypeScript formatter (via ts-morph) so the output is stable. */
export function formatTs(fileName: string, text: string): string {
  project ??= new Project({
    useInMemoryFileSystem: true,
    manipulationSettings: {
      indentationText: IndentationText.TwoSpaces,
      newLineKind: NewLineKind.LineFeed,
      quoteKind: QuoteKind.Single,
      useTrailingCommas: true,
    },
  });
  const sf = project.createSourceFile(fileName, text, { overwrite: true });
  sf.formatText({
    indentSize: 2,
    tabSize: 2,
    convertTabsToSpaces: true,
    insertSpaceAfterCommaDelimiter: true,
    insertSpaceAfterSemicolonInForStatements: true,
    insertSpaceBeforeAndAfterBinaryOperators: true,
    insertSpaceAfterKeywordsInControlFlowStatements: true,
    insertSpaceAfterFunctionKeywordForAnonymousFunctions: true,
    insertSpaceAfterOpeningAndBeforeClosingNonemptyBraces: true,
    placeOpenBraceOnNewLineForFunctions: false,
    placeOpenBraceOnNewLineForControlBlocks: false,
  });
  const out = reindentComments(sf.getFullText()).replace(/\b(override|static)\[/g, '$1 [');
  project.removeSourceFile(sf);
  return out.endsWith('\n') ? out : `${out}\n`;
}

/** Joins code blocks with one blank line between them. */
export function blocks(...parts: (string | readonly string[] | undefined | false)[]): string {
  const flat: string[] = [];
  for (const p of parts) {
    if (p === undefined || p === false) continue;
    if (typeof p === 'string') flat.push(p);
    else flat.push(...p);
  }
  const parts2 = flat.filter((p) => p.length > 0);
  let out = '';
  for (let i = 0; i < parts2.length; i++) {
    const p = parts2[i]!;
    out += p;
    if (i < parts2.length - 1) out += /^\/\*\*[\s\S]*\*\/$/.test(p) ? '\n' : '\n\n';
  }
  return `${out}\n`;
}

/** The TypeScript formatter does not re-indent the continuation lines of block comments: align them. */
function reindentComments(text: string): string {
  const lines = text.split('\n');
  let indent: string | undefined;
  for (let i = 0; i < lines.length; i++) {
    const line = lines[i]!;
    if (indent === undefined) {
      const m = /^(\s*)\/\*\*(?!.*\*\/)/.exec(line);
      if (m) indent = m[1]!;
      continue;
    }
    const trimmed = line.trimStart();
    lines[i] = `${indent} ${trimmed}`.replace(/\s+$/, '');
    if (trimmed.startsWith('*/')) indent = undefined;
  }
  return lines.join('\n');
}
