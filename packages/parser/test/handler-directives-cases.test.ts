/**
 * Handler directives adapted alone (through the directive's own parser, not a whole Caddyfile) give the very
 * handler objects a conformance case of Caddy's expects for the same lines.
 */
import { describe, expect, it } from 'vitest';
import { isSubrouteValue, type JsonObject } from '@proxy/parser';
import { corpusCases, type ConformanceCase } from '@proxy/parser/testing';
import { handlersIn, runDirective, type HelperOptions } from './support/test-helper.js';

const byFile = new Map(corpusCases('caddy').map((c) => [c.name, c]));

/** The conformance case stored in `file` (a name in the corpus's caddy/ folder). */
function caseOf(file: string): ConformanceCase {
  const c = byFile.get(file.replace(/\.(caddyfiletest|txt)$/, ''));
  if (!c) throw new Error(`no conformance case ${file}`);
  return c;
}

/** The handlers a conformance case expects, in document order. */
function expected(file: string): JsonObject[] {
  return handlersIn(JSON.parse(caseOf(file).expected));
}

/** The handlers our directive produces (flattening subroutes), in route order. */
function produced(text: string, opts?: HelperOptions): JsonObject[] {
  const out: JsonObject[] = [];
  for (const v of runDirective(text, opts)) {
    if (v.class !== 'route') continue;
    const value = v.value as JsonObject;
    const routes = isSubrouteValue(value) ? value.routes : [value];
    for (const r of routes) out.push(...(r.handle as JsonObject[]));
  }
  return out;
}

const cases: [string, string, number[], HelperOptions?][] = [
  [
    'reverse_proxy_load_balance.caddyfiletest',
    `reverse_proxy 127.0.0.1:65535 {
	lb_policy first
	lb_retries 5
	lb_try_duration 10s
	lb_try_interval 500ms
	lb_retry_match {
		path /foo*
		method POST
	}
	lb_retry_match path /bar*
}`,
    [0],
  ],
  [
    'reverse_proxy_options.caddyfiletest',
    `reverse_proxy /path https://localhost:54321 {
		header_up Host {http.reverse_proxy.upstream.hostport}
		header_up Foo bar
		method GET
		rewrite /rewritten?uri={http.request.uri}
		request_buffers 4KB
		transport http {
			read_buffer 10MB
			write_buffer 20MB
			max_response_header 30MB
			dial_timeout 3s
			dial_fallback_delay 5s
			response_header_timeout 8s
			expect_continue_timeout 9s
			resolvers 8.8.8.8 8.8.4.4
			versions h2c 2
			compression off
			max_conns_per_host 5
			keepalive_idle_conns_per_host 2
			keepalive_interval 30s
			tls_renegotiation freely
			tls_except_ports 8181 8182
		}
	}`,
    [0],
  ],
  [
    'reverse_proxy_dynamic_upstreams_grace_period.caddyfiletest',
    `reverse_proxy {
		dynamic srv {
			name foo
			refresh 5m
			grace_period 5s
		}
	}`,
    [0],
  ],
  [
    'reverse_proxy_http_transport_tls_file_cert.txt',
    `reverse_proxy 127.0.0.1:65535 {
	transport http {
		tls_trust_pool file {
			pem_file ../caddy.ca.cer
		}
	}
}`,
    [0],
  ],
  [
    'reverse_proxy_http_transport_none_proxy.txt',
    `reverse_proxy 127.0.0.1:65535 {
	transport http {
		network_proxy none
	}
}`,
    [0],
  ],
  [
    'reverse_proxy_http_transport_url_proxy.txt',
    `reverse_proxy 127.0.0.1:65535 {
	transport http {
		network_proxy url http://localhost:8080
	}
}`,
    [0],
  ],
  [
    'reverse_proxy_http_transport_forward_proxy_url.txt',
    `reverse_proxy 127.0.0.1:65535 {
	transport http {
		forward_proxy_url http://localhost:8080
	}
}`,
    [0],
  ],
  [
    'reverse_proxy_empty_non_http_transport.caddyfiletest',
    `reverse_proxy 127.0.0.1:65535 {
	transport fastcgi
}`,
    [0],
  ],
  [
    'reverse_proxy_buffers.caddyfiletest',
    `reverse_proxy https://localhost:54321 {
		request_buffers unlimited
		response_buffers unlimited
	}`,
    [0],
  ],
  [
    'reverse_proxy_stream_buffer_size.caddyfiletest',
    `reverse_proxy https://localhost:54321 {
		stream_buffer_size 8KB
	}`,
    [0],
  ],
  [
    'reverse_proxy_health_reqbody.caddyfiletest',
    `reverse_proxy 127.0.0.1:65535 {
	health_uri /health
	health_request_body "test body"
}`,
    [0],
  ],
  [
    'reverse_proxy_localaddr.caddyfiletest',
    `reverse_proxy http://localhost:54321 {
		transport http {
			local_address 192.168.0.1
		}
	}`,
    [0],
  ],
  [
    'reverse_proxy_handle_response.caddyfiletest',
    caseOf('reverse_proxy_handle_response.caddyfiletest').caddyfile.split('\n').slice(2).join('\n'),
    [0],
  ],
  [
    'forward_auth_authelia.caddyfiletest',
    `forward_auth authelia:9091 {
		uri /api/authz/forward-auth
		copy_headers Remote-User Remote-Groups Remote-Name Remote-Email
	}`,
    [0],
  ],
  [
    'forward_auth_rename_headers.caddyfiletest',
    `forward_auth localhost:9000 {
	uri /auth
	copy_headers A>1 B C>3 {
		D
		E>5
	}
}`,
    [0],
  ],
  [
    'php_fastcgi_subdirectives.caddyfiletest',
    `php_fastcgi localhost:9000 {
	split .php .php5
	env VAR1 value1
	env VAR2 value2
	root /var/www
	index index.php5
	lb_policy random
}`,
    [0, 1, 2],
  ],
  [
    'php_fastcgi_index_off.caddyfiletest',
    `php_fastcgi localhost:9000 {
	split .php .php5
	env VAR1 value1
	env VAR2 value2
	root /var/www
	index off
	dial_timeout 3s
	read_timeout 10s
	write_timeout 20s
	lb_policy random
}`,
    [0],
  ],
  [
    'file_server_sort.caddyfiletest',
    `file_server {
	browse {
		sort size desc
	}
}`,
    [0],
  ],
  [
    'file_server_etag_file_extensions.caddyfiletest',
    `file_server {
		etag_file_extensions .b3sum .sha256
	}`,
    [1],
  ],
  [
    'map_and_vars_with_raw_types.caddyfiletest',
    caseOf('map_and_vars_with_raw_types.caddyfiletest')
      .caddyfile.split('\n')
      .slice(2, 22)
      .join('\n')
      .replace('map {host}', 'map {http.request.host}'),
    [0],
  ],
  [
    'intercept_response.caddyfiletest',
    caseOf('intercept_response.caddyfiletest').caddyfile.split('\n').slice(4).join('\n'),
    [0],
  ],
  ['push.caddyfiletest', 'push * /foo.txt', [0]],
  ['request_body.caddyfiletest', 'request_body {\n\tmax_size 1MB\n}', [0]],
  ['tracing.caddyfiletest', 'tracing /myhandler {\n\tspan my-span\n}', [0]],
  ['uri_replace_brace_escape.caddyfiletest', 'uri replace "\\}" %7D', [0]],
  [
    'acme_server_policy-both.caddyfiletest',
    `acme_server {
		ca custom-ca
		allow {
			domains host-1.internal.example.com host-2.internal.example.com
		}
		deny {
			domains dc.internal.example.com
		}
	}`,
    [0],
  ],
];

describe('handler directives against the handlers of conformance cases', () => {
  for (const [name, text, indexes, opts] of cases) {
    it(name, () => {
      const want = expected(name);
      const got = produced(text, opts);
      expect(JSON.stringify(got)).toBe(JSON.stringify(indexes.map((i) => want[i])));
    });
  }
});
