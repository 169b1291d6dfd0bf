// MockServer: one mock AMPS instance — listeners (TCP `amps` framing, WebSocket on /amps/<type>), sessions,
// the broker holding its data, lifecycle (start/stop/restart keeping data) and fault injection.

import { EventEmitter } from 'node:events';
import { createServer as createHttpServer, type IncomingMessage, type Server as HttpServer } from 'node:http';
import { createServer as createTcpServer, type Server as TcpServer, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import { resolveConfig, type MockServerConfig, type ResolvedConfig } from '../config/config.js';
import type { Clock } from '../engine/index.js';
import { Broker } from './broker.js';
import { TcpConnection, WsConnection, type Connection, type ConnectionOptions } from './connection.js';
import { Session } from './session.js';

export type LogLevel = 'info' | 'warn' | 'error';

export interface LogEntry {
  readonly time: Date;
  readonly level: LogLevel;
  readonly message: string;
  /** Instance name. */
  readonly instance: string;
}

export interface ConnectionInfo {
  readonly id: number;
  readonly transport: 'tcp' | 'ws';
  readonly remoteAddress: string;
  readonly remotePort: number;
  readonly messageType: string;
  readonly clientName: string | undefined;
  readonly userId: string | undefined;
  readonly loggedOn: boolean;
  readonly subscriptions: number;
  readonly connectedAt: Date;
}

export interface MockServerOptions {
  /** Called for every log line (connections, protocol errors, failures). */
  log?: (entry: LogEntry) => void;
  /** Time source for expiration, leases and timestamps (tests). */
  clock?: Clock;
  /** Unsent output (bytes) above which a client is disconnected as slow. Default 256 MiB. */
  maxOutboundBytes?: number;
  /** Overrides of the configured transport ports (0 = free port), by transport type. */
  ports?: { tcp?: number; websocket?: number };
}

export interface MockServerEvents {
  log: [entry: LogEntry];
  connect: [info: ConnectionInfo];
  disconnect: [info: ConnectionInfo, reason: string];
}

interface Listener {
  readonly type: 'tcp' | 'websocket';
  readonly name: string;
  readonly host: string;
  port: number;
  readonly messageType: string;
  tcp?: TcpServer;
  http?: HttpServer;
  wss?: WebSocketServer;
}

const DEFAULT_MAX_OUTBOUND = 256 * 1024 * 1024;

export class MockServer extends EventEmitter<MockServerEvents> {
  readonly config: ResolvedConfig;
  /** The instance's data and subscriptions (advanced use and tests). */
  readonly broker: Broker;
  private readonly transportListeners: Listener[];
  private readonly sessions = new Set<Session>();
  private running = false;
  private refusing = false;
  private cutNextSow = false;
  private readonly maxOutboundBytes: number;

  private constructor(
    config: ResolvedConfig,
    private readonly options: MockServerOptions,
  ) {
    super();
    this.config = config;
    this.maxOutboundBytes = options.maxOutboundBytes ?? DEFAULT_MAX_OUTBOUND;
    this.broker = new Broker(config, options.clock ? { clock: options.clock } : {});
    this.broker.on('log', (line) => this.log('warn', line));
    this.transportListeners = config.transports.map((t) => ({
      type: t.type,
      name: t.name,
      host: t.host,
      port: (t.type === 'tcp' ? options.ports?.tcp : options.ports?.websocket) ?? t.port,
      messageType: t.messageType,
    }));
  }

  /**
   * Starts a mock AMPS instance. `config`: nothing = the embedded default (mock-server/config/default.yaml),
   * a string = path of a YAML file, an object = inline configuration. Ports 0 pick free ports.
   */
  static async start(config?: MockServerConfig | string, options: MockServerOptions = {}): Promise<MockServer> {
    const server = new MockServer(resolveConfig(config), options);
    await server.listen();
    return server;
  }

  get name(): string {
    return this.config.name;
  }

  get isRunning(): boolean {
    return this.running;
  }

  /** Port of the first transport of a kind (after start: the real port, also when configured as 0). */
  port(transport: 'tcp' | 'ws' = 'tcp'): number {
    const type = transport === 'ws' ? 'websocket' : 'tcp';
    const l = this.transportListeners.find((x) => x.type === type);
    if (!l) throw new Error(`mock server ${this.name} has no ${type} transport`);
    return l.port;
  }

  /**
   * Connection URI for a client, e.g. `tcp://127.0.0.1:9007/amps/json` or `ws://127.0.0.1:9008/amps/json`.
   * Credentials, when given, are put in the URI's user info.
   */
  uri(transport: 'tcp' | 'ws' = 'tcp', messageType = 'json', credentials?: { user: string; password?: string }): string {
    const type = transport === 'ws' ? 'websocket' : 'tcp';
    const l = this.transportListeners.find((x) => x.type === type);
    if (!l) throw new Error(`mock server ${this.name} has no ${type} transport`);
    const host = l.host === '0.0.0.0' || l.host === '::' ? '127.0.0.1' : l.host.includes(':') ? `[${l.host}]` : l.host;
    const auth = credentials
      ? `${encodeURIComponent(credentials.user)}${credentials.password !== undefined ? `:${encodeURIComponent(credentials.password)}` : ''}@`
      : '';
    return `${transport}://${auth}${host}:${l.port}/amps/${messageType}`;
  }

  /** Live connections. */
  get connections(): ConnectionInfo[] {
    return [...this.sessions].map((s) => info(s));
  }

  // ------------------------------------------------------------------------------------------------------
  // Lifecycle

  private async listen(): Promise<void> {
    if (this.running) return;
    try {
      for (const l of this.transportListeners) {
        if (l.type === 'tcp') await this.listenTcp(l);
        else await this.listenWs(l);
      }
    } catch (err) {
      await this.closeListeners();
      throw err;
    }
    this.running = true;
    this.broker.resume();
    this.log('info', `listening: ${this.transportListeners.map((l) => `${l.type}://${l.host}:${l.port}`).join(' ')}`);
  }

  /** Stops listening and drops every connection. Data (SOW, transaction log, queues) is kept for restart(). */
  async stop(): Promise<void> {
    if (!this.running) return;
    this.running = false;
    this.dropAllConnections('server stopped');
    await this.closeListeners();
    this.broker.suspend();
    this.log('info', 'stopped');
  }

  /** Stops (dropping connections) and starts again on the same ports, keeping all data. */
  async restart(): Promise<void> {
    await this.stop();
    await this.listen();
  }

  /** Final shutdown: stop() and release the data (closes an on-disk transaction log). */
  async close(): Promise<void> {
    await this.stop();
    this.broker.close();
  }

  private async closeListeners(): Promise<void> {
    await Promise.all(
      this.transportListeners.map(async (l) => {
        if (l.tcp) {
          const s = l.tcp;
          l.tcp = undefined;
          await new Promise<void>((r) => s.close(() => r()));
        }
        if (l.wss) {
          for (const c of l.wss.clients) c.terminate();
          const w = l.wss;
          l.wss = undefined;
          await new Promise<void>((r) => w.close(() => r()));
        }
        if (l.http) {
          const h = l.http;
          l.http = undefined;
          h.closeAllConnections?.();
          await new Promise<void>((r) => h.close(() => r()));
        }
      }),
    );
  }

  private connectionOptions(messageType: string): ConnectionOptions {
    return { maxFrameBytes: this.config.maxFrameBytes, maxOutboundBytes: this.maxOutboundBytes, messageType };
  }

  private listenTcp(l: Listener): Promise<void> {
    const server = createTcpServer({ noDelay: true }, (socket) => this.acceptTcp(socket, l));
    server.on('error', (err) => this.log('error', `tcp listener ${l.name}: ${err.message}`));
    l.tcp = server;
    return listenOn(server, l);
  }

  private acceptTcp(socket: Socket, l: Listener): void {
    if (this.refusing || !this.running) {
      socket.destroy();
      return;
    }
    socket.on('error', () => undefined);
    this.attach(new TcpConnection(socket, this.connectionOptions(l.messageType)));
  }

  private listenWs(l: Listener): Promise<void> {
    const http = createHttpServer((_req, res) => {
      res.writeHead(426, { 'content-type': 'text/plain', upgrade: 'websocket' });
      res.end('AMPS mock server: WebSocket upgrade required on /amps/<message type>\n');
    });
    const wss = new WebSocketServer({ noServer: true, maxPayload: this.config.maxFrameBytes, perMessageDeflate: false });
    http.on('upgrade', (req, socket, head) => this.upgrade(wss, req, socket, head));
    http.on('clientError', (_err, socket) => socket.destroy());
    http.on('error', (err) => this.log('error', `websocket listener ${l.name}: ${err.message}`));
    l.http = http;
    l.wss = wss;
    return listenOn(http, l);
  }

  private upgrade(wss: WebSocketServer, req: IncomingMessage, socket: Duplex, head: Buffer): void {
    socket.on('error', () => undefined);
    if (this.refusing || !this.running) {
      socket.destroy();
      return;
    }
    const path = (req.url ?? '/').split('?')[0];
    const m = /\/amps\/([^/]+)$/i.exec(path);
    const messageType = m ? decodeURIComponent(m[1]) : undefined;
    if (messageType === undefined || !this.config.messageTypes.includes(messageType)) {
      this.log('warn', `websocket upgrade refused: path ${path} (serving /amps/${this.config.messageTypes.join('|')})`);
      rejectUpgrade(socket, 404, 'Not Found');
      return;
    }
    const auth = req.headers.authorization;
    if (auth !== undefined && this.config.users.length > 0) {
      const bm = /^Basic\s+(.+)$/i.exec(auth);
      const decoded = bm ? Buffer.from(bm[1], 'base64').toString('utf8') : '';
      const colon = decoded.indexOf(':');
      const user = colon >= 0 ? decoded.slice(0, colon) : decoded;
      const pw = colon >= 0 ? decoded.slice(colon + 1) : '';
      const ok = this.config.users.some((u) => u.user === user && u.password === pw);
      if (!ok) {
        this.log('warn', `websocket upgrade refused: bad credentials for '${user}'`);
        rejectUpgrade(socket, 401, 'Unauthorized');
        return;
      }
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      this.attach(
        new WsConnection(ws, this.connectionOptions(messageType), {
          address: req.socket.remoteAddress,
          port: req.socket.remotePort,
        }),
      );
    });
  }

  private attach(conn: Connection): void {
    const session: Session = new Session(this.broker, conn, {
      log: (level, message) => this.log(level, message),
      closed: (reason) => {
        this.sessions.delete(session);
        this.emit('disconnect', info(session), reason);
      },
      takeSowCut: () => {
        if (!this.cutNextSow) return false;
        this.cutNextSow = false;
        return true;
      },
    });
    this.sessions.add(session);
    this.log('info', `connection #${conn.id} ${conn.transport} from ${conn.remoteAddress}:${conn.remotePort}`);
    this.emit('connect', info(session));
  }

  // ------------------------------------------------------------------------------------------------------
  // Fault injection

  /** Closes every client connection (the listeners stay up). */
  dropAllConnections(reason = 'dropped (fault injection)'): void {
    for (const s of [...this.sessions]) s.conn.close(reason, 1001);
  }

  /** While on, new connections are accepted and immediately closed (TCP) or their upgrade refused (WebSocket). */
  refuseConnections(on: boolean): void {
    this.refusing = on;
  }

  /** Every current connection stops reading and writing for `ms` (output is queued, then sent). */
  stall(ms: number): void {
    for (const s of this.sessions) s.conn.stall(ms);
  }

  /** The next sow batch sent on any connection is cut in the middle and that connection dropped. */
  cutDuringNextSowBatch(): void {
    this.cutNextSow = true;
  }

  // ------------------------------------------------------------------------------------------------------
  // Server-side publishing (tests, demos)

  /** Publishes a message as if a client named `clientName` had (default `mock-server`). */
  publish(topic: string, data: string | Uint8Array, opts: { clientName?: string; sowKey?: string; expiration?: number; delta?: boolean } = {}): string | undefined {
    const out = this.broker.publish({
      clientName: opts.clientName ?? 'mock-server',
      command: opts.delta ? 'delta_publish' : 'publish',
      topic,
      data: typeof data === 'string' ? new TextEncoder().encode(data) : data,
      ...(opts.sowKey !== undefined ? { sowKey: opts.sowKey } : {}),
      ...(opts.expiration !== undefined ? { expiration: opts.expiration } : {}),
    });
    return out.duplicate ? undefined : out.bookmark;
  }

  private log(level: LogLevel, message: string): void {
    const entry: LogEntry = { time: new Date(), level, message, instance: this.config.name };
    try {
      this.options.log?.(entry);
    } catch {
      // a failing log hook must not break the server
    }
    if (this.listenerCount('log') > 0) this.emit('log', entry);
  }
}

function info(s: Session): ConnectionInfo {
  return {
    id: s.id,
    transport: s.conn.transport,
    remoteAddress: s.conn.remoteAddress,
    remotePort: s.conn.remotePort,
    messageType: s.conn.messageType,
    clientName: s.clientName,
    userId: s.userId,
    loggedOn: s.loggedOn,
    subscriptions: s.subscriptions.size,
    connectedAt: new Date(s.conn.connectedAt),
  };
}

function listenOn(server: TcpServer | HttpServer, l: Listener): Promise<void> {
  return new Promise((resolve, reject) => {
    const onError = (err: Error) => {
      server.off('listening', onListening);
      reject(new Error(`cannot listen on ${l.host}:${l.port} (${l.type}): ${err.message}`));
    };
    const onListening = () => {
      server.off('error', onError);
      const addr = server.address();
      if (addr && typeof addr === 'object') l.port = addr.port;
      resolve();
    };
    server.once('error', onError);
    server.once('listening', onListening);
    server.listen(l.port, l.host);
  });
}

function rejectUpgrade(socket: Duplex, status: number, text: string): void {
  socket.end(`HTTP/1.1 ${status} ${text}\r\nConnection: close\r\nContent-Length: 0\r\n\r\n`);
}

