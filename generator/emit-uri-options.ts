import type { Model } from './model.js';
import { blocks, doc, prop, stamp, str, strArray, union } from './emit-util.js';

export function emitUriOptions(model: Model): string {
  const opts = model.uriOptions;
  return blocks(
    stamp(['uri-options']),
    doc('A connection URI query option.', opts.map((o) => `- \`${o.name}\` (${o.kind}): ${o.description}`)),
    `export type UriOptionName = ${union(opts.map((o) => o.name))};`,
    doc('A URI scheme.'),
    "export type UriScheme = 'tcp' | 'tcps' | 'unix' | 'ws' | 'wss';",
    doc('How an option is applied: to the socket, forwarded as a logon option, or declared but unsupported by this client.'),
    "export type UriOptionKind = 'socket' | 'logon' | 'unsupported';",
    doc('One URI option.'),
    `export interface UriOptionSpec {
  readonly name: UriOptionName;
  readonly type: 'bool' | 'int' | 'string' | 'enum';
  ${doc('Allowed values of an enum option.')}
  readonly values?: readonly string[];
  readonly kind: UriOptionKind;
  readonly schemes: readonly UriScheme[];
  ${doc('Default behaviour, as text, when documented.')}
  readonly default?: string;
  readonly description: string;
}`,
    doc('Every transport and logon URI option, keyed by name.'),
    `export const URI_OPTION_BY_NAME: Readonly<Record<UriOptionName, UriOptionSpec>> = Object.freeze({\n${opts
      .map(
        (o) => `${prop(o.name)}: {
  name: ${str(o.name)},
  type: ${str(o.type)},
  ${o.values !== undefined ? `values: ${strArray(o.values)},` : ''}
  kind: ${str(o.kind)},
  schemes: ${strArray(o.schemes)},
  ${o.default !== undefined ? `default: ${str(o.default)},` : ''}
  description: ${str(o.description)},
}`,
      )
      .join(',\n')},\n});`,
    doc('Every transport and logon URI option, in spec order.'),
    'export const URI_OPTIONS: readonly UriOptionSpec[] = Object.freeze(Object.values(URI_OPTION_BY_NAME));',
    doc('Is `name` a known URI option?'),
    `export function isUriOptionName(name: string): name is UriOptionName {
  return Object.prototype.hasOwnProperty.call(URI_OPTION_BY_NAME, name);
}`,
  );
}
