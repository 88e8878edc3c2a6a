export type { ConnectionInfo, ListenerWrapper } from './listener-wrapper.js';
