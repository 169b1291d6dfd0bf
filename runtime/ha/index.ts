// High availability: HAClient, server choosers, reconnect delay strategies, the subscription manager and the
// SOW recovery point adapter.
export { HAClient, type HAClientOptions } from './ha-client.js';
export {
  DefaultServerChooser,
  type ConnectionInfo,
  type DefaultServerChooserOptions,
  type HAAuthenticator,
  type ServerChooser,
} from './server-chooser.js';
export {
  ExponentialDelayStrategy,
  FixedDelayStrategy,
  RetryTimeExceededError,
  type DelayStrategy,
  type ExponentialDelayStrategyOptions,
  type FixedDelayStrategyOptions,
} from './delay-strategy.js';
export { DefaultSubscriptionManager, type SubscriptionManagerOptions } from './subscription-manager.js';
export { SowRecoveryPointAdapter, type SowRecoveryPointAdapterOptions } from './sow-recovery-point-adapter.js';
