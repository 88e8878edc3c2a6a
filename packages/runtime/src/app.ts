/** @module app: the contract of a top-level app (`apps.http`, `apps.tls`, `apps.layer4`...). */
import type { Lifecycle } from './modules.js';

/**
 * An app module: registered with the module ID equal to the app name ("http", "layer4"). Apps are
 * provisioned (tls first), then started (tls first); on unload they are stopped, then cleaned up.
 */
export interface App extends Lifecycle {
  /** Binds listeners, starts timers. */
  start(): Promise<void>;
  /** Stops accepting; in-flight work may finish within the grace period. */
  stop(graceMs?: number): Promise<void>;
}
