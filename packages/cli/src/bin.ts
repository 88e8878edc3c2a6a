#!/usr/bin/env node
/**
 * @module bin: the entry of the bundled `proxy` bin. It turns on Node's compile cache (in the OS temp folder, or
 * where NODE_COMPILE_CACHE says) before loading the CLI: compiling the CLI and parser chunks is a large part of a
 * short command's run, and the cache spares it from the second run on.
 */
import module from 'node:module';
import v8 from 'node:v8';

try {
  // Node 22.1+; a cache that cannot be used (read-only temp, old Node) only means compiling as before.
  module.enableCompileCache?.();
} catch {
  // ignored: see above
}
if (process.env['PROXY_TF']) v8.setFlagsFromString(`--invocation-count-for-turbofan=${process.env['PROXY_TF']}`);
await import('./main.js');
