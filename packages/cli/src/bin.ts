#!/usr/bin/env node
/**
 * @module bin: the entry of the bundled `proxy` bin: start-up settings for the Node process, then the CLI.
 * - Node's compile cache (in the OS temp folder, or where NODE_COMPILE_CACHE says): compiling the CLI and parser
 *   chunks is a large part of a short command's run, and the cache spares it from the second run on.
 * - For one-shot commands (adapt, fmt, validate), TurboFan optimizes later than V8's default: in a run that
 *   lasts well under a second its compiles compete with the work for the CPU and rarely pay back before exit.
 */
import module from 'node:module';
import v8 from 'node:v8';

try {
  // Node 22.1+; a cache that cannot be used (read-only temp, old Node) only means compiling as before.
  module.enableCompileCache?.();
} catch {
  // ignored: see above
}
const ONE_SHOT = new Set(['adapt', 'fmt', 'validate']);
// The flag exists in these V8 versions (Node 22 to 24); an unknown one would make V8 print an error.
const v8Major = Number(process.versions.v8.split('.')[0]);
if (ONE_SHOT.has(process.argv[2] ?? '') && v8Major >= 11 && v8Major <= 13) {
  v8.setFlagsFromString('--invocation-count-for-turbofan=10000');
}
await import('./main.js');
