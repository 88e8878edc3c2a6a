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
