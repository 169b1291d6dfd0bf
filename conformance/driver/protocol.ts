// Message shapes of the JSON-lines driver protocol (see PROTOCOL.md beside this file).

import type {
  AdapterErrorInfo,
  Capability,
  ConnectOptions,
  PublishOptions,
  ReceivedMessage,
  SowDeleteRequest,
  SowRequest,
  SubscribeRequest,
  Transport,
} from '../types.js';

export const DRIVER_PROTOCOL_VERSION = 1;

/** First line a driver writes. */
export interface HelloLine {
  type: 'hello';
  protocol: number;
  /** Short client name, used in report ids (`driver:<client>`). */
  client: string;
  description?: string;
  transport: Transport;
  capabilities: Capability[];
}

export type Request =
  | { id: number; op: 'create_session'; session: string }
  | { id: number; op: 'connect'; session: string; options: ConnectOptions }
  | { id: number; op: 'publish' | 'delta_publish'; session: string; topic: string; data: string; options?: PublishOptions }
  | { id: number; op: 'flush'; session: string }
  | { id: number; op: 'subscribe'; session: string; sub: string; request: SubscribeRequest }
  | { id: number; op: 'sow'; session: string; request: SowRequest }
  | { id: number; op: 'sow_delete'; session: string; request: SowDeleteRequest }
  | { id: number; op: 'ack'; session: string; sub: string; ref: number; options?: string }
  | { id: number; op: 'discard'; session: string; sub: string; ref: number }
  | { id: number; op: 'unsubscribe'; session: string; sub: string }
  | { id: number; op: 'disconnect'; session: string }
  | { id: number; op: 'shutdown' };

export type ResultLine =
  | { type: 'result'; id: number; ok: true; result?: unknown }
  | { type: 'result'; id: number; ok: false; error: AdapterErrorInfo };

export interface MessageLine {
  type: 'message';
  session: string;
  sub: string;
  /** Driver-assigned number naming this message in `ack` and `discard`. */
  ref: number;
  message: ReceivedMessage;
}

export interface DisconnectedLine {
  type: 'disconnected';
  session: string;
  error: AdapterErrorInfo;
}

export interface LogLine {
  type: 'log';
  text: string;
}

export type DriverLine = HelloLine | ResultLine | MessageLine | DisconnectedLine | LogLine;
