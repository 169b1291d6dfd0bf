import { describe, expect, it } from 'vitest';
import { runScenario, runAdapter, regressions, notApplicableReason } from '../../conformance/runner.js';
import { KnownDifferences } from '../../conformance/known-differences.js';
import { check, NotApplicable, type Scenario } from '../../conformance/scenarios/scenario.js';
import { SCENARIOS, selectScenarios } from '../../conformance/scenarios/index.js';
import { CAPABILITIES } from '../../conformance/types.js';
import { FakeAdapter } from './fake-adapter.js';
import { fakeTarget } from './fake-target.js';

const scenario = (over: Partial<Scenario> & Pick<Scenario, 'id'>): Scenario => ({
  group: over.id.split('.')[0]!,
  title: over.id,
  requires: [],
  run: async () => undefined,
  ...over,
});

describe('runner', () => {
  it('reports n/a, never pass, when the client lacks a capability, and does not run the scenario', async () => {
    let ran = false;
    const s = scenario({ id: 'x.needs-ha', requires: ['ha', 'publish'], run: async () => void (ran = true) });
    const r = await runScenario(s, new FakeAdapter(), fakeTarget());
    expect(r.outcome).toBe('n/a');
    expect(r.detail).toContain('ha');
    expect(r.detail).not.toContain('publish');
    expect(ran).toBe(false);
  });

  it('reports n/a when the target lacks a server feature or the transport', async () => {
    const s = scenario({ id: 'x.needs-queue', needs: ['queue'] });
    expect((await runScenario(s, new FakeAdapter(), fakeTarget(['sow']))).outcome).toBe('n/a');
    expect(notApplicableReason(scenario({ id: 'x.y' }), new FakeAdapter('ws', [], 'ws'), fakeTarget())).toMatch(/no ws URI/);
  });

  it('reports n/a when the scenario says so at run time', async () => {
    const s = scenario({ id: 'x.runtime-na', run: async () => { throw new NotApplicable('no such topic'); } });
    const r = await runScenario(s, new FakeAdapter(), fakeTarget());
    expect(r).toMatchObject({ outcome: 'n/a', detail: 'no such topic' });
  });

  it('fails a scenario that exceeds its timeout, aborts its waits, and still cleans up', async () => {
    const adapter = new FakeAdapter();
    let aborted = false;
    const s = scenario({
      id: 'x.hangs',
      timeoutMs: 150,
      run: async (ctx) => {
        const c = await ctx.connect();
        const sub = await c.subscribe({ command: 'subscribe', topic: 'never' });
        try {
          await ctx.waitFor(sub, () => true, 1, 'nothing', 60_000);
        } catch {
          aborted = ctx.signal.aborted;
        }
      },
    });
    // Had the runner ignored its 150 ms limit, the scenario's 60 s wait would outlast this test's own bound.
    const r = await runScenario(s, adapter, fakeTarget());
    expect(r.outcome).toBe('fail');
    expect(r.detail).toBe('timed out after 150 ms');
    await new Promise((res) => setTimeout(res, 50));
    expect(aborted).toBe(true);
    expect(adapter.disconnects).toBe(1);
  });

  it('reports the assertion message of a failing scenario and unexpected errors', async () => {
    const a = await runScenario(scenario({ id: 'x.f', run: async () => check(false, 'wanted 3 got 2') }), new FakeAdapter(), fakeTarget());
    expect(a).toMatchObject({ outcome: 'fail', detail: 'wanted 3 got 2' });
    const b = await runScenario(scenario({ id: 'x.e', run: async () => { throw Object.assign(new Error('boom'), { reason: 'bad filter' }); } }), new FakeAdapter(), fakeTarget());
    expect(b.detail).toBe('unexpected error: boom (reason: bad filter)');
  });

  it('annotates failures listed in known differences, and flags stale entries that pass', async () => {
    const known = KnownDifferences.parse(`
client: fake
differences:
  - scenario: x.fails
    reason: documented gap
  - scenario: y.*
    reason: whole group
`);
    const fails = scenario({ id: 'x.fails', run: async () => check(false, 'nope') });
    const passes = scenario({ id: 'y.passes' });
    const other = scenario({ id: 'z.fails', run: async () => check(false, 'regression') });
    const results = await runAdapter({ adapter: new FakeAdapter(), target: fakeTarget(), scenarios: [fails, passes, other], knownDifferences: known });
    expect(results[0]).toMatchObject({ outcome: 'fail', knownDifference: 'documented gap' });
    expect(results[1]).toMatchObject({ outcome: 'pass', stale: true });
    expect(results[2]!.knownDifference).toBeUndefined();
    expect(regressions(results).map((r) => r.scenario)).toEqual(['z.fails']);
  });

  it('rejects a known-differences entry without a reason', () => {
    expect(() => KnownDifferences.parse('differences:\n  - scenario: a.b\n')).toThrow(/reason/);
  });

  it('runs a real scenario end to end against the in-memory fake client', async () => {
    const s = SCENARIOS.find((x) => x.id === 'pubsub.publish-subscribe')!;
    const adapter = new FakeAdapter();
    const r = await runScenario(s, adapter, fakeTarget());
    expect(r).toMatchObject({ outcome: 'pass' });
    expect(adapter.connects.length).toBe(1);
    expect(adapter.disconnects).toBe(1);
  });

  it('turns a bad filter into a failure with the server reason that scenarios can assert on', async () => {
    const s = SCENARIOS.find((x) => x.id === 'errors.bad-filter')!;
    const r = await runScenario(s, new FakeAdapter(), fakeTarget());
    // The fake only rejects the literal filter 'bad', so the scenario must fail, with its reason.
    expect(r.outcome).toBe('fail');
    expect(r.detail).toContain('expected a failure');
  });
});

describe('scenario registry', () => {
  it('has unique ids, known capabilities and the required groups', () => {
    const ids = SCENARIOS.map((s) => s.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const s of SCENARIOS) {
      expect(s.id.startsWith(`${s.group}.`)).toBe(true);
      for (const c of s.requires) expect(CAPABILITIES).toContain(c);
    }
    const groups = new Set(SCENARIOS.map((s) => s.group));
    for (const g of ['pubsub', 'regex', 'sow', 'sow-and-subscribe', 'oof', 'sow-delete', 'delta', 'queues', 'bookmarks', 'ha', 'errors', 'heartbeats']) {
      expect(groups.has(g), g).toBe(true);
      expect(SCENARIOS.filter((s) => s.group === g).length, g).toBeGreaterThanOrEqual(2);
    }
    for (const s of SCENARIOS.filter((x) => x.group === 'ha')) expect(s.requires).toContain('ha');
  });

  it('selects by id, group and prefix', () => {
    expect(selectScenarios(['pubsub.unsubscribe']).map((s) => s.id)).toEqual(['pubsub.unsubscribe']);
    expect(selectScenarios(['queues']).every((s) => s.group === 'queues')).toBe(true);
    expect(selectScenarios(['sow*']).map((s) => s.group)).toEqual(expect.arrayContaining(['sow', 'sow-and-subscribe', 'sow-delete']));
  });
});

describe('known differences: intermittent entries', () => {
  it('annotate a failure but do not flag a pass as stale', async () => {
    const known = KnownDifferences.parse('differences:\n  - scenario: x.flaky\n    reason: sometimes\n    intermittent: true\n');
    const pass = await runScenario(scenario({ id: 'x.flaky' }), new FakeAdapter(), fakeTarget(), known);
    expect(pass.stale).toBeUndefined();
    const fail = await runScenario(scenario({ id: 'x.flaky', run: async () => check(false, 'no') }), new FakeAdapter(), fakeTarget(), known);
    expect(fail.knownDifference).toBe('sometimes');
    expect(() => KnownDifferences.parse('differences:\n  - scenario: a\n    reason: b\n    intermittent: maybe\n')).toThrow(/intermittent/);
  });
});
