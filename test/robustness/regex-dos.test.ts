// Catastrophic regular expressions from a client (regex topics, LIKE filters) must not wedge the mock server:
// "the mock server never crashes on a bad client" includes never hanging on one. The server runs in a child
// process here so a wedged event loop cannot hang the test runner; it is killed at the end of every test.

import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { afterEach, describe, expect, it } from 'vitest';
import { H, RawTcp } from './raw.js';

const CHILD = fileURLToPath(new URL('./child-server.ts', import.meta.url));
const children: ChildProcess[] = [];
const sockets: RawTcp[] = [];

async function startChild(): Promise<{ tcp: number }> {
  const child = spawn(process.execPath, ['--import', 'tsx', CHILD], { stdio: ['pipe', 'pipe', 'inherit'] });
  children.push(child);
  return new Promise((resolve, reject) => {
    const t = setTimeout(() => reject(new Error('child mock server did not start')), 15_000);
    let out = '';
    child.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const nl = out.indexOf('\n');
      if (nl >= 0) {
        clearTimeout(t);
        resolve(JSON.parse(out.slice(0, nl)) as { tcp: number });
      }
    });
    child.once('exit', (code) => reject(new Error(`child exited early (${code})`)));
  });
}

async function raw(port: number, name: string): Promise<RawTcp> {
  const c = await RawTcp.connect(port);
  sockets.push(c);
  expect((await c.logon(name))?.header.status).toBe('success');
  return c;
}

afterEach(() => {
  for (const s of sockets.splice(0)) s.close();
  for (const c of children.splice(0)) c.kill('SIGKILL');
});

/** After the poisonous publish, a brand-new connection must still get its logon answered. */
async function responsive(port: number): Promise<boolean> {
  const probe = await RawTcp.connect(port);
  sockets.push(probe);
  probe.send(H({ command: 'logon', commandId: 'probe', clientName: 'probe', ackType: 'processed' }));
  // Liveness bound, not a timing assertion: a healthy server answers in milliseconds.
  return (await probe.ackFor('probe', 4000)) !== undefined;
}

describe('catastrophic regexes from clients', () => {
  // BUG (mock-server/engine/topic.ts compileTopic -> `re.test(t)`, via filter/parser.ts compileLikePattern): regex
  // topics are compiled into backtracking JS RegExps with no complexity or length bound and are run on the
  // server's only thread for every published topic. A client subscribing to `(a+)+$` and any client publishing to
  // topic 'aaaa…a!' (40 a's) wedges the whole server (2^40 backtracking steps): no other connection is served.
  // Proposed fix: reject regex topics with nested quantifiers (or run them through a linear-time engine, e.g.
  // RE2 / V8's `--enable-experimental-regexp-engine` `l` flag), and cap the topic length a regex is tested against.
  it('a regex topic with exponential backtracking does not wedge the server', async () => {
    const { tcp } = await startChild();
    const sub = await raw(tcp, 'evil-sub');
    sub.send(H({ command: 'subscribe', topic: '(a+)+$', subscriptionId: 'evil', commandId: 's', ackType: 'processed' }));
    expect((await sub.ackFor('s'))?.header.status).toBe('success');
    const pub = await raw(tcp, 'evil-pub');
    pub.send(H({ command: 'publish', topic: `${'a'.repeat(40)}!` }), '{"x":1}');
    expect(await responsive(tcp)).toBe(true);
  });

  // BUG (same engine, mock-server/engine/filter: LIKE compiles the client's pattern with compileLikePattern and
  // runs it on each published message): `/x LIKE '(a+)+$'` plus a publish of {"x":"aaaa…a!"} wedges the server.
  it('a LIKE filter with exponential backtracking does not wedge the server', async () => {
    const { tcp } = await startChild();
    const sub = await raw(tcp, 'evil-like');
    sub.send(H({ command: 'subscribe', topic: 'like-t', filter: "/x LIKE '(a+)+$'", subscriptionId: 'evil', commandId: 's', ackType: 'processed' }));
    expect((await sub.ackFor('s'))?.header.status).toBe('success');
    const pub = await raw(tcp, 'evil-pub2');
    pub.send(H({ command: 'publish', topic: 'like-t' }), JSON.stringify({ x: `${'a'.repeat(40)}!` }));
    expect(await responsive(tcp)).toBe(true);
  });

  it('the same server answers normally without the poison (control)', async () => {
    const { tcp } = await startChild();
    const sub = await raw(tcp, 'ok-sub');
    sub.send(H({ command: 'subscribe', topic: '(a+)+$', subscriptionId: 'fine', commandId: 's', ackType: 'processed' }));
    expect((await sub.ackFor('s'))?.header.status).toBe('success');
    const pub = await raw(tcp, 'ok-pub');
    pub.send(H({ command: 'publish', topic: 'aaaa' }), '{"x":1}');
    expect(await sub.waitFor((m) => m.header.command === 'publish')).toBeDefined();
    expect(await responsive(tcp)).toBe(true);
  });
});
