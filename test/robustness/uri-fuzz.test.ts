// URI fuzz: random mutations of valid AMPS URIs into parseUri (and redactUri). The only exceptions allowed are
// InvalidUriException, InvalidTransportOptionsException and TransportTypeException; the password never appears
// in an error message (nor in a successful parse's toString/JSON). Seeded (FUZZ_SEED), bounded.

import { describe, expect, it } from 'vitest';
import {
  InvalidTransportOptionsException,
  InvalidUriException,
  TransportTypeException,
} from '../../generated/errors.js';
import { parseUri, redactUri } from '../../runtime/transport/uri.js';
import { bounded, Rng, SEED } from './fuzz-util.js';

const PASSWORD = 'Pw9sEcReT';
const VALID = [
  `tcp://user:${PASSWORD}@127.0.0.1:9007/amps/json`,
  `tcps://user:${PASSWORD}@example.com:9443/amps/json?tcp_nodelay=true&tcp_sndbuf=65536`,
  `ws://user:${PASSWORD}@localhost:9008/amps/json?pretty=true`,
  `wss://user:${PASSWORD}@[::1]:9443/proxy/amps/json`,
  `unix://user:${PASSWORD}@localhost/amps/json?path=/tmp/amps.sock`,
  `tcp://user:${PASSWORD}@host:9007/amps/fix?bind=10.0.0.1:0&tcp_keepalive=true&tcp_linger=5`,
  `tcp://u%40x:${PASSWORD}@host:9007/json`,
  `tcp://user:${PASSWORD}@127.0.0.1:9007/amps/bflat?ip_protocol_prefer=ipv4`,
];
const TOKENS = ['%', '%zz', '%00', '%40', '%2F', '@', ':', '[', ']', '?', '&', '=', '#', '/', '//', '.', '-', 'é', '😀', '\u0000', ' ',
  '\n', '99999999999', '-1', '0', 'tcp', 'amps', 'json', 'tcp_nodelay=maybe', 'tcp_sndbuf=-5', 'bind=[::1', 'path=', 'unknown_opt=1',
  'pretty', '&&', '==', ':::', '[::1]', '[zz]', '\ud800', 'TCP', 'http', 'ws', ':65536', ':0', ':-1', ':9007x'];

const ALLOWED = [InvalidUriException, InvalidTransportOptionsException, TransportTypeException];

function mutateUri(rng: Rng, s: string): { uri: string; how: string } {
  const at = rng.int(s.length + 1);
  switch (rng.int(6)) {
    case 0: {
      const t = rng.pick(TOKENS);
      return { uri: s.slice(0, at) + t + s.slice(at), how: `insert ${JSON.stringify(t)} at ${at}` };
    }
    case 1: {
      const n = 1 + rng.int(6);
      return { uri: s.slice(0, at) + s.slice(at + n), how: `delete ${n} at ${at}` };
    }
    case 2: {
      const t = rng.pick(TOKENS);
      return { uri: s.slice(0, at) + t + s.slice(at + 1 + rng.int(4)), how: `replace at ${at} with ${JSON.stringify(t)}` };
    }
    case 3:
      return { uri: s.slice(0, at), how: `truncate to ${at}` };
    case 4: {
      const from = rng.int(s.length);
      const seg = s.slice(from, from + rng.int(12));
      return { uri: s.slice(0, at) + seg + s.slice(at), how: `dup ${JSON.stringify(seg)} at ${at}` };
    }
    default: {
      const c = String.fromCharCode(rng.int(0x80));
      return { uri: s.slice(0, at) + c + s.slice(at), how: `insert char ${c.charCodeAt(0)} at ${at}` };
    }
  }
}

/**
 * The redactUri bug pinned by the it.fails below: a URI that does not start with `<scheme>://` but holds `://`
 * later is not masked. Excluded from the fuzz's password check so the fuzz keeps looking for other leaks.
 */
function knownRedactBug(uri: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9+.-]*:\/\//.test(uri)) return uri.includes('://');
  // Second known bug: a raw `/`, `?` or `#` inside the user info (before the `@` that follows the password).
  const rest = uri.slice(uri.indexOf('://') + 3);
  const end = rest.indexOf(`${PASSWORD}@`);
  return end >= 0 && /[/?#]/.test(rest.slice(0, end + PASSWORD.length));
}

function texts(e: unknown): string {
  const err = e as Error & { cause?: unknown };
  return [String(err?.message), String(err), err?.stack ?? '', err?.cause instanceof Error ? err.cause.message : String(err?.cause ?? '')].join('\n');
}

describe(`URI fuzz (seed ${SEED}; rerun with FUZZ_SEED=<n>)`, () => {
  it('the valid corpus parses', () => {
    for (const u of VALID) {
      const p = parseUri(u);
      expect(p.password).toBe(PASSWORD);
      expect(String(p)).not.toContain(PASSWORD);
      expect(JSON.stringify(p)).not.toContain(PASSWORD);
    }
  });

  it('mutated URIs raise only the typed URI exceptions, and never show the password', () => {
    const rng = new Rng(SEED ^ 0x7777);
    let rejected = 0;
    const runs = bounded(20_000, 3000, (i) => {
      let uri = rng.pick(VALID);
      const hows: string[] = [];
      for (let k = 1 + rng.int(3); k > 0; k--) {
        const m = mutateUri(rng, uri);
        uri = m.uri;
        hows.push(m.how);
      }
      const input = `seed=${SEED ^ 0x7777} run ${i}: ${JSON.stringify(uri)} (${hows.join('; ')})`;
      // The password is the secret only while it is still written as one (`:<password>@`).
      // (A mutation that copies the password elsewhere, e.g. into an option value, makes it ordinary text there.)
      const secret = uri.includes(`:${PASSWORD}@`) && uri.split(PASSWORD).length === 2 && !knownRedactBug(uri);
      let parsed;
      try {
        parsed = parseUri(uri);
      } catch (e) {
        rejected++;
        if (!ALLOWED.some((c) => e instanceof c)) expect.fail(`${input}\nunexpected ${(e as Error)?.constructor?.name}: ${texts(e)}`);
        if (secret) expect(texts(e), input).not.toContain(PASSWORD);
        return;
      }
      if (secret) {
        expect(String(parsed), input).not.toContain(PASSWORD);
        expect(JSON.stringify(parsed), input).not.toContain(PASSWORD);
      }
      // redactUri never throws and masks the password.
      const red = redactUri(uri);
      if (secret) expect(red, input).not.toContain(PASSWORD);
    });
    expect(runs).toBeGreaterThan(500);
    expect(rejected).toBeGreaterThan(0);
  });

  it('hand-picked hostile URIs', () => {
    const cases = [
      '', ' ', 'tcp', 'tcp:', 'tcp://', 'tcp://@', 'tcp://:@:/', 'tcp://h:99999/amps', 'tcp://h:0/amps', 'tcp://h:-1/amps',
      'tcp://h:9007', 'tcp://h:9007/', 'tcp://h:9007/nope/json', 'ftp://h:1/amps/json', 'TCP://h:1/amps/json',
      `tcp://u:${PASSWORD}%zz@h:1/amps/json`, `tcp://u:%${PASSWORD}@h:1/amps/json`, `tcp://u:${PASSWORD}@h:1/amps/json?tcp_sndbuf=${PASSWORD}`,
      `tcp://u:${PASSWORD}@h:${PASSWORD}/amps/json`, `tcp://u:${PASSWORD}@[${PASSWORD}]:1/amps/json`, `tcp://u:${PASSWORD}@h:1/amps/json#${PASSWORD}`,
      `tcp://u:${PASSWORD}@h:1/amps/json?bind=${PASSWORD}`, `tcp://u:${PASSWORD}@h:1/amps/json?${PASSWORD}=1`,
      `tcp://u:${PASSWORD}@h:1/amps/json?tcp_nodelay=${PASSWORD}`, `tcp://u:${PASSWORD}@h/amps/json`,
      `tcp://u:${PASSWORD}@h@x:1/amps/json`, `tcp://u:${PASSWORD}@h:1/${'a/'.repeat(10_000)}amps/json`,
      `tcp://u:${PASSWORD}@${'h'.repeat(100_000)}:1/amps/json`, `tcp://u:${PASSWORD}@h:1/amps/json?${'a=1&'.repeat(5000)}`,
      `unix://u:${PASSWORD}@h/amps/json`, `unix://u:${PASSWORD}@h/amps/json?path=`, `ws://u:${PASSWORD}@h:1/amps/json?path=/x`,
      `tcp://u:${PASSWORD}@h:1/amps/json?pretty=true&pretty=false`, `tcp://[::1:1/amps/json`, `tcp://::1:1/amps/json`,
    ];
    for (const uri of cases) {
      try {
        parseUri(uri);
      } catch (e) {
        if (!ALLOWED.some((c) => e instanceof c)) expect.fail(`${JSON.stringify(uri.slice(0, 200))}: unexpected ${texts(e)}`);
        if (uri.split(PASSWORD).length === 2) expect(texts(e), uri.slice(0, 200)).not.toContain(PASSWORD);
      }
    }
    // Non-strings (JS callers).
    for (const v of [undefined, null, 42, {}, []]) {
      expect(() => parseUri(v as unknown as string)).toThrow(InvalidUriException);
    }
  });

  // BUG (runtime/transport/uri.ts redactUri: `const sep = uri.indexOf('://')`): the first `://` ANYWHERE is taken
  // as the scheme separator. When the URI does not start with `<scheme>://` (a typo such as `tcp:/`) but holds
  // `://` later (in a path or an option value), everything before that later `://`, password included, is kept
  // verbatim, and parseUri's InvalidUriException echoes it. Input:
  //   parseUri('tcp:/user:Pw9sEcReT@h:9007/amps/json?x=a://b')
  //   -> "invalid URI 'tcp:/user:Pw9sEcReT@h:9007/amps/json?x=a://b': expected ..."
  // Fix: only honour `://` when SCHEME_RE matches at the start; otherwise use maskLoose.
  it('a malformed URI holding `://` after the user info still has its password masked', () => {
    for (const uri of [`tcp:/user:${PASSWORD}@h:9007/amps/json?x=a://b`, `tcp//user:${PASSWORD}@h:9007/amps://json`]) {
      expect(redactUri(uri)).not.toContain(PASSWORD);
      expect(() => parseUri(uri)).toThrow(InvalidUriException);
      try {
        parseUri(uri);
      } catch (e) {
        expect(texts(e)).not.toContain(PASSWORD);
      }
    }
  });

  // BUG (runtime/transport/uri.ts redactUri / looseUserInfoEnd): a raw `/`, `?` or `#` in the user info is only
  // masked when the text after the last `@` looks like `host[:port]/`. When the URI has no path after the host
  // (or the host part is itself malformed), nothing is masked and parseUri's InvalidUriException echoes the
  // password, even though parseUri itself has already decided that this text IS user info ("the user info holds
  // a raw '/'..."). Inputs:
  //   parseUri('tcp://user:pa/ss${PASSWORD}@host:9007')          (password with a '/', URI without a path)
  //   parseUri('tcp://us/er:${PASSWORD}@host:9007&/json')
  // Fix: when the strict split fails, mask from the first ':' after '://' to the LAST '@' in the whole URI
  // (over-masking is preferable, as the redactUri doc comment already says).
  it('a raw `/` in the user info never leaks the password, whatever follows the host', () => {
    for (const uri of [`tcp://user:pa/ss${PASSWORD}@host:9007`, `tcp://us/er:${PASSWORD}@host:9007&/json`, `tcp://user:${PASSWORD}/x@`]) {
      expect(() => parseUri(uri)).toThrow(InvalidUriException);
      try {
        parseUri(uri);
      } catch (e) {
        expect(texts(e), uri).not.toContain(PASSWORD);
      }
    }
  });
});
