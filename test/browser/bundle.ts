// Browser bundle of the public entry point (runtime/index.ts), built with esbuild's JS API as an application's
// bundler would: platform browser, ESM. Node built-ins and `ws` are marked external so the build always succeeds
// and the output shows exactly which of them a browser would be asked to load.

import { builtinModules } from 'node:module';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { build, type Metafile } from 'esbuild';

export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
export const ENTRY = path.join(REPO_ROOT, 'runtime/index.ts');

/** Packages that only exist in Node: every built-in (bare and `node:`) and the `ws` WebSocket package. */
export const NODE_ONLY = [...new Set([...builtinModules, ...builtinModules.map((m) => `node:${m}`), 'node:*', 'ws'])];

export function isNodeOnly(specifier: string): boolean {
  if (specifier === 'ws' || specifier.startsWith('ws/') || specifier.startsWith('node:')) return true;
  return builtinModules.includes(specifier.split('/')[0]!) || builtinModules.includes(specifier);
}

/** A static (import statement / require) reference to a Node-only module: which source file, which module. */
export interface NodeImport {
  readonly file: string;
  readonly specifier: string;
  readonly kind: string;
}

export interface BrowserBundle {
  readonly file: string;
  readonly code: string;
  readonly bytes: number;
  readonly gzipBytes: number;
  readonly warnings: string[];
  readonly metafile: Metafile;
  /** Static references to Node-only modules, per source file (from the metafile). */
  readonly nodeImports: NodeImport[];
}

/**
 * Builds the entry the way an application's bundler does by default: nothing external. Returns esbuild's errors
 * as `file:line: text` (empty when the build succeeds). Writes nothing.
 */
export async function bundleErrorsWithNothingExternal(): Promise<string[]> {
  try {
    await build({ entryPoints: [ENTRY], absWorkingDir: REPO_ROOT, bundle: true, platform: 'browser', format: 'esm', write: false, logLevel: 'silent' });
    return [];
  } catch (err) {
    const errors = (err as { errors?: Array<{ text: string; location?: { file: string; line: number } | null }> }).errors;
    if (!errors) throw err;
    return errors.map((e) => `${e.location ? `${e.location.file}:${e.location.line}: ` : ''}${e.text}`);
  }
}

export async function buildBrowserBundle(outdir: string, options: { minify?: boolean } = {}): Promise<BrowserBundle> {
  const file = path.join(outdir, options.minify ? 'amps.min.js' : 'amps.js');
  const result = await build({
    entryPoints: [ENTRY],
    absWorkingDir: REPO_ROOT,
    bundle: true,
    platform: 'browser',
    format: 'esm',
    target: 'es2022',
    outfile: file,
    minify: options.minify ?? false,
    external: NODE_ONLY,
    metafile: true,
    write: true,
    logLevel: 'silent',
  });
  const code = await readFile(file, 'utf8');
  const nodeImports: NodeImport[] = [];
  for (const [input, info] of Object.entries(result.metafile.inputs)) {
    for (const imp of info.imports) {
      if (imp.kind === 'dynamic-import') continue;
      if (isNodeOnly(imp.path)) nodeImports.push({ file: input, specifier: imp.path, kind: imp.kind });
    }
  }
  return {
    file,
    code,
    bytes: Buffer.byteLength(code),
    gzipBytes: gzipSync(code).length,
    warnings: result.warnings.map((w) => `${w.location?.file ?? ''}:${w.location?.line ?? ''} ${w.text}`),
    metafile: result.metafile,
    nodeImports,
  };
}

/**
 * Static imports/requires of Node-only modules left in bundled code: `import ... from "node:fs"`, `import "ws"`,
 * `export ... from "net"`, `require("tls")`, and dynamic imports with a literal Node-only specifier (a bundler
 * would follow those). `import(specifier)` with a non-literal specifier is how the transports load Node-only
 * modules at run time and is not reported.
 */
export function staticNodeImportsIn(code: string): string[] {
  const found: string[] = [];
  const patterns = [
    /\bimport\s*(?:[\w*${}\s,]+?\s*from\s*)?["']([^"']+)["']/g,
    /\bexport\s*[\w*${}\s,]+?\s*from\s*["']([^"']+)["']/g,
    /\brequire\s*\(\s*["']([^"']+)["']\s*\)/g,
    /\bimport\s*\(\s*["']([^"']+)["']\s*\)/g,
  ];
  for (const re of patterns) {
    for (const m of code.matchAll(re)) if (isNodeOnly(m[1]!)) found.push(m[0].replace(/\s+/g, ' '));
  }
  return found;
}
