// The "AMPS added a header" workflow end to end: one YAML entry → regenerate → typed accessor, builder method and
// codec round trip, with no other file touched.
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { cp, mkdir, readFile, readdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import ts from 'typescript';
import { generate } from '../../generator/generate.js';
import { copySpec, editYaml, GENERATED_DIR, ROOT, SPEC_DIR, tempDir } from './helpers.js';

// Generation formats with the TypeScript formatter and the CLI tests spawn tsx: allow for a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

const NEW_FIELD = {
  name: 'widgetCount',
  wireKey: 'wc',
  serverKey: 'wc',
  aliases: ['widget_count'],
  type: 'integer',
  direction: 'both',
  commands: ['sow', 'subscribe'],
  messages: ['ack'],
  description: 'Test-only field added by the add-header workflow test.',
};

let dir: string;
let cleanup: () => Promise<void>;
let outDir: string;
let changed: string[];

async function readAll(d: string): Promise<Map<string, string>> {
  const m = new Map<string, string>();
  for (const e of (await readdir(d, { withFileTypes: true })).sort((a, b) => a.name.localeCompare(b.name))) {
    if (e.isFile()) m.set(e.name, await readFile(join(d, e.name), 'utf8'));
  }
  return m;
}

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('amps-ts-addheader-'));
  const spec = await copySpec(dir);
  await editYaml(join(spec, 'headers.yaml'), (d) => {
    d.fields.push(NEW_FIELD);
    return d;
  });
  // Only headers.yaml differs from the real spec.
  const before = await readAll(SPEC_DIR);
  const after = await readAll(spec);
  changed = [...after.keys()].filter((f) => before.get(f) !== after.get(f));
  expect([...after.keys()]).toEqual([...before.keys()]);
  outDir = join(dir, 'generated');
  await generate({ specDir: spec, outDir, docsFile: join(dir, 'docs/API.md') });
  // The wire codec, unmodified, next to the regenerated tables (it imports ../../generated/header-fields.js).
  await mkdir(join(dir, 'runtime'), { recursive: true });
  await cp(join(ROOT, 'runtime/wire'), join(dir, 'runtime/wire'), { recursive: true });
  await writeFile(join(dir, 'package.json'), '{ "type": "module" }\n');
}, 120_000);

afterAll(async () => cleanup());

describe('adding one header entry', () => {
  it('edits nothing but spec/headers.yaml', () => {
    expect(changed).toEqual(['headers.yaml']);
  });

  it('regenerates only the modules that depend on header fields', async () => {
    const original = await readAll(GENERATED_DIR);
    const regenerated = await readAll(outDir);
    expect([...regenerated.keys()]).toEqual([...original.keys()]);
    const differ = [...regenerated.keys()].filter((f) => regenerated.get(f) !== original.get(f));
    expect(differ.sort()).toEqual(['command-builder.ts', 'commands.ts', 'header-fields.ts', 'message-fields.ts']);
    expect(regenerated.get('header-fields.ts')).toContain("['widget_count', HEADER_FIELD_INFO.widgetCount]");
  });

  it('type-checks: typed accessor, builder method on the listed commands only, codec compiles against the new table', async () => {
    const usage = join(dir, 'usage.ts');
    await writeFile(
      usage,
      `import { Command } from './generated/command-builder.js';
import { MessageFields } from './generated/message-fields.js';
import type { Header, HeaderFields } from './generated/header-fields.js';
import { encodeHeader } from './runtime/wire/header-codec.js';
class M extends MessageFields {
  constructor(readonly header: Header) {
    super();
  }
}
const c = Command.sow('t').widgetCount(3).batchSize(1);
const s = Command.subscribe('t').widgetCount(4);
export const n: number | undefined = new M(c.header).widgetCount;
export const f: HeaderFields['widgetCount'] = s.header.widgetCount;
// @ts-expect-error publish does not carry widgetCount
Command.publish('t').widgetCount(3);
// @ts-expect-error widgetCount is an integer
Command.sow('t').widgetCount('3');
export const text: string = encodeHeader(c.header);
`,
    );
    // The usage file pulls in the codec and, through imports, whatever it needs; plus every generated module.
    const files = [usage, ...(await readdir(outDir)).map((f) => join(outDir, f))];
    const program = ts.createProgram(files, {
      strict: true,
      noEmit: true,
      noImplicitOverride: true,
      target: ts.ScriptTarget.ES2022,
      module: ts.ModuleKind.NodeNext,
      moduleResolution: ts.ModuleResolutionKind.NodeNext,
      lib: ['lib.es2022.d.ts', 'lib.dom.d.ts'],
      types: [],
      skipLibCheck: true,
    });
    const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
    expect(diags).toEqual([]);
  }, 120_000);

  it('round-trips through the header codec and the generated builder at runtime', async () => {
    const codec = (await import(pathToFileURL(join(dir, 'runtime/wire/header-codec.ts')).href)) as typeof import('../../runtime/wire/header-codec.js');
    const builder = (await import(pathToFileURL(join(outDir, 'command-builder.ts')).href)) as {
      Command: { sow(topic: string): { widgetCount(n: number): { header: Record<string, unknown> } } };
    };
    const header = builder.Command.sow('orders').widgetCount(3).header;
    expect(header).toEqual({ command: 'sow', topic: 'orders', widgetCount: 3 });
    const text = codec.encodeHeader(header);
    expect(JSON.parse(text)).toEqual({ c: 'sow', t: 'orders', wc: 3 });
    expect(codec.decodeHeaderText(text)).toEqual(header);
    // aliases and string-typed integers (as a C client would send) are accepted and coerced
    expect(codec.decodeHeaderText('{"c":"ack","widget_count":"7"}')).toEqual({ command: 'ack', widgetCount: 7 });
    // the server spelling is the serverKey
    expect(JSON.parse(codec.encodeHeader({ command: 'ack', widgetCount: 9 } as never, { server: true }))).toEqual({ c: 'ack', wc: 9 });
  });
});
