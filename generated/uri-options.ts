// generated from spec/uri-options.yaml; do not edit. Run 'npm run generate'.

/**
 * A connection URI query option.
 * - `bind` (socket): Local address to bind the outgoing socket to: `ip` or `ip:port`, IPv6 in brackets.
 * - `tcp_rcvbuf` (socket): Socket receive buffer size (system default when absent).
 * - `tcp_sndbuf` (socket): Socket send buffer size (system default when absent).
 * - `tcp_nodelay` (socket): Enables or disables TCP_NODELAY (disabled by default).
 * - `tcp_linger` (socket): SO_LINGER in seconds (enabled with 10 seconds by default).
 * - `tcp_keepalive` (socket): Enables or disables SO_KEEPALIVE (enabled by default).
 * - `ip_protocol_prefer` (socket): IP protocol preferred when resolving the host name; the other protocol is tried when no address of the preferred one exists. No effect when the host is a literal address.
 * - `path` (socket): Filesystem path of the Unix domain socket (required); host and port of the URI are ignored.
 * - `pretty` (logon): Forwarded as the `pretty` logon option (formatted representations of binary messages).
 * - `compression` (unsupported): Compress the whole byte stream with raw deflate (declared by the official clients; not supported by this client).
 * - `http_preflight` (unsupported): Send an HTTP upgrade request before AMPS traffic, e.g. through a proxy (not supported by this client).
 */
export type UriOptionName = 'bind' | 'tcp_rcvbuf' | 'tcp_sndbuf' | 'tcp_nodelay' | 'tcp_linger' | 'tcp_keepalive' | 'ip_protocol_prefer' | 'path' | 'pretty' | 'compression' | 'http_preflight';

/** A URI scheme. */
export type UriScheme = 'tcp' | 'tcps' | 'unix' | 'ws' | 'wss';

/**
 * How an option is applied: to the socket, forwarded as a logon option, or declared but
 * unsupported by this client.
 */
export type UriOptionKind = 'socket' | 'logon' | 'unsupported';

/** One URI option. */
export interface UriOptionSpec {
  readonly name: UriOptionName;
  readonly type: 'bool' | 'int' | 'string' | 'enum';
  /** Allowed values of an enum option. */
  readonly values?: readonly string[];
  readonly kind: UriOptionKind;
  readonly schemes: readonly UriScheme[];
  /** Default behaviour, as text, when documented. */
  readonly default?: string;
  readonly description: string;
}

/** Every transport and logon URI option, keyed by name. */
export const URI_OPTION_BY_NAME: Readonly<Record<UriOptionName, UriOptionSpec>> = Object.freeze({
  bind: {
    name: 'bind',
    type: 'string',

    kind: 'socket',
    schemes: ['tcp', 'tcps'],

    description: 'Local address to bind the outgoing socket to: `ip` or `ip:port`, IPv6 in brackets.',
  },
  tcp_rcvbuf: {
    name: 'tcp_rcvbuf',
    type: 'int',

    kind: 'socket',
    schemes: ['tcp', 'tcps'],

    description: 'Socket receive buffer size (system default when absent).',
  },
  tcp_sndbuf: {
    name: 'tcp_sndbuf',
    type: 'int',

    kind: 'socket',
    schemes: ['tcp', 'tcps'],

    description: 'Socket send buffer size (system default when absent).',
  },
  tcp_nodelay: {
    name: 'tcp_nodelay',
    type: 'bool',

    kind: 'socket',
    schemes: ['tcp', 'tcps'],
    default: 'false',
    description: 'Enables or disables TCP_NODELAY (disabled by default).',
  },
  tcp_linger: {
    name: 'tcp_linger',
    type: 'int',

    kind: 'socket',
    schemes: ['tcp', 'tcps'],
    default: '10',
    description: 'SO_LINGER in seconds (enabled with 10 seconds by default).',
  },
  tcp_keepalive: {
    name: 'tcp_keepalive',
    type: 'bool',

    kind: 'socket',
    schemes: ['tcp', 'tcps'],
    default: 'true',
    description: 'Enables or disables SO_KEEPALIVE (enabled by default).',
  },
  ip_protocol_prefer: {
    name: 'ip_protocol_prefer',
    type: 'enum',
    values: ['ipv4', 'ipv6'],
    kind: 'socket',
    schemes: ['tcp', 'tcps'],
    default: 'ipv4',
    description: 'IP protocol preferred when resolving the host name; the other protocol is tried when no address of the preferred one exists. No effect when the host is a literal address.',
  },
  path: {
    name: 'path',
    type: 'string',

    kind: 'socket',
    schemes: ['unix'],

    description: 'Filesystem path of the Unix domain socket (required); host and port of the URI are ignored.',
  },
  pretty: {
    name: 'pretty',
    type: 'bool',

    kind: 'logon',
    schemes: ['tcp', 'tcps', 'unix', 'ws', 'wss'],

    description: 'Forwarded as the `pretty` logon option (formatted representations of binary messages).',
  },
  compression: {
    name: 'compression',
    type: 'enum',
    values: ['zlib'],
    kind: 'unsupported',
    schemes: ['tcp', 'tcps', 'unix'],

    description: 'Compress the whole byte stream with raw deflate (declared by the official clients; not supported by this client).',
  },
  http_preflight: {
    name: 'http_preflight',
    type: 'bool',

    kind: 'unsupported',
    schemes: ['tcp', 'tcps'],

    description: 'Send an HTTP upgrade request before AMPS traffic, e.g. through a proxy (not supported by this client).',
  },
});

/** Every transport and logon URI option, in spec order. */
export const URI_OPTIONS: readonly UriOptionSpec[] = Object.freeze(Object.values(URI_OPTION_BY_NAME));

/** Is `name` a known URI option? */
export function isUriOptionName(name: string): name is UriOptionName {
  return Object.prototype.hasOwnProperty.call(URI_OPTION_BY_NAME, name);
}
