/**
 * @module sea: the entry of the single executable (scripts/build-binary.mjs): bundled as one CommonJS script, which
 * Node's single executable applications need, so no top-level await here.
 */
import { main } from './cli.js';

// `run --workers` forks workers with node:cluster, which runs `<node> <script> ARGS`: here node and the script
// are both this executable, so a worker sees its own path before the command. Drop it.
const argv =
  process.argv[2] === process.execPath ? [...process.argv.slice(0, 2), ...process.argv.slice(3)] : process.argv;
void main(argv);
