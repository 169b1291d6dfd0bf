// Mock server configuration: the YAML/object form users write (MockServerConfig), validated against
// schema.ts with ajv, and the resolved form the server runs on (ResolvedConfig: durations in ms, sizes in
// bytes, every default filled in).

import { Reasons } from '../../generated/errors.js';
import { readFileSync, existsSync } from 'node:fs';
import { dirname, resolve, isAbsolute } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Ajv, type ErrorObject } from 'ajv';
import { parse as parseYaml } from 'yaml';
import { MOCK_CONFIG_SCHEMA } from './schema.js';
import { DEFAULT_CONFIG_YAML } from './default-yaml.js';

export type Duration = number | string;
export type ByteSize = number | string;

export interface TransportConfig {
  name?: string;
  type: 'tcp' | 'websocket';
  host?: string;
  /** 0 (default) = a free port. */
  port?: number;
  messageType?: string;
}

export interface UserConfig {
  user: string;
  password: string;
}

export interface SowTopicConfig {
  topic: string;
  /** Key fields, e.g. `['/id']`; empty = publisher-supplied keys (`k`). */
  key?: string[];
  expiration?: Duration;
  /** Historical queries (`bm` on sow) from the transaction log. */
  historical?: boolean;
  messageType?: string;
}

export interface QueueConfig {
  name: string;
  underlyingTopic?: string;
  semantics?: 'at-least-once' | 'at-most-once';
  leasePeriod?: Duration;
  maxPerSubscriptionBacklog?: number;
  maxCancels?: number;
  maxDeliveries?: number;
  /** Message time-to-live in the queue. */
  expiration?: Duration;
  messageType?: string;
}

/** The configuration as written (YAML file or object). Every key is optional. */
export interface MockServerConfig {
  name?: string;
  version?: string;
  transports?: TransportConfig[];
  messageTypes?: string[];
  maxFrameBytes?: ByteSize;
  maxBatchSize?: number;
  dataDirectory?: string;
  authentication?: { users?: UserConfig[]; reason?: 'auth failure' | 'authentication failure' };
  logon?: { nameInUse?: 'reject' | 'replace' };
  heartbeat?: { disconnectAfter?: number };
  ackConflation?: Duration;
  persistedAckInterval?: Duration;
  sow?: SowTopicConfig[];
  transactionLog?: { topics?: string[] };
  queues?: QueueConfig[];
}

export interface ResolvedSowTopic {
  topic: string;
  key: string[];
  /** ms; undefined = expiration disabled. */
  expirationMs: number | undefined;
  historical: boolean;
  messageType: string;
}

export interface ResolvedQueue {
  name: string;
  underlyingTopic: string;
  semantics: 'at-least-once' | 'at-most-once';
  leasePeriodMs: number;
  maxPerSubscriptionBacklog: number;
  maxCancels: number | undefined;
  maxDeliveries: number | undefined;
  expirationMs: number | undefined;
  messageType: string;
}

export interface ResolvedConfig {
  name: string;
  version: string;
  transports: Required<TransportConfig>[];
  messageTypes: string[];
  maxFrameBytes: number;
  maxBatchSize: number;
  dataDirectory: string | undefined;
  users: UserConfig[];
  authFailureReason: string;
  nameInUse: 'reject' | 'replace';
  heartbeatFactor: number;
  ackConflationMs: number;
  persistedAckIntervalMs: number;
  sow: ResolvedSowTopic[];
  transactionLogTopics: string[];
  queues: ResolvedQueue[];
}

/** Raised for an unreadable or invalid configuration; `path` is the JSON pointer of the offending value. */
export class MockConfigError extends Error {
  constructor(
    message: string,
    readonly path: string = '',
    readonly source?: string,
  ) {
    super(message);
    this.name = 'MockConfigError';
  }
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validate = ajv.compile(MOCK_CONFIG_SCHEMA);

/** Location of the embedded default configuration (mock-server/config/default.yaml). */
export function defaultConfigPath(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [
    resolve(here, 'default.yaml'),
    // From dist/mock-server/config/ back to the sources.
    resolve(here, '../../../mock-server/config/default.yaml'),
  ];
  for (const c of candidates) if (existsSync(c)) return c;
  return candidates[0];
}

let defaultCache: MockServerConfig | undefined;

/** The embedded default configuration (the guide's topics plus the conformance suite's). */
export function defaultConfig(): MockServerConfig {
  if (defaultCache === undefined) {
    const path = defaultConfigPath();
    if (existsSync(path)) defaultCache = readConfigFile(path);
    else {
      const data = parseYaml(DEFAULT_CONFIG_YAML) as unknown;
      validateConfig(data, 'embedded default config');
      defaultCache = data;
    }
  }
  return structuredClone(defaultCache);
}

/** Reads and validates a YAML (or JSON) configuration file. */
export function readConfigFile(path: string): MockServerConfig {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    throw new MockConfigError(`cannot read mock server config ${path}: ${(err as Error).message}`, '', path);
  }
  let data: unknown;
  try {
    data = parseYaml(text);
  } catch (err) {
    throw new MockConfigError(`invalid YAML in ${path}: ${(err as Error).message}`, '', path);
  }
  if (data === null || data === undefined) data = {};
  validateConfig(data, path);
  const config = data as MockServerConfig;
  if (config.dataDirectory !== undefined && !isAbsolute(config.dataDirectory)) {
    config.dataDirectory = resolve(dirname(path), config.dataDirectory);
  }
  return config;
}

/** Validates a configuration object against the schema; throws MockConfigError naming the path. */
export function validateConfig(data: unknown, source?: string): asserts data is MockServerConfig {
  if (validate(data)) {
    checkSemantics(data as MockServerConfig, source);
    return;
  }
  const errors = validate.errors ?? [];
  const first = pickError(errors);
  const where = source ? ` in ${source}` : '';
  const lines = errors.slice(0, 5).map(describe);
  throw new MockConfigError(
    `invalid mock server config${where}: ${lines.join('; ')}`,
    first ? first.instancePath || '/' : '/',
    source,
  );
}

function pickError(errors: ErrorObject[]): ErrorObject | undefined {
  return errors.find((e) => e.keyword !== 'anyOf') ?? errors[0];
}

function describe(e: ErrorObject): string {
  const path = e.instancePath || '/';
  if (e.keyword === 'additionalProperties') {
    return `${path}: unknown key '${String((e.params as { additionalProperty: string }).additionalProperty)}'`;
  }
  if (e.keyword === 'enum') {
    return `${path}: must be one of ${(e.params as { allowedValues: unknown[] }).allowedValues.map(String).join(', ')}`;
  }
  return `${path}: ${e.message ?? e.keyword}`;
}

function checkSemantics(c: MockServerConfig, source?: string): void {
  const fail = (msg: string, path: string) => {
    throw new MockConfigError(`invalid mock server config${source ? ` in ${source}` : ''}: ${path}: ${msg}`, path, source);
  };
  const regexes: [string, string][] = [];
  c.transactionLog?.topics?.forEach((t, i) => regexes.push([t, `/transactionLog/topics/${i}`]));
  c.queues?.forEach((q, i) => {
    if (q.underlyingTopic) regexes.push([q.underlyingTopic, `/queues/${i}/underlyingTopic`]);
  });
  for (const [re, path] of regexes) {
    try {
      new RegExp(re);
    } catch (err) {
      fail(`bad regular expression: ${(err as Error).message}`, path);
    }
  }
  const seen = new Set<string>();
  c.sow?.forEach((s, i) => {
    if (seen.has(s.topic)) fail(`duplicate SOW topic '${s.topic}'`, `/sow/${i}/topic`);
    seen.add(s.topic);
  });
  const queues = new Set<string>();
  c.queues?.forEach((q, i) => {
    if (queues.has(q.name)) fail(`duplicate queue '${q.name}'`, `/queues/${i}/name`);
    if (seen.has(q.name)) fail(`queue '${q.name}' is also a SOW topic`, `/queues/${i}/name`);
    queues.add(q.name);
  });
  const ports = new Set<number>();
  c.transports?.forEach((t, i) => {
    if (t.port && ports.has(t.port)) fail(`port ${t.port} used twice`, `/transports/${i}/port`);
    if (t.port) ports.add(t.port);
  });
  if (c.version !== undefined && !/^\d+\.\d+\.\d+\.\d+/.test(c.version)) fail('bad version', '/version');
}

/** Parses `30s`, `500ms`, `1h` or a number of seconds into milliseconds. */
export function parseDuration(d: Duration): number {
  if (typeof d === 'number') return d * 1000;
  const m = /^\s*(\d+(?:\.\d+)?)\s*(ms|s|m|h|d)?\s*$/.exec(d);
  if (!m) throw new MockConfigError(`bad duration '${d}'`);
  const n = Number(m[1]);
  const unit = m[2] ?? 's';
  const factor = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 }[unit] ?? 1000;
  return Math.round(n * factor);
}

/** Parses `16MB`, `64KB` or a number of bytes. */
export function parseSize(s: ByteSize): number {
  if (typeof s === 'number') return s;
  const m = /^\s*(\d+)\s*(B|KB|MB|GB|KiB|MiB|GiB)?\s*$/.exec(s);
  if (!m) throw new MockConfigError(`bad size '${s}'`);
  const unit = m[2] ?? 'B';
  const factor = unit.startsWith('K') ? 1024 : unit.startsWith('M') ? 1024 ** 2 : unit.startsWith('G') ? 1024 ** 3 : 1;
  return Number(m[1]) * factor;
}

export const DEFAULT_MAX_FRAME_BYTES = 64 * 1024 * 1024;

/**
 * Resolves a configuration: `undefined` = the embedded default, a string = a YAML file path, an object = an
 * inline configuration (validated). Missing keys get AMPS-like defaults.
 */
export function resolveConfig(input?: MockServerConfig | string): ResolvedConfig {
  let c: MockServerConfig;
  if (input === undefined) c = defaultConfig();
  else if (typeof input === 'string') c = readConfigFile(input);
  else {
    const copy = structuredClone(input) as unknown;
    validateConfig(copy);
    c = copy;
  }
  const messageTypes = c.messageTypes ?? ['json'];
  const defaultType = messageTypes[0];
  const transports = (c.transports ?? [
    { type: 'tcp' as const, port: 0 },
    { type: 'websocket' as const, port: 0 },
  ]).map((t, i) => ({
    name: t.name ?? `${t.type}-${i}`,
    type: t.type,
    host: t.host ?? '127.0.0.1',
    port: t.port ?? 0,
    messageType: t.messageType ?? defaultType,
  }));
  return {
    name: c.name ?? 'amps-mock',
    version: c.version ?? '5.3.4.0',
    transports,
    messageTypes,
    maxFrameBytes: c.maxFrameBytes !== undefined ? parseSize(c.maxFrameBytes) : DEFAULT_MAX_FRAME_BYTES,
    maxBatchSize: c.maxBatchSize ?? 10_000,
    dataDirectory: c.dataDirectory,
    users: c.authentication?.users ?? [],
    authFailureReason: c.authentication?.reason ?? Reasons.AUTH_FAILURE,
    nameInUse: c.logon?.nameInUse ?? 'reject',
    heartbeatFactor: c.heartbeat?.disconnectAfter ?? 2,
    ackConflationMs: c.ackConflation !== undefined ? parseDuration(c.ackConflation) : 0,
    persistedAckIntervalMs: c.persistedAckInterval !== undefined ? parseDuration(c.persistedAckInterval) : 1000,
    sow: (c.sow ?? []).map((s) => ({
      topic: s.topic,
      key: s.key ?? [],
      expirationMs: s.expiration !== undefined ? parseDuration(s.expiration) : undefined,
      historical: s.historical ?? false,
      messageType: s.messageType ?? defaultType,
    })),
    transactionLogTopics: c.transactionLog?.topics ?? [],
    queues: (c.queues ?? []).map((q) => ({
      name: q.name,
      underlyingTopic: q.underlyingTopic ?? q.name,
      semantics: q.semantics ?? 'at-least-once',
      leasePeriodMs: q.leasePeriod !== undefined ? parseDuration(q.leasePeriod) : 30_000,
      maxPerSubscriptionBacklog: q.maxPerSubscriptionBacklog ?? 10,
      maxCancels: q.maxCancels,
      maxDeliveries: q.maxDeliveries,
      expirationMs: q.expiration !== undefined ? parseDuration(q.expiration) : undefined,
      messageType: q.messageType ?? defaultType,
    })),
  };
}
