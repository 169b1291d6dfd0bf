// ServerChooser: the HAClient's smart enumerator over the AMPS instances it may connect to.
//
// The HAClient asks the chooser for a URI and an authenticator each time it needs a connection, and reports the
// outcome of every attempt. An empty URI means "no server is available: stop reconnecting"; the HAClient then
// calls getError() and puts that text in the exception it raises.

import type { Authenticator } from '../client/authenticator.js';

/** Per-URI authenticator (the client's Authenticator interface). */
export type HAAuthenticator = Authenticator;

/** What the HAClient tells a chooser about an attempt (the URI and, on failure, the error). */
export interface ConnectionInfo {
  readonly uri: string;
  /** 1-based number of attempts in the current reconnect episode. */
  readonly attempt: number;
}

export interface ServerChooser {
  /** The URI to connect to next; '' when no server is available (the HAClient gives up). */
  getCurrentURI(): string;
  /** Authenticator for the current URI; undefined = the client's default authenticator. */
  getCurrentAuthenticator(): HAAuthenticator | undefined;
  /** An attempt to connect or log on to the current URI failed. */
  reportFailure(error: Error, info: ConnectionInfo): void;
  /** Connect and logon to the current URI succeeded. */
  reportSuccess(info: ConnectionInfo): void;
  /** Description of why no server is available; included in the HAClient's exception. */
  getError(): string;
}

export interface DefaultServerChooserOptions {
  /**
   * Give up (getCurrentURI() returns '') after this many consecutive failures across all URIs, without a success
   * in between. Default: never give up (the delay strategy's maximum retry time then bounds reconnection).
   */
  readonly maxConsecutiveFailures?: number;
}

interface Entry {
  readonly uri: string;
  readonly authenticator: HAAuthenticator | undefined;
}

/**
 * Rotates through a list of URIs: stays on the current URI while it works, moves to the next one on each reported
 * failure, and wraps around. Each URI may carry its own authenticator.
 */
export class DefaultServerChooser implements ServerChooser {
  private readonly entries: Entry[] = [];
  private index = 0;
  private consecutiveFailures = 0;
  private lastError: { uri: string; message: string } | undefined;
  private readonly maxConsecutiveFailures: number;

  constructor(options: DefaultServerChooserOptions = {}) {
    const max = options.maxConsecutiveFailures ?? Infinity;
    if (!(max > 0)) throw new RangeError('maxConsecutiveFailures must be positive');
    this.maxConsecutiveFailures = max;
  }

  /** Adds a URI (with an optional authenticator for it); returns this for chaining. */
  add(uri: string, authenticator?: HAAuthenticator): this {
    if (!uri) throw new TypeError('DefaultServerChooser.add: empty URI');
    this.entries.push({ uri, authenticator });
    return this;
  }

  addAll(...items: Array<string | { uri: string; authenticator?: HAAuthenticator }>): this {
    for (const item of items) {
      if (typeof item === 'string') this.add(item);
      else this.add(item.uri, item.authenticator);
    }
    return this;
  }

  /** Removes every occurrence of a URI. */
  remove(uri: string): this {
    const current = this.entries[this.index]?.uri;
    for (let i = this.entries.length - 1; i >= 0; i--) if (this.entries[i]!.uri === uri) this.entries.splice(i, 1);
    const found = current === undefined ? -1 : this.entries.findIndex((e) => e.uri === current);
    this.index = found >= 0 ? found : this.entries.length > 0 ? this.index % this.entries.length : 0;
    return this;
  }

  get size(): number {
    return this.entries.length;
  }

  getCurrentURI(): string {
    if (this.entries.length === 0) return '';
    if (this.consecutiveFailures >= this.maxConsecutiveFailures) return '';
    return this.entries[this.index]!.uri;
  }

  getCurrentAuthenticator(): HAAuthenticator | undefined {
    return this.entries[this.index]?.authenticator;
  }

  reportFailure(error: Error, info: ConnectionInfo): void {
    this.lastError = { uri: info.uri, message: error?.message ?? String(error) };
    this.consecutiveFailures++;
    if (this.entries.length > 0) this.index = (this.index + 1) % this.entries.length;
  }

  reportSuccess(_info: ConnectionInfo): void {
    this.consecutiveFailures = 0;
    this.lastError = undefined;
  }

  getError(): string {
    if (this.entries.length === 0) return 'DefaultServerChooser: no URIs configured';
    const last = this.lastError ? `; last failure: ${redact(this.lastError.uri)}: ${this.lastError.message}` : '';
    if (this.consecutiveFailures >= this.maxConsecutiveFailures) {
      return `DefaultServerChooser: gave up after ${this.consecutiveFailures} consecutive failed attempts over ${this.entries.length} URI(s)${last}`;
    }
    return last ? `DefaultServerChooser${last}` : '';
  }
}

/** Hides a password in a URI before it goes into an error message. */
export function redact(uri: string): string {
  return uri.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@]*):[^@/]*@/i, '$1:***@');
}
