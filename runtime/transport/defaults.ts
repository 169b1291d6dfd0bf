/** Default connect timeout: long enough for a slow TLS handshake, short enough to fail over in HA. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;
