// Public API of the mock server engine: pure logic, no sockets. The server layer (mock-server/server/) calls these.
// Behaviour choices and INFERRED/UNCERTAIN points: NOTES.md.
//
// Typical publish path (server):
//   if (txlog.isDuplicate(clientName, s)) → drop (ack `duplicate` / logon `s` = txlog.lastSequence(clientName))
//   const doc = new Doc(body, 'json');                     // parsed at most once, shared by everything below
//   const res = sow.publish({ topic, data: doc, sowKey: k, expiration: e, delta });   // res.doc = stored (merged)
//   const tx = txlog.append({ clientName, sequence: s, topic, data: res.doc, command }); // tx.entry.bookmark
//   for (const sub of subsByTopic.forTopic(topic))          // TopicIndex: one map lookup
//     decideUpdate(sub.filter, res.kind === 'updated' ? res.previous.doc : undefined, res.doc)  // deliver/oof/none
//   for (const q of queues) if (q.offer({ topic, doc: res.doc, bookmark })) send(q.dispatch());
// Timers: sow.nextExpiry()/sow.expire() → OOF expired; queue.nextLeaseExpiry()/tick()/dispatch().
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
