// Runs the embedded mock server in a worker thread for benchmarks.
import { parentPort } from 'node:worker_threads';
import { MockServer } from '../../mock-server/index.js';

const server = await MockServer.start();
const port = Number(new URL(server.uri('tcp').replace(/^tcp:/, 'http:')).port);
parentPort!.postMessage({ port });
parentPort!.on('message', () => void server.stop().then(() => process.exit(0)));
