export type { ConnectionInfo, ListenerWrapper } from './listener-wrapper.js';
export * from './layer4/index.js';
