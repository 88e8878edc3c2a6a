/**
 * @module options/list: every global option (Caddy's `RegisterGlobalOption` calls, in Caddy's order) and every
 * listener wrapper, in visible lists.
 */
import { Layer4ListenerWrapper } from '../layer4/listener-wrapper.js';
import { Layer4Option } from '../layer4/app.js';
import { LogOption } from '../directives/log.js';
import type { ModuleOfKind } from '../module.js';
import { AdminOption } from './admin.js';
import { EchOption } from './ech.js';
import { EventsOption } from './events.js';
import { FilesystemOption } from './filesystem.js';
import { HTTPRedirectWrapper, ProxyProtocolWrapper, TLSWrapper } from './listener-wrappers.js';
import { MetricsOption } from './metrics.js';
import {
  AcmeDnsOption,
  AcmeEabOption,
  CertIssuerOption,
  DnsOption,
  OnDemandTlsOption,
  PreferredChainsOption,
  StorageOption,
} from './module-options.js';
import { OrderOption } from './order.js';
import { PkiOption } from './pki.js';
import { ServersOption } from './servers.js';
import {
  AcmeCaOption,
  AcmeCaRootOption,
  AutoHttpsOption,
  CertLifetimeOption,
  DebugOption,
  DefaultBindOption,
  DefaultSniOption,
  EmailOption,
  FallbackSniOption,
  GracePeriodOption,
  HttpPortOption,
  HttpsPortOption,
  KeyTypeOption,
  LocalCertsOption,
  OcspIntervalOption,
  OcspStaplingOption,
  PersistConfigOption,
  RenewIntervalOption,
  RenewalWindowRatioOption,
  ShutdownDelayOption,
  SkipInstallTrustOption,
  StorageCheckOption,
  StorageCleanIntervalOption,
  TlsResolversOption,
} from './simple-options.js';

export function listGlobalOptions(): readonly ModuleOfKind<'global-option'>[] {
  return [
    DebugOption,
    HttpPortOption,
    HttpsPortOption,
    DefaultBindOption,
    GracePeriodOption,
    ShutdownDelayOption,
    DefaultSniOption,
    FallbackSniOption,
    OrderOption,
    StorageOption,
    StorageCheckOption,
    StorageCleanIntervalOption,
    RenewIntervalOption,
    OcspIntervalOption,
    AcmeCaOption,
    AcmeCaRootOption,
    AcmeDnsOption,
    AcmeEabOption,
    CertIssuerOption,
    SkipInstallTrustOption,
    EmailOption,
    AdminOption,
    OnDemandTlsOption,
    LocalCertsOption,
    KeyTypeOption,
    AutoHttpsOption,
    MetricsOption,
    ServersOption,
    OcspStaplingOption,
    CertLifetimeOption,
    LogOption,
    PreferredChainsOption,
    PersistConfigOption,
    DnsOption,
    TlsResolversOption,
    EchOption,
    RenewalWindowRatioOption,
    PkiOption,
    EventsOption,
    FilesystemOption,
    Layer4Option,
  ];
}

export function listListenerWrappers(): readonly ModuleOfKind<'listener-wrapper'>[] {
  return [TLSWrapper, HTTPRedirectWrapper, ProxyProtocolWrapper, Layer4ListenerWrapper];
}
