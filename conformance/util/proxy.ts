// A loopback TCP proxy with fault injection, protocol-agnostic (bytes only), so it works for the `amps`
// TCP framing and for WebSocket alike, in front of the embedded mock or a real AMPS instance.
//
// - `freeze()`: keep every connection open but stop forwarding in both directions (a hung server / network):
//   heartbeats must detect it.
// - `dropConnections()`: reset every open connection (a crashed server); new connections still work.
// - `refuse(true)`: close new connections immediately (the server is down).

import net from 'node:net';

export class FaultProxy {
  private readonly server: net.Server;
  private readonly pairs = new Set<{ client: net.Socket; upstream: net.Socket }>();
  private frozen = false;
  private refusing = false;
  private held: Array<() => void> = [];
  /** Connections accepted so far. */
  accepted = 0;
  /** Client → server bytes, kept while `record` is on (to count commands on an unencrypted TCP connection). */
  private upstreamBytes: Buffer[] | undefined;

  private constructor(private readonly upstreamHost: string, private readonly upstreamPort: number) {
    this.server = net.createServer((client) => this.onConnection(client));
  }

  static async start(upstreamHost: string, upstreamPort: number): Promise<FaultProxy> {
    const proxy = new FaultProxy(upstreamHost, upstreamPort);
    await new Promise<void>((resolve, reject) => {
      proxy.server.once('error', reject);
      proxy.server.listen(0, '127.0.0.1', () => resolve());
    });
    return proxy;
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  /** The given URI with host and port replaced by this proxy's. */
  rewrite(uri: string): string {
    const u = new URL(uri);
    u.hostname = '127.0.0.1';
    u.port = String(this.port);
    return u.toString();
  }

  get connections(): number {
    return this.pairs.size;
  }

  /** Starts keeping the bytes clients send (from now on). */
  record(): void {
    this.upstreamBytes = [];
  }

  /** How often `text` occurs in the bytes clients sent since `record()` (TCP `amps` headers are plain JSON). */
  countSent(text: string): number {
    const all = Buffer.concat(this.upstreamBytes ?? []);
    const needle = Buffer.from(text);
    let n = 0;
    for (let i = all.indexOf(needle); i >= 0; i = all.indexOf(needle, i + needle.length)) n++;
    return n;
  }

  freeze(on = true): void {
    this.frozen = on;
    if (!on) {
      const held = this.held;
      this.held = [];
      for (const resume of held) resume();
    }
  }

  refuse(on = true): void {
    this.refusing = on;
  }

  dropConnections(): void {
    for (const pair of this.pairs) {
      pair.client.destroy();
      pair.upstream.destroy();
    }
    this.pairs.clear();
  }

  async close(): Promise<void> {
    this.dropConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  private onConnection(client: net.Socket): void {
    this.accepted++;
    if (this.refusing) {
      client.destroy();
      return;
    }
    const upstream = net.connect(this.upstreamPort, this.upstreamHost);
    const pair = { client, upstream };
    this.pairs.add(pair);
    const end = () => {
      if (!this.pairs.delete(pair)) return;
      client.destroy();
      upstream.destroy();
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
    this.pipe(client, upstream, true);
    this.pipe(upstream, client, false);
  }

  private pipe(from: net.Socket, to: net.Socket, fromClient: boolean): void {
    from.on('data', (chunk: Buffer) => {
      if (fromClient) this.upstreamBytes?.push(chunk);
      if (this.frozen) {
        // Hold the bytes (and stop reading) until thawed; nothing is lost, nothing is delivered.
        from.pause();
        this.held.push(() => {
          if (!to.destroyed) to.write(chunk);
          from.resume();
        });
        return;
      }
      if (!to.destroyed) to.write(chunk);
    });
  }
}

/** A server that accepts connections and never answers: commands against it must time out. */
export class SilentServer {
  private constructor(
    private readonly server: net.Server,
    private readonly sockets: Set<net.Socket>,
  ) {}

  static async start(): Promise<SilentServer> {
    const sockets = new Set<net.Socket>();
    const server = net.createServer((s) => {
      sockets.add(s);
      s.on('error', () => undefined);
      s.on('close', () => sockets.delete(s));
      // Read and ignore everything (including an HTTP upgrade request).
      s.resume();
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    return new SilentServer(server, sockets);
  }

  get port(): number {
    return (this.server.address() as net.AddressInfo).port;
  }

  uri(transport: 'tcp' | 'ws'): string {
    return `${transport}://127.0.0.1:${this.port}/amps/json`;
  }

  async close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }
}
