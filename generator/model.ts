import { SPEC_FILES, type LoadedSpec, type SpecFileName } from './load.js';
import { SpecError } from './spec-error.js';

// ---------------------------------------------------------------------------------------------
// Raw shapes (what the JSON Schemas guarantee after validation)
// ---------------------------------------------------------------------------------------------

export type FieldType = 'string' | 'integer' | 'sequence' | 'boolean';
export type Direction = 'client' | 'server' | 'both' | 'legacy';
export type SetterKind = 'value' | 'list' | 'acks' | 'none';
export type BodyKind = 'none' | 'optional' | 'required';
export type ParameterKind = 'none' | 'integer' | 'interval' | 'string' | 'list';

interface RawField {
  name: string;
  wireKey: string;
  serverKey?: string;
  aliases?: string[];
  type: FieldType;
  list?: boolean;
  direction: Direction;
  setter?: SetterKind;
  commands?: string[];
  messages?: string[];
  description: string;
}
interface RawCommand {
  name: string;
  wireNames: string[];
  requiredFields: string[];
  factoryParams?: string[];
  defaultAcks: string[];
  allowedAcks: string[];
  opensSubscription: boolean;
  hasQuery: boolean;
  streamsResults: boolean;
  body: BodyKind;
  description: string;
}
interface RawServerMessage {
  name: string;
  wireName: string;
  wireNames: string[];
  requiredFields: string[];
  body: BodyKind;
  description: string;
}
interface RawOption {
  name: string;
  parameter: ParameterKind;
  values?: string[];
  separator?: '=' | ',';
  helper?: string;
  commands: string[];
  description: string;
}
interface Named {
  name: string;
  description: string;
}
interface RawEnums {
  ackTypes: (Named & { bit: number })[];
  ackStatuses: Named[];
  oofReasons: Named[];
  connectionStates: (Named & { value: number })[];
  messageTypes: (Named & { serverConstructed: boolean })[];
}
interface RawException {
  name: string;
  parent?: string;
  when?: string;
  pythonClasses?: string[];
  description: string;
}
interface RawReason {
  key: string;
  reason: string;
  exception: string;
  description: string;
}
interface RawUriOption {
  name: string;
  type: 'bool' | 'int' | 'string' | 'enum';
  values?: string[];
  kind: 'socket' | 'logon' | 'unsupported';
  schemes: string[];
  default?: string;
  description: string;
}

// ---------------------------------------------------------------------------------------------
// The model: plain data the emitters read
// ---------------------------------------------------------------------------------------------

export interface FieldModel {
  readonly name: string;
  readonly wireKey: string;
  readonly serverKey: string | undefined;
  readonly aliases: readonly string[];
  readonly type: FieldType;
  readonly tsType: 'string' | 'number' | 'bigint' | 'boolean';
  readonly list: boolean;
  readonly direction: Direction;
  readonly setter: SetterKind;
  readonly commands: readonly string[];
  readonly messages: readonly string[];
  readonly description: string;
}

export interface FactoryParam {
  readonly field: string;
  readonly optional: boolean;
}

export interface CommandModel {
  readonly name: string;
  /** PascalCase, e.g. SowAndSubscribe. */
  readonly pascal: string;
  /** camelCase factory name, e.g. sowAndSubscribe. */
  readonly factory: string;
  /** Builder interface name, e.g. SowAndSubscribeCommand. */
  readonly builderType: string;
  readonly wireName: string;
  readonly wireNames: readonly string[];
  readonly allowedFields: readonly string[];
  readonly requiredFields: readonly string[];
  readonly factoryParams: readonly FactoryParam[];
  readonly defaultAcks: readonly string[];
  readonly allowedAcks: readonly string[];
  readonly options: readonly string[];
  readonly opensSubscription: boolean;
  readonly hasQuery: boolean;
  readonly streamsResults: boolean;
  readonly body: BodyKind;
  readonly description: string;
  /** Header fields with a builder setter on this command, in header order. */
  readonly setters: readonly string[];
}

export interface ServerMessageModel {
  readonly name: string;
  readonly wireName: string;
  readonly wireNames: readonly string[];
  readonly fields: readonly string[];
  readonly requiredFields: readonly string[];
  readonly body: BodyKind;
  readonly description: string;
}

export interface OptionModel {
  readonly name: string;
  readonly parameter: ParameterKind;
  readonly values: readonly string[] | undefined;
  readonly separator: '=' | ',';
  readonly helper: string;
  readonly commands: readonly string[];
  readonly description: string;
}

export interface ExceptionModel {
  readonly name: string;
  readonly parent: string | undefined;
  readonly when: string | undefined;
  readonly pythonClasses: readonly string[];
  readonly description: string;
  /** Class names from this class up to the root. */
  readonly chain: readonly string[];
  readonly reasons: readonly string[];
}

export interface Model {
  readonly fields: readonly FieldModel[];
  readonly commands: readonly CommandModel[];
  readonly serverMessages: readonly ServerMessageModel[];
  readonly options: readonly OptionModel[];
  readonly ackTypes: readonly (Named & { bit: number })[];
  readonly ackStatuses: readonly Named[];
  readonly oofReasons: readonly Named[];
  readonly connectionStates: readonly (Named & { value: number })[];
  readonly messageTypes: readonly (Named & { serverConstructed: boolean })[];
  /** Parents before children; siblings in spec order. */
  readonly exceptions: readonly ExceptionModel[];
  readonly reasons: readonly RawReason[];
  readonly uriOptions: readonly RawUriOption[];
  readonly labels: Readonly<Record<SpecFileName, string>>;
}

/** Builder members every command has; header setters and option helpers must not use these names. */
export const RESERVED_BUILDER_MEMBERS = [
  'commandName',
  'header',
  'data',
  'options',
  'option',
  'rawHeader',
  'body',
  'addAckType',
  'constructor',
  'toString',
  'toJSON',
] as const;

export function pascalCase(snake: string): string {
  return snake
    .split(/[_-]/)
    .filter((p) => p.length > 0)
    .map((p) => p[0]!.toUpperCase() + p.slice(1))
    .join('');
}

export function camelCase(snake: string): string {
  const p = pascalCase(snake);
  return p[0]!.toLowerCase() + p.slice(1);
}

const TS_TYPES: Record<FieldType, FieldModel['tsType']> = {
  string: 'string',
  integer: 'number',
  sequence: 'bigint',
  boolean: 'boolean',
};

/** Builds the model and performs every cross-reference check; throws a SpecError listing all problems. */
export function buildModel(spec: LoadedSpec): Model {
  const problems: string[] = [];
  const L = (f: SpecFileName): string => spec[f].label;
  const headers = spec.headers.data as { fields: RawField[] };
  const commandsFile = spec.commands.data as { commands: RawCommand[]; serverMessages: RawServerMessage[] };
  const optionsFile = spec.options.data as { options: RawOption[] };
  const enums = spec.enums.data as RawEnums;
  const exFile = spec.exceptions.data as { exceptions: RawException[]; reasons: RawReason[] };
  const uriFile = spec['uri-options'].data as { uriOptions: RawUriOption[] };

  const dupCheck = <T>(label: string, path: string, items: readonly T[], key: (t: T) => string, what: string): void => {
    const seen = new Map<string, number>();
    items.forEach((item, i) => {
      const k = key(item);
      const prev = seen.get(k);
      if (prev !== undefined) problems.push(`${label}: ${path}/${i}: duplicate ${what} '${k}' (already at ${path}/${prev})`);
      else seen.set(k, i);
    });
  };

  // ---- enums
  dupCheck(L('enums'), '/ackTypes', enums.ackTypes, (a) => a.name, 'ack type');
  dupCheck(L('enums'), '/ackTypes', enums.ackTypes, (a) => String(a.bit), 'ack bit');
  dupCheck(L('enums'), '/ackStatuses', enums.ackStatuses, (a) => a.name, 'status');
  dupCheck(L('enums'), '/oofReasons', enums.oofReasons, (a) => a.name, 'oof reason');
  dupCheck(L('enums'), '/connectionStates', enums.connectionStates, (a) => a.name, 'connection state');
  dupCheck(L('enums'), '/connectionStates', enums.connectionStates, (a) => String(a.value), 'connection state value');
  dupCheck(L('enums'), '/messageTypes', enums.messageTypes, (a) => a.name, 'message type');
  const ackNames = new Set(enums.ackTypes.map((a) => a.name));

  // ---- commands and server messages (names first: fields refer to them)
  const rawCommands = commandsFile.commands;
  const rawMessages = commandsFile.serverMessages;
  dupCheck(L('commands'), '/commands', rawCommands, (c) => c.name, 'command');
  dupCheck(L('commands'), '/serverMessages', rawMessages, (c) => c.name, 'server message kind');
  const commandNames = rawCommands.map((c) => c.name);
  const messageNames = rawMessages.map((m) => m.name);
  const wireOwner = new Map<string, string>();
  const checkWire = (wire: string, name: string, path: string): void => {
    const owner = wireOwner.get(wire);
    if (owner !== undefined && owner !== name) {
      problems.push(`${L('commands')}: ${path}: wire name '${wire}' of '${name}' is already used by '${owner}'`);
    } else wireOwner.set(wire, name);
  };
  rawCommands.forEach((c, i) => c.wireNames.forEach((w, j) => checkWire(w, c.name, `/commands/${i}/wireNames/${j}`)));
  rawMessages.forEach((m, i) => {
    m.wireNames.forEach((w, j) => checkWire(w, m.name, `/serverMessages/${i}/wireNames/${j}`));
    if (!m.wireNames.includes(m.wireName)) {
      problems.push(`${L('commands')}: /serverMessages/${i}/wireName: '${m.wireName}' must also be listed in wireNames`);
    }
  });

  // ---- header fields
  const rawFields = headers.fields;
  dupCheck(L('headers'), '/fields', rawFields, (f) => f.name, 'field name');
  const keyOwner = new Map<string, { field: string; path: string }>();
  const fields: FieldModel[] = rawFields.map((f, i) => {
    const path = `/fields/${i}`;
    const aliases = f.aliases ?? [];
    const claim = (key: string, p: string): void => {
      const owner = keyOwner.get(key);
      if (owner !== undefined && owner.field !== f.name) {
        problems.push(
          `${L('headers')}: ${p}: wire key '${key}' of field '${f.name}' collides with field '${owner.field}' (${owner.path})`,
        );
      } else if (owner === undefined) keyOwner.set(key, { field: f.name, path: p });
    };
    claim(f.wireKey, `${path}/wireKey`);
    aliases.forEach((a, j) => {
      if (a === f.wireKey) problems.push(`${L('headers')}: ${path}/aliases/${j}: alias '${a}' repeats the wireKey`);
      claim(a, `${path}/aliases/${j}`);
    });
    if (f.serverKey !== undefined && f.serverKey !== f.wireKey && !aliases.includes(f.serverKey)) {
      problems.push(
        `${L('headers')}: ${path}/serverKey: '${f.serverKey}' must be the wireKey or one of the aliases (a server-emitted key must also be accepted)`,
      );
    }
    if (f.type === 'sequence' && f.list) problems.push(`${L('headers')}: ${path}/list: a sequence cannot be a list`);
    const expand = (list: string[] | undefined, known: string[], what: string, key: string): string[] => {
      if (list === undefined) return [];
      const out = new Set<string>();
      list.forEach((c, j) => {
        if (c === '*') known.forEach((k) => out.add(k));
        else if (!known.includes(c)) problems.push(`${L('headers')}: ${path}/${key}/${j}: unknown ${what} '${c}'`);
        else out.add(c);
      });
      return known.filter((k) => out.has(k));
    };
    const commands = expand(f.commands, commandNames, 'command', 'commands');
    const messages = expand(f.messages, messageNames, 'server message kind', 'messages');
    const defaultSetter: SetterKind = f.direction === 'client' || f.direction === 'both' ? 'value' : 'none';
    const setter = f.setter ?? defaultSetter;
    if (setter === 'acks' && f.type !== 'string') problems.push(`${L('headers')}: ${path}/setter: 'acks' needs type string`);
    if (setter === 'list' && (f.type !== 'string' || !f.list)) {
      problems.push(`${L('headers')}: ${path}/setter: 'list' needs type string and list: true`);
    }
    if (setter !== 'none' && (RESERVED_BUILDER_MEMBERS as readonly string[]).includes(f.name)) {
      problems.push(`${L('headers')}: ${path}/name: '${f.name}' is a reserved builder member; use setter: none`);
    }
    return {
      name: f.name,
      wireKey: f.wireKey,
      serverKey: f.serverKey,
      aliases,
      type: f.type,
      tsType: TS_TYPES[f.type],
      list: f.list ?? false,
      direction: f.direction,
      setter,
      commands,
      messages,
      description: f.description.trim(),
    };
  });
  const fieldByName = new Map(fields.map((f) => [f.name, f]));
  const setterNames = new Set(fields.filter((f) => f.setter !== 'none').map((f) => f.name));
  const nonLegacyNames = new Set(fields.filter((f) => f.direction !== 'legacy').map((f) => f.name));

  // ---- options
  const rawOptions = optionsFile.options;
  dupCheck(L('options'), '/options', rawOptions, (o) => o.name, 'option');
  const options: OptionModel[] = rawOptions.map((o, i) => {
    const path = `/options/${i}`;
    o.commands.forEach((c, j) => {
      if (!commandNames.includes(c)) problems.push(`${L('options')}: ${path}/commands/${j}: unknown command '${c}'`);
    });
    if (o.values !== undefined && o.parameter !== 'string') {
      problems.push(`${L('options')}: ${path}/values: only string parameters take values`);
    }
    if (o.separator === ',' && o.parameter === 'none') {
      problems.push(`${L('options')}: ${path}/separator: an option without parameter has no separator`);
    }
    let helper = o.helper;
    if (helper === undefined) {
      helper = camelCase(o.name);
      if (nonLegacyNames.has(helper)) helper = `${helper}Option`;
    }
    if (setterNames.has(helper) || (RESERVED_BUILDER_MEMBERS as readonly string[]).includes(helper)) {
      problems.push(`${L('options')}: ${path}/helper: builder method '${helper}' collides with a header setter or builder member`);
    }
    return {
      name: o.name,
      parameter: o.parameter,
      values: o.values,
      separator: o.separator ?? '=',
      helper,
      commands: commandNames.filter((c) => o.commands.includes(c)),
      description: o.description.trim(),
    };
  });
  dupCheck(L('options'), '/options', options, (o) => o.helper, 'builder helper name');

  // ---- commands (derived field and option lists)
  const commands: CommandModel[] = rawCommands.map((c, i) => {
    const path = `/commands/${i}`;
    const allowedFields = fields.filter((f) => f.commands.includes(c.name)).map((f) => f.name);
    c.requiredFields.forEach((r, j) => {
      if (!fieldByName.has(r)) problems.push(`${L('commands')}: ${path}/requiredFields/${j}: unknown header field '${r}'`);
      else if (!allowedFields.includes(r)) {
        problems.push(
          `${L('commands')}: ${path}/requiredFields/${j}: field '${r}' is required but spec/headers.yaml does not list '${c.name}' in its commands`,
        );
      }
    });
    c.allowedAcks.forEach((a, j) => {
      if (!ackNames.has(a)) problems.push(`${L('commands')}: ${path}/allowedAcks/${j}: unknown ack type '${a}'`);
    });
    c.defaultAcks.forEach((a, j) => {
      if (!ackNames.has(a)) problems.push(`${L('commands')}: ${path}/defaultAcks/${j}: unknown ack type '${a}'`);
      else if (!c.allowedAcks.includes(a)) {
        problems.push(`${L('commands')}: ${path}/defaultAcks/${j}: default ack '${a}' is not in allowedAcks`);
      }
    });
    const factoryParams: FactoryParam[] = (c.factoryParams ?? c.requiredFields.filter((r) => r !== 'command')).map(
      (p, j) => {
        const optional = p.endsWith('?');
        const field = optional ? p.slice(0, -1) : p;
        const fm = fieldByName.get(field);
        if (fm === undefined || !allowedFields.includes(field) || fm.setter !== 'value' || fm.tsType !== 'string') {
          problems.push(
            `${L('commands')}: ${path}/factoryParams/${j}: '${field}' must be a string header field with a value setter allowed on '${c.name}'`,
          );
        }
        return { field, optional };
      },
    );
    const setters = allowedFields.filter((f) => fieldByName.get(f)!.setter !== 'none');
    return {
      name: c.name,
      pascal: pascalCase(c.name),
      factory: camelCase(c.name),
      builderType: `${pascalCase(c.name)}Command`,
      wireName: c.wireNames[0]!,
      wireNames: c.wireNames,
      allowedFields,
      requiredFields: c.requiredFields,
      factoryParams,
      defaultAcks: enums.ackTypes.map((a) => a.name).filter((a) => c.defaultAcks.includes(a)),
      allowedAcks: enums.ackTypes.map((a) => a.name).filter((a) => c.allowedAcks.includes(a)),
      options: options.filter((o) => o.commands.includes(c.name)).map((o) => o.name),
      opensSubscription: c.opensSubscription,
      hasQuery: c.hasQuery,
      streamsResults: c.streamsResults,
      body: c.body,
      description: c.description.trim(),
      setters,
    };
  });
  const factoryNames = new Set<string>();
  for (const c of commands) {
    if (factoryNames.has(c.factory) || c.factory === 'create') {
      problems.push(`${L('commands')}: /commands: factory name '${c.factory}' is not unique`);
    }
    factoryNames.add(c.factory);
  }

  const serverMessages: ServerMessageModel[] = rawMessages.map((m, i) => {
    const fieldsOf = fields.filter((f) => f.messages.includes(m.name)).map((f) => f.name);
    m.requiredFields.forEach((r, j) => {
      if (!fieldByName.has(r)) problems.push(`${L('commands')}: /serverMessages/${i}/requiredFields/${j}: unknown header field '${r}'`);
      else if (!fieldsOf.includes(r)) {
        problems.push(
          `${L('commands')}: /serverMessages/${i}/requiredFields/${j}: field '${r}' is required but spec/headers.yaml does not list '${m.name}' in its messages`,
        );
      }
    });
    return {
      name: m.name,
      wireName: m.wireName,
      wireNames: m.wireNames,
      fields: fieldsOf,
      requiredFields: m.requiredFields,
      body: m.body,
      description: m.description.trim(),
    };
  });

  // ---- exceptions
  const rawEx = exFile.exceptions;
  dupCheck(L('exceptions'), '/exceptions', rawEx, (e) => e.name, 'exception');
  const exByName = new Map(rawEx.map((e) => [e.name, e]));
  const roots = rawEx.filter((e) => e.parent === undefined);
  if (roots.length !== 1 || roots[0]!.name !== 'AMPSException') {
    problems.push(`${L('exceptions')}: /exceptions: exactly one class without parent is allowed, and it must be AMPSException`);
  }
  rawEx.forEach((e, i) => {
    if (e.parent !== undefined && !exByName.has(e.parent)) {
      problems.push(`${L('exceptions')}: /exceptions/${i}/parent: unknown exception '${e.parent}'`);
    }
  });
  const chainOf = (name: string): string[] => {
    const chain: string[] = [];
    let cur: string | undefined = name;
    while (cur !== undefined) {
      if (chain.includes(cur)) {
        problems.push(`${L('exceptions')}: /exceptions: inheritance cycle through '${cur}'`);
        break;
      }
      chain.push(cur);
      cur = exByName.get(cur)?.parent;
    }
    return chain;
  };
  const reasons = exFile.reasons;
  dupCheck(L('exceptions'), '/reasons', reasons, (r) => r.key, 'reason key');
  dupCheck(L('exceptions'), '/reasons', reasons, (r) => r.reason, 'reason string');
  reasons.forEach((r, i) => {
    if (!exByName.has(r.exception)) problems.push(`${L('exceptions')}: /reasons/${i}/exception: unknown exception '${r.exception}'`);
  });
  const pyOwner = new Map<string, string>();
  rawEx.forEach((e, i) =>
    (e.pythonClasses ?? []).forEach((p, j) => {
      const owner = pyOwner.get(p);
      if (owner !== undefined || exByName.has(p)) {
        problems.push(`${L('exceptions')}: /exceptions/${i}/pythonClasses/${j}: '${p}' is already claimed by '${owner ?? p}'`);
      } else pyOwner.set(p, e.name);
    }),
  );
  // topological order: depth first, siblings in spec order
  const ordered: ExceptionModel[] = [];
  const placed = new Set<string>();
  if (problems.length === 0) {
    const visit = (name: string): void => {
      if (placed.has(name)) return;
      const e = exByName.get(name)!;
      if (e.parent !== undefined) visit(e.parent);
      placed.add(name);
      ordered.push({
        name,
        parent: e.parent,
        when: e.when,
        pythonClasses: e.pythonClasses ?? [],
        description: e.description.trim(),
        chain: chainOf(name),
        reasons: reasons.filter((r) => r.exception === name).map((r) => r.reason),
      });
    };
    rawEx.forEach((e) => visit(e.name));
  }

  // ---- URI options
  const uriOptions = uriFile.uriOptions;
  dupCheck(L('uri-options'), '/uriOptions', uriOptions, (o) => o.name, 'URI option');
  uriOptions.forEach((o, i) => {
    if ((o.type === 'enum') !== (o.values !== undefined)) {
      problems.push(`${L('uri-options')}: /uriOptions/${i}/values: 'values' is required for type enum and only allowed there`);
    }
  });

  if (problems.length > 0) throw new SpecError(problems);

  const labels = Object.fromEntries(SPEC_FILES.map((f) => [f, spec[f].label])) as Record<SpecFileName, string>;
  return {
    fields,
    commands,
    serverMessages,
    options,
    ackTypes: enums.ackTypes.map((a) => ({ ...a, description: a.description.trim() })),
    ackStatuses: enums.ackStatuses.map((a) => ({ ...a, description: a.description.trim() })),
    oofReasons: enums.oofReasons.map((a) => ({ ...a, description: a.description.trim() })),
    connectionStates: enums.connectionStates.map((a) => ({ ...a, description: a.description.trim() })),
    messageTypes: enums.messageTypes.map((a) => ({ ...a, description: a.description.trim() })),
    exceptions: ordered,
    reasons: reasons.map((r) => ({ ...r, description: r.description.trim() })),
    uriOptions: uriOptions.map((o) => ({ ...o, description: o.description.trim() })),
    labels,
  };
}
