import type { Model } from './model.js';
import { blocks, doc, stamp } from './emit-util.js';

export function emitMessageFields(model: Model): string {
  const accessors = model.fields
    .map((f) => {
      const t = `${f.tsType} | undefined`;
      const extra = [
        '',
        `Header \`${f.wireKey}\` (${f.type}${f.list ? ', comma list' : ''}; ${f.direction}).`,
      ];
      return `${doc(f.description, extra)}
get ${f.name}(): ${t} {
  return this.header.${f.name};
}
set ${f.name}(value: ${t}) {
  if (value === undefined) delete this.header.${f.name};
  else this.header.${f.name} = value;
}`;
    })
    .join('\n\n');
  return blocks(
    stamp(['headers']),
    "import type { Header } from './header-fields.js';\nimport { parseAckTypes, type AckType } from './enums.js';",
    doc(
      'Typed accessors for every header field of a message. They read and write the decoded header in place (the body is never touched or copied). Subclasses provide `header`.',
    ),
    `export abstract class MessageFields {
  ${doc('The decoded header, keyed by property name.')}
  abstract readonly header: Header;

${accessors}

  ${doc('The `a` header as a list of known ack types (unknown names dropped).')}
  get ackTypes(): AckType[] {
    return parseAckTypes(this.header.ackType);
  }

  ${doc('Header keys the spec does not know, as received.')}
  get extras(): Readonly<Record<string, string | number | bigint | boolean>> | undefined {
    return this.header.extras;
  }
}`,
  );
}
