#!/usr/bin/env node
// JSON-lines driver (PROTOCOL.md) for this project's client: `ours-driver.ts [--ws]`. Used by the conformance
// suite to test the process boundary with a real client; `amps-ts conformance --client driver:ours`.

import { OursAdapter } from '../adapters/ours.js';
import { serveAdapter } from './serve.js';

const transport = process.argv.includes('--ws') ? 'ws' : 'tcp';
const adapter = new OursAdapter(transport);
// Keep stdout for protocol lines only.
console.log = (...args: unknown[]) => process.stderr.write(args.map(String).join(' ') + '\n');
await serveAdapter(adapter, process.stdin, process.stdout, { client: adapter.id });
process.exit(0);
