// The embedded target: the project's mock server started with conformance/targets/mock.yaml, plus a second
// instance of the same configuration with users (the authentication scenario) and a replicated two-instance
// MockCluster of the same configuration (the cluster failover scenarios).

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MockCluster, MockServer, type MockServerConfig } from '../../mock-server/index.js';
import { resourcePath } from '../util/resources.js';
import { DEFAULT_TOPICS, type Target } from './target.js';
import { TARGET_FEATURES } from '../types.js';

export const MOCK_CONFIG_PATH = resourcePath('targets/mock.yaml');

const AUTH_USER = { user: 'conformance', password: 'secret', badPassword: 'not-the-password' };

export function loadMockConfig(path = MOCK_CONFIG_PATH): MockServerConfig {
  return parse(readFileSync(path, 'utf8')) as MockServerConfig;
}

export async function startEmbeddedTarget(configPath = MOCK_CONFIG_PATH): Promise<Target> {
  const config = loadMockConfig(configPath);
  const server = await MockServer.start(config);
  const extras: Array<{ stop(): Promise<void> }> = [];
  try {
    const auth = await MockServer.start({
      ...config,
      name: `${config.name ?? 'amps-conformance'}-auth`,
      authentication: { users: [{ user: AUTH_USER.user, password: AUTH_USER.password }] },
    });
    extras.push(auth);
    const cluster = await MockCluster.start({ config, instances: 2 });
    extras.push(cluster);
    return {
      kind: 'embedded',
      description: `embedded mock server (${configPath.replace(/.*\/conformance\//, 'conformance/')})`,
      uris: { tcp: server.uri('tcp', 'json'), ws: server.uri('ws', 'json') },
      features: new Set(TARGET_FEATURES),
      topics: DEFAULT_TOPICS,
      credentials: { ...AUTH_USER, uris: { tcp: auth.uri('tcp', 'json'), ws: auth.uri('ws', 'json') } },
      cluster: {
        uris: { tcp: cluster.uris('tcp', 'json'), ws: cluster.uris('ws', 'json') },
        fail(i) {
          const s = cluster.instance(i);
          s.refuseConnections(true);
          s.dropAllConnections('instance failed (conformance fault injection)');
        },
        recover(i) {
          cluster.instance(i).refuseConnections(false);
        },
      },
      async close() {
        await Promise.allSettled([server.stop(), ...extras.map((e) => e.stop())]);
      },
    };
  } catch (err) {
    await Promise.allSettled([server.stop(), ...extras.map((e) => e.stop())]);
    throw err;
  }
}
