/** @module layer4/handlers/echo: the `echo` handler, which writes back what the client sends. */
import { handler } from '../registry.js';
import { bareModule } from '../syntax.js';

/** `echo`: no arguments, no block; JSON `{"handler": "echo"}`. */
export const HandleEcho = handler(
  'echo',
  {
    syntax: 'echo',
    doc: 'Writes back whatever the client sends.',
  },
  (d) => {
    bareModule(d, 'handler');
    return {};
  },
);
