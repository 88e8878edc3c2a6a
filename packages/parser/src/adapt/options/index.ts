/** @module options: registers every global option (Caddy's `RegisterGlobalOption` calls), in Caddy's order. */
import { registerGlobalOption } from '../registry.js';
import {
  parseOptAutoHTTPS, parseOptDefaultBind, parseOptDuration, parseOptOCSPStapling, parseOptPersistConfig, parseOptPort,
  parseOptRenewalWindowRatio, parseOptSingleString, parseOptStorageCheck, parseOptStorageCleanInterval,
  parseOptTLSResolvers, parseOptTrue,
} from './simple.js';
import { parseOptOrder } from './order.js';
import { parseOptAdmin } from './admin.js';
import { parseOptACMEEAB, parseOptCertIssuer, parseOptDNS, parseOptOnDemand, parseOptPreferredChains, parseOptStorage } from './modules.js';
import { parseOptServers } from './servers.js';
import { parseOptMetrics } from './metrics.js';
import { parseOptPKI } from './pki.js';
import { parseOptECH } from './ech.js';
import './listener-wrappers.js';
import '../tls/issuers.js';
import '../tls/misc-modules.js';

registerGlobalOption('debug', parseOptTrue);
registerGlobalOption('http_port', parseOptPort);
registerGlobalOption('https_port', parseOptPort);
registerGlobalOption('default_bind', parseOptDefaultBind);
registerGlobalOption('grace_period', parseOptDuration);
registerGlobalOption('shutdown_delay', parseOptDuration);
registerGlobalOption('default_sni', parseOptSingleString);
registerGlobalOption('fallback_sni', parseOptSingleString);
registerGlobalOption('order', parseOptOrder);
registerGlobalOption('storage', parseOptStorage);
registerGlobalOption('storage_check', parseOptStorageCheck);
registerGlobalOption('storage_clean_interval', parseOptStorageCleanInterval);
registerGlobalOption('renew_interval', parseOptDuration);
registerGlobalOption('ocsp_interval', parseOptDuration);
registerGlobalOption('acme_ca', parseOptSingleString);
registerGlobalOption('acme_ca_root', parseOptSingleString);
registerGlobalOption('acme_dns', parseOptDNS);
registerGlobalOption('acme_eab', parseOptACMEEAB);
registerGlobalOption('cert_issuer', parseOptCertIssuer);
registerGlobalOption('skip_install_trust', parseOptTrue);
registerGlobalOption('email', parseOptSingleString);
registerGlobalOption('admin', parseOptAdmin);
registerGlobalOption('on_demand_tls', parseOptOnDemand);
registerGlobalOption('local_certs', parseOptTrue);
registerGlobalOption('key_type', parseOptSingleString);
registerGlobalOption('auto_https', parseOptAutoHTTPS);
registerGlobalOption('metrics', parseOptMetrics);
registerGlobalOption('servers', parseOptServers);
registerGlobalOption('ocsp_stapling', parseOptOCSPStapling);
registerGlobalOption('cert_lifetime', parseOptDuration);
// `log` is registered with the log directive (adapt-dirs).
registerGlobalOption('preferred_chains', parseOptPreferredChains);
registerGlobalOption('persist_config', parseOptPersistConfig);
registerGlobalOption('dns', parseOptDNS);
registerGlobalOption('tls_resolvers', parseOptTLSResolvers);
registerGlobalOption('ech', parseOptECH);
registerGlobalOption('renewal_window_ratio', parseOptRenewalWindowRatio);
registerGlobalOption('pki', parseOptPKI);
