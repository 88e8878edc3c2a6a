/**
 * @module log-guest: the boundary between the log modules' typed parsers and the guest module registry, whose
 * parsers still return plain JSON objects for these kinds.
 */
import type { Dispenser } from '../../caddyfile/dispenser.js';
import type { GuestModuleParser } from '../tls/modules.js';

/**
 * A log module parser as the registry keeps it. The parser's own return type (the contract's module type
 * without its name key) is what checks its fields; `parseLogEncoder` and friends restore the type on the way out.
 */
export function guestParser<T extends object>(parse: (d: Dispenser) => T): GuestModuleParser {
  return parse as unknown as GuestModuleParser;
}
