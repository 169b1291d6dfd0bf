// In-memory bookmark store: the per-subscription state machine (see bookmark-store.ts for the semantics) used
// as is, and as the core of the logged and recovery-point stores.

import { EPOCH, NOW, parseBookmark, splitBookmarkList, type BookmarkId } from '../wire/bookmark.js';
import { LOG_DUPLICATE, LOG_UNTRACKED, type BookmarkStore } from './bookmark-store.js';

interface Entry {
  readonly seqNo: number;
  readonly bookmark: string;
  readonly publisher: string;
  readonly sequence: bigint;
  discarded: boolean;
  /** Read back from a log file and not redelivered yet: a replayed copy is not a duplicate. */
  recovered: boolean;
}

interface Publisher {
  highestSeen: bigint;
  /** Last contiguous discarded sequence of this publisher. */
  point: bigint | undefined;
  /** Logged entries not yet folded into `point`, in sequence (= arrival) order. */
  queue: Entry[];
  head: number;
  bySeq: Map<bigint, Entry>;
}

interface Point {
  readonly bookmark: string;
  readonly publisher: string;
  readonly sequence: bigint;
}

/** Serializable state of one subscription (written by LoggedBookmarkStore.prune). */
export interface SubscriptionSnapshot {
  readonly nextSeqNo: number;
  readonly anchor?: string;
  readonly seed?: string[];
  readonly lastPersisted?: string;
  /** [publisher, point or null, highest seen] */
  readonly publishers: Array<[string, string | null, string]>;
  /** Entries still tracked, in arrival order: [seqNo, bookmark, discarded]. */
  readonly entries: Array<[number, string, boolean]>;
}

export interface LogOutcome {
  readonly seqNo: number;
  /** A new entry was created (false for duplicates, untracked bookmarks and redelivered recovered entries). */
  readonly created: boolean;
}

function toPoint(bookmark: string): Point | undefined {
  if (bookmark === EPOCH || bookmark === NOW) return undefined;
  const id = parseBookmark(bookmark);
  return id ? { bookmark, publisher: id.publisher, sequence: id.sequence } : undefined;
}

/** One subscription's dedupe/discard state. */
export class SubscriptionState {
  private nextSeqNo = 1;
  private global: Entry[] = [];
  private gHead = 0;
  private bySeqNo = new Map<number, Entry>();
  private publishers = new Map<string, Publisher>();
  private anchor: Point | undefined;
  private seed: string[] | undefined;
  private lastPersisted: Point | undefined;

  log(bookmark: string, forcedSeqNo?: number): LogOutcome {
    const id = bookmark === EPOCH || bookmark === NOW ? undefined : parseBookmark(bookmark);
    if (!id) return { seqNo: LOG_UNTRACKED, created: false };
    const pub = this.publisher(id.publisher);
    const existing = pub.bySeq.get(id.sequence);
    if (existing) {
      if (existing.recovered && !existing.discarded) {
        existing.recovered = false;
        return { seqNo: existing.seqNo, created: false };
      }
      return { seqNo: LOG_DUPLICATE, created: false };
    }
    if (id.sequence <= pub.highestSeen) return { seqNo: LOG_DUPLICATE, created: false };
    return { seqNo: this.insert(bookmark, id, false, forcedSeqNo).seqNo, created: true };
  }

  isDuplicate(bookmark: string): boolean {
    const id = bookmark === EPOCH || bookmark === NOW ? undefined : parseBookmark(bookmark);
    if (!id) return false;
    const pub = this.publishers.get(id.publisher);
    if (!pub) return false;
    const e = pub.bySeq.get(id.sequence);
    if (e) return !(e.recovered && !e.discarded);
    return id.sequence <= pub.highestSeen;
  }

  isDiscarded(bookmark: string): boolean {
    if (bookmark === EPOCH || bookmark === NOW) return true;
    const id = parseBookmark(bookmark);
    if (!id) return false;
    const pub = this.publishers.get(id.publisher);
    if (!pub) return false;
    const e = pub.bySeq.get(id.sequence);
    if (e) return e.discarded;
    return pub.point !== undefined && id.sequence <= pub.point;
  }

  /** Returns the discarded entry's bookmark, or undefined when nothing changed. */
  discard(bookmark: string): string | undefined {
    const id = parseBookmark(bookmark);
    if (!id) return undefined;
    const e = this.publishers.get(id.publisher)?.bySeq.get(id.sequence);
    return e ? this.discardEntry(e) : undefined;
  }

  discardBySeqNo(seqNo: number): string | undefined {
    const e = this.bySeqNo.get(seqNo);
    return e ? this.discardEntry(e) : undefined;
  }

  /** Returns true when the recorded persisted point changed. */
  persisted(bookmark: string): boolean {
    const p = toPoint(bookmark);
    if (!p) return false;
    const cur = this.lastPersisted;
    if (cur && cur.publisher === p.publisher && p.sequence <= cur.sequence) return false;
    this.lastPersisted = p;
    return true;
  }

  /** The crash-safe recovery point (every undiscarded message is replayed); undefined when nothing is known. */
  mostRecent(): string | undefined {
    const inFlightPoints: Point[] = [];
    let inFlight = false;
    let needsAnchor = false;
    for (const [name, pub] of this.publishers) {
      if (pub.head >= pub.queue.length) continue;
      inFlight = true;
      if (pub.point === undefined) needsAnchor = true;
      else inFlightPoints.push({ bookmark: `${name}|${pub.point}|`, publisher: name, sequence: pub.point });
    }
    return this.combine(this.anchor, inFlight, needsAnchor, inFlightPoints);
  }

  /**
   * The point to resubscribe from within this process after a disconnect: messages delivered in this process
   * and not yet discarded are still held by the application, so only messages recovered from a file and not
   * redelivered yet (plus everything undelivered) need replaying. Undefined when nothing is known.
   */
  resumePoint(): string | undefined {
    const pending = (e: Entry) => !e.discarded && e.recovered;
    let anchor: Point | undefined = this.anchor;
    for (let i = this.gHead; i < this.global.length && !pending(this.global[i]!); i++) anchor = this.global[i]!;
    const inFlightPoints: Point[] = [];
    let inFlight = false;
    let needsAnchor = false;
    for (const [name, pub] of this.publishers) {
      let point = pub.point;
      let j = pub.head;
      for (; j < pub.queue.length && !pending(pub.queue[j]!); j++) point = pub.queue[j]!.sequence;
      if (j >= pub.queue.length) continue;
      inFlight = true;
      if (point === undefined) needsAnchor = true;
      else inFlightPoints.push({ bookmark: `${name}|${point}|`, publisher: name, sequence: point });
    }
    return this.combine(anchor, inFlight, needsAnchor, inFlightPoints);
  }

  private combine(anchor: Point | undefined, inFlight: boolean, needsAnchor: boolean, inFlightPoints: Point[]): string | undefined {
    if (!inFlight) {
      if (this.lastPersisted) return this.lastPersisted.bookmark;
      if (anchor) return anchor.bookmark;
      if (this.seed) return this.seed.join(',');
      return undefined;
    }
    const items = new Map<string, Point>();
    const add = (p: Point) => {
      const cur = items.get(p.publisher);
      if (!cur || p.sequence < cur.sequence) items.set(p.publisher, p);
    };
    const extra: string[] = [];
    if (anchor) add(anchor);
    else if (this.seed) {
      for (const b of this.seed) {
        const p = toPoint(b);
        if (p) add(p);
        else extra.push(b);
      }
    } else if (needsAnchor) return EPOCH; // nothing known before an undiscarded message: only EPOCH is safe
    for (const p of inFlightPoints) add(p);
    if (this.lastPersisted) add(this.lastPersisted);
    return [...[...items.values()].map((p) => p.bookmark), ...extra].join(',');
  }

  oldestSeqNo(): number {
    return this.gHead < this.global.length ? this.global[this.gHead]!.seqNo : 0;
  }

  /** Starts from a recovery point (a comma list) stored elsewhere: dedupe and resume both honour it. */
  seedFrom(recoveryPoint: string): void {
    const list = splitBookmarkList(recoveryPoint).filter((b) => b !== EPOCH);
    if (list.length === 0) return;
    for (const b of list) {
      const id = parseBookmark(b);
      if (!id) continue;
      const pub = this.publisher(id.publisher);
      if (pub.point === undefined || id.sequence > pub.point) pub.point = id.sequence;
      if (id.sequence > pub.highestSeen) pub.highestSeen = id.sequence;
    }
    this.seed = list;
    this.anchor = undefined;
  }

  /** Marks every undiscarded entry as recovered (after replaying a log file). */
  markRecovered(): void {
    for (let i = this.gHead; i < this.global.length; i++) {
      const e = this.global[i]!;
      if (!e.discarded) e.recovered = true;
    }
  }

  get isEmpty(): boolean {
    return this.publishers.size === 0 && !this.anchor && !this.seed && !this.lastPersisted;
  }

  snapshot(): SubscriptionSnapshot {
    const publishers: Array<[string, string | null, string]> = [];
    for (const [name, p] of this.publishers) {
      publishers.push([name, p.point === undefined ? null : p.point.toString(), p.highestSeen.toString()]);
    }
    const entries: Array<[number, string, boolean]> = [];
    for (let i = this.gHead; i < this.global.length; i++) {
      const e = this.global[i]!;
      entries.push([e.seqNo, e.bookmark, e.discarded]);
    }
    return {
      nextSeqNo: this.nextSeqNo,
      ...(this.anchor ? { anchor: this.anchor.bookmark } : {}),
      ...(this.seed ? { seed: [...this.seed] } : {}),
      ...(this.lastPersisted ? { lastPersisted: this.lastPersisted.bookmark } : {}),
      publishers,
      entries,
    };
  }

  static fromSnapshot(s: SubscriptionSnapshot): SubscriptionState {
    const st = new SubscriptionState();
    st.nextSeqNo = s.nextSeqNo;
    st.anchor = s.anchor === undefined ? undefined : toPoint(s.anchor);
    st.seed = s.seed ? [...s.seed] : undefined;
    st.lastPersisted = s.lastPersisted === undefined ? undefined : toPoint(s.lastPersisted);
    for (const [name, point, highest] of s.publishers) {
      const p = st.publisher(name);
      p.point = point === null ? undefined : BigInt(point);
      p.highestSeen = BigInt(highest);
    }
    for (const [seqNo, bookmark, discarded] of s.entries) {
      const id = parseBookmark(bookmark);
      if (id) st.insert(bookmark, id, discarded, seqNo);
    }
    // A discarded entry may already be folded into its publisher's point while still held in arrival order
    // behind an undiscarded one: fold it again.
    for (const pub of st.publishers.values()) st.foldPublisher(pub);
    return st;
  }

  private publisher(name: string): Publisher {
    let p = this.publishers.get(name);
    if (!p) {
      p = { highestSeen: -1n, point: undefined, queue: [], head: 0, bySeq: new Map() };
      this.publishers.set(name, p);
    }
    return p;
  }

  private insert(bookmark: string, id: BookmarkId, discarded: boolean, forcedSeqNo: number | undefined): Entry {
    const pub = this.publisher(id.publisher);
    const seqNo = forcedSeqNo ?? this.nextSeqNo;
    if (seqNo >= this.nextSeqNo) this.nextSeqNo = seqNo + 1;
    const e: Entry = { seqNo, bookmark, publisher: id.publisher, sequence: id.sequence, discarded, recovered: false };
    this.global.push(e);
    this.bySeqNo.set(seqNo, e);
    pub.queue.push(e);
    pub.bySeq.set(id.sequence, e);
    if (id.sequence > pub.highestSeen) pub.highestSeen = id.sequence;
    return e;
  }

  private foldPublisher(pub: Publisher): void {
    while (pub.head < pub.queue.length && pub.queue[pub.head]!.discarded) {
      const f = pub.queue[pub.head++]!;
      if (pub.point === undefined || f.sequence > pub.point) pub.point = f.sequence;
      pub.bySeq.delete(f.sequence);
    }
    if (pub.head === pub.queue.length) {
      pub.queue = [];
      pub.head = 0;
    } else if (pub.head > 1024 && pub.head * 2 > pub.queue.length) {
      pub.queue = pub.queue.slice(pub.head);
      pub.head = 0;
    }
  }

  private discardEntry(e: Entry): string | undefined {
    if (e.discarded) return undefined;
    e.discarded = true;
    e.recovered = false;
    this.foldPublisher(this.publishers.get(e.publisher)!);
    while (this.gHead < this.global.length && this.global[this.gHead]!.discarded) {
      const f = this.global[this.gHead++]!;
      this.anchor = f;
      this.seed = undefined;
      this.bySeqNo.delete(f.seqNo);
    }
    if (this.gHead === this.global.length) {
      this.global = [];
      this.gHead = 0;
    } else if (this.gHead > 1024 && this.gHead * 2 > this.global.length) {
      this.global = this.global.slice(this.gHead);
      this.gHead = 0;
    }
    return e.bookmark;
  }
}

/**
 * Bookmark store in process memory: dedupe and resume across reconnects and failover, nothing across a restart.
 */
export class MemoryBookmarkStore implements BookmarkStore {
  protected subs = new Map<string, SubscriptionState>();
  protected closed = false;

  log(subId: string, bookmark: string): number {
    return this.logOutcome(subId, bookmark).seqNo;
  }

  isDuplicate(subId: string, bookmark: string): boolean {
    return this.subs.get(subId)?.isDuplicate(bookmark) ?? false;
  }

  isDiscarded(subId: string, bookmark: string): boolean {
    const s = this.subs.get(subId);
    if (s) return s.isDiscarded(bookmark);
    return bookmark === EPOCH || bookmark === NOW;
  }

  discard(subId: string, bookmark: string): boolean {
    return this.afterDiscard(subId, this.subs.get(subId)?.discard(bookmark));
  }

  discardBySeqNo(subId: string, seqNo: number): boolean {
    return this.afterDiscard(subId, this.subs.get(subId)?.discardBySeqNo(seqNo));
  }

  getMostRecent(subId: string): string {
    return this.subs.get(subId)?.mostRecent() ?? EPOCH;
  }

  getResumePoint(subId: string): string | undefined {
    return this.subs.get(subId)?.resumePoint();
  }

  persisted(subId: string, bookmark: string): void {
    if (toPoint(bookmark) === undefined) return;
    if (this.state(subId).persisted(bookmark)) this.onPersisted(subId, bookmark);
  }

  oldestBookmarkSeq(subId: string): number {
    return this.subs.get(subId)?.oldestSeqNo() ?? 0;
  }

  purge(subId?: string): void {
    if (subId === undefined) this.subs.clear();
    else this.subs.delete(subId);
  }

  prune(): void {}

  async close(): Promise<void> {
    this.closed = true;
  }

  /** Subscription ids the store has state for. */
  subscriptionIds(): string[] {
    return [...this.subs.keys()];
  }

  protected logOutcome(subId: string, bookmark: string, forcedSeqNo?: number): LogOutcome {
    if (toPoint(bookmark) === undefined) return { seqNo: LOG_UNTRACKED, created: false };
    return this.state(subId).log(bookmark, forcedSeqNo);
  }

  protected state(subId: string): SubscriptionState {
    let s = this.subs.get(subId);
    if (!s) {
      s = new SubscriptionState();
      this.subs.set(subId, s);
    }
    return s;
  }

  /** Hook: a discard changed the subscription's state (`bookmark` = the discarded message). */
  protected onDiscard(_subId: string, _bookmark: string): void {}
  /** Hook: the persisted point changed. */
  protected onPersisted(_subId: string, _bookmark: string): void {}

  private afterDiscard(subId: string, bookmark: string | undefined): boolean {
    if (bookmark === undefined) return false;
    this.onDiscard(subId, bookmark);
    return true;
  }
}
