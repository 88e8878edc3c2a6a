/**
 * @module log-guest: the boundary between the log modules' typed parsers and the guest module registry, whose
 * parsers still return plain JSON objects for these kinds.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { JsonObject } from '../json.js';

/** A guest module parser of the log kinds as the registry types it. */
export type LogGuestParser = (d: Dispenser) => JsonObject;

/**
 * A log module parser as the registry keeps it. The parser's own return type (the contract's module type
 * without its name key) is what checks its fields; `parseLogEncoder` and friends restore the type on the way out.
 */
export function guestParser<T extends object>(parse: (d: Dispenser) => T): LogGuestParser {
  return parse as unknown as LogGuestParser;
}
