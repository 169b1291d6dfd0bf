// A ClientAdapter backed by an external driver process speaking the JSON-lines protocol on stdin/stdout
// (conformance/driver/PROTOCOL.md), so clients in any language can be tested.

import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { createInterface } from 'node:readline';
import type {
  AdapterErrorInfo,
  Capability,
  ClientAdapter,
  ClientSession,
  ConnectOptions,
  PublishOptions,
  ReceivedMessage,
  SowDeleteRequest,
  SowDeleteResult,
  SowRequest,
  SowResult,
  SubscribeRequest,
  Subscription,
  Transport,
} from '../types.js';
import { AdapterError, CAPABILITIES } from '../types.js';
import { BufferedSubscription, DisconnectLatch } from './common.js';
import { DRIVER_PROTOCOL_VERSION, type DriverLine, type HelloLine } from '../driver/protocol.js';

export interface DriverAdapterOptions {
  /** Milliseconds to wait for the hello line. */
  helloTimeoutMs?: number;
  /** Milliseconds after which a request without a result fails (the driver is hung). */
  requestTimeoutMs?: number;
  /** Working directory and environment of the driver. */
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  /** Receives the driver's stderr and log lines. */
  onLog?: (text: string) => void;
}

interface Pending {
  resolve: (v: unknown) => void;
  reject: (e: AdapterError) => void;
  timer: NodeJS.Timeout;
}

export class DriverAdapter implements ClientAdapter {
  readonly id: string;
  readonly description: string;
  readonly transport: Transport;
  readonly capabilities: ReadonlySet<Capability>;
  private nextId = 1;
  private nextSession = 1;
  private nextSub = 1;
  private readonly pending = new Map<number, Pending>();
  private readonly subs = new Map<string, { sub: BufferedSubscription; refs: WeakMap<ReceivedMessage, number> }>();
  private readonly latches = new Map<string, DisconnectLatch>();
  private exited: AdapterErrorInfo | undefined;

  private constructor(
    readonly command: string,
    private readonly child: ChildProcessWithoutNullStreams,
    hello: HelloLine,
    private readonly options: DriverAdapterOptions,
  ) {
    this.id = `driver:${hello.client}`;
    this.description = `${hello.description ?? hello.client} (driver process: ${command})`;
    this.transport = hello.transport;
    const known = new Set<string>(CAPABILITIES);
    this.capabilities = new Set(hello.capabilities.filter((c): c is Capability => known.has(c)));
  }

  /** Starts `command` (through the shell) and waits for its hello line. */
  static async start(command: string, options: DriverAdapterOptions = {}): Promise<DriverAdapter> {
    const child = spawn(command, {
      shell: true,
      cwd: options.cwd,
      env: options.env ?? process.env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    const lines = createInterface({ input: child.stdout, crlfDelay: Infinity });
    const stderr: string[] = [];
    child.stderr.setEncoding('utf8');
    child.stderr.on('data', (d: string) => {
      stderr.push(d);
      options.onLog?.(d);
    });
    let adapter: DriverAdapter | undefined;
    const hello = await new Promise<HelloLine>((resolve, reject) => {
      const timer = setTimeout(() => {
        child.kill();
        reject(new Error(`driver '${command}' sent no hello line within ${options.helloTimeoutMs ?? 15000} ms${tail(stderr)}`));
      }, options.helloTimeoutMs ?? 15000);
      child.once('exit', (code) => {
        clearTimeout(timer);
        reject(new Error(`driver '${command}' exited (code ${code}) before its hello line${tail(stderr)}`));
      });
      child.once('error', (err) => {
        clearTimeout(timer);
        reject(err);
      });
      lines.on('line', (line) => {
        if (adapter) return adapter.onLine(line);
        let parsed: DriverLine;
        try {
          parsed = JSON.parse(line) as DriverLine;
        } catch {
          options.onLog?.(`driver: ${line}\n`);
          return;
        }
        if (parsed.type !== 'hello') return;
        clearTimeout(timer);
        if (parsed.protocol !== DRIVER_PROTOCOL_VERSION) {
          child.kill();
          reject(new Error(`driver speaks protocol ${parsed.protocol}, expected ${DRIVER_PROTOCOL_VERSION}`));
          return;
        }
        resolve(parsed);
      });
    });
    child.removeAllListeners('exit');
    adapter = new DriverAdapter(command, child, hello, options);
    child.on('exit', (code, signal) => adapter!.onExit(`driver exited (code ${code}, signal ${signal})${tail(stderr)}`));
    return adapter;
  }

  private onLine(line: string): void {
    let msg: DriverLine;
    try {
      msg = JSON.parse(line) as DriverLine;
    } catch {
      this.options.onLog?.(`driver: ${line}\n`);
      return;
    }
    switch (msg.type) {
      case 'result': {
        const p = this.pending.get(msg.id);
        if (!p) return;
        this.pending.delete(msg.id);
        clearTimeout(p.timer);
        if (msg.ok) p.resolve(msg.result);
        else p.reject(new AdapterError(msg.error));
        return;
      }
      case 'message': {
        const entry = this.subs.get(msg.sub);
        if (!entry) return;
        entry.refs.set(msg.message, msg.ref);
        entry.sub.push(msg.message);
        return;
      }
      case 'disconnected':
        this.latches.get(msg.session)?.report(msg.error);
        return;
      case 'log':
        this.options.onLog?.(`driver: ${msg.text}\n`);
        return;
      default:
        return;
    }
  }

  private onExit(text: string): void {
    this.exited = { kind: 'other', message: text };
    for (const [id, p] of this.pending) {
      clearTimeout(p.timer);
      p.reject(new AdapterError(this.exited));
      this.pending.delete(id);
    }
    for (const l of this.latches.values()) l.report({ kind: 'disconnected', message: text });
  }

  /** Sends one request and waits for its result. */
  request<T = unknown>(op: string, params: Record<string, unknown> = {}): Promise<T> {
    if (this.exited) return Promise.reject(new AdapterError(this.exited));
    const id = this.nextId++;
    return new Promise<T>((resolve, reject) => {
      const ms = this.options.requestTimeoutMs ?? 30_000;
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new AdapterError({ kind: 'timeout', message: `driver gave no result for '${op}' within ${ms} ms` }));
      }, ms);
      this.pending.set(id, { resolve: resolve as (v: unknown) => void, reject, timer });
      this.child.stdin.write(JSON.stringify({ id, op, ...params }) + '\n');
    });
  }

  registerSubscription(handle: string, sub: BufferedSubscription): void {
    this.subs.set(handle, { sub, refs: new WeakMap() });
  }

  refOf(handle: string, message: ReceivedMessage): number {
    const ref = this.subs.get(handle)?.refs.get(message);
    if (ref === undefined) throw new AdapterError({ kind: 'other', message: 'message did not come from this subscription' });
    return ref;
  }

  newSessionId(): string {
    return `s${this.nextSession++}`;
  }

  newSubHandle(): string {
    return `x${this.nextSub++}`;
  }

  latchFor(session: string): DisconnectLatch {
    const l = new DisconnectLatch();
    this.latches.set(session, l);
    return l;
  }

  async createSession(): Promise<ClientSession> {
    const session = this.newSessionId();
    await this.request('create_session', { session });
    return new DriverSession(this, session);
  }

  async close(): Promise<void> {
    if (this.exited) return;
    try {
      await Promise.race([this.request('shutdown'), new Promise((r) => setTimeout(r, 3000))]);
    } catch {
      // exiting
    }
    const exited = new Promise<void>((r) => this.child.once('exit', () => r()));
    this.child.stdin.end();
    await Promise.race([exited, new Promise((r) => setTimeout(r, 3000))]);
    if (!this.exited) this.child.kill();
  }
}

class DriverSession implements ClientSession {
  private readonly latch: DisconnectLatch;
  readonly disconnected: Promise<AdapterErrorInfo>;

  constructor(
    private readonly driver: DriverAdapter,
    private readonly session: string,
  ) {
    this.latch = driver.latchFor(session);
    this.disconnected = this.latch.promise;
  }

  async connect(options: ConnectOptions): Promise<void> {
    await this.driver.request('connect', { session: this.session, options });
  }

  async publish(topic: string, data: string, options?: PublishOptions): Promise<void> {
    await this.driver.request('publish', { session: this.session, topic, data, ...(options ? { options } : {}) });
  }

  async deltaPublish(topic: string, data: string, options?: PublishOptions): Promise<void> {
    await this.driver.request('delta_publish', { session: this.session, topic, data, ...(options ? { options } : {}) });
  }

  async flush(): Promise<void> {
    await this.driver.request('flush', { session: this.session });
  }

  async subscribe(request: SubscribeRequest): Promise<Subscription> {
    const handle = this.driver.newSubHandle();
    let id = handle;
    const session = this.session;
    const sub = new BufferedSubscription(handle, {
      ack: (m, options) => this.driver.request('ack', { session, sub: handle, ref: this.driver.refOf(handle, m), ...(options ? { options } : {}) }).then(() => undefined),
      discard: (m) => this.driver.request('discard', { session, sub: handle, ref: this.driver.refOf(handle, m) }).then(() => undefined),
      close: () => this.driver.request('unsubscribe', { session, sub: handle }).then(() => undefined),
    });
    this.driver.registerSubscription(handle, sub);
    const result = await this.driver.request<{ id?: string } | undefined>('subscribe', { session, sub: handle, request });
    if (result?.id) id = result.id;
    Object.defineProperty(sub, 'id', { value: id });
    return sub;
  }

  async sow(request: SowRequest): Promise<SowResult> {
    return this.driver.request<SowResult>('sow', { session: this.session, request });
  }

  async sowDelete(request: SowDeleteRequest): Promise<SowDeleteResult> {
    return (await this.driver.request<SowDeleteResult | undefined>('sow_delete', { session: this.session, request })) ?? {};
  }

  async disconnect(): Promise<void> {
    this.latch.closing = true;
    try {
      await this.driver.request('disconnect', { session: this.session });
    } catch {
      // best effort
    }
  }
}

function tail(lines: string[]): string {
  const text = lines.join('').trim();
  return text ? `; stderr: ${text.slice(-500)}` : '';
}
