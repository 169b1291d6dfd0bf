// A tiny static HTTP server on 127.0.0.1 for pages the browser tests open.

import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface StaticFile {
  readonly type: string;
  readonly body: string | Uint8Array;
}

export interface StaticServer {
  /** `http://127.0.0.1:<port>` */
  readonly origin: string;
  /** Paths requested, in order (for assertions on what the page loaded). */
  readonly requests: string[];
  close(): Promise<void>;
}

export async function startStaticServer(files: ReadonlyMap<string, StaticFile>): Promise<StaticServer> {
  const requests: string[] = [];
  const server: Server = createServer((req, res) => {
    const url = new URL(req.url ?? '/', 'http://127.0.0.1');
    requests.push(url.pathname);
    const file = files.get(url.pathname);
    if (req.method !== 'GET' || file === undefined) {
      res.writeHead(404, { 'content-type': 'text/plain' }).end('not found');
      return;
    }
    res.writeHead(200, { 'content-type': file.type, 'cache-control': 'no-store' }).end(file.body);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    origin: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
