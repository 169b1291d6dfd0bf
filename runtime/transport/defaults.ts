/** Default connect timeout: long enough for a slow TLS handshake, short enough to fail over in HA. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 10_000;

/**
 * Loads a Node-only module (node:net, node:tls, node:dns, ws) at run time. The specifier is not a literal so
 * browser bundlers leave it alone: a browser bundle of the transport layer never needs these modules (only the
 * WebSocket transport runs there, on the global WebSocket).
 */
export function loadNodeModule<T>(specifier: string): Promise<T> {
  return import(/* @vite-ignore */ /* webpackIgnore: true */ specifier) as Promise<T>;
}

/**
 * A listener's exception must not break a transport's state: hand it to `onListenerError`, else rethrow it
 * asynchronously (as an event listener's exception is reported).
 */
export function reportListenerError(onListenerError: ((err: unknown) => void) | undefined, err: unknown): void {
  if (onListenerError !== undefined) {
    try {
      onListenerError(err);
      return;
    } catch {
      // report the original below
    }
  }
  queueMicrotask(() => {
    throw err;
  });
}
