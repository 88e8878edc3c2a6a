/** @module events/bus: what other apps see of the events app: a way to emit an event. */

/** An event as handlers see it (Caddy's caddyevents.Event). */
export interface RuntimeEvent {
  readonly id: string;
  readonly name: string;
  /** When it was emitted (ms since the epoch). */
  readonly time: number;
  /** The module ID it comes from ("" for the core's own events, such as `started`). */
  readonly origin: string;
  readonly data: Readonly<Record<string, unknown>>;
}

/** Emits events to the events app's subscribers. */
export interface EventBus {
  /**
   * Runs the handlers subscribed to `name` (or to every event) for events from `origin` or a namespace above it;
   * resolves with the error of a handler that aborted the event, if one did.
   */
  emit(name: string, origin: string, data?: Record<string, unknown>): Promise<{ aborted?: Error }>;
}

/** Where a config's events app is shared with the other apps (LoadContext.apps). */
export const EVENT_BUS = 'events:bus';

/** A bus that has no subscribers: what apps use when the config has no events app. */
export const NO_EVENTS: EventBus = { emit: async () => ({}) };
