import { afterEach, describe, expect, it } from 'vitest';
import { MockServer } from '../../mock-server/index.js';
import { HAClient, DefaultServerChooser, FixedDelayStrategy } from '../../runtime/ha/index.js';
import { connectionStateName } from '../../generated/enums.js';

describe('smoke', () => {
  let server: MockServer | undefined;
  afterEach(async () => {
    await server?.close();
  });
  it('connects, reconnects after drop, resubscribes', async () => {
    server = await MockServer.start();
    const c = new HAClient('smoke', { serverChooser: new DefaultServerChooser().add(server.uri('tcp')), delayStrategy: new FixedDelayStrategy(20) });
    const states: string[] = [];
    c.addConnectionStateListener((s) => states.push(connectionStateName(s)));
    await c.connectAndLogon();
    const got: string[] = [];
    await c.subscribe((m) => got.push(m.data), 'messages');
    c.publish('messages', 'a');
    server.dropAllConnections();
    for (let i = 0; i < 100 && !(c.isLoggedOn && !c.isReconnecting && c.reconnections === 1); i++) await new Promise((r) => setTimeout(r, 20));
    c.publish('messages', 'b');
    await c.flush();
    for (let i = 0; i < 50 && got.length < 2; i++) await new Promise((r) => setTimeout(r, 20));
    await c.disconnect();
    console.log(states, got);
    expect(got).toContain('b');
  });
});
