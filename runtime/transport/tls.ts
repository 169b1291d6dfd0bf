// tcps:// transport: `amps` framing over TLS (node:tls), with the tcp socket options.
//
// TLS settings come from TransportOptions.tls (ca, cert, key, passphrase, rejectUnauthorized (default true),
// servername (default: the URI host when it is a name; SNI is not sent for an IP literal), minVersion).
// A handshake failure (untrusted CA, name mismatch, protocol error) rejects connect() with ConnectionException
// whose `cause` is Node's TLS error.

import type { ConnectionOptions } from 'node:tls';
import { ConnectionException, type AMPSException } from '../../generated/errors.js';
import { isIPv4, isIPv6 } from './uri.js';
import { StreamTransport, type OpeningSocket } from './stream.js';
import { applySocketOptions, hostPort, tcpConnectOptions } from './tcp.js';
import { loadNodeModule } from './defaults.js';
import type { ParsedUri } from './uri.js';
import type { TransportOptions } from './transport.js';

export class TlsTransport extends StreamTransport {
  readonly advisoryOptions: readonly string[];

  constructor(uri: ParsedUri, options: TransportOptions = {}) {
    super(uri, options);
    this.advisoryOptions = ['tcp_sndbuf', 'tcp_rcvbuf', 'tcp_linger'].filter((k) => k in uri.socketOptions);
  }

  protected describeTarget(): string {
    return `tcps://${hostPort(this.uri.host, this.uri.port)}`;
  }

  protected async openSocket(): Promise<OpeningSocket> {
    const tls = await loadNodeModule<typeof import('node:tls')>('node:tls');
    const t = this.options.tls ?? {};
    const literal = isIPv4(this.uri.host) || isIPv6(this.uri.host);
    const opts: ConnectionOptions = {
      ...(await tcpConnectOptions(this.uri)),
      rejectUnauthorized: t.rejectUnauthorized ?? true,
    };
    if (t.ca !== undefined) opts.ca = t.ca as ConnectionOptions['ca'];
    if (t.cert !== undefined) opts.cert = t.cert as ConnectionOptions['cert'];
    if (t.key !== undefined) opts.key = t.key as ConnectionOptions['key'];
    if (t.passphrase !== undefined) opts.passphrase = t.passphrase;
    if (t.minVersion !== undefined) opts.minVersion = t.minVersion;
    const servername = t.servername ?? (literal ? undefined : this.uri.host);
    if (servername !== undefined) opts.servername = servername;
    const socket = tls.connect(opts);
    applySocketOptions(socket, this.uri);
    return { socket, readyEvent: 'secureConnect' };
  }

  protected override mapConnectError(err: Error): AMPSException {
    const code = (err as NodeJS.ErrnoException).code ?? '';
    const isTls =
      /^ERR_TLS_|^ERR_SSL_|CERT|SELF_SIGNED|UNABLE_TO_|HOSTNAME|ALTNAME/.test(code) ||
      /SSL|TLS|certificate/i.test(err.message);
    if (isTls) {
      return new ConnectionException(`TLS handshake with ${this.describeTarget()} failed: ${err.message}`, {
        cause: err,
      });
    }
    return super.mapConnectError(err);
  }
}
