// tcp:// transport: `amps` framing over node:net.
//
// URI socket options and what Node (20+) can do with them:
//  - tcp_nodelay (default false, as the official clients): socket.setNoDelay.
//  - tcp_keepalive (default true, as the C client): socket.setKeepAlive.
//  - tcp_linger (default 10 s): Node exposes no SO_LINGER. Emulated at close(): 0 → resetAndDestroy() (RST,
//    like SO_LINGER 0); N > 0 → graceful end() and the socket is destroyed if the peer has not closed within
//    N seconds. The kernel's own linger setting stays the system default.
//  - tcp_sndbuf / tcp_rcvbuf: Node's net API cannot set SO_SNDBUF / SO_RCVBUF (dgram only). Accepted and
//    validated; tcp_sndbuf is applied as the socket's writable high-water mark (when write() starts reporting
//    backpressure), tcp_rcvbuf is advisory only. Both are listed in `advisoryOptions`.
//  - bind=ip[:port]: localAddress / localPort; the address family of the bind address is then forced.
//  - ip_protocol_prefer=ipv4|ipv6 (default ipv4): a lookup that orders resolved addresses preferred family
//    first; with autoSelectFamily the other family is still tried when the preferred one fails or is absent.
//    No effect on a literal IP host.

import type { LookupAddress } from 'node:dns';
import type { LookupFunction, NetConnectOpts, Socket } from 'node:net';
import { loadNodeModule } from './defaults.js';
import type { ParsedUri } from './uri.js';
import { isIPv4, isIPv6 } from './uri.js';
import { StreamTransport, type OpeningSocket } from './stream.js';
import type { TransportOptions } from './transport.js';

export class TcpTransport extends StreamTransport {
  /** Socket options that were accepted but cannot be applied exactly by Node (see the file comment). */
  readonly advisoryOptions: readonly string[];

  constructor(uri: ParsedUri, options: TransportOptions = {}) {
    super(uri, options);
    this.advisoryOptions = ['tcp_sndbuf', 'tcp_rcvbuf', 'tcp_linger'].filter((k) => k in uri.socketOptions);
  }

  protected describeTarget(): string {
    return `${this.uri.scheme}://${hostPort(this.uri.host, this.uri.port)}`;
  }

  protected async openSocket(): Promise<OpeningSocket> {
    const net = await loadNodeModule<typeof import('node:net')>('node:net');
    const socket = net.connect(await tcpConnectOptions(this.uri));
    applySocketOptions(socket, this.uri);
    return { socket, readyEvent: 'connect' };
  }
}

export function hostPort(host: string, port: number): string {
  return host.includes(':') ? `[${host}]:${port}` : `${host}:${port}`;
}

/** node:net connect options from the URI (shared with tcps). */
export async function tcpConnectOptions(uri: ParsedUri): Promise<NetConnectOpts & Record<string, unknown>> {
  const o = uri.socketOptions;
  const opts: NetConnectOpts & Record<string, unknown> = { host: uri.host, port: uri.port };
  if (uri.bind !== undefined) {
    opts.localAddress = uri.bind.address;
    if (uri.bind.port !== undefined && uri.bind.port !== 0) opts.localPort = uri.bind.port;
    // The destination must be of the bind address's family.
    opts.family = isIPv6(uri.bind.address) ? 6 : 4;
    opts.autoSelectFamily = false;
  }
  const literal = isIPv4(uri.host) || isIPv6(uri.host);
  if (!literal && uri.bind === undefined) {
    const prefer = o.ip_protocol_prefer === 'ipv6' ? 6 : 4;
    opts.lookup = await preferFamilyLookup(prefer);
    opts.autoSelectFamily = true;
  } else if (!literal) {
    const dns = await loadNodeModule<typeof import('node:dns')>('node:dns');
    opts.lookup = dns.lookup as LookupFunction;
  }
  if (typeof o.tcp_sndbuf === 'number' && o.tcp_sndbuf > 0) opts.writableHighWaterMark = o.tcp_sndbuf;
  return opts;
}

export function applySocketOptions(socket: Socket, uri: ParsedUri): void {
  const o = uri.socketOptions;
  socket.setNoDelay(o.tcp_nodelay === true);
  socket.setKeepAlive(o.tcp_keepalive !== false);
}

type LookupCallback = (err: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void;

/** A dns.lookup replacement that returns addresses of the preferred family first (order kept otherwise). */
export async function preferFamilyLookup(
  prefer: 4 | 6,
  baseLookup?: (hostname: string, options: { family: number; hints?: number; all: true }, cb: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void) => void,
): Promise<LookupFunction> {
  const resolve = baseLookup ?? ((await loadNodeModule<typeof import('node:dns')>('node:dns')).lookup as unknown as NonNullable<typeof baseLookup>);
  const rank = (family: number) => (family === prefer ? 0 : 1);
  const lookup = (hostname: string, options: { family?: number | string; hints?: number; all?: boolean } | undefined, callback: LookupCallback) => {
    const o = options ?? {};
    const family = o.family === 4 || o.family === 'IPv4' ? 4 : o.family === 6 || o.family === 'IPv6' ? 6 : 0;
    resolve(hostname, { family, hints: o.hints, all: true }, (err, addresses) => {
      if (err) {
        callback(err, o.all === true ? [] : '', undefined);
        return;
      }
      const sorted = [...addresses].sort((a, b) => rank(a.family) - rank(b.family));
      if (o.all === true) callback(null, sorted);
      else if (sorted.length === 0) {
        callback(Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' }), '', undefined);
      } else callback(null, sorted[0].address, sorted[0].family);
    });
  };
  return lookup as unknown as LookupFunction;
}
