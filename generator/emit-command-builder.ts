import type { CommandModel, FieldModel, Model, OptionModel } from './model.js';
import { blocks, doc, stamp, str, union } from './emit-util.js';

interface Method {
  readonly name: string;
  readonly signature: string;
  readonly docText: string;
  readonly impl: string;
}

function fieldMethods(f: FieldModel): Method[] {
  const where = `Sets the \`${f.wireKey}\` header (\`${f.name}\`).`;
  switch (f.setter) {
    case 'acks':
      return [
        {
          name: f.name,
          signature: `${f.name}(...types: AckType[]): this`,
          docText: `${f.description} Replaces the requested acks (duplicates removed, order kept). ${where}`,
          impl: `${f.name}(...types: AckType[]): this {
  this.header.${f.name} = [...new Set(types)].join(',');
  return this;
}`,
        },
        {
          name: 'addAckType',
          signature: 'addAckType(type: AckType): this',
          docText: `Adds one ack type to the \`${f.wireKey}\` header unless already requested.`,
          impl: `addAckType(type: AckType): this {
  const cur = this.header.${f.name};
  const list = cur === undefined || cur === '' ? [] : cur.split(',');
  if (!list.includes(type)) list.push(type);
  this.header.${f.name} = list.join(',');
  return this;
}`,
        },
      ];
    case 'list':
      return [
        {
          name: f.name,
          signature: `${f.name}(...values: string[]): this`,
          docText: `${f.description} ${where} The values are joined with commas.`,
          impl: `${f.name}(...values: string[]): this {
  this.header.${f.name} = values.join(',');
  return this;
}`,
        },
      ];
    case 'value': {
      const param = f.type === 'sequence' ? 'bigint | number' : f.tsType;
      const value = f.type === 'sequence' ? 'BigInt(value)' : 'value';
      return [
        {
          name: f.name,
          signature: `${f.name}(value: ${param}): this`,
          docText: `${f.description} ${where}`,
          impl: `${f.name}(value: ${param}): this {
  this.header.${f.name} = ${value};
  return this;
}`,
        },
      ];
    }
    case 'none':
      return [];
  }
}

function optionMethod(o: OptionModel): Method {
  const where = `Adds the \`${o.name}\` option.`;
  switch (o.parameter) {
    case 'none':
      return {
        name: o.helper,
        signature: `${o.helper}(): this`,
        docText: `${o.description} ${where}`,
        impl: `${o.helper}(): this {
  return this.addOption(${str(o.name)}, ${str(o.name)});
}`,
      };
    case 'integer':
      return {
        name: o.helper,
        signature: `${o.helper}(value: number): this`,
        docText: `${o.description} Adds \`${o.name}${o.separator}<value>\`.`,
        impl: `${o.helper}(value: number): this {
  return this.addOption(${str(o.name)}, \`${o.name}${o.separator}\${value}\`);
}`,
      };
    case 'interval':
    case 'string': {
      const t = o.values !== undefined ? union(o.values) : 'string';
      return {
        name: o.helper,
        signature: `${o.helper}(value: ${t}): this`,
        docText: `${o.description} Adds \`${o.name}${o.separator}<value>\`${o.parameter === 'interval' ? ' (an interval such as `1s` or `300ms`)' : ''}.`,
        impl: `${o.helper}(value: ${t}): this {
  return this.addOption(${str(o.name)}, \`${o.name}${o.separator}\${value}\`);
}`,
      };
    }
    case 'list':
      return {
        name: o.helper,
        signature: `${o.helper}(...items: string[]): this`,
        docText: `${o.description} Adds \`${o.name}${o.separator}[item,...]\`.`,
        impl: `${o.helper}(...items: string[]): this {
  return this.addOption(${str(o.name)}, \`${o.name}${o.separator}[\${items.join(',')}]\`);
}`,
      };
  }
}

export function emitCommandBuilder(model: Model): string {
  const fieldByName = new Map(model.fields.map((f) => [f.name, f]));
  const optionByName = new Map(model.options.map((o) => [o.name, o]));

  // Every method, once (the runtime class implements them all; interfaces expose per command).
  const allMethods = new Map<string, Method>();
  for (const f of model.fields) for (const m of fieldMethods(f)) allMethods.set(m.name, m);
  for (const o of model.options) {
    const m = optionMethod(o);
    allMethods.set(m.name, m);
  }

  // One small interface per field or option, documented once; `this` makes each setter return the builder of
  // whichever command extends it. Each command's builder interface is the list of what it accepts.
  const pascal = (name: string) => name[0]!.toUpperCase() + name.slice(1);
  const fieldMixin = (f: FieldModel) => `With${pascal(f.name)}`;
  const optionMixin = (o: OptionModel) => `With${pascal(o.helper)}`;
  const mixin = (name: string, methods: Method[]) =>
    `export interface ${name} {\n${methods.map((m) => `${doc(m.docText)}\n${m.signature};`).join('\n')}\n}`;
  const usedFields = [...new Set(model.commands.flatMap((c) => c.setters))]
    .map((n) => fieldByName.get(n)!)
    .filter((f) => fieldMethods(f).length > 0)
    .sort((a, b) => a.name.localeCompare(b.name));
  const usedOptions = [...new Set(model.commands.flatMap((c) => c.options))]
    .map((n) => optionByName.get(n)!)
    .sort((a, b) => a.helper.localeCompare(b.helper));
  const mixins = [
    ...usedFields.map((f) => mixin(fieldMixin(f), fieldMethods(f))),
    ...usedOptions.map((o) => mixin(optionMixin(o), [optionMethod(o)])),
    mixin('WithBody', [
      { name: 'body', signature: 'body(data: CommandData): this', docText: 'Sets the message data (the body).', impl: '' },
    ]),
  ];

  const iface = (c: CommandModel): string => {
    const parents = [
      `CommandBuilder<${str(c.name)}>`,
      ...c.setters.map((n) => fieldByName.get(n)!).filter((f) => fieldMethods(f).length > 0).map(fieldMixin),
      ...c.options.map((n) => optionMixin(optionByName.get(n)!)),
      ...(c.body !== 'none' ? ['WithBody'] : []),
    ];
    return `${doc(c.description, [
      '',
      `Builder for \`${c.name}\`: wire \`${c.wireName}\`; default acks ${c.defaultAcks.length > 0 ? c.defaultAcks.map((a) => `\`${a}\``).join(', ') : 'none'}; allowed acks ${c.allowedAcks.map((a) => `\`${a}\``).join(', ')}; body ${c.body}.`,
    ])}
export interface ${c.builderType}
  extends ${parents.join(",\n    ")} {}`;
  };

  const factory = (c: CommandModel): string => {
    const params = c.factoryParams.map((p) => `${p.field}${p.optional ? '?' : ''}: string`).join(', ');
    const sets = c.factoryParams
      .map((p) => (p.optional ? `if (${p.field} !== undefined) b.header.${p.field} = ${p.field};` : `b.header.${p.field} = ${p.field};`))
      .join('\n');
    return `${doc(`Creates a \`${c.name}\` command. ${c.description}`)}
${c.factory}(${params}): ${c.builderType} {
  const b = new CommandImpl(${str(c.name)});
  ${sets}
  return b as unknown as ${c.builderType};
}`;
  };

  return blocks(
    stamp(['commands', 'headers', 'options']),
    `import type { AckType } from './enums.js';
import type { CommandName } from './commands.js';
import { COMMAND_SPECS } from './commands.js';
import { HEADER_FIELD_BY_WIRE_KEY, type Header, type HeaderValue } from './header-fields.js';`,
    doc('Message data of a command: text or bytes.'),
    'export type CommandData = string | Uint8Array;',
    doc(
      'What `Client.execute` takes: the command name, the header (property names), the data and the options. Plain objects of this shape are accepted as well as builders.',
    ),
    `export interface CommandBase {
  readonly commandName: CommandName;
  ${doc('The header being built; `options` mirrors the option list as a comma list.')}
  readonly header: Header;
  ${doc('The message data, if any.')}
  readonly data: CommandData | undefined;
  ${doc('The options, in insertion order, without duplicates (also in `header.options`).')}
  readonly options: readonly string[];
}`,
    doc('Members every command builder has, whatever the command.'),
    `export interface CommandBuilder<N extends CommandName = CommandName> extends CommandBase {
  readonly commandName: N;
  ${doc(
    'Adds a raw option entry (e.g. `top_n=5`, `start,30`). An entry with the same keyword (text before `=` or `,`) replaces the earlier one in place.',
  )}
  option(raw: string): this;
  ${doc(
    'Escape hatch: sets a header by wire key. A key or alias the spec knows sets the typed property (value converted to its type; `o`/`opts` replaces the option list); any other key goes to `header.extras`.',
  )}
  rawHeader(wireKey: string, value: HeaderValue): this;
}`,
    doc('Setters, one interface per header field or option; the command builders below extend the ones they accept.'),
    ...mixins,
    ...model.commands.map(iface),
    doc('The builder interface of each command.'),
    `export interface CommandBuilders {\n${model.commands.map((c) => `${c.name}: ${c.builderType};`).join('\n')}\n}`,
    doc('Any command builder.'),
    'export type AnyCommand = CommandBuilders[CommandName];',
    `function optionKeyword(entry: string): string {
  const m = /^[^=,]*/.exec(entry);
  return (m === null ? entry : m[0]).trim();
}`,
    doc('One runtime class implements every setter; the per-command interfaces decide what compiles.'),
    `class CommandImpl {
  readonly commandName: CommandName;
  readonly header: Header;
  #data: CommandData | undefined;
  #options: string[] = [];

  constructor(name: CommandName) {
    this.commandName = name;
    this.header = { command: COMMAND_SPECS[name].wireName };
  }

  get data(): CommandData | undefined {
    return this.#data;
  }

  get options(): readonly string[] {
    return this.#options;
  }

  body(data: CommandData): this {
    this.#data = data;
    return this;
  }

  option(raw: string): this {
    const entry = raw.trim();
    if (entry === '') return this;
    return this.addOption(optionKeyword(entry), entry);
  }

  rawHeader(wireKey: string, value: HeaderValue): this {
    const field = HEADER_FIELD_BY_WIRE_KEY.get(wireKey);
    if (field === undefined) {
      (this.header.extras ??= {})[wireKey] = value;
      return this;
    }
    if (field.name === 'options') {
      this.#options = [];
      delete this.header.options;
      for (const part of String(value).split(',')) this.option(part);
      return this;
    }
    const h = this.header as Record<string, HeaderValue>;
    switch (field.type) {
      case 'integer':
        h[field.name] = typeof value === 'number' ? value : Number(value);
        break;
      case 'sequence':
        h[field.name] = typeof value === 'bigint' ? value : BigInt(typeof value === 'boolean' ? Number(value) : value);
        break;
      case 'boolean':
        h[field.name] = value === true || value === 'true' || value === 1 || value === '1';
        break;
      default:
        h[field.name] = String(value);
    }
    return this;
  }

  private addOption(keyword: string, entry: string): this {
    const i = this.#options.findIndex((o) => optionKeyword(o) === keyword);
    if (i >= 0) this.#options[i] = entry;
    else this.#options.push(entry);
    this.header.options = this.#options.join(',');
    return this;
  }

${[...allMethods.values()].map((m) => m.impl).join('\n\n')}
}`,
    doc(
      'Command factories: `Command.sow(topic)` returns a SowCommand offering only the fields and options `sow` accepts. The factories set `c` (and the topic or id they take); the client adds the command id and the default acks when they are absent.',
      [
        '',
        '@example',
        "Command.sow('orders').filter(\"/symbol = 'ROL'\").batchSize(100).topN(10)",
      ],
    ),
    `export const Command = Object.freeze({
${model.commands.map(factory).join(',\n\n')},

  ${doc('Creates a builder for any command by name.')}
  create<N extends CommandName>(name: N): CommandBuilders[N] {
    return new CommandImpl(name) as unknown as CommandBuilders[N];
  },
});`,
    doc('Any command builder (the type of the values `Command.*()` return).'),
    'export type Command = AnyCommand;',
  );
}
