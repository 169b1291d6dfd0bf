// A malformed spec must fail generation with the file, the JSON path and a readable message.
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { join } from 'node:path';
import { writeFile } from 'node:fs/promises';
import { generateInMemory } from '../../generator/generate.js';
import { SpecError } from '../../generator/spec-error.js';
import { copySpec, editYaml, tempDir } from './helpers.js';

// Generation formats with the TypeScript formatter and the CLI tests spawn tsx: allow for a loaded machine.
vi.setConfig({ testTimeout: 120_000, hookTimeout: 120_000 });

let dir: string;
let cleanup: () => Promise<void>;
let spec: string;

beforeEach(async () => {
  ({ dir, cleanup } = await tempDir());
  spec = await copySpec(dir);
});
afterEach(async () => cleanup());

async function problems(): Promise<string[]> {
  try {
    await generateInMemory(spec);
  } catch (e) {
    expect(e).toBeInstanceOf(SpecError);
    return [...(e as SpecError).problems];
  }
  throw new Error('generation unexpectedly succeeded');
}

describe('schema validation (ajv)', () => {
  it('accepts the real spec', async () => {
    const { model } = await generateInMemory(spec);
    expect(model.fields.length).toBeGreaterThanOrEqual(45);
  });

  it('rejects a bad enum value with file, JSON path and the allowed values', async () => {
    await editYaml(join(spec, 'headers.yaml'), (d) => {
      d.fields[3].type = 'text';
      return d;
    });
    expect(await problems()).toContain(
      'spec/headers.yaml: /fields/3/type: must be one of "string", "integer", "sequence", "boolean"',
    );
  });

  it('rejects unknown keys (additionalProperties: false)', async () => {
    await editYaml(join(spec, 'commands.yaml'), (d) => {
      d.commands[2].colour = 'red';
      return d;
    });
    expect(await problems()).toContain('spec/commands.yaml: /commands/2/colour: unknown key (not allowed by the schema)');
  });

  it('rejects a missing required key', async () => {
    await editYaml(join(spec, 'options.yaml'), (d) => {
      delete d.options[0].parameter;
      return d;
    });
    expect(await problems()).toContain('spec/options.yaml: /options/0/parameter: is required');
  });

  it('rejects a wrong type and a bad pattern', async () => {
    await editYaml(join(spec, 'enums.yaml'), (d) => {
      d.ackTypes[0].bit = 'one';
      d.connectionStates[0].name = 'lower';
      return d;
    });
    const p = await problems();
    expect(p).toContain('spec/enums.yaml: /ackTypes/0/bit: must be integer');
    expect(p).toContain('spec/enums.yaml: /connectionStates/0/name: must match ^[A-Z][A-Za-z0-9]*$');
  });

  it('reports YAML syntax errors with the file name', async () => {
    await writeFile(join(spec, 'uri-options.yaml'), 'uriOptions:\n  - name: [unclosed\n');
    const p = await problems();
    expect(p.length).toBeGreaterThan(0);
    expect(p[0]).toMatch(/^spec\/uri-options\.yaml: YAML: /);
  });
});

describe('cross-reference checks (model)', () => {
  it('a header listing an unknown command fails', async () => {
    await editYaml(join(spec, 'headers.yaml'), (d) => {
      d.fields[5].commands.push('publsh');
      return d;
    });
    expect((await problems()).join('\n')).toMatch(/spec\/headers\.yaml: \/fields\/5\/commands\/\d+: unknown command 'publsh'/);
  });

  it('a command requiring an unknown field fails', async () => {
    await editYaml(join(spec, 'commands.yaml'), (d) => {
      d.commands[1].requiredFields.push('nope');
      return d;
    });
    expect(await problems()).toContain("spec/commands.yaml: /commands/1/requiredFields/2: unknown header field 'nope'");
  });

  it('an option naming an unknown command fails', async () => {
    await editYaml(join(spec, 'options.yaml'), (d) => {
      d.options[0].commands = ['subscribe', 'sowx'];
      return d;
    });
    expect(await problems()).toContain("spec/options.yaml: /options/0/commands/1: unknown command 'sowx'");
  });

  it('the same alias on two fields is a collision', async () => {
    await editYaml(join(spec, 'headers.yaml'), (d) => {
      d.fields[1].aliases.push('bm');
      return d;
    });
    expect((await problems()).join('\n')).toMatch(/wire key 'bm' of field '(commandId|bookmark)' collides with field '(bookmark|commandId)'/);
  });

  it('duplicate field names fail', async () => {
    await editYaml(join(spec, 'headers.yaml'), (d) => {
      d.fields.push({ ...d.fields[0], wireKey: 'zz', aliases: [] });
      return d;
    });
    expect((await problems()).join('\n')).toMatch(/\/fields\/\d+: duplicate field name 'command'/);
  });

  it('a server key that is not accepted on input fails', async () => {
    await editYaml(join(spec, 'headers.yaml'), (d) => {
      d.fields[7].serverKey = 'options_out';
      return d;
    });
    expect((await problems()).join('\n')).toMatch(/\/fields\/7\/serverKey: 'options_out' must be the wireKey or one of the aliases/);
  });

  it('a default ack outside the allowed acks fails', async () => {
    await editYaml(join(spec, 'commands.yaml'), (d) => {
      d.commands[0].defaultAcks = ['stats'];
      return d;
    });
    expect(await problems()).toContain("spec/commands.yaml: /commands/0/defaultAcks/0: default ack 'stats' is not in allowedAcks");
  });

  it('a reason raising an unknown exception fails, and so does an unknown parent', async () => {
    await editYaml(join(spec, 'exceptions.yaml'), (d) => {
      d.reasons[0].exception = 'NoSuchException';
      d.exceptions[1].parent = 'GhostException';
      return d;
    });
    const p = await problems();
    expect(p).toContain("spec/exceptions.yaml: /reasons/0/exception: unknown exception 'NoSuchException'");
    expect(p).toContain("spec/exceptions.yaml: /exceptions/1/parent: unknown exception 'GhostException'");
  });

  it('an option helper colliding with a header setter fails', async () => {
    await editYaml(join(spec, 'options.yaml'), (d) => {
      d.options[0].helper = 'filter';
      return d;
    });
    expect((await problems()).join('\n')).toMatch(/\/options\/0\/helper: builder method 'filter' collides/);
  });
});
