// The conformance suite for our client over TCP against the embedded mock server (conformance/targets/mock.yaml).
// Every scenario is one test: n/a is reported as skipped, a failure not in known-differences/ours.yaml fails.

import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { OursAdapter } from '../../conformance/adapters/ours.js';
import { startEmbeddedTarget } from '../../conformance/targets/embedded.js';
import type { Target } from '../../conformance/targets/target.js';
import { runScenario, DEFAULT_SCENARIO_TIMEOUT_MS } from '../../conformance/runner.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { loadKnownDifferences } from '../../conformance/known-differences.js';

describe('conformance: amps-ts client over TCP, embedded mock server', () => {
  let target: Target;
  const adapter = new OursAdapter('tcp');
  const known = loadKnownDifferences(adapter.id);

  beforeAll(async () => {
    target = await startEmbeddedTarget();
  });
  afterAll(async () => {
    await adapter.close();
    await target?.close();
  });

  for (const scenario of SCENARIOS) {
    it(scenario.id, { timeout: (scenario.timeoutMs ?? DEFAULT_SCENARIO_TIMEOUT_MS) + 5000 }, async (ctx) => {
      const r = await runScenario(scenario, adapter, target, known);
      if (r.outcome === 'n/a') ctx.skip(r.detail);
      if (r.outcome === 'fail' && r.knownDifference === undefined) expect.fail(`${scenario.id}: ${r.detail}`);
      expect(r.stale, `${scenario.id} is listed in known-differences/ours.yaml but passes`).toBeFalsy();
    });
  }
});
