// The public entry point (runtime/index.ts) bundles for the browser without Node built-ins.
//
// A browser application imports `amps-ts` and bundles it (esbuild, Vite, webpack, ...). Only the WebSocket transport
// runs there, on the global WebSocket; tcp/tcps/unix and the `ws` package are loaded at run time through a
// non-literal `import(specifier)` (runtime/transport/defaults.ts), which bundlers leave alone. A static
// `import ... from 'node:fs'` anywhere reachable from runtime/index.ts breaks every browser bundle: esbuild and
// Vite refuse to build it ("Could not resolve node:fs"), and the browser cannot load the module if marked external.

import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildBrowserBundle, bundleErrorsWithNothingExternal, staticNodeImportsIn, type BrowserBundle } from './bundle.js';

let dir: string;
let bundle: BrowserBundle;
let minified: BrowserBundle;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), 'amps-browser-bundle-'));
  bundle = await buildBrowserBundle(dir);
  minified = await buildBrowserBundle(dir, { minify: true });
  const kib = (n: number) => `${(n / 1024).toFixed(1)} KiB`;
  console.log(
    `browser bundle of runtime/index.ts: ${kib(bundle.bytes)} (gzip ${kib(bundle.gzipBytes)}); ` +
      `minified ${kib(minified.bytes)} (gzip ${kib(minified.gzipBytes)}); ${Object.keys(bundle.metafile.inputs).length} source files`,
  );
});

afterAll(async () => {
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe('browser bundle of runtime/index.ts (esbuild, platform browser, esm)', () => {
  it('builds as an application bundler would, with nothing marked external', async () => {
    expect(await bundleErrorsWithNothingExternal(), 'esbuild errors bundling runtime/index.ts for the browser').toEqual([]);
  });

  it('builds without warnings and contains the client, the WebSocket transport and the generated API', () => {
    expect(bundle.warnings).toEqual([]);
    const inputs = Object.keys(bundle.metafile.inputs);
    for (const f of ['runtime/client/client.ts', 'runtime/transport/ws.ts', 'runtime/wire/ws-framing.ts', 'generated/command-builder.ts']) {
      expect(inputs).toContain(f);
    }
    // The exports an application uses are there (esbuild lists the entry's exports in the metafile).
    const exports = Object.values(bundle.metafile.outputs)[0]!.exports;
    for (const name of ['Client', 'HAClient', 'Command', 'Bookmarks', 'AuthenticationException', 'MemoryPublishStore']) {
      expect(exports).toContain(name);
    }
  });

  it('no source file reachable from runtime/index.ts statically imports a Node built-in or ws', () => {
    // One line per offending import, e.g. "runtime/store/record-log.ts: import-statement node:fs".
    const offenders = bundle.nodeImports.map((i) => `${i.file}: ${i.kind} ${i.specifier}`);
    expect(offenders, 'static Node-only imports reachable from runtime/index.ts (a browser cannot load these)').toEqual([]);
  });

  it('the bundled output has no static import/require of a Node-only module (non-literal dynamic imports only)', () => {
    for (const b of [bundle, minified]) {
      expect(staticNodeImportsIn(b.code), b.file).toEqual([]);
    }
    // The transports' run-time loader is there, with a non-literal specifier.
    expect(bundle.code).toMatch(/\bimport\(\s*(?:\/\*[^*]*\*\/\s*)*[A-Za-z_$][\w$]*\s*\)/);
  });

  it('the detector catches the forms a bundle could contain', () => {
    const sample = [
      'import * as fs from "node:fs";',
      'import{createServer as c}from"net";',
      'import "ws";',
      'export { x } from "node:tls";',
      'const z = require("zlib");',
      'await import("node:dns");',
      'await import(specifier);',
      'import { a } from "./local.js";',
    ].join('\n');
    expect(staticNodeImportsIn(sample)).toEqual([
      'import * as fs from "node:fs"',
      'import{createServer as c}from"net"',
      'import "ws"',
      'export { x } from "node:tls"',
      'require("zlib")',
      'import("node:dns")',
    ]);
  });
});
