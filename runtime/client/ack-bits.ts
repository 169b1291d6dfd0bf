// Ack types as bit masks (the C++ client's values), and the conversions between an `a` list and bits. Used by the
// client to build a command's `a` header and by the command router to track which acks a command still expects.

export const RECEIVED = 1;
export const PARSED = 2;
export const PROCESSED = 4;
export const PERSISTED = 8;
export const COMPLETED = 16;
export const STATS = 32;
/** Pseudo-ack: a query without completed/stats ends at group_end. */
export const GROUP_END = 64;

export const ACK_BITS: Record<string, number> = {
  received: RECEIVED,
  parsed: PARSED,
  processed: PROCESSED,
  persisted: PERSISTED,
  completed: COMPLETED,
  stats: STATS,
};
const ACK_ORDER: readonly [number, string][] = [
  [RECEIVED, 'received'],
  [PARSED, 'parsed'],
  [PROCESSED, 'processed'],
  [COMPLETED, 'completed'],
  [PERSISTED, 'persisted'],
  [STATS, 'stats'],
];

/** `processed,completed` → bits (unknown names ignored; undefined or empty → 0). */
export function ackBits(list: string | undefined): number {
  if (list === undefined || list === '') return 0;
  let bits = 0;
  for (const part of list.split(',')) bits |= ACK_BITS[part.trim()] ?? 0;
  return bits;
}

/** Bits → the `a` list (fixed order: received, parsed, processed, completed, persisted, stats). */
export function ackList(bits: number): string {
  let out = '';
  for (const [bit, name] of ACK_ORDER) if (bits & bit) out = out === '' ? name : `${out},${name}`;
  return out;
}
