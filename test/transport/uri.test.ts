import { describe, expect, it } from 'vitest';
import { inspect } from 'node:util';
import {
  InvalidTransportOptionsException,
  InvalidUriException,
  TransportTypeException,
} from '../../generated/errors.js';
import { URI_OPTIONS } from '../../generated/uri-options.js';
import { isIPv6, parseUri, redactUri } from '../../runtime/transport/uri.js';

function errorOf(fn: () => unknown): Error {
  try {
    fn();
  } catch (err) {
    return err as Error;
  }
  throw new Error('expected an exception');
}

describe('parseUri: schemes, hosts, paths', () => {
  it('parses a plain tcp URI', () => {
    const u = parseUri('tcp://localhost:9007/amps/json');
    expect(u.scheme).toBe('tcp');
    expect(u.host).toBe('localhost');
    expect(u.port).toBe(9007);
    expect(u.path).toBe('/amps/json');
    expect(u.protocol).toBe('amps');
    expect(u.messageType).toBe('json');
    expect(u.user).toBeUndefined();
    expect(u.password).toBeUndefined();
    expect(u.socketOptions).toEqual({});
    expect(u.logonOptions).toEqual({});
  });

  it.each(['tcp', 'tcps', 'ws', 'wss', 'TCP', 'Wss'])('accepts scheme %s (case-insensitive)', (scheme) => {
    expect(parseUri(`${scheme}://h:1/amps/json`).scheme).toBe(scheme.toLowerCase());
  });

  it('unix requires path and ignores host and port', () => {
    const u = parseUri('unix://localhost:0/amps/json?path=/tmp/amps.sock');
    expect(u.scheme).toBe('unix');
    expect(u.unixPath).toBe('/tmp/amps.sock');
    expect(u.socketOptions.path).toBe('/tmp/amps.sock');
    expect(parseUri('unix://anything/amps/nvfix?path=%2Fvar%2Frun%2Fa%20b.sock').unixPath).toBe('/var/run/a b.sock');
    expect(errorOf(() => parseUri('unix://localhost:0/amps/json'))).toBeInstanceOf(InvalidUriException);
    expect(errorOf(() => parseUri('unix://localhost:0/amps/json?path='))).toBeInstanceOf(
      InvalidTransportOptionsException,
    );
  });

  it('rejects unknown schemes with TransportTypeException', () => {
    for (const s of ['http', 'udp', 'tcpx', 'ssl']) {
      const err = errorOf(() => parseUri(`${s}://h:1/amps/json`));
      expect(err).toBeInstanceOf(TransportTypeException);
    }
  });

  it('rejects malformed URIs with InvalidUriException', () => {
    const bad = [
      '',
      'localhost:9007/amps/json',
      'tcp:/localhost:9007/amps/json',
      'tcp://localhost/amps/json', // tcp needs a port
      'tcp://localhost:/amps/json',
      'tcp://localhost:0/amps/json',
      'tcp://localhost:70000/amps/json',
      'tcp://localhost:90a7/amps/json',
      'tcp://:9007/amps/json',
      'tcp://localhost:9007',
      'tcp://localhost:9007/',
      'tcp://localhost:9007/amps/json/',
      'tcp://localhost:9007/amps//json',
      'tcp://localhost:9007/foo/bar',
      'tcp://localhost:9007/fix', // legacy protocols are rejected clearly
      'tcp://localhost:9007/nvfix',
      'tcp://localhost:9007/xml',
      'tcp://local host:9007/amps/json',
      'tcp://localhost:9007/amps/json#frag',
      'tcp://::1:9007/amps/json',
      'tcp://[::1:9007/amps/json',
      'tcp://[zz::1]:9007/amps/json',
      'tcp://[::1]x9007/amps/json',
      'ws://localhost:9008/amps', // a WebSocket URI needs the message type
      'tcp://us%ZZer:pw@localhost:9007/amps/json',
    ];
    for (const uri of bad) {
      const err = errorOf(() => parseUri(uri));
      expect(err, uri).toBeInstanceOf(InvalidUriException);
    }
  });

  it('takes the message type from the last segment after amps/json, with any prefix', () => {
    const u = parseUri('wss://proxy.example.com/gateway/v1/amps/json');
    expect(u.port).toBe(443);
    expect(u.path).toBe('/gateway/v1/amps/json');
    expect(u.protocol).toBe('amps');
    expect(u.messageType).toBe('json');
    expect(parseUri('ws://h/AMPS/bflat').messageType).toBe('bflat');
    expect(parseUri('ws://h/amps/json').port).toBe(80);
    expect(parseUri('tcp://h:1/json/json')).toMatchObject({ protocol: 'json', messageType: 'json' });
    expect(parseUri('tcp://h:1/amps')).toMatchObject({ protocol: 'amps', messageType: undefined });
    expect(parseUri('tcp://h:1/json')).toMatchObject({ protocol: 'json', messageType: undefined });
    expect(parseUri('tcp://h:1/amps/fix').messageType).toBe('fix');
    expect(parseUri('tcp://h:1/amps/my-composite').messageType).toBe('my-composite');
  });

  it('handles IPv4 and bracketed IPv6 hosts', () => {
    expect(parseUri('tcp://127.0.0.1:9007/amps/json').host).toBe('127.0.0.1');
    const v6 = parseUri('tcp://[::1]:9007/amps/json');
    expect(v6.host).toBe('::1');
    expect(v6.port).toBe(9007);
    expect(parseUri('tcps://[2001:db8::5]:443/amps/json').host).toBe('2001:db8::5');
    expect(parseUri('ws://[fe80::1%25eth0]:80/amps/json').host).toBe('fe80::1%25eth0');
  });

  it('percent-decodes user and password; empty password allowed', () => {
    const u = parseUri('tcp://J%C3%B6hn%20Doe:p%40ss%3Aw%2Fo%3Frd@localhost:9007/amps/json');
    expect(u.user).toBe('Jöhn Doe');
    expect(u.password).toBe('p@ss:w/o?rd');
    const e = parseUri('tcp://JohnDoe:@server:9007/amps/json');
    expect(e.user).toBe('JohnDoe');
    expect(e.password).toBe('');
    const n = parseUri('tcp://JohnDoe@server:9007/amps/json');
    expect(n.user).toBe('JohnDoe');
    expect(n.password).toBeUndefined();
    // An unencoded '@' in the password: the last '@' ends the user info.
    expect(parseUri('tcp://u:a@b@h:1/amps/json')).toMatchObject({ user: 'u', host: 'h' });
    expect(parseUri('tcp://u:a@b@h:1/amps/json').password).toBe('a@b');
  });
});

describe('parseUri: options', () => {
  const tcpOnly = ['bind', 'tcp_rcvbuf', 'tcp_sndbuf', 'tcp_nodelay', 'tcp_linger', 'tcp_keepalive', 'ip_protocol_prefer'];

  it('covers every option in the generated table', () => {
    expect(URI_OPTIONS.map((o) => o.name).sort()).toEqual(
      [...tcpOnly, 'path', 'pretty', 'compression', 'http_preflight'].sort(),
    );
  });

  it.each(['tcp', 'tcps'])('accepts and types every socket option on %s', (scheme) => {
    const u = parseUri(
      `${scheme}://h:1/amps/json?tcp_nodelay=true&tcp_keepalive=0&tcp_sndbuf=65536&tcp_rcvbuf=131072` +
        '&tcp_linger=0&bind=127.0.0.1:0&ip_protocol_prefer=ipv6&pretty=1',
    );
    expect(u.socketOptions).toEqual({
      tcp_nodelay: true,
      tcp_keepalive: false,
      tcp_sndbuf: 65536,
      tcp_rcvbuf: 131072,
      tcp_linger: 0,
      bind: '127.0.0.1:0',
      ip_protocol_prefer: 'ipv6',
    });
    expect(u.logonOptions).toEqual({ pretty: true });
    expect(u.bind).toEqual({ address: '127.0.0.1', port: 0 });
  });

  it('accepts bool spellings true/false/1/0 (any case) and a bare flag', () => {
    const cases: [string, boolean][] = [
      ['true', true],
      ['TRUE', true],
      ['1', true],
      ['false', false],
      ['False', false],
      ['0', false],
    ];
    for (const [text, value] of cases) {
      expect(parseUri(`tcp://h:1/amps/json?tcp_nodelay=${text}`).socketOptions.tcp_nodelay).toBe(value);
    }
    expect(parseUri('tcp://h:1/amps/json?pretty').logonOptions.pretty).toBe(true);
  });

  it('rejects bad values with InvalidTransportOptionsException', () => {
    const bad = [
      'tcp_nodelay=yes',
      'tcp_nodelay=2',
      'tcp_keepalive=on',
      'pretty=maybe',
      'tcp_sndbuf=abc',
      'tcp_sndbuf=1.5',
      'tcp_sndbuf=-1',
      'tcp_sndbuf=',
      'tcp_rcvbuf=99999999999',
      'tcp_linger=x',
      'tcp_linger',
      'ip_protocol_prefer=ipv5',
      'ip_protocol_prefer=',
      'bind=',
      'bind=localhost',
      'bind=300.1.1.1',
      'bind=127.0.0.1:99999',
      'bind=[::1',
      'bind=[::1]x',
      'bind=[zz]:1',
      'compression=zlib', // declared by the official clients, unsupported here
      'compression=gzip',
      'http_preflight=true',
      'nosuchoption=1',
      'TCP_NODELAY=true', // names are case-sensitive
      'tcp_nodelay=true&tcp_nodelay=false', // given twice
      'tcp_nodelay=%ZZ',
    ];
    for (const q of bad) {
      const err = errorOf(() => parseUri(`tcp://h:1/amps/json?${q}`));
      expect(err, q).toBeInstanceOf(InvalidTransportOptionsException);
    }
  });

  it('accepts the unsupported options when they ask for the default (off)', () => {
    expect(parseUri('tcp://h:1/amps/json?http_preflight=false').socketOptions).toEqual({});
  });

  it('parses bind with IPv6 and without a port', () => {
    expect(parseUri('tcp://h:1/amps/json?bind=[::1]:5000').bind).toEqual({ address: '::1', port: 5000 });
    expect(parseUri('tcp://h:1/amps/json?bind=%5B%3A%3A1%5D').bind).toEqual({ address: '::1' });
    expect(parseUri('tcp://h:1/amps/json?bind=::1').bind).toEqual({ address: '::1' });
    expect(parseUri('tcp://h:1/amps/json?bind=10.0.0.2').bind).toEqual({ address: '10.0.0.2' });
  });

  it('enforces which scheme each option applies to', () => {
    for (const opt of tcpOnly) {
      const value = opt === 'bind' ? '127.0.0.1' : opt === 'ip_protocol_prefer' ? 'ipv4' : opt.includes('buf') || opt === 'tcp_linger' ? '1' : 'true';
      for (const scheme of ['unix', 'ws', 'wss']) {
        const extra = scheme === 'unix' ? '&path=/tmp/s' : '';
        const err = errorOf(() => parseUri(`${scheme}://h:1/amps/json?${opt}=${value}${extra}`));
        expect(err, `${scheme} ${opt}`).toBeInstanceOf(InvalidTransportOptionsException);
      }
    }
    for (const scheme of ['tcp', 'tcps', 'ws', 'wss']) {
      expect(errorOf(() => parseUri(`${scheme}://h:1/amps/json?path=/tmp/s`))).toBeInstanceOf(
        InvalidTransportOptionsException,
      );
    }
    for (const scheme of ['tcp', 'tcps', 'ws', 'wss']) {
      expect(parseUri(`${scheme}://h:1/amps/json?pretty=true`).logonOptions).toEqual({ pretty: true });
    }
    expect(parseUri('unix://h:0/amps/json?path=/tmp/s&pretty=false').logonOptions).toEqual({ pretty: false });
    expect(errorOf(() => parseUri('ws://h:1/amps/json?compression=zlib'))).toBeInstanceOf(
      InvalidTransportOptionsException,
    );
  });

  it('tolerates empty pairs and percent-encoded values', () => {
    const u = parseUri('tcp://h:1/amps/json?&tcp_nodelay=%74rue&&');
    expect(u.socketOptions.tcp_nodelay).toBe(true);
  });
});

describe('password redaction', () => {
  const secret = 'S3cr3t-pw';
  const uris = [
    `tcp://alice:${secret}@localhost:9007/amps/json?tcp_nodelay=maybe`,
    `tcp://alice:${secret}@localhost:99999/amps/json`,
    `http://alice:${secret}@localhost:9007/amps/json`,
    `tcp://alice:${secret}@localhost:9007/fix`,
    `tcp://alice:${secret}/x@localhost:9007/amps/json`, // raw '/' in the password
    `tcp://alice:${secret}?x@localhost:9007/amps/json`,
    `tcp://alice:${secret}#x@localhost:9007/amps/json`,
    `tcp://alice:${secret}%ZZ@localhost:9007/amps/json`,
    `tcp://alice:${secret} @localhost:9007/amps/json`,
    `tcp://alice:${secret}@[::1:9007/amps/json`,
    `unix://alice:${secret}@localhost:0/amps/json`,
    `ws://alice:${secret}@localhost:9007/amps`,
    `alice:${secret}@localhost:9007/amps/json`,
  ];

  it.each(uris)('never shows the password in an error: %#', (uri) => {
    const err = errorOf(() => parseUri(uri));
    expect(err.message).not.toContain(secret);
    expect(String(err)).not.toContain(secret);
    expect(inspect(err)).not.toContain(secret);
  });

  it('redactUri masks the password and keeps the rest', () => {
    expect(redactUri(`tcp://alice:${secret}@localhost:9007/amps/json?pretty=true`)).toBe(
      'tcp://alice:****@localhost:9007/amps/json?pretty=true',
    );
    expect(redactUri('tcp://alice@localhost:9007/amps/json')).toBe('tcp://alice@localhost:9007/amps/json');
    expect(redactUri('tcp://localhost:9007/amps/json?x=a@b')).toBe('tcp://localhost:9007/amps/json?x=a@b');
    expect(redactUri(`tcp://alice:${secret}/x@localhost:9007/amps/json`)).not.toContain(secret);
    for (const uri of uris) expect(redactUri(uri), uri).not.toContain(secret);
  });

  it('toString, JSON and inspect of a parsed URI are redacted; the password is still readable', () => {
    const u = parseUri(`tcps://alice:${secret}@localhost:9007/amps/json`);
    expect(u.password).toBe(secret);
    expect(String(u)).toBe('tcps://alice:****@localhost:9007/amps/json');
    expect(`${u}`).not.toContain(secret);
    expect(JSON.stringify(u)).not.toContain(secret);
    expect(inspect(u)).not.toContain(secret);
    expect(JSON.stringify({ ...u })).not.toContain(secret);
  });
});

describe('isIPv6', () => {
  it.each(['::', '::1', '2001:db8::1', '1:2:3:4:5:6:7:8', '::ffff:10.0.0.1', 'fe80::1%eth0'])('accepts %s', (a) =>
    expect(isIPv6(a)).toBe(true),
  );
  it.each(['', ':', '1:2', '1:::2', '1::2::3', '12345::', 'g::1', '1:2:3:4:5:6:7:8:9', ':1::2', '1::2:'])(
    'rejects %s',
    (a) => expect(isIPv6(a)).toBe(false),
  );
});
