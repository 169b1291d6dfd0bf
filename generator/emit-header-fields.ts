import type { Model } from './model.js';
import { blocks, doc, prop, stamp, str, strArray, union } from './emit-util.js';

export function emitHeaderFields(model: Model): string {
  const f = model.fields;
  const fieldsType = f
    .map((x) => {
      const extra = [
        '',
        `Wire key \`${x.wireKey}\`${x.serverKey !== undefined ? `, server emits \`${x.serverKey}\`` : ', never emitted by a server'}${
          x.aliases.length > 0 ? `; also accepted: ${x.aliases.map((a) => `\`${a}\``).join(', ')}` : ''
        }.`,
      ];
      return `${doc(x.description, extra)}\n${x.name}?: ${x.tsType};`;
    })
    .join('\n');

  const info = (x: Model['fields'][number]): string => {
    const parts = [
      `name: ${str(x.name)}`,
      `wireKey: ${str(x.wireKey)}`,
      ...(x.serverKey !== undefined ? [`serverKey: ${str(x.serverKey)}`] : []),
      `aliases: ${strArray(x.aliases)}`,
      `type: ${str(x.type)}`,
      `list: ${String(x.list)}`,
      `direction: ${str(x.direction)}`,
      `description: ${str(x.description)}`,
      `commands: ${strArray(x.commands)}`,
      `messages: ${strArray(x.messages)}`,
    ];
    return `${prop(x.name)}: {\n${parts.join(',\n')},\n}`;
  };

  const byKey: [string, string][] = [];
  for (const x of f) {
    byKey.push([x.wireKey, x.name]);
    for (const a of x.aliases) byKey.push([a, x.name]);
  }

  return blocks(
    stamp(['headers', 'commands']),
    `import type { CommandName, ServerMessageKind } from './commands.js';`,
    doc('A header value in memory: strings, integers as numbers, the 64-bit sequence as bigint, flags as booleans.'),
    'export type HeaderValue = string | number | bigint | boolean;',
    doc(
      'The typed header fields, keyed by property name. Everything above runtime/wire speaks these names, never wire keys.',
    ),
    `export interface HeaderFields {\n${fieldsType}\n}`,
    doc('A decoded header: the typed fields plus `extras`, the wire keys the spec does not know (never emitted by a server).'),
    'export type Header = HeaderFields & { extras?: Record<string, HeaderValue> };',
    doc('Property name of a header field.'),
    'export type HeaderFieldName = keyof HeaderFields;',
    doc('Wire type of a header field: `sequence` is an unsigned 64-bit integer held as bigint.'),
    "export type HeaderFieldType = 'string' | 'integer' | 'sequence' | 'boolean';",
    doc('Who sends the field: client (C→S), server (S→C), both, or legacy (obsolete flag).'),
    "export type HeaderDirection = 'client' | 'server' | 'both' | 'legacy';",
    doc('Everything the codec and the mock server need to know about one header field.'),
    `export interface HeaderFieldInfo {
  ${doc('Property name.')}
  readonly name: HeaderFieldName;
  ${doc('Key a client sends.')}
  readonly wireKey: string;
  ${doc('Key a server emits; absent when a server must never emit the field.')}
  readonly serverKey?: string;
  ${doc('Every other spelling accepted on input.')}
  readonly aliases: readonly string[];
  readonly type: HeaderFieldType;
  ${doc('Comma-separated list (kept as a string).')}
  readonly list: boolean;
  readonly direction: HeaderDirection;
  readonly description: string;
  ${doc('Client commands that may carry the field.')}
  readonly commands: readonly CommandName[];
  ${doc('Server message kinds that may carry the field.')}
  readonly messages: readonly ServerMessageKind[];
}`,
    doc('Every header field, keyed by property name, in spec order (typed access: `HEADER_FIELD_INFO.bookmark`).'),
    `export const HEADER_FIELD_INFO: Readonly<Record<HeaderFieldName, HeaderFieldInfo>> = Object.freeze({\n${f
      .map(info)
      .join(',\n')},\n});`,
    doc('Every header field, in spec order.'),
    'export const HEADER_FIELDS: readonly HeaderFieldInfo[] = Object.freeze(Object.values(HEADER_FIELD_INFO));',
    doc('Lookup by property name.'),
    'export const HEADER_FIELD_BY_NAME: ReadonlyMap<string, HeaderFieldInfo> = new Map(HEADER_FIELDS.map((f) => [f.name, f]));',
    doc('Every accepted wire key (canonical keys and aliases).'),
    `export type HeaderWireKey = ${union(byKey.map(([k]) => k))};`,
    doc('Lookup by wire key: canonical keys **and** aliases (and server keys, which are always one of them).'),
    `export const HEADER_FIELD_BY_WIRE_KEY: ReadonlyMap<string, HeaderFieldInfo> = new Map([
${byKey.map(([k, n]) => `[${str(k)}, HEADER_FIELD_INFO.${n}]`).join(',\n')},
]);`,
    doc('The field for a wire key or alias, or undefined for a key the spec does not know (an `extras` key).'),
    `export function headerFieldForWireKey(key: string): HeaderFieldInfo | undefined {
  return HEADER_FIELD_BY_WIRE_KEY.get(key);
}`,
    doc('Fields a server may emit (those with a serverKey), in spec order.'),
    'export const SERVER_HEADER_FIELDS: readonly HeaderFieldInfo[] = Object.freeze(HEADER_FIELDS.filter((f) => f.serverKey !== undefined));',
  );
}
