// Public API of the mock server engine: pure logic, no sockets. The server layer (mock-server/server/) calls these.
//
// Typical publish path (server):
//   const doc = new Doc(body, 'json');                       // parse once, shared by everyone below
//   const tx = txlog.append({ clientName, sequence: s, topic, data: doc, command });   // duplicate → drop
//   const res = sow.publish({ topic, data: doc, sowKey: k, expiration: e, bookmark, delta });
//   for (const sub of subsByTopic.forTopic(topic)) decideUpdate(sub.filter, res.previous?.doc, res.doc) ...
//   for (const q of queues) if (q.offer({ topic, doc: res.doc, bookmark })) deliveries.push(...q.dispatch());
// Errors: every thrown EngineError carries `reason` (AMPS reason string) → failure ack.

export { EngineError, EngineReasons, isEngineError, type EngineReason } from './errors.js';
export { type Clock, systemClock, ManualClock, formatAmpsTimestamp } from './clock.js';
export { Doc, type MessageType, type PathStep, parsePath, readPath, parseTagValue, parseXmlTree } from './message.js';
export { type CompiledFilter, compileFilter, compileOptionalFilter } from './filter/index.js';
export { type TopicMatcher, compileTopic, isRegexTopic, asTopicMatcher, TopicIndex } from './topic.js';
export {
  SowStore,
  type SowTopicConfig,
  type SowRecord,
  type SowPublishInput,
  type SowPublishResult,
  type SowQueryOptions,
  type SowQueryResult,
  type SowDeleteResult,
  type OrderBy,
  compileOrderBy,
  sliceBatches,
  parseSowKeys,
  sowKeyHash,
} from './sow.js';
export { mergeDelta, computeDelta, jsonEqual, type DeltaOutput } from './delta.js';
export { decideUpdate, decideRemoval, type UpdateDecision, type OofReason } from './oof.js';
export {
  TransactionLog,
  type TransactionLogOptions,
  type TxEntry,
  type AppendInput,
  type AppendResult,
  type ReplayOptions,
  type ReplayPlan,
  type LoggedCommand,
  type LiveDecision,
  crc32,
} from './txlog.js';
export {
  Queue,
  type QueueConfig,
  type QueueSemantics,
  type QueueMessage,
  type QueueDelivery,
  type QueueRemoval,
  type QueueRemovalReason,
  type QueueAckOptions,
  type QueueAckResult,
} from './queue.js';
export { Conflator, parseInterval, parseOptions, parseFieldList, type ParsedOption } from './conflation.js';
export { sowAsOf, asOfIndex } from './historical.js';
