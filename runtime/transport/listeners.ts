// The event side every transport shares: message and close listeners, the raw-bytes filter, and what happens
// when any of them throws (it must never break the connection's state).

import type { InboundMessage } from '../wire/message.js';
import { reportListenerError } from './defaults.js';
import type { RawFilter } from './transport.js';

export class TransportListeners {
  private readonly messageListeners = new Set<(m: InboundMessage) => void>();
  private readonly closeListeners = new Set<(err?: Error) => void>();
  private rawFilter: RawFilter | undefined;

  constructor(private readonly onListenerError: ((err: unknown) => void) | undefined) {}

  onMessage(cb: (m: InboundMessage) => void): () => void {
    this.messageListeners.add(cb);
    return () => this.messageListeners.delete(cb);
  }

  onClose(cb: (err?: Error) => void): () => void {
    this.closeListeners.add(cb);
    return () => this.closeListeners.delete(cb);
  }

  setRawFilter(fn: RawFilter | undefined): void {
    this.rawFilter = fn;
  }

  get hasRawFilter(): boolean {
    return this.rawFilter !== undefined;
  }

  raw(bytes: Uint8Array | string, outgoing: boolean): void {
    try {
      this.rawFilter?.(bytes, outgoing);
    } catch (err) {
      this.reportError(err);
    }
  }

  message(m: InboundMessage): void {
    for (const cb of this.messageListeners) {
      try {
        cb(m);
      } catch (err) {
        this.reportError(err);
      }
    }
  }

  closed(err: Error | undefined): void {
    for (const cb of this.closeListeners) {
      try {
        cb(err);
      } catch (e) {
        this.reportError(e);
      }
    }
  }

  reportError(err: unknown): void {
    reportListenerError(this.onListenerError, err);
  }
}
