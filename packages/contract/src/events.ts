/**
 * @module events: the `events` app (Caddy's caddyevents, current Caddy's JSON) and its `exec` handler
 * (mholt/caddy-events-exec, the handler the Caddyfile's `events { on <event> exec ... }` names).
 */
import type { Duration } from './core.js';
import { s, type Own } from './schema.js';

/** The events app: subscriptions bind handlers to events. */
export interface EventsApp {
  /** Subscriptions, each binding handlers to events (and, optionally, to the modules they come from). */
  subscriptions?: EventSubscription[];
}

/** One subscription. */
export interface EventSubscription {
  /** Event names (`cert_obtained`, `started`...); "" or none means every event. */
  events?: string[];
  /** Module IDs or namespaces the events must come from; none means any. */
  modules?: string[];
  /** Handler modules (`events.handlers.*`), named by `handler`. */
  handlers?: EventHandlerConfig[];
}

/** An event handler module. */
export type EventHandlerConfig = ExecEventHandler | { handler: string; [field: string]: unknown };

/** `events.handlers.exec`: runs a command when the event happens. */
export interface ExecEventHandler {
  handler: 'exec';
  /** The command to run (no placeholders: it is run as written). */
  command?: string;
  /** Its arguments; placeholders (`{event.name}`, `{event.data.*}`...) are replaced. */
  args?: string[];
  /** The working directory. */
  dir?: string;
  /** How long the command may run before it is killed; none by default. */
  timeout?: Duration;
  /** Waits for the command, so the event waits for it (else it runs in the background). */
  foreground?: boolean;
  /** With `foreground`: a failing command aborts the event (e.g. refuses a certificate being obtained). */
  abort?: boolean;
}

export const execEventHandlerSchema = s.obj<Own<ExecEventHandler, 'handler'>>({
  command: s.str,
  args: s.strs,
  dir: s.str,
  timeout: s.dur,
  foreground: s.bool,
  abort: s.bool,
});

export const eventsAppSchema = s.obj<EventsApp>({
  subscriptions: s.arr(
    s.obj<EventSubscription>({ events: s.strs, modules: s.strs, handlers: s.arr(s.mod('events.handlers', 'handler')) }),
  ),
});
