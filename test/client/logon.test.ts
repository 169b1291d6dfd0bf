import { afterEach, describe, expect, it } from 'vitest';
import { Client, LOGON_VERSION } from '../../runtime/client/index.js';
import type { Authenticator } from '../../runtime/client/index.js';
import { ConnectionState } from '../../generated/enums.js';
import {
  AMPSException,
  AlreadyConnectedException,
  AuthenticationException,
  DisconnectedException,
  NameInUseException,
  TimedOutException,
} from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';
import { Peer, logonAck, until } from './peer.js';

let peer: Peer | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.disconnect().catch(() => undefined);
  await peer?.close();
  peer = undefined;
  client = undefined;
});

describe('connect and logon', () => {
  it('sends the logon real TCP clients send and reads the ack', async () => {
    peer = await Peer.start();
    client = new Client('capture-ts');
    const states: number[] = [];
    client.addConnectionStateListener((s) => states.push(s));
    await client.connect(peer.uri('/amps/json', 'alice:secret@'));
    expect(client.isConnected).toBe(true);
    expect(client.uri).not.toContain('secret');
    const ack = await client.logon();
    const f = peer.frames[0];
    // Same keys, same order as the official Python client's logon (vectors/python-client-tcp-frames.json), with
    // our own version string.
    expect(f.raw).toBe(
      `{"c":"logon","cid":"auto1","client_name":"capture-ts","user_id":"alice","mt":"json","a":"processed","version":"${LOGON_VERSION}","pw":"secret"}`,
    );
    expect(ack.status).toBe('success');
    expect(client.serverVersion).toBe('5.3.4.0');
    expect(client.serverVersionNumber).toBe(5030400);
    expect(client.nameHash).toBe('1234');
    expect(client.isLoggedOn).toBe(true);
    expect(states).toEqual([ConnectionState.Connected, ConnectionState.LoggedOn]);
  });

  it('omits pw without a password, adds pretty, correlation id and logon options', async () => {
    peer = await Peer.start();
    client = new Client('c2');
    await client.connect(peer.uri('/amps/json?pretty=true'));
    await client.logon({ correlationId: 'QUJD', options: 'ack_conflation=100ms' });
    expect(peer.frames[0].wire).toEqual({
      c: 'logon',
      cid: 'auto1',
      client_name: 'c2',
      user_id: '',
      mt: 'json',
      a: 'processed',
      version: LOGON_VERSION,
      x: 'QUJD',
      o: 'ack_conflation=100ms,pretty',
    });
  });

  it('maps logon failure reasons to exceptions and closes the connection', async () => {
    for (const [reason, cls] of [
      ['auth failure', AuthenticationException],
      ['name in use', NameInUseException],
    ] as const) {
      peer = await Peer.start((f, p) => {
        if (f.header.command === 'logon') p.send(logonAck(f, { status: 'failure', reason }));
      });
      client = new Client('bad');
      await client.connect(peer.uri());
      const err = await client.logon().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(cls);
      expect((err as AMPSException).reason).toBe(reason);
      expect(client.isConnected).toBe(false);
      await peer.close();
      peer = undefined;
    }
  });

  it('answers a retry with the authenticator token on the same connection', async () => {
    let attempts = 0;
    peer = await Peer.start((f, p) => {
      if (f.header.command !== 'logon') return;
      attempts++;
      if (attempts === 1) p.send(logonAck(f, { status: 'retry', userId: 'alice', password: 'challenge-1' }));
      else p.send(logonAck(f));
    });
    const calls: string[] = [];
    const auth: Authenticator = {
      authenticate: (u, pw) => {
        calls.push(`auth ${u} ${pw}`);
        return 'token-0';
      },
      retry: async (u, pw) => {
        calls.push(`retry ${u} ${pw}`);
        return 'token-1';
      },
      completed: (u, _pw, reason) => {
        calls.push(`completed ${u} ${reason}`);
      },
    };
    client = new Client('r');
    await client.connect(peer.uri('/amps/json', 'alice:pw@'));
    await client.logon({ authenticator: auth });
    expect(peer.frames.map((f) => f.header.password)).toEqual(['token-0', 'token-1']);
    expect(peer.frames[1].header.commandId).not.toBe(peer.frames[0].header.commandId);
    expect(calls).toEqual(['auth alice pw', 'retry alice challenge-1', 'completed alice ']);
  });

  it('times out a logon nobody answers', async () => {
    peer = await Peer.start(() => undefined);
    client = new Client('t');
    await client.connect(peer.uri());
    await expect(client.logon({ timeout: 50 })).rejects.toBeInstanceOf(TimedOutException);
    expect(client.isConnected).toBe(false);
  });

  it('rejects a second connect and commands before connect', async () => {
    peer = await Peer.start();
    client = new Client('twice');
    await expect(client.flush()).rejects.toBeInstanceOf(DisconnectedException);
    expect(() => client!.publish('t', 'x')).toThrow(DisconnectedException);
    await client.connect(peer.uri());
    await expect(client.connect(peer.uri())).rejects.toBeInstanceOf(AlreadyConnectedException);
  });

  it('broadcasts Disconnected then calls the disconnect handler when the server drops us', async () => {
    peer = await Peer.start();
    client = new Client('dh');
    const states: number[] = [];
    const seen: string[] = [];
    client.addConnectionStateListener((s) => states.push(s));
    client.setDisconnectHandler((c, err) => {
      seen.push(`${c === client} ${err instanceof DisconnectedException}`);
    });
    await client.connect(peer.uri());
    await client.logon();
    peer.dropClients();
    await until(() => seen.length === 1, 3000, 'disconnect handler');
    expect(seen).toEqual(['true true']);
    expect(states).toEqual([ConnectionState.Connected, ConnectionState.LoggedOn, ConnectionState.Disconnected]);
    expect(client.isConnected).toBe(false);
  });

  it('disconnect() broadcasts Disconnected and Shutdown without calling the disconnect handler', async () => {
    peer = await Peer.start();
    client = new Client('bye');
    const states: number[] = [];
    let called = false;
    client.addConnectionStateListener((s) => states.push(s));
    client.setDisconnectHandler(() => {
      called = true;
    });
    await client.connect(peer.uri());
    await client.logon();
    await client.disconnect();
    expect(states).toEqual([
      ConnectionState.Connected,
      ConnectionState.LoggedOn,
      ConnectionState.Disconnected,
      ConnectionState.Shutdown,
    ]);
    expect(called).toBe(false);
  });

  it('a listener or handler that throws reaches the exception listener, never the process', async () => {
    peer = await Peer.start();
    client = new Client('x');
    const errors: Error[] = [];
    client.setExceptionListener((e) => errors.push(e));
    client.addConnectionStateListener(() => {
      throw new Error('listener boom');
    });
    await client.connect(peer.uri());
    await client.logon();
    expect(errors.map((e) => e.message)).toEqual(['listener boom', 'listener boom']);
  });

  it('ignores headers it cannot route and hands them to the last-chance handler', async () => {
    peer = await Peer.start();
    client = new Client('lc');
    const last: string[] = [];
    client.setLastChanceMessageHandler((m) => last.push(`${m.command} ${m.subscriptionIds}`));
    await client.connect(peer.uri());
    await client.logon();
    peer.send({ command: 'p', topic: 't', subscriptionIds: 'nobody', messageLength: 2 } as Header, '{}');
    await until(() => last.length === 1);
    expect(last).toEqual(['publish nobody']);
  });
});
