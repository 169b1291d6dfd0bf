#!/usr/bin/env node
// The `amps-ts` binary:
//   amps-ts start                         embedded mock server (conformance/targets/mock.yaml), every client,
//                                         console matrix + conformance-report/; exit 1 on a regression of our client
//   amps-ts conformance --client <spec>   one or more clients (ours | ours-ws | official | driver:<command>)
//                       [--uri tcp://...] [--ws-uri ws://...] [--scenario <id|group>]... [--out <dir>]
//   amps-ts mock-server ...               the mock server's own command line

import { realpathSync } from 'node:fs';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { runConformance, type TargetSpec } from './run.js';
import { BUILTIN_CLIENTS, OUR_CLIENTS } from './adapters/index.js';
import { oursDriverCommand } from './driver/ours-command.js';

const USAGE = `usage:
  amps-ts start [--out <dir>] [--scenario <id|group>]... [--serial] [--quiet]
  amps-ts conformance --client <ours|ours-ws|official|driver:<command>> [--client ...]
                      [--uri tcp://host:port/amps/json] [--ws-uri ws://host:port/amps/json]
                      [--scenario <id|group>]... [--out <dir>] [--serial] [--quiet]
  amps-ts mock-server [options]          (see amps-ts mock-server --help)

Without --uri/--ws-uri, 'conformance' uses AMPS_URI / AMPS_WS_URI when set, else the embedded mock server.
Reports: <out>/report.json and <out>/report.html (default out: conformance-report).
Clients run concurrently (each runs its scenarios in order); --serial runs one client after another.`;

interface Parsed {
  clients: string[];
  scenarios: string[];
  uri?: string;
  wsUri?: string;
  out?: string;
  quiet: boolean;
  serial: boolean;
  help: boolean;
}

function parseArgs(args: string[]): Parsed {
  const p: Parsed = { clients: [], scenarios: [], quiet: false, serial: false, help: false };
  for (let i = 0; i < args.length; i++) {
    const a = args[i]!;
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    const value = () => {
      if (inline !== undefined) return inline;
      const v = args[++i];
      if (v === undefined) throw new Error(`${flag} needs a value`);
      return v;
    };
    switch (flag) {
      case '--client':
        p.clients.push(...value().split(',').filter(Boolean));
        break;
      case '--scenario':
        p.scenarios.push(...value().split(',').filter(Boolean));
        break;
      case '--uri':
        p.uri = value();
        break;
      case '--ws-uri':
        p.wsUri = value();
        break;
      case '--out':
        p.out = value();
        break;
      case '--quiet':
        p.quiet = true;
        break;
      case '--serial':
        p.serial = true;
        break;
      case '-h':
      case '--help':
        p.help = true;
        break;
      default:
        throw new Error(`unknown argument '${a}'`);
    }
  }
  return p;
}

/** Runs the CLI; resolves with the process exit code. */
export async function main(argv: string[], io: { out?: (s: string) => void; err?: (s: string) => void } = {}): Promise<number> {
  const out = io.out ?? ((s: string) => process.stdout.write(s + '\n'));
  const err = io.err ?? ((s: string) => process.stderr.write(s + '\n'));
  const [command, ...rest] = argv;
  try {
    switch (command) {
      case 'start': {
        const p = parseArgs(rest);
        if (p.help) return (out(USAGE), 0);
        const clients = p.clients.length > 0 ? p.clients : [...BUILTIN_CLIENTS, `driver:${oursDriverCommand('tcp')}`];
        return await conformance(clients, 'embedded', p, out, err, true);
      }
      case 'conformance': {
        const p = parseArgs(rest);
        if (p.help) return (out(USAGE), 0);
        if (p.clients.length === 0) throw new Error('conformance needs --client (ours, ours-ws, official or driver:<command>)');
        const clients = p.clients.map((c) => (c === 'driver:ours' || c === 'driver:ours-ws' ? `driver:${oursDriverCommand(c === 'driver:ours' ? 'tcp' : 'ws')}` : c));
        const target: TargetSpec = p.uri || p.wsUri ? { ...(p.uri ? { tcp: p.uri } : {}), ...(p.wsUri ? { ws: p.wsUri } : {}) } : 'env';
        return await conformance(clients, target, p, out, err, false);
      }
      case 'mock-server': {
        const { runMockServerCli } = await import('../mock-server/cli.js');
        const code = await runMockServerCli(rest);
        return typeof code === 'number' ? code : 0;
      }
      case undefined:
      case 'help':
      case '-h':
      case '--help':
        out(USAGE);
        return command === undefined ? 1 : 0;
      default:
        err(`unknown command '${command}'\n${USAGE}`);
        return 2;
    }
  } catch (e) {
    err(`amps-ts: ${(e as Error).message}`);
    return 2;
  }
}

async function conformance(
  clients: string[],
  target: TargetSpec,
  p: Parsed,
  out: (s: string) => void,
  err: (s: string) => void,
  onlyOurs: boolean,
): Promise<number> {
  const result = await runConformance({
    clients,
    target,
    out: p.out ?? 'conformance-report',
    parallel: !p.serial,
    ...(p.scenarios.length ? { scenarios: p.scenarios } : {}),
    ...(p.quiet ? {} : { log: (l: string) => err(l) }),
  });
  out(result.console);
  if (result.files) out(`\nreports: ${result.files.json}\n         ${result.files.html}`);
  const failing = onlyOurs ? result.ourRegressions : result.regressions;
  if (failing.length > 0) {
    err(`\n${failing.length} regression(s)${onlyOurs ? ` of our client (${[...OUR_CLIENTS].join(', ')})` : ''}`);
    return 1;
  }
  return 0;
}

function isMain(): boolean {
  const script = process.argv[1];
  if (!script) return false;
  try {
    return import.meta.url === pathToFileURL(realpathSync(script)).href || fileURLToPath(import.meta.url) === realpathSync(script);
  } catch {
    return false;
  }
}

if (isMain()) {
  main(process.argv.slice(2)).then(
    (code) => {
      process.exitCode = code;
    },
    (e: unknown) => {
      process.stderr.write(`amps-ts: ${(e as Error).stack ?? String(e)}\n`);
      process.exitCode = 2;
    },
  );
}
