// The embedded target: the project's mock server started with conformance/targets/mock.yaml, plus a second
// instance of the same configuration with users, for the authentication scenario.

import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { MockServer, type MockServerConfig } from '../../mock-server/index.js';
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
  let auth: MockServer | undefined;
  try {
    auth = await MockServer.start({
      ...config,
      name: `${config.name ?? 'amps-conformance'}-auth`,
      authentication: { users: [{ user: AUTH_USER.user, password: AUTH_USER.password }] },
    });
  } catch (err) {
    await server.stop();
    throw err;
  }
  return {
    kind: 'embedded',
    description: `embedded mock server (${configPath.replace(/.*\/conformance\//, 'conformance/')})`,
    uris: { tcp: server.uri('tcp', 'json'), ws: server.uri('ws', 'json') },
    features: new Set(TARGET_FEATURES),
    topics: DEFAULT_TOPICS,
    credentials: { ...AUTH_USER, uris: { tcp: auth.uri('tcp', 'json'), ws: auth.uri('ws', 'json') } },
    async close() {
      await Promise.allSettled([server.stop(), auth!.stop()]);
    },
  };
}
