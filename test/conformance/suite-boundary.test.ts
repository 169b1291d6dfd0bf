// Our client across the JSON-lines process boundary (conformance/driver/ours-driver.ts) and over WebSocket,
// against the embedded mock server: every scenario through the driver, and a WebSocket subset in-process.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverAdapter } from '../../conformance/adapters/driver.js';
import { OursAdapter } from '../../conformance/adapters/ours.js';
import { oursDriverCommand } from '../../conformance/driver/ours-command.js';
import { startEmbeddedTarget } from '../../conformance/targets/embedded.js';
import type { Target } from '../../conformance/targets/target.js';
import { runAdapter } from '../../conformance/runner.js';
import { SCENARIOS, selectScenarios } from '../../conformance/scenarios/index.js';
import { loadKnownDifferences } from '../../conformance/known-differences.js';
import { OURS_CAPABILITIES } from '../../conformance/adapters/ours.js';

let target: Target;
beforeAll(async () => {
  target = await startEmbeddedTarget();
});
afterAll(async () => {
  await target?.close();
});

const summary = (rs: Array<{ scenario: string; outcome: string; detail?: string; knownDifference?: string }>) =>
  rs.filter((r) => r.outcome === 'fail' && r.knownDifference === undefined).map((r) => `${r.scenario}: ${r.detail}`);

describe('conformance: our client through the JSON-lines driver process', () => {
  let driver: DriverAdapter;
  beforeAll(async () => {
    driver = await DriverAdapter.start(oursDriverCommand('tcp'));
  }, 30_000);
  afterAll(async () => {
    await driver?.close();
  });

  it('announces our client and its capabilities', () => {
    expect(driver.id).toBe('driver:ours');
    expect([...driver.capabilities].sort()).toEqual([...OURS_CAPABILITIES].sort());
  });

  it('passes every scenario across the process boundary', { timeout: 90_000 }, async () => {
    const results = await runAdapter({ adapter: driver, target, scenarios: SCENARIOS, knownDifferences: loadKnownDifferences(driver.id) });
    expect(summary(results)).toEqual([]);
    expect(results.filter((r) => r.outcome === 'pass').length).toBe(SCENARIOS.length);
  });
});

describe('conformance: our client over WebSocket (subset)', () => {
  it('passes pub/sub, SOW, queues, bookmarks, HA and heartbeat scenarios', { timeout: 60_000 }, async () => {
    const adapter = new OursAdapter('ws');
    try {
      const scenarios = selectScenarios([
        'pubsub.publish-subscribe',
        'pubsub.large-message',
        'pubsub.filter-guide-sender',
        'sow-and-subscribe.no-gap-no-duplicate',
        'sow.batching',
        'oof.deleted',
        'delta.subscribe-changed-fields',
        'queues.backlog',
        'bookmarks.resume-after-restart',
        'ha.publish-replay-no-loss',
        'errors.auth-failure',
        'errors.logon-timeout',
        'heartbeats.detect-hung-server',
      ]);
      expect(scenarios).toHaveLength(13);
      const results = await runAdapter({ adapter, target, scenarios, knownDifferences: loadKnownDifferences(adapter.id) });
      expect(summary(results)).toEqual([]);
      expect(results.every((r) => r.outcome === 'pass')).toBe(true);
    } finally {
      await adapter.close();
    }
  });
});
