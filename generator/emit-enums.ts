import type { Model } from './model.js';
import { blocks, doc, prop, stamp, str, strArray, union } from './emit-util.js';

export function emitEnums(model: Model): string {
  const acks = model.ackTypes;
  return blocks(
    stamp(['enums']),
    doc('An acknowledgement type (`a` header).', acks.map((a) => `- \`${a.name}\` (${a.bit}): ${a.description}`)),
    `export type AckType = ${union(acks.map((a) => a.name))};`,
    doc('Information about one ack type; `bit` is the C++ client bit value.'),
    'export interface AckTypeInfo {\n  readonly name: AckType;\n  readonly bit: number;\n  readonly description: string;\n}',
    doc('Every ack type with its C++ bit value and semantics.'),
    `export const ACK_TYPES: Readonly<Record<AckType, AckTypeInfo>> = Object.freeze({\n${acks
      .map((a) => `${prop(a.name)}: { name: ${str(a.name)}, bit: ${a.bit}, description: ${str(a.description)} }`)
      .join(',\n')},\n});`,
    doc('Ack type names in bit order.'),
    `export const ACK_TYPE_NAMES: readonly AckType[] = Object.freeze(${strArray(acks.map((a) => a.name))} as AckType[]);`,
    doc('Is `value` an ack type name?'),
    `export function isAckType(value: string): value is AckType {
  return (ACK_TYPE_NAMES as readonly string[]).includes(value);
}`,
    doc('Parses a comma list of ack types (the `a` header): unknown names are dropped, duplicates removed, bit order kept.'),
    `export function parseAckTypes(list: string | undefined): AckType[] {
  if (list === undefined || list === '') return [];
  const wanted = new Set(list.split(',').map((s) => s.trim()));
  return ACK_TYPE_NAMES.filter((a) => wanted.has(a));
}`,
    doc('The C++ bit mask of a list of ack types.'),
    `export function ackTypesToBits(types: readonly AckType[]): number {
  let bits = 0;
  for (const t of types) bits |= ACK_TYPES[t].bit;
  return bits;
}`,
    doc('Status of an ack.', model.ackStatuses.map((s) => `- \`${s.name}\`: ${s.description}`)),
    `export type AckStatus = ${union(model.ackStatuses.map((s) => s.name))};`,
    doc('Alias of AckStatus.'),
    'export type Status = AckStatus;',
    doc('Every ack status with its meaning.'),
    `export const ACK_STATUSES: Readonly<Record<AckStatus, string>> = Object.freeze({\n${model.ackStatuses
      .map((s) => `${prop(s.name)}: ${str(s.description)}`)
      .join(',\n')},\n});`,
    doc('Why a record left a subscription (`reason` of an `oof` message).', model.oofReasons.map((s) => `- \`${s.name}\`: ${s.description}`)),
    `export type OofReason = ${union(model.oofReasons.map((s) => s.name))};`,
    doc('Every OOF reason with its meaning.'),
    `export const OOF_REASONS: Readonly<Record<OofReason, string>> = Object.freeze({\n${model.oofReasons
      .map((s) => `${prop(s.name)}: ${str(s.description)}`)
      .join(',\n')},\n});`,
    doc(
      'Connection states delivered to connection state listeners, with the C++ client values (the guide gives no numbers).',
      model.connectionStates.map((s) => `- \`${s.name}\` (${s.value}): ${s.description}`),
    ),
    `export const ConnectionState = Object.freeze({\n${model.connectionStates
      .map((s) => `${doc(s.description)}\n${prop(s.name)}: ${s.value}`)
      .join(',\n')},\n} as const);`,
    doc('A connection state value.'),
    'export type ConnectionState = (typeof ConnectionState)[keyof typeof ConnectionState];',
    doc('A connection state name.'),
    'export type ConnectionStateName = keyof typeof ConnectionState;',
    doc('Every connection state name with its description.'),
    `export const CONNECTION_STATE_DESCRIPTIONS: Readonly<Record<ConnectionStateName, string>> = Object.freeze({\n${model.connectionStates
      .map((s) => `${prop(s.name)}: ${str(s.description)}`)
      .join(',\n')},\n});`,
    doc('The name of a connection state value (`Unknown` for values the spec does not define).'),
    `export function connectionStateName(state: number): ConnectionStateName {
  for (const [name, value] of Object.entries(ConnectionState)) if (value === state) return name as ConnectionStateName;
  return 'Unknown';
}`,
    doc('A built-in AMPS message type name.', model.messageTypes.map((m) => `- \`${m.name}\`: ${m.description}`)),
    `export type MessageTypeName = ${union(model.messageTypes.map((m) => m.name))};`,
    doc('Information about a message type; `serverConstructed` = the server can build messages of it (stats acks, deltas, /AMPS topics).'),
    'export interface MessageTypeInfo {\n  readonly name: MessageTypeName;\n  readonly serverConstructed: boolean;\n  readonly description: string;\n}',
    doc('Every built-in message type.'),
    `export const MESSAGE_TYPES: Readonly<Record<MessageTypeName, MessageTypeInfo>> = Object.freeze({\n${model.messageTypes
      .map((m) => `${prop(m.name)}: { name: ${str(m.name)}, serverConstructed: ${String(m.serverConstructed)}, description: ${str(m.description)} }`)
      .join(',\n')},\n});`,
  );
}
