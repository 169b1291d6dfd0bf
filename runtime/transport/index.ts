// Public entry of the transport layer.
export {
  createTransport,
  DEFAULT_CONNECT_TIMEOUT_MS,
  type InboundMessage,
  type RawFilter,
  type TlsOptions,
  type Transport,
  type TransportOptions,
  type WebSocketConstructor,
  type WebSocketLike,
} from './transport.js';
export {
  parseUri,
  redactUri,
  URI_SCHEMES,
  type BindAddress,
  type ParsedUri,
  type UriOptionValue,
  type UriScheme,
} from './uri.js';
export { TcpTransport } from './tcp.js';
export { TlsTransport } from './tls.js';
export { UnixTransport } from './unix.js';
export { WebSocketTransport, closeCodeReason } from './ws.js';
export { StreamTransport, DEFAULT_LINGER_SECONDS } from './stream.js';
