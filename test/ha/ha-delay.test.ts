// The HAClient honours its delay strategy: attempt times under fake timers, with a transport factory that
// refuses every connection (no network, fully deterministic).
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { ConnectionRefusedException } from '../../generated/errors.js';
import {
  DefaultServerChooser,
  ExponentialDelayStrategy,
  FixedDelayStrategy,
  HAClient,
  type DelayStrategy,
} from '../../runtime/ha/index.js';

function refusingClient(delay: DelayStrategy, uris: string[]): { client: HAClient; attempts: Array<{ at: number; port: number }> } {
  const attempts: Array<{ at: number; port: number }> = [];
  const chooser = new DefaultServerChooser();
  for (const u of uris) chooser.add(u);
  const client = new HAClient('delays', {
    serverChooser: chooser,
    delayStrategy: delay,
    connect: {
      transportFactory: (uri) => {
        attempts.push({ at: Date.now() - T0, port: uri.port ?? 0 });
        throw new ConnectionRefusedException('refused (test)');
      },
    },
  });
  return { client, attempts };
}

const T0 = Date.UTC(2026, 0, 1);

describe('HAClient attempt timing follows the delay strategy (fake timers)', () => {
  beforeEach(() => {
    vi.useFakeTimers();
    vi.setSystemTime(T0);
  });
  afterEach(() => vi.useRealTimers());

  it('fixed delay, one server: attempts at 0, 100, 200, ... until the maximum retry time, then gives up', async () => {
    const { client, attempts } = refusingClient(new FixedDelayStrategy({ delay: 100, maximumRetryTime: 450 }), ['tcp://127.0.0.1:9001/amps/json']);
    const p = client.connectAndLogon().catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(1000);
    const err = await p;
    expect(err).toBeInstanceOf(Error);
    expect((err as Error).message).toMatch(/Maximum retry time exceeded/);
    expect(attempts.map((a) => a.at)).toEqual([0, 100, 200, 300, 400, 450]);
  });

  it('exponential, two servers: both tried back to back, then one backoff per cycle', async () => {
    const { client, attempts } = refusingClient(
      new ExponentialDelayStrategy({ initialDelay: 100, multiplier: 2, maximumDelay: 1000, jitter: 0, maximumRetryTime: 2000 }),
      ['tcp://127.0.0.1:9001/amps/json', 'tcp://127.0.0.1:9002/amps/json'],
    );
    const p = client.connectAndLogon().catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(5000);
    await p;
    expect(attempts.map((a) => `${a.port}@${a.at}`)).toEqual([
      '9001@0',
      '9002@0',
      '9001@100',
      '9002@100',
      '9001@300',
      '9002@300',
      '9001@700',
      '9002@700',
      '9001@1500',
      '9002@1500',
      '9001@2000', // the wait is clipped to the maximum retry time; the next request throws
    ]);
    expect(((await p) as Error).message).toMatch(/Maximum retry time exceeded/);
  });

  it('disconnect() during a wait stops at once', async () => {
    const { client, attempts } = refusingClient(new FixedDelayStrategy({ delay: 10_000 }), ['tcp://127.0.0.1:9001/amps/json']);
    const p = client.connectAndLogon().catch((e: Error) => e);
    await vi.advanceTimersByTimeAsync(50);
    expect(attempts).toHaveLength(1);
    await client.disconnect();
    const err = await p;
    expect((err as Error).message).toMatch(/disconnected/);
    await vi.advanceTimersByTimeAsync(20_000);
    expect(attempts).toHaveLength(1);
  });
});
