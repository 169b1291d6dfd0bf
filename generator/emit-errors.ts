import type { Model } from './model.js';
import { blocks, doc, prop, stamp, str, union } from './emit-util.js';

export function emitErrors(model: Model): string {
  const ex = model.exceptions;
  const root = ex[0]!;
  const classDoc = (e: Model['exceptions'][number]): string =>
    doc(e.description, [
      '',
      ...(e.when !== undefined ? [`When: ${e.when}.`] : []),
      `Hierarchy: ${e.chain.join(' → ')}.`,
      ...(e.pythonClasses.length > 0 ? [`Python client classes: ${e.pythonClasses.join(', ')}.`] : []),
      ...(e.reasons.length > 0 ? [`Server reasons: ${e.reasons.map((r) => `\`${r}\``).join(', ')}.`] : []),
    ]);

  const rootClass = `${classDoc(root)}
export class ${root.name} extends Error {
  ${doc('The class name; survives minification and duplicated packages.')}
  static readonly exceptionName: string = ${str(root.name)};
  ${doc('The server failure reason, when the exception comes from a failure ack.')}
  readonly reason?: string;
  ${doc('The command that failed (e.g. `sow`).')}
  readonly command?: string;
  ${doc('The command id of the command that failed.')}
  readonly commandId?: string;

  constructor(message?: string, options: AMPSExceptionOptions = {}) {
    super(message ?? options.reason ?? '', options.cause !== undefined ? { cause: options.cause } : undefined);
    const ctor = new.target as unknown as typeof ${root.name};
    Object.defineProperty(this, 'name', { value: ctor.exceptionName, enumerable: false, configurable: true, writable: true });
    Object.defineProperty(this, BRAND, { value: brandChain(ctor), enumerable: false });
    if (options.reason !== undefined) this.reason = options.reason;
    if (options.command !== undefined) this.command = options.command;
    if (options.commandId !== undefined) this.commandId = options.commandId;
  }

  ${doc(
    '`instanceof` that also recognises instances created by another copy of this module (duplicated packages): it compares the class-name chain stored under a global `Symbol.for` brand.',
  )}
  static override [Symbol.hasInstance](value: unknown): boolean {
    if (typeof value !== 'object' || value === null) return false;
    if (Function.prototype[Symbol.hasInstance].call(this, value)) return true;
    const chain = (value as { [BRAND]?: unknown })[BRAND];
    return Array.isArray(chain) && chain.includes(this.exceptionName);
  }
}`;

  const subclasses = ex.slice(1).map(
    (e) => `${classDoc(e)}
export class ${e.name} extends ${e.parent!} {
  static override readonly exceptionName: string = ${str(e.name)};
}`,
  );

  return blocks(
    stamp(['exceptions']),
    doc('Global brand under which every exception stores its class-name chain (see `AMPSException[Symbol.hasInstance]`).'),
    "const BRAND: unique symbol = Symbol.for('amps-ts.AMPSException.chain');",
    doc('Context attached to an exception.'),
    `export interface AMPSExceptionOptions {
  reason?: string;
  command?: string;
  commandId?: string;
  cause?: unknown;
}`,
    `function brandChain(ctor: { exceptionName: string }): readonly string[] {
  const chain: string[] = [];
  let cur: unknown = ctor;
  while (typeof cur === 'function' && Object.prototype.hasOwnProperty.call(cur, 'exceptionName')) {
    chain.push((cur as unknown as { exceptionName: string }).exceptionName);
    cur = Object.getPrototypeOf(cur);
  }
  return Object.freeze(chain);
}`,
    rootClass,
    ...subclasses,
    doc('Name of an exception class.'),
    `export type ExceptionName = ${union(ex.map((e) => e.name))};`,
    doc('An exception class constructor.'),
    `export type ExceptionClass = (new (message?: string, options?: AMPSExceptionOptions) => ${root.name}) & {
  readonly exceptionName: string;
};`,
    doc('Every exception class by name.'),
    `export const EXCEPTION_CLASSES: Readonly<Record<ExceptionName, ExceptionClass>> = Object.freeze({\n${ex
      .map((e) => `${e.name}`)
      .join(',\n')},\n});`,
    doc('The parent of every exception class (null for the root).'),
    `export const EXCEPTION_PARENTS: Readonly<Record<ExceptionName, ExceptionName | null>> = Object.freeze({\n${ex
      .map((e) => `${e.name}: ${e.parent !== undefined ? str(e.parent) : 'null'}`)
      .join(',\n')},\n});`,
    doc('Every failure reason string a server can put on a `status: failure` ack.', model.reasons.map((r) => `- \`${r.key}\`: ${r.description}`)),
    `export const Reasons = Object.freeze({\n${model.reasons
      .map((r) => `${doc(`${r.description} Raises ${r.exception}.`)}\n${prop(r.key)}: ${str(r.reason)}`)
      .join(',\n')},\n} as const);`,
    doc('A known failure reason string.'),
    'export type Reason = (typeof Reasons)[keyof typeof Reasons];',
    doc('The exception class each known reason raises. Unknown reasons raise CommandException.'),
    `export const REASON_TO_EXCEPTION: Readonly<Record<Reason, ExceptionClass>> = Object.freeze({\n${model.reasons
      .map((r) => `[Reasons.${r.key}]: ${r.exception}`)
      .join(',\n')},\n});`,
    doc(
      'The exception for a failure reason: exact match first, then case- and whitespace-insensitive; anything else is a CommandException. The message is the reason text.',
    ),
    `export function exceptionForReason(reason: string, ctx: { command?: string; commandId?: string; cause?: unknown } = {}): ${root.name} {
  const table = REASON_TO_EXCEPTION as Readonly<Record<string, ExceptionClass | undefined>>;
  const own = (key: string): ExceptionClass | undefined => (Object.prototype.hasOwnProperty.call(table, key) ? table[key] : undefined);
  const cls = own(reason) ?? own(reason.trim().toLowerCase().replace(/\\s+/g, ' ')) ?? CommandException;
  const options: AMPSExceptionOptions = { reason };
  if (ctx.command !== undefined) options.command = ctx.command;
  if (ctx.commandId !== undefined) options.commandId = ctx.commandId;
  if (ctx.cause !== undefined) options.cause = ctx.cause;
  return new cls(reason === '' ? 'command failed' : reason, options);
}`,
  );
}
