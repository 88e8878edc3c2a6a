/** @module modules/events: the events app and its exec handler, and the (empty) caddy.filesystems app. */
import { eventsAppModule, execEventHandlerModule } from '../events/app.js';
import { filesystemsAppModule } from '../filesystems-app.js';
import type { AnyModule } from '../modules.js';

export const eventsModules: AnyModule[] = [eventsAppModule, execEventHandlerModule, filesystemsAppModule];
