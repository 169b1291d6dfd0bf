// The server the suite runs against: the embedded mock server or an external AMPS instance.

import type { TargetFeature, Transport } from '../types.js';

/** Topics the scenarios need configured on the server (see mock.yaml and amps-config.xml). */
export interface TargetTopics {
  /** SOW topic keyed on `/id`, with expiration enabled. */
  sow: string;
  /** Topic recorded in the transaction log (no SOW). */
  txlog: string;
  /** At-least-once queue (backlog limit >= 10), long lease. */
  queue: string;
  /** At-least-once queue with a 1 s lease, for redelivery. */
  leaseQueue: string;
}

export const DEFAULT_TOPICS: TargetTopics = {
  sow: 'conformance/sow/orders',
  txlog: 'conformance/txlog/events',
  queue: 'conformance/queue/work',
  leaseQueue: 'conformance/queue/lease',
};

export interface Credentials {
  user: string;
  password: string;
  badPassword: string;
  /** The server to authenticate against, when not the target's main URIs. */
  uris?: Partial<Record<Transport, string>>;
}

/** A replicated group of servers with fault injection (feature `cluster`): the embedded MockCluster. */
export interface ClusterControl {
  /** One URI per instance. */
  readonly uris: Partial<Record<Transport, readonly string[]>>;
  /** Instance `i` goes down: its connections are dropped and new ones refused (it keeps replicating). */
  fail(i: number): void;
  /** Instance `i` accepts connections again. */
  recover(i: number): void;
}

export interface Target {
  readonly kind: 'embedded' | 'external';
  readonly description: string;
  /** Base URIs (no credentials), e.g. `tcp://127.0.0.1:9007/amps/json`. */
  readonly uris: Partial<Record<Transport, string>>;
  readonly features: ReadonlySet<TargetFeature>;
  readonly topics: TargetTopics;
  /** Credentials the server accepts, and a password it rejects (feature `auth`). */
  readonly credentials?: Credentials;
  /** Present with feature `cluster`. */
  readonly cluster?: ClusterControl;
  close(): Promise<void>;
}

export interface ExternalTargetOptions {
  tcp?: string;
  ws?: string;
  features?: TargetFeature[];
  topics?: Partial<TargetTopics>;
  credentials?: Target['credentials'];
}

/** A server someone else runs (e.g. real AMPS with conformance/targets/amps-config.xml). */
export function externalTarget(options: ExternalTargetOptions): Target {
  const uris: Partial<Record<Transport, string>> = {};
  if (options.tcp) uris.tcp = options.tcp;
  if (options.ws) uris.ws = options.ws;
  const target: Target = {
    kind: 'external',
    description: `external ${[options.tcp, options.ws].filter(Boolean).join(' ')}`,
    uris,
    // amps-config.xml configures every feature except authentication (and there is no cluster to fail).
    features: new Set(options.features ?? ['sow', 'txlog', 'queue', 'regex-topic']),
    topics: { ...DEFAULT_TOPICS, ...options.topics },
    close: async () => undefined,
  };
  return options.credentials ? { ...target, credentials: options.credentials } : target;
}

/** `AMPS_URI` / `AMPS_WS_URI` from the environment, or undefined when neither is set. */
export function targetFromEnv(env: NodeJS.ProcessEnv = process.env): Target | undefined {
  const tcp = env.AMPS_URI;
  const ws = env.AMPS_WS_URI;
  if (!tcp && !ws) return undefined;
  const features = env.AMPS_FEATURES?.split(',').map((f) => f.trim()).filter(Boolean) as TargetFeature[] | undefined;
  const opts: ExternalTargetOptions = {};
  if (tcp) opts.tcp = tcp;
  if (ws) opts.ws = ws;
  if (features) opts.features = features;
  if (env.AMPS_USER && env.AMPS_PASSWORD) {
    opts.credentials = { user: env.AMPS_USER, password: env.AMPS_PASSWORD, badPassword: env.AMPS_BAD_PASSWORD ?? 'wrong-password' };
  }
  return externalTarget(opts);
}
