import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DriverAdapter } from '../../conformance/adapters/driver.js';
import { runScenario } from '../../conformance/runner.js';
import { SCENARIOS } from '../../conformance/scenarios/index.js';
import { AdapterError } from '../../conformance/types.js';
import { shellQuote, tsxImportArgs } from '../../conformance/driver/ours-command.js';
import { fakeTarget } from './fake-target.js';

const here = path.dirname(fileURLToPath(import.meta.url));
const fakeDriver = (...args: string[]) => [process.execPath, ...tsxImportArgs(), path.join(here, 'fake-driver.ts'), ...args].map(shellQuote).join(' ');

describe('JSON-lines driver boundary (fake client in a child process)', () => {
  let driver: DriverAdapter;
  beforeAll(async () => {
    driver = await DriverAdapter.start(fakeDriver());
  });
  afterAll(async () => {
    await driver?.close();
  });

  it('takes id, transport and capabilities from the hello line', () => {
    expect(driver.id).toBe('driver:fake');
    expect(driver.transport).toBe('tcp');
    expect([...driver.capabilities].sort()).toEqual(['filter', 'publish', 'subscribe']);
  });

  it('runs a scenario through the process boundary', async () => {
    const r = await runScenario(SCENARIOS.find((s) => s.id === 'pubsub.publish-subscribe')!, driver, fakeTarget());
    expect(r).toMatchObject({ outcome: 'pass' });
    const u = await runScenario(SCENARIOS.find((s) => s.id === 'pubsub.unsubscribe')!, driver, fakeTarget());
    expect(u).toMatchObject({ outcome: 'pass' });
  });

  it('carries errors with their kind and server reason', async () => {
    const s = await driver.createSession();
    await expect(s.connect({ uri: 'tcp://nowhere:1/amps/json', name: 'x' })).rejects.toMatchObject({ kind: 'connection' });
    await s.connect({ uri: 'tcp://fake:1/amps/json', name: 'x' });
    const err = await s.subscribe({ command: 'subscribe', topic: 't', filter: 'bad' }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AdapterError);
    expect(err).toMatchObject({ kind: 'server', reason: 'bad filter' });
    await s.disconnect();
  });

  it('fails pending requests and reports disconnection when the driver dies', async () => {
    const crashing = await DriverAdapter.start(fakeDriver('--crash-on-publish'));
    try {
      const s = await crashing.createSession();
      await s.connect({ uri: 'tcp://fake:1/amps/json', name: 'y' });
      await expect(s.publish('t', '{}')).rejects.toMatchObject({ message: expect.stringContaining('driver exited') });
      await expect(s.disconnected).resolves.toMatchObject({ kind: 'disconnected' });
      await expect(crashing.createSession()).rejects.toBeInstanceOf(AdapterError);
    } finally {
      await crashing.close();
    }
  });

  it('reports a driver that never says hello', async () => {
    await expect(DriverAdapter.start(`'${process.execPath}' -e "setTimeout(() => {}, 5000)"`, { helloTimeoutMs: 300 })).rejects.toThrow(/no hello line/);
    await expect(DriverAdapter.start(`'${process.execPath}' -e "process.exit(4)"`)).rejects.toThrow(/exited \(code 4\)/);
  });
});
