/** @module modules/events: the events app and its exec handler. */
import { eventsAppModule, execEventHandlerModule } from '../events/app.js';
import type { AnyModule } from '../modules.js';

export const eventsModules: AnyModule[] = [eventsAppModule, execEventHandlerModule];
