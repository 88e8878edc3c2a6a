/**
 * @module sea: the entry of the single executable (scripts/build-binary.mjs): bundled as one CommonJS script, which
 * Node's single executable applications need, so no top-level await here.
 */
import { main } from './cli.js';

void main();
