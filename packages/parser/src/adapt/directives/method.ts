/** @module method: the `method` handler directive (rewrites the request method). */
import { moduleObject } from '../json.js';
import { registerHandlerDirective } from '../registry.js';
import { oneArg } from './common.js';

/** Registers `method`. */
export function register(): void {
  registerHandlerDirective('method', (h) => {
    h.next();
    return moduleObject('handler', 'rewrite', { method: oneArg(h) });
  });
}
