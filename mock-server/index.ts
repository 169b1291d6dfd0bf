// Public entry point of the amps-ts mock server (package export `amps-ts/mock-server`).

export {
  MockServer,
  type MockServerOptions,
  type MockServerEvents,
  type ConnectionInfo,
  type LogEntry,
  type LogLevel,
} from './server/server.js';
export { MockCluster, type MockClusterOptions } from './cluster/cluster.js';
export { runMockServerCli, type MockServerCliIo } from './cli.js';
export {
  resolveConfig,
  readConfigFile,
  validateConfig,
  defaultConfig,
  defaultConfigPath,
  MockConfigError,
  type MockServerConfig,
  type ResolvedConfig,
  type TransportConfig,
  type SowTopicConfig,
  type QueueConfig,
  type UserConfig,
  type ResolvedSowTopic,
  type ResolvedQueue,
} from './config/config.js';
export type { Broker, Subscription, ReplicatedOp } from './server/broker.js';
export { MOCK_CONFIG_SCHEMA } from './config/schema.js';
