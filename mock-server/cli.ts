// `amps-ts mock-server --config mock.yaml [--tcp-port N] [--ws-port N]`: runs a mock AMPS instance until
// SIGINT/SIGTERM. The top-level `amps-ts` dispatcher calls runMockServerCli with the arguments after
// `mock-server`.

import { MockConfigError } from './config/config.js';
import { MockServer, type MockServerOptions } from './server/server.js';

export interface MockServerCliIo {
  out?: (line: string) => void;
  err?: (line: string) => void;
  /** Stops the server when aborted (tests); SIGINT/SIGTERM always do. */
  signal?: AbortSignal;
  /** Called once the server listens (tests). */
  onStarted?: (server: MockServer) => void;
}

const USAGE = `usage: amps-ts mock-server [--config <file.yaml>] [--tcp-port <n>] [--ws-port <n>] [--quiet]

Runs an AMPS-compatible mock server. Without --config it serves the embedded default configuration
(SOW topics orders and van_location, transaction log on every topic, queues work and sample-queue).
Ports 0 pick free ports. Stops cleanly on SIGINT or SIGTERM.`;

/** Runs the mock server CLI; resolves with the process exit code once the server has stopped. */
export async function runMockServerCli(argv: readonly string[], io: MockServerCliIo = {}): Promise<number> {
  const out = io.out ?? ((l: string) => process.stdout.write(`${l}\n`));
  const err = io.err ?? ((l: string) => process.stderr.write(`${l}\n`));
  let configPath: string | undefined;
  const ports: NonNullable<MockServerOptions['ports']> = {};
  let quiet = false;
  const args = [...argv];
  while (args.length > 0) {
    const a = args.shift() as string;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = (): string => {
      const v = inline ?? args.shift();
      if (v === undefined) throw new UsageError(`${flag} needs a value`);
      return v;
    };
    const port = (): number => {
      const v = value();
      const n = Number(v);
      if (!/^\d+$/.test(v) || n > 65535) throw new UsageError(`${flag}: bad port '${v}'`);
      return n;
    };
    try {
      switch (flag) {
        case '--config':
        case '-c':
          configPath = value();
          break;
        case '--tcp-port':
          ports.tcp = port();
          break;
        case '--ws-port':
          ports.websocket = port();
          break;
        case '--quiet':
        case '-q':
          quiet = true;
          break;
        case '--help':
        case '-h':
          out(USAGE);
          return 0;
        default:
          throw new UsageError(`unknown argument '${a}'`);
      }
    } catch (e) {
      if (e instanceof UsageError) {
        err(`amps-ts mock-server: ${e.message}`);
        err(USAGE);
        return 2;
      }
      throw e;
    }
  }

  const stamp = () => new Date().toISOString();
  let server: MockServer;
  try {
    server = await MockServer.start(configPath, {
      ports,
      log: (e) => {
        if (e.level !== 'info') err(`${stamp()} ${e.level.toUpperCase()} ${e.message}`);
      },
    });
  } catch (e) {
    if (e instanceof MockConfigError) err(`amps-ts mock-server: ${e.message}`);
    else err(`amps-ts mock-server: cannot start: ${(e as Error).message}`);
    return 1;
  }
  if (!quiet) {
    server.on('connect', (c) => out(`${stamp()} connect #${c.id} ${c.transport} ${c.remoteAddress}:${c.remotePort}`));
    server.on('disconnect', (c, reason) =>
      out(`${stamp()} disconnect #${c.id} ${c.transport}${c.clientName ? ` ${c.clientName}` : ''} (${reason})`),
    );
  }
  const uris = server.config.transports.map((t) => server.uri(t.type === 'tcp' ? 'tcp' : 'ws', t.messageType));
  out(`amps-ts mock server '${server.name}' listening: ${uris.join(' ')}`);
  io.onStarted?.(server);

  await new Promise<void>((resolve) => {
    const stop = () => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      io.signal?.removeEventListener('abort', stop);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (io.signal?.aborted) stop();
    else io.signal?.addEventListener('abort', stop);
  });
  await server.close();
  out(`amps-ts mock server '${server.name}' stopped`);
  return 0;
}

class UsageError extends Error {}
