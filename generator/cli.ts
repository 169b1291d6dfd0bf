import { relative } from 'node:path';
import { parseArgs } from 'node:util';
import { generate } from './generate.js';
import { SpecError } from './spec-error.js';

const USAGE = 'usage: tsx generator/cli.ts [--spec DIR] [--out DIR] [--docs FILE] [--no-docs] [--quiet]';

async function main(): Promise<number> {
  let values;
  try {
    ({ values } = parseArgs({
      options: {
        spec: { type: 'string', default: 'spec' },
        out: { type: 'string', default: 'generated' },
        docs: { type: 'string', default: 'docs/API.md' },
        'no-docs': { type: 'boolean', default: false },
        quiet: { type: 'boolean', default: false },
        help: { type: 'boolean', default: false },
      },
      strict: true,
    }));
  } catch (e) {
    process.stderr.write(`${(e as Error).message}\n${USAGE}\n`);
    return 2;
  }
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  try {
    const result = await generate({
      specDir: values.spec,
      outDir: values.out,
      ...(values['no-docs'] ? {} : { docsFile: values.docs }),
    });
    if (!values.quiet) {
      const changed = result.written.length === 0 ? 'no changes' : `wrote ${result.written.join(', ')}`;
      process.stdout.write(`generated ${result.files.length} files into ${relative(process.cwd(), values.out) || '.'}: ${changed}\n`);
    }
    return 0;
  } catch (e) {
    if (e instanceof SpecError) {
      process.stderr.write(`${e.message}\n`);
      return 1;
    }
    process.stderr.write(`generator failed: ${(e as Error).stack ?? String(e)}\n`);
    return 1;
  }
}

process.exitCode = await main();
