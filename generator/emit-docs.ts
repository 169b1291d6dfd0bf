import type { Model } from './model.js';
import { SPEC_FILES, specLabel } from './load.js';

const cell = (s: string): string => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const code = (s: string): string => `\`${s.replace(/\|/g, '\\|')}\``;
const codes = (items: readonly string[]): string => (items.length === 0 ? '–' : items.map(code).join(', '));

/** The Markdown API reference, produced from the spec descriptions. */
export function emitDocs(model: Model): string {
  const out: string[] = [];
  const p = (...lines: string[]): void => {
    out.push(...lines);
  };
  const fieldBy = new Map(model.fields.map((f) => [f.name, f]));
  const optionBy = new Map(model.options.map((o) => [o.name, o]));

  p(
    '# amps-ts protocol API reference',
    '',
    `<!-- generated from ${SPEC_FILES.map(specLabel).join(', ')}; do not edit. Run 'npm run generate'. -->`,
    '',
    `Generated from ${SPEC_FILES.map((f) => code(specLabel(f))).join(', ')}; do not edit. Run \`npm run generate\`.`,
    'The TypeScript is in `generated/` (re-exported by `generated/index.ts`).',
    '',
    '## Contents',
    '',
    '- [Header fields](#header-fields)',
    '- [Commands](#commands)',
    '- [Command builders](#command-builders)',
    '- [Server messages](#server-messages)',
    '- [Options](#options)',
    '- [Ack types, statuses, OOF reasons](#ack-types-statuses-oof-reasons)',
    '- [Connection states](#connection-states)',
    '- [Message types](#message-types)',
    '- [Exceptions](#exceptions)',
    '- [Failure reasons](#failure-reasons)',
    '- [URI options](#uri-options)',
    '- [Changing the spec](#changing-the-spec)',
    '',
    '## Header fields',
    '',
    '`generated/header-fields.ts`: `HeaderFields`, `Header`, `HEADER_FIELDS`, `HEADER_FIELD_INFO`, `HEADER_FIELD_BY_NAME`,',
    '`HEADER_FIELD_BY_WIRE_KEY` (canonical keys and aliases). `generated/message-fields.ts`: `MessageFields`, a getter',
    'and setter per field. Types: `string`; `integer` → `number`; `sequence` → `bigint` (unsigned 64-bit); `boolean`.',
    'A server emits a field only under its server key; fields without one are never emitted.',
    '',
    '| Property | Wire key | Server key | Also accepted | Type | Direction | Commands | Server messages | Description |',
    '|---|---|---|---|---|---|---|---|---|',
    ...model.fields.map(
      (f) =>
        `| \`${f.name}\` | ${code(f.wireKey)} | ${f.serverKey !== undefined ? code(f.serverKey) : '–'} | ${codes(f.aliases)} | ${f.type}${
          f.list ? ' (list)' : ''
        } | ${f.direction} | ${f.commands.length === model.commands.length ? 'all' : codes(f.commands)} | ${
          f.messages.length === model.serverMessages.length ? 'all' : codes(f.messages)
        } | ${cell(f.description)} |`,
    ),
    '',
    '## Commands',
    '',
    '`generated/commands.ts`: `CommandName`, `COMMAND_SPECS`, `commandFromWire(c)`.',
    '',
  );
  for (const c of model.commands) {
    p(
      `### ${c.name}`,
      '',
      c.description,
      '',
      `- Wire name: ${codes(c.wireNames)}`,
      `- Fields: ${c.allowedFields.map((n) => `${code(n)} (${code(fieldBy.get(n)!.wireKey)})`).join(', ')}`,
      `- Required: ${codes(c.requiredFields)}`,
      `- Default acks: ${codes(c.defaultAcks)}; allowed acks: ${codes(c.allowedAcks)}`,
      `- Options: ${codes(c.options)}`,
      `- Opens a subscription: ${c.opensSubscription ? 'yes' : 'no'}; SOW query: ${c.hasQuery ? 'yes' : 'no'}; results stream back: ${
        c.streamsResults ? 'yes' : 'no'
      }; body: ${c.body}`,
      '',
    );
  }
  p(
    '## Command builders',
    '',
    '`generated/command-builder.ts`: `Command.<factory>(...)` returns a per-command builder interface that offers only',
    "that command's header setters and option helpers; every method returns the builder. Every builder also has",
    '`option(raw)` (adds a raw option entry) and `rawHeader(wireKey, value)` (known keys set the typed property, unknown',
    'keys go to `header.extras`), and is a `CommandBase` (`commandName`, `header`, `data`, `options`), which is what',
    '`Client.execute` takes. Commands with a body have `body(data)`. Options accumulate into `header.options` as a comma',
    'list in insertion order; a second entry with the same keyword replaces the first in place.',
    '',
    'Naming rule: a header setter is named after the field (`topN()` sets `top_n`); an option helper is',
    '`camelCase(option)`, with `Option` appended when that equals a (non-legacy) header field name (`topNOption()` adds',
    '`top_n=N`, `timestampOption()` adds `timestamp`, `bookmarkOption()` adds `bookmark`).',
    '',
  );
  for (const c of model.commands) {
    const params = c.factoryParams.map((x) => `${x.field}${x.optional ? '?' : ''}`).join(', ');
    const setters = c.setters.flatMap((n) => {
      const f = fieldBy.get(n)!;
      if (f.setter === 'acks') return [`\`${n}(...AckType[])\``, '`addAckType(AckType)`'];
      if (f.setter === 'list') return [`\`${n}(...string[])\``];
      return [`\`${n}(${f.type === 'sequence' ? 'bigint | number' : f.tsType})\``];
    });
    const helpers = c.options.map((n) => {
      const o = optionBy.get(n)!;
      const arg =
        o.parameter === 'none'
          ? ''
          : o.parameter === 'integer'
            ? 'number'
            : o.parameter === 'list'
              ? '...string[]'
              : o.values !== undefined
                ? o.values.map((v) => `'${v}'`).join(' \\| ')
                : 'string';
      return `\`${o.helper}(${arg})\` → ${code(n)}`;
    });
    p(
      `### Command.${c.factory}(${params}): ${c.builderType}`,
      '',
      `- Header setters: ${setters.length > 0 ? setters.join(', ') : '–'}`,
      `- Option helpers: ${helpers.length > 0 ? helpers.join(', ') : '–'}`,
      ...(c.body !== 'none' ? [`- Body: \`body(string | Uint8Array)\` (${c.body})`] : []),
      '',
    );
  }
  p(
    '`Command.create(name)` returns the builder of any command by name.',
    '',
    '## Server messages',
    '',
    '`SERVER_MESSAGE_SPECS`, `ServerMessageKind`.',
    '',
    '| Kind | Emitted as | Accepted as | Required | Fields | Body | Description |',
    '|---|---|---|---|---|---|---|',
    ...model.serverMessages.map(
      (m) =>
        `| \`${m.name}\` | ${code(m.wireName)} | ${codes(m.wireNames)} | ${codes(m.requiredFields)} | ${codes(m.fields)} | ${m.body} | ${cell(
          m.description,
        )} |`,
    ),
    '',
    '## Options',
    '',
    '`generated/options.ts`: `OptionName`, `OPTION_SPECS`, `formatOption`, `parseOptions`.',
    '',
    '| Option | Parameter | Builder helper | Commands | Description |',
    '|---|---|---|---|---|',
    ...model.options.map(
      (o) =>
        `| ${code(o.name)} | ${o.parameter}${o.values !== undefined ? ` (${o.values.join(', ')})` : ''}${
          o.parameter !== 'none' ? `, \`${o.name}${o.separator}…\`` : ''
        } | \`${o.helper}()\` | ${codes(o.commands)} | ${cell(o.description)} |`,
    ),
    '',
    '## Ack types, statuses, OOF reasons',
    '',
    '`generated/enums.ts`: `AckType`, `ACK_TYPES` (C++ bit values), `AckStatus`, `OofReason`.',
    '',
    '| Ack type | Bit | Meaning |',
    '|---|---|---|',
    ...model.ackTypes.map((a) => `| ${code(a.name)} | ${a.bit} | ${cell(a.description)} |`),
    '',
    '| Status | Meaning |',
    '|---|---|',
    ...model.ackStatuses.map((a) => `| ${code(a.name)} | ${cell(a.description)} |`),
    '',
    '| OOF reason | Meaning |',
    '|---|---|',
    ...model.oofReasons.map((a) => `| ${code(a.name)} | ${cell(a.description)} |`),
    '',
    '## Connection states',
    '',
    '`ConnectionState` (const object and union of the values), `ConnectionStateName`.',
    '',
    '| State | Value | Meaning |',
    '|---|---|---|',
    ...model.connectionStates.map((s) => `| \`${s.name}\` | ${s.value} | ${cell(s.description)} |`),
    '',
    '## Message types',
    '',
    '| Message type | Server-constructed messages | Description |',
    '|---|---|---|',
    ...model.messageTypes.map((m) => `| ${code(m.name)} | ${m.serverConstructed ? 'yes' : 'no'} | ${cell(m.description)} |`),
    '',
    '## Exceptions',
    '',
    '`generated/errors.ts`: real subclasses of `AMPSException` (itself an `Error`) carrying `reason`, `command`,',
    '`commandId` and `cause`; `instanceof` also works across duplicated copies of the package. `exceptionForReason(reason,',
    'ctx)` builds the exception for a failure reason (unknown reasons → `CommandException`).',
    '',
    '| Exception | Parent | When | Python classes | Server reasons | Description |',
    '|---|---|---|---|---|---|',
    ...model.exceptions.map(
      (e) =>
        `| \`${e.name}\` | ${e.parent !== undefined ? `\`${e.parent}\`` : '`Error`'} | ${e.when ?? '–'} | ${
          e.pythonClasses.length > 0 ? e.pythonClasses.join(', ') : '–'
        } | ${codes(e.reasons)} | ${cell(e.description)} |`,
    ),
    '',
    '## Failure reasons',
    '',
    '`Reasons` (constants), `REASON_TO_EXCEPTION`.',
    '',
    '| Constant | Reason | Exception | Description |',
    '|---|---|---|---|',
    ...model.reasons.map((r) => `| \`Reasons.${r.key}\` | ${code(r.reason)} | \`${r.exception}\` | ${cell(r.description)} |`),
    '',
    '## URI options',
    '',
    '`generated/uri-options.ts`: `URI_OPTIONS` (array), `URI_OPTION_BY_NAME`.',
    '',
    '| Option | Type | Kind | Schemes | Default | Description |',
    '|---|---|---|---|---|---|',
    ...model.uriOptions.map(
      (o) =>
        `| ${code(o.name)} | ${o.type}${o.values !== undefined ? ` (${o.values.join(', ')})` : ''} | ${o.kind} | ${o.schemes.join(', ')} | ${
          o.default ?? '–'
        } | ${cell(o.description)} |`,
    ),
    '',
    '## Changing the spec',
    '',
    '`spec/*.yaml` is the single source of truth; each file has a JSON Schema in `spec/schema/` (unknown keys are',
    'rejected). `npm run generate` (`tsx generator/cli.ts [--spec DIR] [--out DIR] [--docs FILE]`) runs load → validate',
    '(ajv) → model (cross-reference checks) → emit, and rewrites `generated/` and this file deterministically. A bad',
    'spec exits non-zero with lines such as `spec/headers.yaml: /fields/3/type: must be one of "string", ...`.',
    '',
    'Adding a header field is one entry in `spec/headers.yaml` (name, wireKey, serverKey, aliases, type, direction,',
    'commands, messages, description): after regeneration the codec tables know its keys, `MessageFields` has its',
    'accessor, and the builders of the listed commands have its setter. An option is one entry in `spec/options.yaml`;',
    'an exception or failure reason one entry in `spec/exceptions.yaml`.',
    '',
  );
  return out.join('\n');
}
