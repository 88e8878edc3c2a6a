/** Directive parsers of handler directives, one directive at a time: reverse_proxy, header, uri, file_server, log and the small ones. */
import { describe, expect, it } from 'vitest';
import { parseLogSegment, type NamedCustomLog } from '@proxy/parser';
import { handlerOf, helperFor, runDirective } from './support/test-helper.js';

const err = (text: string): string => {
  try {
    runDirective(text);
  } catch (e) {
    return (e as Error).message;
  }
  throw new Error('expected an error');
};

describe('reverse_proxy', () => {
  it('expands upstream schemes, ports and unix sockets', () => {
    expect(handlerOf('reverse_proxy h2c://app:8080 h2c://[::1]')).toEqual({
      handler: 'reverse_proxy',
      transport: { protocol: 'http', versions: ['h2c', '2'] },
      upstreams: [{ dial: 'app:8080' }, { dial: '[::1]:80' }],
    });
    expect(handlerOf('reverse_proxy unix//run/app.sock')).toEqual({
      handler: 'reverse_proxy',
      upstreams: [{ dial: 'unix//run/app.sock' }],
    });
  });
  it('parses lb policies with arguments and fallbacks', () => {
    const h = handlerOf(`reverse_proxy a:1 b:2 {
	lb_policy header X-User {
		fallback weighted_round_robin 3 1
	}
}`);
    expect(h.load_balancing).toEqual({
      selection_policy: {
        fallback: { policy: 'weighted_round_robin', weights: [3, 1] },
        field: 'X-User',
        policy: 'header',
      },
    });
    expect(handlerOf('reverse_proxy a:1 {\n\tlb_policy cookie lb secret\n}').load_balancing).toEqual({
      selection_policy: { name: 'lb', policy: 'cookie', secret: 'secret' },
    });
  });
  it('parses active and passive health checks', () => {
    const h = handlerOf(`reverse_proxy a:1 {
	health_port 8080
	health_interval 10s
	health_timeout 2s
	health_status 5xx
	health_headers {
		Host example.com
		X-Empty
	}
	health_follow_redirects
	health_passes 2
	health_fails 3
	max_fails 4
	fail_duration 30s
	unhealthy_status 5xx 404
	unhealthy_latency 1s
	unhealthy_request_count 9
}`);
    expect(h.health_checks).toEqual({
      active: {
        expect_status: 5,
        fails: 3,
        follow_redirects: true,
        headers: { Host: ['example.com'], 'X-Empty': [''] },
        interval: 10e9,
        passes: 2,
        port: 8080,
        timeout: 2e9,
      },
      passive: {
        fail_duration: 30e9,
        max_fails: 4,
        unhealthy_latency: 1e9,
        unhealthy_request_count: 9,
        unhealthy_status: [5, 404],
      },
    });
  });
  it('parses header_down, trusted_proxies, flush_interval, stream options and verbose_logs', () => {
    const h = handlerOf(`reverse_proxy a:1 {
	header_down -Server
	header_down +X-Via proxy
	header_down Location old new
	trusted_proxies private_ranges 1.2.3.4
	flush_interval -1
	stream_timeout 1h
	stream_close_delay 5m
	verbose_logs
}`);
    expect(h.headers).toEqual({
      response: {
        add: { 'X-Via': ['proxy'] },
        delete: ['Server'],
        replace: { Location: [{ replace: 'new', search_regexp: 'old' }] },
      },
    });
    expect(h.trusted_proxies).toEqual([
      '192.168.0.0/16',
      '172.16.0.0/12',
      '10.0.0.0/8',
      '127.0.0.1/8',
      'fd00::/8',
      '::1',
      '1.2.3.4',
    ]);
    expect([h.flush_interval, h.stream_timeout, h.stream_close_delay, h.verbose_logs]).toEqual([
      -1,
      3600e9,
      300e9,
      true,
    ]);
  });
  it('parses the http transport TLS and keepalive options', () => {
    const h = handlerOf(`reverse_proxy https://a {
	transport http {
		tls_client_auth cert.pem key.pem
		tls_insecure_skip_verify
		tls_server_name example.com
		tls_timeout 5s
		tls_curves x25519
		keepalive off
		proxy_protocol v2
	}
}`);
    expect(h.transport).toEqual({
      keep_alive: { enabled: false },
      protocol: 'http',
      proxy_protocol: 'v2',
      tls: {
        client_certificate_file: 'cert.pem',
        client_certificate_key_file: 'key.pem',
        curves: ['x25519'],
        handshake_timeout: 5e9,
        insecure_skip_verify: true,
        server_name: 'example.com',
      },
    });
    expect(h.upstreams).toEqual([{ dial: 'a:443' }]);
  });
  it('parses dynamic a and multi upstreams', () => {
    const h = handlerOf(`reverse_proxy {
	dynamic multi {
		a app 8080 {
			versions ipv4
		}
		srv {
			service api
			proto tcp
			name example.com
		}
	}
}`);
    expect(h.dynamic_upstreams).toEqual({
      source: 'multi',
      sources: [
        { name: 'app', port: '8080', source: 'a', versions: { ipv4: true } },
        { name: 'example.com', proto: 'tcp', service: 'api', source: 'srv' },
      ],
    });
  });
  it('reports bad input with Caddy wording', () => {
    expect(err('reverse_proxy a:1 {\n\tbogus\n}')).toBe('unrecognized subdirective bogus, at Testfile:3');
    expect(err('reverse_proxy http://a https://b')).toContain(
      "parsing upstream 'https://b': for now, all proxy upstreams must use the same scheme",
    );
    expect(err('reverse_proxy ws://a')).toContain(
      'the scheme ws:// is only supported in browsers; use http:// instead',
    );
    expect(err('reverse_proxy http://a:443')).toContain(
      'upstream address has conflicting scheme (http://) and port (:443, the HTTPS port)',
    );
    expect(err('reverse_proxy a:1 {\n\tlb_policy nope\n}')).toContain(
      "getting module named 'http.reverse_proxy.selection_policies.nope'",
    );
    expect(err('reverse_proxy a:1 {\n\tlb_retries x\n}')).toContain("bad lb_retries number 'x'");
    expect(err('reverse_proxy a:1 {\n\ttransport http\n\ttransport http\n}')).toContain('transport already specified');
    expect(err('reverse_proxy a:1 {\n\thandle_response header Foo {\n\t\trespond x\n\t}\n}')).toContain(
      "too many arguments for 'handle_response': only a single response matcher name is allowed, but got: [header Foo]",
    );
    expect(err('reverse_proxy a:1 {\n\treplace_status @nope 200\n}')).toContain(
      "no named response matcher defined with name 'nope'",
    );
    expect(err('reverse_proxy a:8001-8000')).toContain('end port must not be less than start port');
  });
});

describe('header and request_header', () => {
  it('canonicalizes set/add keys but not deletes', () => {
    expect(handlerOf('header x-frame-options DENY')).toEqual({
      handler: 'headers',
      response: { set: { 'X-Frame-Options': ['DENY'] } },
    });
    expect(handlerOf('request_header -x-secret')).toEqual({ handler: 'headers', request: { delete: ['x-secret'] } });
  });
  it('rejects ? on request headers and mixed args/blocks', () => {
    expect(err('request_header ?X a')).toContain(
      "the default header modifier ('?') can only be used on response headers",
    );
    expect(err('header X a {\n\tY b\n}')).toContain('cannot specify headers in both arguments and block');
  });
});

describe('uri, rewrite, method', () => {
  it('parses strip_prefix, strip_suffix, path_regexp and replace limits', () => {
    expect(handlerOf('uri strip_prefix api')).toEqual({ handler: 'rewrite', strip_path_prefix: '/api' });
    expect(handlerOf('uri strip_suffix .html')).toEqual({ handler: 'rewrite', strip_path_suffix: '.html' });
    expect(handlerOf('uri path_regexp ^/a /b')).toEqual({
      handler: 'rewrite',
      path_regexp: [{ find: '^/a', replace: '/b' }],
    });
    expect(handlerOf('uri replace a b 2')).toEqual({
      handler: 'rewrite',
      uri_substring: [{ find: 'a', limit: 2, replace: 'b' }],
    });
    expect(err('uri bogus')).toContain("unrecognized URI manipulation 'bogus'");
  });
  it('keeps a single rewrite argument as the URI', () => {
    expect(runDirective('rewrite /d')[0]!.value).toEqual({ handle: [{ handler: 'rewrite', uri: '/d' }] });
    expect(err('rewrite a b c')).toContain('too many arguments; should only be a matcher and a URI');
    expect(err('method')).toContain("wrong argument count or unexpected line ending after 'method'");
  });
});

describe('file_server, encode, basic_auth, try_files', () => {
  it('parses browse, precompressed, index and fs, hiding the Caddyfile once', () => {
    expect(
      handlerOf('file_server browse {\n\tprecompressed\n\tindex a.html\n\tfs assets\n\thide .git\n}', {
        caddyfiles: ['Caddyfile', '/etc/caddy/extra.conf'],
      }),
    ).toEqual({
      browse: {},
      fs: 'assets',
      handler: 'file_server',
      hide: ['.git', './Caddyfile', '/etc/caddy/extra.conf'],
      index_names: ['a.html'],
      precompressed: { br: {}, gzip: {}, zstd: {} },
      precompressed_order: ['br', 'zstd', 'gzip'],
    });
    expect(err('file_server {\n\tbogus\n}')).toContain("unknown subdirective 'bogus'");
  });
  it('parses encoders, levels, minimum_length and match', () => {
    expect(
      handlerOf(
        'encode {\n\tgzip 5\n\tzstd best\n\tminimum_length 256\n\tmatch {\n\t\theader Content-Type text/*\n\t}\n}',
      ),
    ).toEqual({
      encodings: { gzip: { level: 5 }, zstd: { level: 'best' } },
      handler: 'encode',
      match: { headers: { 'Content-Type': ['text/*'] } },
      minimum_length: 256,
      prefer: ['gzip', 'zstd'],
    });
  });
  it('builds basic_auth accounts', () => {
    expect(handlerOf('basic_auth bcrypt Realm {\n\tbob hash\n}')).toEqual({
      handler: 'authentication',
      providers: {
        http_basic: {
          accounts: [{ password: 'hash', username: 'bob' }],
          hash: { algorithm: 'bcrypt' },
          hash_cache: {},
          realm: 'Realm',
        },
      },
    });
  });
  it('splits try_files items with queries into grouped routes', () => {
    const values = runDirective('try_files {path} /index.php?{query} {\n\tpolicy first_exist\n}');
    expect(values.map((v) => v.value)).toEqual([
      {
        group: 'group0',
        match: [{ file: { try_files: ['{path}'], try_policy: 'first_exist' } }],
        handle: [{ handler: 'rewrite', uri: '{http.matchers.file.relative}' }],
      },
      {
        group: 'group0',
        match: [{ file: { try_files: ['/index.php'], try_policy: 'first_exist' } }],
        handle: [{ handler: 'rewrite', uri: '{http.matchers.file.relative}?{query}' }],
      },
    ]);
  });
});

describe('log', () => {
  it('names site logs log0, log1 and sets include', () => {
    const state = new Map<string, unknown>();
    const first = runDirective('log {\n\toutput net localhost:9999 {\n\t\tdial_timeout 2s\n\t\tsoft_start\n\t}\n}', {
      state,
    })[0]!.value as NamedCustomLog;
    expect(first).toEqual({
      name: 'log0',
      hostnames: [],
      noHostname: false,
      log: {
        writer: { address: 'localhost:9999', dial_timeout: 2e9, output: 'net', soft_start: true },
        include: ['http.log.access.log0'],
      },
    });
    const bare = runDirective('log', { state })[0]!.value as NamedCustomLog;
    expect(bare).toEqual({ name: '', hostnames: [], noHostname: false });
  });
  it('parses console encoder options, filters and the global form', () => {
    const h = helperFor(
      'log {\n\tformat console {\n\t\ttime_format iso8601\n\t\ttime_local\n\t}\n\tinclude a\n\texclude b\n}',
    );
    const v = parseLogSegment(h, new Set(), new Map());
    expect(v).toEqual({
      name: 'default',
      hostnames: [],
      noHostname: false,
      log: { encoder: { format: 'console', time_format: 'iso8601', time_local: true }, include: ['a'], exclude: ['b'] },
    });
    const enc = (runDirective('log {\n\tformat filter {\n\t\tuser rename u\n\t}\n}')[0]!.value as NamedCustomLog).log!
      .encoder;
    expect(enc).toEqual({ fields: { user: { filter: 'rename', name: 'u' } }, format: 'filter' });
  });
  it('rejects options out of place and repeated single options', () => {
    expect(err('log {\n\tinclude x\n}')).toContain('include is not allowed in the log directive');
    expect(err('log {\n\tlevel INFO\n\tlevel DEBUG\n}')).toContain(
      "'level' subdirective specified more than once in the same log block",
    );
    const h = helperFor('log {\n\thostnames a\n}');
    expect(() => parseLogSegment(h, new Set(), new Map())).toThrow(
      'hostnames is not allowed in the log global options',
    );
    const dup = helperFor('log');
    expect(() => parseLogSegment(dup, new Set(['default']), new Map())).toThrow(
      'duplicate global log option for: default',
    );
  });
});

describe('small handlers', () => {
  it('parses vars, log_name, log_skip, copy_response*, metrics, templates', () => {
    expect(handlerOf('vars a 1')).toEqual({ a: 1, handler: 'vars' });
    expect(handlerOf('log_name a b')).toEqual({ access_logger_names: ['a', 'b'], handler: 'vars' });
    expect(handlerOf('log_skip')).toEqual({ handler: 'vars', log_skip: true });
    expect(handlerOf('copy_response {\n\tstatus 418\n}')).toEqual({ handler: 'copy_response', status_code: 418 });
    expect(handlerOf('copy_response_headers {\n\texclude Set-Cookie\n}')).toEqual({
      exclude: ['Set-Cookie'],
      handler: 'copy_response_headers',
    });
    expect(handlerOf('metrics')).toEqual({ handler: 'metrics' });
    expect(handlerOf('templates {\n\tbetween [[ ]]\n\troot /srv\n}')).toEqual({
      delimiters: ['[[', ']]'],
      file_root: '/srv',
      handler: 'templates',
    });
    expect(err('metrics {\n\tbogus\n}')).toContain('unrecognized subdirective "bogus"');
  });
});
