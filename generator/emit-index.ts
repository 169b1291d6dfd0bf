import { blocks, stamp } from './emit-util.js';

export function emitIndex(files: readonly string[]): string {
  return blocks(
    stamp(['headers', 'commands', 'options', 'enums', 'exceptions', 'uri-options']),
    files.map((f) => `export * from './${f.replace(/\.ts$/, '.js')}';`).join('\n'),
  );
}
