/** @module tls/app: the `tls` app (Caddy's `buildTLSApp`, §13.2). */
import type { AdaptContext } from '../core/context.js';
import type { Pairing } from '../core/listeners.js';
import type { JsonObject } from '../json.js';

/** Builds the tls app, or undefined when it would be empty. */
export function buildTLSApp(_pairings: Pairing[], _ctx: AdaptContext): JsonObject | undefined {
  return undefined;
}
