/**
 * @module events/app: the `events` app (Caddy's caddyevents.App): subscriptions bind handlers to event names and
 * origin modules. Emitting runs, for the event's name and then for "every event", the handlers bound to the
 * origin module's ID and to each namespace above it (`tls.handshake` -> `tls` -> any), in subscription order;
 * a handler error is logged, and one that aborts stops the event. Placeholders: {event}, {event.id},
 * {event.name}, {event.time}, {event.time_unix}, {event.module}, {event.data}, {event.data.*}, and the global ones.
 */
import { randomUUID } from 'node:crypto';
import { type EventsApp, type ExecEventHandler, eventsAppSchema, execEventHandlerSchema } from '@proxy/contract';
import type { Logger } from 'pino';
import type { App } from '../app.js';
import type { LoadContext, RuntimeModule } from '../modules.js';
import { globalKey } from '../http/replacer.js';
import { ConfigError, joinPath } from '../util/errors.js';
import type { EventBus, RuntimeEvent } from './bus.js';
import { createExec, EventAborted, type EventHandler } from './exec.js';

/** A value as Caddy's replacer prints it in a placeholder. */
function show(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean' || typeof v === 'bigint') return String(v);
  return JSON.stringify(v);
}

export class EventsAppImpl implements App, EventBus {
  /** event name ("" = every event) -> origin ("" = any module) -> handlers. */
  private readonly subs = new Map<string, Map<string, EventHandler[]>>();
  private logger!: Logger;

  constructor(
    private readonly c: EventsApp,
    private readonly path: string,
  ) {}

  provision(ctx: LoadContext): void {
    this.logger = ctx.logger.child({ logger: 'events' });
    (this.c.subscriptions ?? []).forEach((sub, i) => {
      const sp = joinPath(joinPath(this.path, 'subscriptions'), i);
      const handlers = (sub.handlers ?? []).map((h, j) => {
        const hp = joinPath(joinPath(sp, 'handlers'), j);
        if (h.handler !== 'exec')
          throw ConfigError.at(joinPath(hp, 'handler'), `unknown module events.handlers.${h.handler}`);
        const exec = h as ExecEventHandler;
        if (!exec.command) throw ConfigError.at(joinPath(hp, 'command'), 'exec: a command is required');
        return createExec(exec, ctx.env, this.logger);
      });
      if (handlers.length === 0) throw ConfigError.at(joinPath(sp, 'handlers'), 'no handlers defined');
      for (const name of sub.events?.length ? sub.events : ['']) {
        const byOrigin = this.subs.get(name.toLowerCase()) ?? new Map<string, EventHandler[]>();
        this.subs.set(name.toLowerCase(), byOrigin);
        for (const origin of sub.modules?.length ? sub.modules : ['']) {
          byOrigin.set(origin, [...(byOrigin.get(origin) ?? []), ...handlers]);
        }
      }
    });
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async emit(name: string, origin: string, data: Record<string, unknown> = {}): Promise<{ aborted?: Error }> {
    const e: RuntimeEvent = { id: randomUUID(), name: name.toLowerCase(), time: Date.now(), origin, data };
    const log = this.logger.child({ name: e.name, id: e.id, origin });
    log.debug({ data }, 'event');
    const resolve = (key: string): string | undefined => {
      switch (key) {
        case 'event':
          return show({ name: e.name, id: e.id, origin, data });
        case 'event.id':
          return e.id;
        case 'event.name':
          return e.name;
        case 'event.time':
          return new Date(e.time).toISOString();
        case 'event.time_unix':
          return String(e.time);
        case 'event.module':
          return origin;
        case 'event.data':
          return show(data);
      }
      if (key.startsWith('event.data.')) {
        const k = key.slice(11);
        return Object.hasOwn(data, k) ? show(data[k]) : undefined;
      }
      return globalKey(key);
    };
    for (const eventName of e.name === '' ? [''] : [e.name, '']) {
      const byOrigin = this.subs.get(eventName);
      if (!byOrigin) continue;
      // The origin and each namespace above it, then handlers bound regardless of the module.
      const origins: string[] = [];
      for (let m = origin; m !== ''; m = m.includes('.') ? m.slice(0, m.lastIndexOf('.')) : '') origins.push(m);
      origins.push('');
      for (const o of origins) {
        for (const h of byOrigin.get(o) ?? []) {
          try {
            await h.handle(resolve);
          } catch (err) {
            const aborted = err instanceof EventAborted;
            log.error({ error: String((err as Error).message), aborted }, 'handler error');
            if (aborted) return { aborted: err as Error };
          }
        }
      }
    }
    return {};
  }
}

export const eventsAppModule: RuntimeModule<EventsAppImpl> = {
  id: 'events',
  kind: 'app',
  doc: 'The events app: runs handlers (exec) when events such as started or cert_obtained happen.',
  schema: eventsAppSchema,
  create: (json, _ctx, path) => new EventsAppImpl(json as EventsApp, path),
};

/** The exec handler: created by the events app, checked here. */
export const execEventHandlerModule: RuntimeModule = {
  id: 'events.handlers.exec',
  kind: 'part',
  doc: 'Runs a command when an event happens (placeholders replaced in its arguments).',
  schema: execEventHandlerSchema,
};
