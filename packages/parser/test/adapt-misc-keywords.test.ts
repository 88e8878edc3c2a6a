/** Keywords of current Caddy the adapter gained from the keyword reference: `timeouts`, `events`, `filesystem`. */
import { describe, expect, it } from 'vitest';
import { at, cfg, errOf } from './adapt-helpers.js';

describe('timeouts directive', () => {
  it('emits a timeouts handler with Go durations in nanoseconds, min rates and the chunk size', () => {
    const c = cfg(
      ':80 {\n\ttimeouts /up* {\n\t\tread_timeout 10s 1000\n\t\twrite_timeout 1m30s\n\t\tmax_write_chunk 64KiB\n\t}\n\trespond ok\n}\n',
    );
    expect(at(c, 'apps.http.servers.srv0.routes')).toEqual([
      {
        match: [{ path: ['/up*'] }],
        handle: [
          {
            handler: 'timeouts',
            read_timeout: 10_000_000_000,
            read_min_rate: 1000,
            write_timeout: 90_000_000_000,
            max_write_chunk: 65536,
          },
        ],
      },
      { handle: [{ handler: 'static_response', body: 'ok' }] },
    ]);
  });
  it('sorts before redir and after request_body, as in the directive order', () => {
    const routes = at(
      cfg(
        ':80 {\n\tredir /x /y\n\ttimeouts {\n\t\twrite_timeout 1s\n\t}\n\trequest_body {\n\t\tmax_size 1KB\n\t}\n}\n',
      ),
      'apps.http.servers.srv0.routes',
    ) as { handle: { handler: string }[] }[];
    expect(routes.flatMap((r) => r.handle.map((h) => h.handler))).toEqual([
      'request_body',
      'timeouts',
      'static_response',
    ]);
  });
  it('reads durations as time.ParseDuration does (no d unit) and refuses unknown subdirectives', () => {
    expect(errOf(':80 {\n\ttimeouts {\n\t\tread_timeout 1d\n\t}\n}\n')).toContain('unknown unit "d"');
    expect(errOf(':80 {\n\ttimeouts {\n\t\tidle 1s\n\t}\n}\n')).toContain("unrecognized timeouts subdirective 'idle'");
    expect(errOf(':80 {\n\ttimeouts {\n\t\tread_timeout 1s x\n\t}\n}\n')).toContain('min rate');
    expect(errOf(':80 {\n\ttimeouts 1s\n}\n')).toContain('wrong argument count');
  });
});

describe('events global option', () => {
  it('gives the events app: one subscription per on line, * as every event, exec with its block', () => {
    const c = cfg(
      '{\n\tevents {\n\t\ton cert_obtained exec /bin/notify {event.data.identifier} {\n\t\t\tdir /tmp\n\t\t\ttimeout 5s\n\t\t\tforeground\n\t\t\tabort\n\t\t}\n\t\ton * exec logger x\n\t}\n}\n:80 {\n\trespond ok\n}\n',
    );
    expect(at(c, 'apps.events')).toEqual({
      subscriptions: [
        {
          events: ['cert_obtained'],
          handlers: [
            {
              handler: 'exec',
              command: '/bin/notify',
              args: ['{event.data.identifier}'],
              dir: '/tmp',
              timeout: 5_000_000_000,
              foreground: true,
              abort: true,
            },
          ],
        },
        { events: [''], handlers: [{ handler: 'exec', command: 'logger', args: ['x'] }] },
      ],
    });
  });
  it('refuses unknown handler modules, other keys and a missing event or handler as Caddy does', () => {
    expect(errOf('{\n\tevents {\n\t\ton started nope\n\t}\n}\n')).toContain(
      "getting module named 'events.handlers.nope': module not registered: events.handlers.nope",
    );
    expect(errOf('{\n\tevents {\n\t\tonn started exec x\n\t}\n}\n')).toContain('wrong argument count');
    expect(errOf('{\n\tevents {\n\t\ton started\n\t}\n}\n')).toContain('wrong argument count');
    expect(errOf('{\n\tevents {\n\t\ton started exec\n\t}\n}\n')).toContain('wrong argument count');
    expect(errOf('{\n\tevents {\n\t\ton started exec x {\n\t\t\tuser root\n\t\t}\n\t}\n}\n')).toContain(
      "unrecognized exec subdirective 'user'",
    );
  });
});

describe('filesystem global option', () => {
  it('names a caddy.fs module, none of which is built in (as in standard Caddy)', () => {
    expect(errOf('{\n\tfilesystem assets s3 {\n\t\tbucket b\n\t}\n}\n:80\n')).toContain(
      "getting module named 'caddy.fs.s3': module not registered: caddy.fs.s3",
    );
    expect(errOf('{\n\tfilesystem assets\n}\n:80\n')).toContain('wrong argument count');
    expect(errOf('{\n\tfilesystem\n}\n:80\n')).toContain('wrong argument count');
  });
});

describe('tls keywords of current Caddy', () => {
  const policy = (tls: string) =>
    at(cfg(`localhost {\n\ttls {\n${tls}\n\t}\n}\n`), 'apps.tls.automation.policies.0.issuers') as unknown[];
  it('ca_root adds a trusted root to the implicit ACME issuer', () => {
    expect(policy('\t\tca https://ca.test/dir\n\t\tca_root /etc/root.pem')).toEqual([
      { module: 'acme', ca: 'https://ca.test/dir', trusted_roots_pem_files: ['/etc/root.pem'] },
    ]);
    expect(errOf('localhost {\n\ttls {\n\t\tca_root a b\n\t}\n}\n')).toContain('wrong argument count');
  });
  it('acme distributed false and the zerossl DNS challenge options', () => {
    expect(
      policy(
        '\t\tissuer acme {\n\t\t\tdistributed false\n\t\t}\n\t\tissuer zerossl KEY {\n\t\t\tresolvers 1.1.1.1\n\t\t\tpropagation_timeout -1\n\t\t\tpropagation_delay 5s\n\t\t\tdns_ttl 1m\n\t\t}',
      ),
    ).toEqual([
      { module: 'acme', challenges: { distributed: false } },
      {
        module: 'zerossl',
        api_key: 'KEY',
        dns: { resolvers: ['1.1.1.1'], propagation_timeout: -1, propagation_delay: 5_000_000_000, ttl: 60_000_000_000 },
      },
    ]);
    expect(errOf('localhost {\n\ttls {\n\t\tissuer acme {\n\t\t\tdistributed true\n\t\t}\n\t}\n}\n')).toContain(
      "only accepted value is 'false'",
    );
  });
  it('the http trust pool tls block and the storage trust pool storage module', () => {
    const ca = (pool: string) =>
      at(
        cfg(`localhost {\n\ttls {\n\t\tclient_auth {\n\t\t\ttrust_pool ${pool}\n\t\t}\n\t}\n}\n`),
        'apps.http.servers.srv0.tls_connection_policies.0.client_authentication.ca',
      );
    expect(
      ca(
        'http https://a.test/ca.pem {\n\t\t\t\ttls {\n\t\t\t\t\tca file /etc/x.pem\n\t\t\t\t\tinsecure_skip_verify\n\t\t\t\t\thandshake_timeout 5s\n\t\t\t\t\tserver_name a.test\n\t\t\t\t\trenegotiation once\n\t\t\t\t}\n\t\t\t}',
      ),
    ).toEqual({
      provider: 'http',
      endpoints: ['https://a.test/ca.pem'],
      tls: {
        ca: { provider: 'file', pem_files: ['/etc/x.pem'] },
        insecure_skip_verify: true,
        handshake_timeout: 5_000_000_000,
        server_name: 'a.test',
        renegotiation: 'once',
      },
    });
    expect(ca('storage k1 {\n\t\t\t\tstorage file_system /data\n\t\t\t\tkeys k2\n\t\t\t}')).toEqual({
      provider: 'storage',
      storage: { module: 'file_system', root: '/data' },
      pem_keys: ['k1', 'k2'],
    });
    expect(
      errOf(
        'localhost {\n\ttls {\n\t\tclient_auth {\n\t\t\ttrust_pool http https://a.test {\n\t\t\t\ttls {\n\t\t\t\t\trenegotiation sometimes\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n',
      ),
    ).toContain('unrecognized renegotiation option: sometimes');
  });
});

describe('log filters of current Caddy', () => {
  const fields = (filters: string) =>
    at(
      cfg(`:80 {\n\tlog {\n\t\tformat filter {\n\t\t\tfields {\n${filters}\n\t\t\t}\n\t\t}\n\t}\n}\n`),
      'logging.logs.log0.encoder.fields',
    );
  it('set_cookie takes the cookie filter actions', () => {
    expect(
      fields(
        '\t\t\t\tresp_headers>Set-Cookie set_cookie {\n\t\t\t\t\treplace sess X\n\t\t\t\t\thash id\n\t\t\t\t\tdelete gone\n\t\t\t\t}',
      ),
    ).toEqual({
      'resp_headers>Set-Cookie': {
        filter: 'set_cookie',
        actions: [
          { type: 'replace', name: 'sess', value: 'X' },
          { type: 'hash', name: 'id' },
          { type: 'delete', name: 'gone' },
        ],
      },
    });
  });
  it('multi_regexp lists regexp replacements in order', () => {
    expect(
      fields('\t\t\t\trequest>host multi_regexp {\n\t\t\t\t\tregexp ^a b\n\t\t\t\t\tregexp c d\n\t\t\t\t}'),
    ).toEqual({
      'request>host': {
        filter: 'multi_regexp',
        operations: [
          { regexp: '^a', value: 'b' },
          { regexp: 'c', value: 'd' },
        ],
      },
    });
    expect(
      errOf(
        ':80 {\n\tlog {\n\t\tformat filter {\n\t\t\tfields {\n\t\t\t\tx multi_regexp {\n\t\t\t\t\tregexp a\n\t\t\t\t}\n\t\t\t}\n\t\t}\n\t}\n}\n',
      ),
    ).toContain('wrong argument count');
  });
});

describe('log file writer backup_time_format (Caddy 2.11)', () => {
  it('is the layout of rolled file names', () => {
    const c = cfg(
      ':80 {\n\tlog {\n\t\toutput file /var/log/a.log {\n\t\t\tbackup_time_format 2006-01-02\n\t\t}\n\t}\n}\n',
    );
    expect(at(c, 'logging.logs.log0.writer')).toEqual({
      output: 'file',
      filename: '/var/log/a.log',
      backup_time_format: '2006-01-02',
    });
  });
});
