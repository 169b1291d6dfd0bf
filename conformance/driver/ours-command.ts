// The shell command that starts our client's driver (ours-driver), from the sources (through tsx) or the build.

import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

export const shellQuote = (s: string): string => (/^[\w@%+=:,./-]+$/.test(s) ? s : `'${s.replace(/'/g, `'\\''`)}'`);

/** `node` arguments that let it run TypeScript sources (the tsx loader). */
export function tsxImportArgs(): string[] {
  return ['--import', pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href];
}

export function oursDriverCommand(transport: 'tcp' | 'ws' = 'tcp'): string {
  const file = fileURLToPath(import.meta.url);
  const fromSources = file.endsWith('.ts');
  const script = path.join(path.dirname(file), fromSources ? 'ours-driver.ts' : 'ours-driver.js');
  const args = [process.execPath, ...(fromSources ? tsxImportArgs() : []), script];
  if (transport === 'ws') args.push('--ws');
  return args.map(shellQuote).join(' ');
}
