#!/usr/bin/env node
/** @module main: the `proxy` command run as a script (`node dist/main.js ...`); see cli.ts. */
import { main } from './cli.js';

await main();
