// Several mock AMPS instances in one process, replicating to each other, with per-instance fault injection.
//
// Replication is synchronous and in-process: when an instance logs a publish (or applies a sow_delete) it
// hands the operation to every peer before the publisher's `persisted` ack can be sent, so a `persisted` ack
// means the peers have the message. Each instance keeps its own transaction log; a replicated message keeps
// its bookmark (same publisher hash and sequence), so a client failing over can resume from the bookmark it
// last saw. A stopped instance keeps its data and still receives replicated operations (it "catches up"
// before it is restarted).

import { readConfigFile, defaultConfig, type MockServerConfig } from '../config/config.js';
import { MockServer, type MockServerOptions } from '../server/server.js';

export interface MockClusterOptions extends Omit<MockServerOptions, 'ports'> {
  /** Number of instances (default 2). */
  instances?: number;
  /** Configuration shared by every instance (object, YAML path, or the default). Ports are forced to 0. */
  config?: MockServerConfig | string;
}

export class MockCluster {
  private constructor(readonly instances: readonly MockServer[]) {}

  static async start(options: MockClusterOptions = {}): Promise<MockCluster> {
    const n = options.instances ?? 2;
    if (!Number.isInteger(n) || n < 1) throw new Error(`instances must be a positive integer, got ${String(n)}`);
    const base: MockServerConfig =
      options.config === undefined
        ? defaultConfig()
        : typeof options.config === 'string'
          ? readConfigFile(options.config)
          : structuredClone(options.config);
    const { instances: _n, config: _c, ...serverOptions } = options;
    void _n;
    void _c;
    const servers: MockServer[] = [];
    try {
      for (let i = 0; i < n; i++) {
        const cfg: MockServerConfig = structuredClone(base);
        cfg.name = `${base.name ?? 'amps-mock'}-${i + 1}`;
        if (cfg.transports) cfg.transports = cfg.transports.map((t) => ({ ...t, port: 0 }));
        if (cfg.dataDirectory !== undefined) cfg.dataDirectory = `${cfg.dataDirectory}/${cfg.name}`;
        servers.push(await MockServer.start(cfg, serverOptions));
      }
    } catch (err) {
      await Promise.all(servers.map((s) => s.close()));
      throw err;
    }
    for (const s of servers) {
      s.broker.on('replicate', (op) => {
        for (const peer of servers) {
          if (peer === s) continue;
          try {
            peer.broker.applyReplicated(op);
          } catch (err) {
            peer.broker.log(`replication from ${s.name} failed: ${(err as Error).message}`);
          }
        }
      });
    }
    return new MockCluster(servers);
  }

  /** Instance `i` (0-based). */
  instance(i: number): MockServer {
    const s = this.instances[i];
    if (!s) throw new Error(`no instance ${i} (cluster of ${this.instances.length})`);
    return s;
  }

  /** One URI per instance, e.g. for a server chooser. */
  uris(transport: 'tcp' | 'ws' = 'tcp', messageType = 'json', credentials?: { user: string; password?: string }): string[] {
    return this.instances.map((s) => s.uri(transport, messageType, credentials));
  }

  /** Stops every instance and releases its data. */
  async stop(): Promise<void> {
    await Promise.all(this.instances.map((s) => s.close()));
  }
}
