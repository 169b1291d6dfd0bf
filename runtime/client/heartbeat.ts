// Heartbeat monitor: one per Client. Sends `heartbeat start,N` after logon, answers server beats (rate-limited so
// a peer that echoes cannot start a ping-pong), and closes the connection with DisconnectedException
// (`heartbeat absence`) when nothing at all arrives for the idle timeout. The client counts every inbound message
// in `received`; the monitor only reads that counter from its timer, so the read path pays one increment.

import type { Header } from '../../generated/header-fields.js';
import { DisconnectedException } from '../../generated/errors.js';
import type { Transport } from '../transport/transport.js';

/** What the monitor needs from the client. */
export interface HeartbeatHost {
  /** The open connection, undefined when there is none. */
  currentTransport(): Transport | undefined;
  /** Fails the client state for `t` (the normal connection-lost path) with `error`; the monitor then closes `t`. */
  connectionFailed(t: Transport, error: DisconnectedException): void;
}

export class HeartbeatMonitor {
  /** Seconds between beats; 0 = heartbeats off. */
  interval = 0;
  /** Seconds of silence before the connection is closed (0 when off). */
  timeout = 0;
  /** Inbound messages seen by the client (any message counts as activity). */
  received = 0;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private seenCount = 0;
  private lastActivity = 0;
  private lastBeatSent = 0;

  constructor(private readonly host: HeartbeatHost) {}

  /** Sets interval and timeout (default 2 × interval); a non-positive interval turns heartbeats off. */
  configure(intervalSeconds: number, timeoutSeconds: number | undefined): void {
    this.interval = intervalSeconds > 0 ? intervalSeconds : 0;
    this.timeout = this.interval > 0 ? (timeoutSeconds !== undefined && timeoutSeconds > 0 ? timeoutSeconds : 2 * this.interval) : 0;
  }

  /** Sends `start` and arms the idle timer when configured and connected; true when a `start` was sent. */
  start(): boolean {
    const t = this.host.currentTransport();
    if (this.interval <= 0 || t === undefined) return false;
    t.send({ command: 'heartbeat', options: `start,${this.interval}` } as Header);
    this.seenCount = this.received;
    this.lastActivity = Date.now();
    this.arm();
    return true;
  }

  /** A server `heartbeat` arrived: answer it. */
  onServerBeat(): void {
    const t = this.host.currentTransport();
    if (t === undefined) return;
    // Answer every server beat (what the Python client does), but never more than a few per interval: a peer that
    // echoed our beats must not start a ping-pong storm.
    const now = Date.now();
    const minGap = this.interval > 0 ? this.interval * 250 : 250;
    if (now - this.lastBeatSent < minGap) return;
    this.lastBeatSent = now;
    try {
      t.send({ command: 'heartbeat', options: 'beat' } as Header);
    } catch {
      // closing
    }
  }

  /** Stops the idle timer. */
  stop(): void {
    if (this.timer !== undefined) {
      clearTimeout(this.timer);
      this.timer = undefined;
    }
  }

  private arm(): void {
    this.stop();
    const timeoutMs = this.timeout * 1000;
    const step = Math.max(10, Math.floor(Math.min(this.interval * 1000, timeoutMs) / 4));
    const tick = () => {
      this.timer = undefined;
      const t = this.host.currentTransport();
      if (t === undefined) return;
      const now = Date.now();
      if (this.received !== this.seenCount) {
        this.seenCount = this.received;
        this.lastActivity = now;
      } else if (now - this.lastActivity >= timeoutMs) {
        this.closeForAbsence(t, now - this.lastActivity);
        return;
      }
      this.timer = setTimeout(tick, step);
      (this.timer as { unref?: () => void }).unref?.();
    };
    this.timer = setTimeout(tick, step);
    (this.timer as { unref?: () => void }).unref?.();
  }

  private closeForAbsence(t: Transport, silentMs: number): void {
    const error = new DisconnectedException(`heartbeat absence: nothing received for ${silentMs} ms`);
    // Fail the client state first (with the heartbeat error), then close the socket.
    this.host.connectionFailed(t, error);
    void Promise.resolve(t.close()).catch(() => undefined);
  }
}
