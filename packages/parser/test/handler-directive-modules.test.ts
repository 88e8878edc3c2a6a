/** Directive parsers of handler directives that load guest modules or nest blocks: php_fastcgi, forward_auth, map, transports, log writers and encoders. */
import { describe, expect, it } from 'vitest';
import { isSubrouteValue, type JsonObject, type NamedCustomLog } from '@proxy/parser';
import { handlerOf, runDirective } from './support/test-helper.js';

const err = (text: string): string => {
  try {
    runDirective(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('php_fastcgi and forward_auth', () => {
  it('wraps php_fastcgi routes in a subroute under a user matcher, else returns a Subroute value', () => {
    const [wrapped] = runDirective('php_fastcgi /app/* localhost:9000 {\n\tindex off\n}');
    expect(wrapped!.value).toEqual({
      match: [{ path: ['/app/*'] }],
      handle: [
        {
          handler: 'subroute',
          routes: [
            {
              handle: [
                {
                  handler: 'reverse_proxy',
                  transport: { protocol: 'fastcgi', split_path: ['.php'] },
                  upstreams: [{ dial: 'localhost:9000' }],
                },
              ],
              match: [{ path: ['*.php'] }],
            },
          ],
        },
      ],
    });
    const [plain] = runDirective('php_fastcgi localhost:9000 {\n\ttry_files {path} /index.html\n}');
    expect(isSubrouteValue(plain!.value)).toBe(true);
    const routes = (plain!.value as { routes: JsonObject[] }).routes;
    // try_files not ending in .php: no try_policy, and no directory redirect without {path}/index.php.
    expect(routes[0]).toEqual({
      match: [{ file: { try_files: ['{path}', '/index.html'], split_path: ['.php'] } }],
      handle: [{ handler: 'rewrite', uri: '{http.matchers.file.relative}' }],
    });
  });
  it('keeps reverse_proxy subdirectives and rejects a second transport', () => {
    expect(err('php_fastcgi localhost:9000 {\n\ttransport http\n}')).toContain('transport already specified');
    // As in Caddy, the tokens are deleted before the count is checked, so the error names the token before them.
    expect(err('php_fastcgi localhost:9000 {\n\tenv A\n}')).toContain("unexpected token '{', expecting argument");
  });
  it('requires forward_auth uri', () => {
    expect(err('forward_auth localhost:9000 {\n\tcopy_headers A\n}')).toContain("the 'uri' subdirective is required");
  });
});

describe('map, intercept, acme_server, push, uri', () => {
  it('maps regexp inputs and rejects too many outputs', () => {
    expect(handlerOf('map {http.request.host} {a} {\n\t~^(.+)\\.example$ $1\n}')).toEqual({
      destinations: ['{a}'],
      handler: 'map',
      mappings: [{ input_regexp: '^(.+)\\.example$', outputs: ['$1'] }],
      source: '{http.request.host}',
    });
    expect(err('map {a} {b} {\n\tx 1 2\n}')).toContain('too many outputs');
    expect(err('map {a}')).toContain('missing destination argument(s)');
  });
  it('rejects unknown intercept subdirectives and routes under replace_status', () => {
    expect(err('intercept {\n\tbogus\n}')).toContain('unrecognized subdirective bogus');
    expect(err('intercept {\n\treplace_status 200 {\n\t\trespond x\n\t}\n}')).toContain(
      "cannot define routes for 'replace_status', use 'handle_response' instead.",
    );
    expect(err('intercept {\n\treplace_status\n}')).toContain(
      'must have one or two arguments: an optional response matcher, and a status code',
    );
  });
  it('parses acme_server options and returns the CA as pki.ca', () => {
    const values = runDirective(
      'acme_server {\n\tca internal\n\tchallenges tls-alpn-01\n\tresolvers 1.1.1.1\n\tsign_with_root\n\tallow_wildcard_names\n}',
    );
    expect((values[0]!.value as JsonObject).handle).toEqual([
      {
        ca: 'internal',
        challenges: ['tls-alpn-01'],
        handler: 'acme_server',
        policy: { allow_wildcard_names: true },
        resolvers: ['1.1.1.1'],
        sign_with_root: true,
      },
    ]);
    expect(values[1]).toEqual({ class: 'pki.ca', value: { id: 'internal' } });
    expect(err('acme_server {\n\tbogus\n}')).toContain('unrecognized ACME server directive: bogus');
    expect(err('acme_server {\n\tallow {\n\t\tips 1\n\t}\n}')).toContain("unrecognized 'allow' subdirective: ips");
  });
  it('parses push headers and uri query blocks', () => {
    expect(handlerOf('push {\n\theaders {\n\t\t+X a\n\t}\n}')).toEqual({
      handler: 'push',
      headers: { add: { X: ['a'] } },
    });
    expect(err('uri query a b {\n\tc d\n}')).toContain('Cannot specify uri query rewrites in both argument and block');
  });
});

describe('reverse_proxy modules', () => {
  it('parses the fastcgi transport and its errors', () => {
    expect(
      handlerOf(
        'reverse_proxy a:1 {\n\ttransport fastcgi {\n\t\troot /srv\n\t\tsplit .php\n\t\tenv A b\n\t\tcapture_stderr\n\t\tread_timeout 3s\n\t}\n}',
      ).transport,
    ).toEqual({
      capture_stderr: true,
      env: { A: 'b' },
      protocol: 'fastcgi',
      read_timeout: 3e9,
      root: '/srv',
      split_path: ['.php'],
    });
    expect(err('reverse_proxy a:1 {\n\ttransport fastcgi {\n\t\tdial_timeout x\n\t}\n}')).toContain(
      'bad timeout value x: time: invalid duration "x"',
    );
    expect(err('reverse_proxy https://a {\n\ttransport fastcgi\n}')).toContain(
      'upstreams are configured for HTTPS but transport module does not support TLS',
    );
  });
  it('checks policy and dynamic source arguments', () => {
    expect(err('reverse_proxy a:1 {\n\tlb_policy least_conn extra\n}')).toContain(
      "wrong argument count or unexpected line ending after 'extra'",
    );
    expect(err('reverse_proxy a:1 {\n\tlb_policy weighted_round_robin -1\n}')).toContain(
      "invalid weight value '-1': weight should be non-negative",
    );
    expect(err('reverse_proxy {\n\tdynamic a {\n\t\tversions ipv5\n\t}\n}')).toContain("unsupported version: 'ipv5'");
    expect(err('reverse_proxy {\n\tdynamic srv {\n\t\tbogus\n\t}\n}')).toContain("unrecognized srv option 'bogus'");
    expect(err('reverse_proxy {\n\tdynamic srv\n\tdynamic a\n}')).toContain('dynamic upstreams already specified');
    expect(handlerOf('reverse_proxy a:1 {\n\tlb_policy cookie {\n\t\tmax_age 1h\n\t}\n}').load_balancing).toEqual({
      selection_policy: { max_age: 3600e9, policy: 'cookie' },
    });
  });
  it('uses trust pools, resolvers and tls client automation', () => {
    const h = handlerOf(`reverse_proxy https://a {
	transport http {
		tls_client_auth client.example.com
		tls_trust_pool combined {
			source system
			source pki_root local
		}
	}
}`);
    expect(h.transport).toEqual({
      protocol: 'http',
      tls: {
        ca: { provider: 'combined', sources: [{ provider: 'system' }, { authority: ['local'], provider: 'pki_root' }] },
        client_certificate_automate: 'client.example.com',
      },
    });
    expect(err('reverse_proxy a:1 {\n\ttransport http {\n\t\ttls_trust_pool inline\n\t}\n}')).toContain(
      'no certificates specified',
    );
  });
});

describe('log writers and encoders', () => {
  it('parses file roll options', () => {
    const v = runDirective(
      'log {\n\toutput file a.log {\n\t\troll_disabled\n\t\troll_at 01:00,02:00\n\t\troll_minutes 5\n\t}\n}',
    )[0]!.value as NamedCustomLog;
    expect(v.log!.writer).toEqual({
      filename: 'a.log',
      output: 'file',
      roll: false,
      roll_at: ['01:00', '02:00'],
      roll_minutes: [5],
    });
  });
  it('parses append fields, and turns two regexp filters into multi_regexp', () => {
    const enc = (t: string) => (runDirective(t)[0]!.value as NamedCustomLog).log!.encoder;
    expect(enc('log {\n\tformat append {\n\t\tn 1\n\t}\n}')).toEqual({ fields: { n: 1 }, format: 'append' });
    expect(enc('log {\n\tformat filter {\n\t\tf regexp a b\n\t\tf regexp c d\n\t\tf regexp e f\n\t}\n}')).toEqual({
      fields: {
        f: {
          filter: 'multi_regexp',
          operations: [
            { regexp: 'a', value: 'b' },
            { regexp: 'c', value: 'd' },
            { regexp: 'e', value: 'f' },
          ],
        },
      },
      format: 'filter',
    });
  });
  it('reports unknown writers, encoders and sampling options', () => {
    expect(err('log {\n\toutput nope\n}')).toContain("getting module named 'caddy.logging.writers.nope'");
    expect(err('log {\n\tformat nope\n}')).toContain("getting module named 'caddy.logging.encoders.nope'");
    expect(err('log {\n\tsampling {\n\t\tevery 1\n\t}\n}')).toContain('unrecognized subdirective: every');
    expect(err('log a b')).toContain("wrong argument count or unexpected line ending after 'b'");
  });
});

describe('encode, tracing, request_body, log_append', () => {
  it('defaults encode to zstd then gzip', () => {
    expect(handlerOf('encode')).toEqual({
      encodings: { gzip: {}, zstd: {} },
      handler: 'encode',
      prefer: ['zstd', 'gzip'],
    });
    expect(err('encode {\n\tzstd fast\n}')).toContain(
      "unexpected compression level, use one of 'fastest', 'default', 'better', 'best'",
    );
  });
  it('parses span attributes, request_body set and early log_append', () => {
    expect(handlerOf('tracing {\n\tspan_attributes {\n\t\tk v\n\t}\n}')).toEqual({
      handler: 'tracing',
      span_attributes: { k: 'v' },
    });
    expect(handlerOf('request_body {\n\tset body\n}')).toEqual({ handler: 'request_body', set: 'body' });
    expect(err('request_body {\n\tread_timeout 1s\n}')).toContain(
      "unrecognized request_body subdirective 'read_timeout'",
    );
    expect(handlerOf('log_append <k v')).toEqual({ early: true, handler: 'log_append', key: 'k', value: 'v' });
  });
});

describe('Go omitempty', () => {
  it('drops zero numbers, empty strings and empty slices/maps but keeps pointer structs', () => {
    expect(
      handlerOf(
        'reverse_proxy a:1 {\n\tlb_retries 0\n\tflush_interval 0\n\ttrusted_proxies\n\thealth_headers {\n\t}\n}',
      ),
    ).toEqual({
      handler: 'reverse_proxy',
      health_checks: { active: {} },
      load_balancing: {},
      upstreams: [{ dial: 'a:1' }],
    });
    expect(handlerOf('acme_server {\n\tchallenges\n}')).toEqual({ handler: 'acme_server' });
    expect(handlerOf('file_server {\n\tbrowse {\n\t\tsort\n\t}\n}', { caddyfiles: [] })).toEqual({
      browse: {},
      handler: 'file_server',
    });
    // Map entries keep their zero values.
    expect(handlerOf('vars a 0')).toEqual({ a: 0, handler: 'vars' });
  });
});
