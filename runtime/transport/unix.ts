// unix:// transport: `amps` framing over a Unix domain socket (node:net with a path). The URI's host and port
// are ignored; `?path=` names the socket file. tcp_* options do not apply (the URI parser rejects them).

import { StreamTransport, type OpeningSocket } from './stream.js';
import { loadNodeModule } from './defaults.js';
import type { ParsedUri } from './uri.js';
import type { TransportOptions } from './transport.js';
import { InvalidUriException } from '../../generated/errors.js';

export class UnixTransport extends StreamTransport {
  constructor(uri: ParsedUri, options: TransportOptions = {}) {
    super(uri, options);
    if (uri.unixPath === undefined) throw new InvalidUriException('the unix transport requires the path option');
  }

  protected describeTarget(): string {
    return `unix:${this.uri.unixPath}`;
  }

  protected override lingerSeconds(): number {
    return 10;
  }

  protected async openSocket(): Promise<OpeningSocket> {
    const net = await loadNodeModule<typeof import('node:net')>('node:net');
    const socket = net.connect({ path: this.uri.unixPath as string });
    return { socket, readyEvent: 'connect' };
  }
}
