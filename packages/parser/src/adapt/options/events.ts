/**
 * @module options/events: the `events` global option (Caddy's caddyevents/eventsconfig `parseApp`), which gives
 * the `events` app, and the `exec` event handler's Caddyfile syntax (mholt/caddy-events-exec), the one handler
 * module this build has (`events.handlers.*` are plugins in Caddy).
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { EventHandlerConfig, EventSubscription, ExecEventHandler } from '@proxy/contract';
import { struct } from '../json.js';
import type { ModuleOfKind } from '../module.js';
import type { AppValue } from '../registry.js';
import { durationArg } from './simple.js';

/**
 * `exec <command> [<args...>] { dir <dir>; timeout <duration>; foreground; abort }`; the dispenser starts at
 * `exec`.
 */
function parseExec(d: Dispenser): ExecEventHandler {
  d.next();
  if (!d.nextArg()) throw d.argErr();
  const command = d.val();
  const args = d.remainingArgs();
  const f: { dir?: string; timeout?: number; foreground?: boolean; abort?: boolean } = {};
  while (d.nextBlock(0)) {
    const sub = d.val();
    switch (sub) {
      case 'dir':
        if (!d.nextArg()) throw d.argErr();
        f.dir = d.val();
        break;
      case 'timeout':
        if (!d.nextArg()) throw d.argErr();
        f.timeout = durationArg(d, d.val(), 'parsing timeout');
        break;
      case 'foreground':
      case 'abort':
        if (d.nextArg()) throw d.argErr();
        f[sub] = true;
        break;
      default:
        throw d.err(`unrecognized exec subdirective '${sub}'`);
    }
    if (d.nextArg()) throw d.argErr();
  }
  return struct<ExecEventHandler>({
    handler: 'exec',
    command,
    args: args.length > 0 ? args : undefined,
    dir: f.dir,
    timeout: f.timeout,
    foreground: f.foreground,
    abort: f.abort,
  });
}

/** The event handler modules this build knows, by name. */
const HANDLERS: Record<string, (d: Dispenser) => EventHandlerConfig> = { exec: parseExec };

/** `events { on <event|*> <handler> [...] ... }`: one subscription per `on` line, in order. */
function parseEvents(d: Dispenser): AppValue {
  d.next();
  const subscriptions: EventSubscription[] = [];
  while (d.nextBlock(0)) {
    if (d.val() !== 'on') throw d.argErr();
    if (!d.nextArg()) throw d.argErr();
    // `*` binds to every event, written as the empty name.
    const event = d.val() === '*' ? '' : d.val();
    if (!d.nextArg()) throw d.argErr();
    const name = d.val();
    const parse = Object.hasOwn(HANDLERS, name) ? HANDLERS[name] : undefined;
    const id = `events.handlers.${name}`;
    if (!parse) throw d.err(`getting module named '${id}': module not registered: ${id}`);
    subscriptions.push({ events: [event], handlers: [parse(d.newFromNextSegment())] });
  }
  return {
    kind: 'app',
    name: 'events',
    value: struct({ subscriptions: subscriptions.length ? subscriptions : undefined }),
  };
}

export const EventsOption: ModuleOfKind<'global-option'> = {
  kind: 'global-option',
  name: 'events',
  syntax: 'events { on <event|*> <handler_module> [...] }',
  doc: 'Configures the events app: runs handlers (such as exec) when events like cert_obtained or started happen.',
  subdirectives: [
    {
      name: 'on',
      syntax: 'on <event|*> exec <command> [<args...>] { dir <dir>; timeout <duration>; foreground; abort }',
      doc: 'Binds a handler to an event (`*` for every event); exec runs a command, with {event.*} placeholders in its arguments.',
    },
  ],
  parse: parseEvents,
};
