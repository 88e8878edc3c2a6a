#!/usr/bin/env node
/**
 * @module bin: the entry of the bundled `proxy` bin. It turns on Node's compile cache (in the OS temp folder, or
 * where NODE_COMPILE_CACHE says) before loading the CLI: compiling the CLI and parser chunks is a large part of a
 * short command's run, and the cache spares it from the second run on.
 */
import type Module from 'node:module';

// Through `process.getBuiltinModule` (Node 22.3+) when there is one: importing a builtin as an ES module costs
// a few milliseconds of start-up.
const module = (process.getBuiltinModule?.('node:module') ?? (await import('node:module')).default) as typeof Module;
try {
  // Node 22.1+; a cache that cannot be used (read-only temp, old Node) only means compiling as before.
  module.enableCompileCache?.();
} catch {
  // ignored: see above
}
await import('./main.js');
