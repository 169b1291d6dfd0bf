import { afterEach, describe, expect, it } from 'vitest';
import { Client } from '../../runtime/client/index.js';
import { ConnectionState } from '../../generated/enums.js';
import { DisconnectedException } from '../../generated/errors.js';
import type { Header } from '../../generated/header-fields.js';
import { Peer, until } from './peer.js';

let peer: Peer | undefined;
let client: Client | undefined;

afterEach(async () => {
  await client?.disconnect().catch(() => undefined);
  await peer?.close();
  peer = client = undefined;
});

describe('heartbeats', () => {
  it('sends start after logon, reports HeartbeatInitiated, answers server beats', async () => {
    peer = await Peer.start();
    client = new Client('hb').setHeartbeat(30);
    const states: number[] = [];
    client.addConnectionStateListener((s) => states.push(s));
    await client.connect(peer.uri());
    await client.logon();
    const start = await peer.nextCommand('heartbeat');
    // What the official Python client sends: no command id, no ack requested.
    expect(start.raw).toBe('{"c":"heartbeat","o":"start,30"}');
    expect(states).toEqual([ConnectionState.Connected, ConnectionState.LoggedOn, ConnectionState.HeartbeatInitiated]);
    peer.send({ command: 'heartbeat' } as Header);
    const beat = await peer.nextCommand('heartbeat');
    expect(beat.raw).toBe('{"c":"heartbeat","o":"beat"}');
  });

  it('setHeartbeat after logon starts at once', async () => {
    peer = await Peer.start();
    client = new Client('hb2');
    await client.connect(peer.uri());
    await client.logon();
    client.setHeartbeat(5, 15);
    expect((await peer.nextCommand('heartbeat')).header.options).toBe('start,5');
  });

  it('disconnects when the server stays silent past the idle timeout', async () => {
    peer = await Peer.start();
    client = new Client('hb3').setHeartbeat(1, 1);
    let lost: Error | undefined;
    client.setDisconnectHandler((_c, e) => {
      lost = e;
    });
    await client.connect(peer.uri());
    await client.logon();
    const stream = await client.subscribe('t');
    await until(() => lost !== undefined, 5000, 'heartbeat disconnect');
    expect(lost).toBeInstanceOf(DisconnectedException);
    expect(lost!.message).toMatch(/heartbeat/);
    expect(client.isConnected).toBe(false);
    await expect(stream.next()).rejects.toBeInstanceOf(DisconnectedException);
  });

  it('server traffic keeps the connection alive', async () => {
    peer = await Peer.start();
    client = new Client('hb4').setHeartbeat(1, 1);
    await client.connect(peer.uri());
    await client.logon();
    const timer = setInterval(() => peer!.send({ command: 'heartbeat' } as Header), 200);
    await new Promise((r) => setTimeout(r, 1600));
    clearInterval(timer);
    expect(client.isConnected).toBe(true);
  });

  it('answers a burst of server beats at most a few times (no ping-pong with a peer that echoes)', async () => {
    peer = await Peer.start();
    client = new Client('hb5').setHeartbeat(30);
    await client.connect(peer.uri());
    await client.logon();
    for (let i = 0; i < 50; i++) peer.send({ command: 'heartbeat' } as Header);
    await peer.next((f) => f.header.options === 'beat');
    await client.flush();
    await client.flush();
    const beats = peer.frames.filter((f) => f.header.options === 'beat');
    expect(beats.length).toBeGreaterThanOrEqual(1);
    expect(beats.length).toBeLessThanOrEqual(2);
  });
});
