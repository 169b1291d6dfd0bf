import type { Model } from './model.js';
import { blocks, doc, prop, stamp, str, strArray, union } from './emit-util.js';

export function emitCommands(model: Model): string {
  const cmds = model.commands;
  const msgs = model.serverMessages;
  const wire: [string, string][] = [];
  for (const c of cmds) for (const w of c.wireNames) wire.push([w, c.name]);
  for (const m of msgs) for (const w of m.wireNames) if (!wire.some(([k]) => k === w)) wire.push([w, m.name]);

  const cmdSpec = (c: Model['commands'][number]): string =>
    `${prop(c.name)}: {
  name: ${str(c.name)},
  wireName: ${str(c.wireName)},
  wireNames: ${strArray(c.wireNames)},
  allowedFields: ${strArray(c.allowedFields)},
  requiredFields: ${strArray(c.requiredFields)},
  defaultAcks: ${strArray(c.defaultAcks)},
  allowedAcks: ${strArray(c.allowedAcks)},
  options: ${strArray(c.options)},
  opensSubscription: ${String(c.opensSubscription)},
  hasQuery: ${String(c.hasQuery)},
  streamsResults: ${String(c.streamsResults)},
  body: ${str(c.body)},
  description: ${str(c.description)},
}`;
  const msgSpec = (m: Model['serverMessages'][number]): string =>
    `${prop(m.name)}: {
  name: ${str(m.name)},
  wireName: ${str(m.wireName)},
  wireNames: ${strArray(m.wireNames)},
  fields: ${strArray(m.fields)},
  requiredFields: ${strArray(m.requiredFields)},
  body: ${str(m.body)},
  description: ${str(m.description)},
}`;

  return blocks(
    stamp(['commands', 'headers', 'options']),
    `import type { AckType } from './enums.js';
import type { HeaderFieldName } from './header-fields.js';
import type { OptionName } from './options.js';`,
    doc('A client → server command.', cmds.map((c) => `- \`${c.name}\`: ${c.description}`)),
    `export type CommandName = ${union(cmds.map((c) => c.name))};`,
    doc('A server → client message kind (`publish` is sent as `p`).', msgs.map((m) => `- \`${m.name}\`: ${m.description}`)),
    `export type ServerMessageKind = ${union(msgs.map((m) => m.name))};`,
    doc('Whether a command carries a body.'),
    "export type BodyRule = 'none' | 'optional' | 'required';",
    doc('The protocol rules of one client command; the mock server validates commands against these.'),
    `export interface CommandSpec {
  readonly name: CommandName;
  ${doc('Spelling our client sends.')}
  readonly wireName: string;
  ${doc('Every spelling a server accepts (e.g. `publish` and `p`).')}
  readonly wireNames: readonly string[];
  ${doc('Header fields the command may carry (property names).')}
  readonly allowedFields: readonly HeaderFieldName[];
  ${doc('Header fields the command must carry.')}
  readonly requiredFields: readonly HeaderFieldName[];
  ${doc('Acks our client requests when the application does not choose.')}
  readonly defaultAcks: readonly AckType[];
  ${doc('Acks the server honours for the command.')}
  readonly allowedAcks: readonly AckType[];
  ${doc('Options the command accepts.')}
  readonly options: readonly OptionName[];
  readonly opensSubscription: boolean;
  ${doc('Runs a SOW query (group_begin / sow batches / group_end).')}
  readonly hasQuery: boolean;
  ${doc('Results (deliveries or query records) stream back to the client.')}
  readonly streamsResults: boolean;
  readonly body: BodyRule;
  readonly description: string;
}`,
    doc('The shape of one server → client message kind.'),
    `export interface ServerMessageSpec {
  readonly name: ServerMessageKind;
  ${doc('Spelling a server emits.')}
  readonly wireName: string;
  ${doc('Every spelling a client accepts.')}
  readonly wireNames: readonly string[];
  ${doc('Header fields the message may carry.')}
  readonly fields: readonly HeaderFieldName[];
  readonly requiredFields: readonly HeaderFieldName[];
  readonly body: BodyRule;
  readonly description: string;
}`,
    doc('Every client command, in spec order.'),
    `export const COMMAND_SPECS: Readonly<Record<CommandName, CommandSpec>> = Object.freeze({\n${cmds.map(cmdSpec).join(',\n')},\n});`,
    doc('Client command names in spec order.'),
    `export const COMMAND_NAMES: readonly CommandName[] = Object.freeze(${strArray(cmds.map((c) => c.name))} as CommandName[]);`,
    doc('Every server message kind, in spec order.'),
    `export const SERVER_MESSAGE_SPECS: Readonly<Record<ServerMessageKind, ServerMessageSpec>> = Object.freeze({\n${msgs
      .map(msgSpec)
      .join(',\n')},\n});`,
    doc('Server message kinds in spec order.'),
    `export const SERVER_MESSAGE_KINDS: readonly ServerMessageKind[] = Object.freeze(${strArray(msgs.map((m) => m.name))} as ServerMessageKind[]);`,
    doc('Every accepted `c` value to its command or message kind.'),
    `const FROM_WIRE: Readonly<Record<string, CommandName | ServerMessageKind | undefined>> = Object.freeze(
  Object.assign(Object.create(null) as Record<string, CommandName | ServerMessageKind>, {
${wire.map(([w, n]) => `${prop(w)}: ${str(n)}`).join(',\n')},
  }),
);`,
    doc('The command or message kind of a `c` header value (`p` and `publish` → `publish`), or undefined.'),
    `export function commandFromWire(c: string): CommandName | ServerMessageKind | undefined {
  return FROM_WIRE[c];
}`,
    doc('Is `name` a client command name?'),
    `export function isCommandName(name: string): name is CommandName {
  return Object.prototype.hasOwnProperty.call(COMMAND_SPECS, name);
}`,
    doc('Is `name` a server message kind?'),
    `export function isServerMessageKind(name: string): name is ServerMessageKind {
  return Object.prototype.hasOwnProperty.call(SERVER_MESSAGE_SPECS, name);
}`,
  );
}
