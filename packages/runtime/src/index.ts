/** @module @proxy/runtime: serves a Caddy JSON config. */
export type { ConnectionInfo, ListenerWrapper } from './listener-wrapper.js';
export {
  loadConfig,
  validateConfig,
  installSignalHandlers,
  type LoadOptions,
  type RunningInstance,
} from './instance.js';
export { ConfigError, formatValidationError, type ValidationError } from './util/errors.js';
export {
  listenerWrapper,
  unsupportedModules,
  ModuleRegistry,
  LoadContext,
  type AnyModule,
  type ListenerModule,
  type ListenerWrapperContext,
  type ListenerWrapperFactory,
  type ModuleKind,
  type RuntimeModule,
  type Lifecycle,
} from './modules.js';
export { builtinModules } from './modules/index.js';
export { dataDir } from './tls/storage.js';
export { openStorage } from './storage/modules.js';
export { FleetConfigStore, type ConfigStatus, type ConfigVersion } from './storage/fleet-config.js';
export { PostgresStorage, postgresSettings } from './storage/postgres.js';
export type { KeyInfo, LockOptions, Storage } from './storage/storage.js';
export type { App } from './app.js';
export type { TlsAppHandle, CompiledConnectionPolicy } from './tls/handle.js';
export { s as schema, type Schema } from '@proxy/contract';
export { parseClientHello, peekClientHello, type ClientHelloInfo } from './tls/client-hello.js';
export { createRootLogger, named, type Logger } from './logging.js';
export { parseDuration } from '@proxy/contract';
export { claimListener, type ListenerClaim, type ConnectionSink } from './listen/pool.js';
export { parseNetworkAddress, expandPorts, type NetworkAddress } from './listen/address.js';
export { jsDuplex } from './listen/js-duplex.js';
export { compileTemplate, type Template, type Resolver } from './util/template.js';
export { durationOr } from '@proxy/contract';
export { joinPath } from './util/errors.js';
export type * from './config/index.js';
export * from './layer4/index.js';
