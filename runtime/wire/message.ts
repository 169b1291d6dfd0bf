import type { Header } from '../../generated/header-fields.js';

/**
 * One logical AMPS message as it arrived: the decoded header and the body bytes (a view into the received
 * buffer, not a copy). A TCP `sow` batch or a WebSocket sow sequence arrives as one of these per record.
 */
export interface InboundMessage {
  readonly header: Header;
  readonly body: Uint8Array;
}
