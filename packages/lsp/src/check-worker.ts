/** @module check-worker: the checking worker's default entry: adapts, without the runtime's validation. */
import { serveChecks } from './check-service.js';

serveChecks();
