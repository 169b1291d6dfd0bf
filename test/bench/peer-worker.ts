// Runs one benchmark peer in a worker thread, so the peer never shares the measured client's event loop.
import { parentPort, workerData } from 'node:worker_threads';
import { jsonBody, startTcpPeer, startWsPeer, type PeerMode } from './peers.js';

export interface PeerRequest {
  transport: 'tcp' | 'ws';
  kind: 'sink' | 'blaster' | 'reflector';
  /** sink: report when this many publishes arrived; blaster: deliveries to send per subscribe. */
  count: number;
  bodySize: number;
}

const req = workerData as PeerRequest;
let received = 0;
const mode: PeerMode =
  req.kind === 'sink'
    ? { kind: 'sink', onPublish: () => { if (++received === req.count) parentPort!.postMessage({ done: true }); } }
    : req.kind === 'blaster'
      ? { kind: 'blaster', count: req.count, body: new TextEncoder().encode(jsonBody(req.bodySize)) }
      : { kind: 'reflector' };
const peer = await (req.transport === 'tcp' ? startTcpPeer(mode) : startWsPeer(mode));
parentPort!.postMessage({ port: peer.port });
parentPort!.on('message', (m: { reset?: boolean; close?: boolean }) => {
  if (m.reset) received = 0;
  if (m.close) void peer.close().then(() => process.exit(0));
});

