// A message received from AMPS: the decoded header (typed getters from the generated MessageFields) and the body.
//
// Messages are never reused: every delivery, to a handler or a MessageStream, is its own object, so keeping one
// after the handler returns is safe. The body is a view into the bytes read from the socket (no copy); keeping a
// message therefore keeps that read buffer alive until the message is dropped.

import type { Header } from '../../generated/header-fields.js';
import { MessageFields } from '../../generated/message-fields.js';

const utf8 = new TextDecoder('utf-8');
const EMPTY = new Uint8Array(0);

/** Queue acknowledgement options: `cancel` returns the message to the queue, `expire` removes it at once. */
export type AckOption = 'cancel' | 'expire' | (string & {});

/** What a message needs from the client that delivered it (queue acks, bookmark discards). Internal. */
export interface MessageOwner {
  ackMessage(message: Message, options?: string): void;
  discardMessage(message: Message): void;
}

export class Message extends MessageFields {
  readonly header: Header;
  /** The body bytes: a view into the received buffer (not a copy). Empty when the message has no body. */
  readonly body: Uint8Array;
  private decoded: string | undefined;
  /** @internal client that delivered the message */
  owner: MessageOwner | undefined;
  /** @internal set once `ack()` queued an acknowledgement (or auto-ack did) */
  acked = false;

  constructor(header: Header, body: Uint8Array = EMPTY, owner?: MessageOwner) {
    super();
    this.header = header;
    this.body = body;
    this.owner = owner;
  }

  /** The body as text (UTF-8), decoded on first use and cached. */
  get data(): string {
    let d = this.decoded;
    if (d === undefined) d = this.decoded = this.body.length === 0 ? '' : utf8.decode(this.body);
    return d;
  }

  /** The body parsed as JSON. Throws SyntaxError when the body is not JSON. */
  json<T = unknown>(): T {
    return JSON.parse(this.data) as T;
  }

  /** The command kind, with the server's abbreviation `p` reported as `publish`. */
  get commandKind(): string | undefined {
    const c = this.header.command as string | undefined;
    return c === 'p' ? 'publish' : c;
  }

  /** True for a message delivered from a queue (it carries a lease period): such messages need `ack()`. */
  get isQueueMessage(): boolean {
    return this.header.leasePeriod !== undefined;
  }

  /**
   * Acknowledges a queue message (a `sow_delete` with its bookmark). Plain acks are batched by the client
   * (`setAckBatchSize`, `setAckTimeout`, capped by the backlog the server granted); `cancel` and `expire` are
   * sent at once. Has no effect on messages that did not come from a queue, and on a second call.
   */
  ack(options?: AckOption): void {
    if (this.acked || this.owner === undefined || this.header.leasePeriod === undefined) return;
    this.acked = true;
    this.owner.ackMessage(this, options);
  }

  /**
   * Tells the bookmark store this message is fully processed, so a resumed bookmark subscription starts after
   * it. Has no effect without a bookmark store or for messages without a bookmark.
   */
  discard(): void {
    if (this.owner === undefined || this.header.bookmark === undefined) return;
    this.owner.discardMessage(this);
  }

  /** Decoded header fields plus the body text, for logs and debugging. */
  toJSON(): Record<string, unknown> {
    const out: Record<string, unknown> = {};
    const h = this.header as Record<string, unknown>;
    for (const k in h) {
      const v = h[k];
      if (v !== undefined) out[k] = typeof v === 'bigint' ? v.toString() : v;
    }
    out.data = this.data;
    return out;
  }

  override toString(): string {
    return JSON.stringify(this.toJSON());
  }
}
