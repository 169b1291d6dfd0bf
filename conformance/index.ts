// Public entry point of the conformance suite (package export `amps-ts/conformance`): the client-agnostic
// adapter contract, the scenario registry, the runner, targets, adapters, the JSON-lines driver and reports.

export * from './types.js';
export {
  SCENARIOS,
  selectScenarios,
  ScenarioContext,
  ScenarioFailure,
  NotApplicable,
  check,
  checkEqual,
  body,
  errorMentions,
  toErrorInfo,
  isDelivery,
  isOof,
  isSowRecord,
  type Scenario,
} from './scenarios/index.js';
export { runScenario, runAdapter, regressions, notApplicableReason, DEFAULT_SCENARIO_TIMEOUT_MS, type RunAdapterOptions } from './runner.js';
export { runConformance, type RunConformanceOptions, type RunConformanceResult, type TargetSpec } from './run.js';
export { KnownDifferences, loadKnownDifferences, knownDifferencesFile, KNOWN_DIFFERENCES_DIR, type KnownDifference } from './known-differences.js';
export {
  DEFAULT_TOPICS,
  externalTarget,
  targetFromEnv,
  type Credentials,
  type ExternalTargetOptions,
  type Target,
  type TargetTopics,
} from './targets/target.js';
export { startEmbeddedTarget, loadMockConfig, MOCK_CONFIG_PATH } from './targets/embedded.js';
export {
  createAdapter,
  BUILTIN_CLIENTS,
  OUR_CLIENTS,
  OursAdapter,
  OURS_CAPABILITIES,
  OfficialAdapter,
  OFFICIAL_CAPABILITIES,
  DriverAdapter,
  BufferedSubscription,
  DisconnectLatch,
  NamedStores,
  mapBookmark,
  type DriverAdapterOptions,
} from './adapters/index.js';
export { serveAdapter, type ServeOptions } from './driver/serve.js';
export { oursDriverCommand } from './driver/ours-command.js';
export * from './driver/protocol.js';
export {
  buildReport,
  renderConsole,
  renderHtml,
  renderJson,
  writeReportFiles,
  type ClientInfo,
  type ClientSummary,
  type ConformanceReport,
} from './report/index.js';
export { FaultProxy, SilentServer } from './util/proxy.js';
export { main } from './cli.js';
