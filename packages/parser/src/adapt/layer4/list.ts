/** @module layer4/list: every caddy-l4 module (and the TLS handshake matchers it nests), in one visible list. */
import type { ModuleDefinition } from './registry.js';
import { MatchClock } from './matchers/clock.js';
import { MatchDNS } from './matchers/dns.js';
import { MatchHTTP } from './matchers/http.js';
import { MatchLocalIP } from './matchers/local-ip.js';
import { MatchNot } from './matchers/not.js';
import { MatchOpenVPN } from './matchers/openvpn.js';
import { MatchPostgres } from './matchers/postgres.js';
import { MatchProxyProtocol } from './matchers/proxy-protocol.js';
import { MatchQUIC } from './matchers/quic.js';
import { MatchRDP } from './matchers/rdp.js';
import { MatchRegexp } from './matchers/regexp.js';
import { MatchRemoteIP } from './matchers/remote-ip.js';
import { MatchRemoteIPList } from './matchers/remote-ip-list.js';
import { MatchSocks4 } from './matchers/socks4.js';
import { MatchSocks5 } from './matchers/socks5.js';
import { MatchSSH } from './matchers/ssh.js';
import { MatchTLS } from './matchers/tls.js';
import { MatchVars } from './matchers/vars.js';
import { MatchVarsRE } from './matchers/vars-regexp.js';
import { MatchWinbox } from './matchers/winbox.js';
import { MatchWireGuard } from './matchers/wireguard.js';
import { MatchXMPP } from './matchers/xmpp.js';
import { HandleClose } from './handlers/close.js';
import { HandleEcho } from './handlers/echo.js';
import { HandlePostgresTLS } from './handlers/postgres-tls.js';
import { HandleProxy } from './handlers/proxy.js';
import { HandleProxyProtocol } from './handlers/proxy-protocol.js';
import { HandleSocks5 } from './handlers/socks5.js';
import { HandleSubroute } from './handlers/subroute.js';
import { HandleTee } from './handlers/tee.js';
import { HandleThrottle } from './handlers/throttle.js';
import { HandleTLS } from './handlers/tls.js';
import { HandleVars } from './handlers/vars.js';
import {
  FirstSelection,
  IPHashSelection,
  LeastConnSelection,
  RandomChoiceSelection,
  RandomSelection,
  RoundRobinSelection,
  WeightedRoundRobinSelection,
} from './proxy/selection-policies.js';
import { MatchALPN } from './tls/alpn.js';
import { MatchTLSLocalIP } from './tls/local-ip.js';
import { MatchTLSRemoteIP } from './tls/remote-ip.js';
import { MatchServerName } from './tls/sni.js';
import { MatchServerNameRE } from './tls/sni-regexp.js';

/** caddy-l4's modules and the TLS handshake matchers they nest, by namespace. */
export function listLayer4Modules(): readonly ModuleDefinition[] {
  return [
    // layer4.matchers.*
    MatchClock,
    MatchDNS,
    MatchHTTP,
    MatchLocalIP,
    MatchNot,
    MatchOpenVPN,
    MatchPostgres,
    MatchProxyProtocol,
    MatchQUIC,
    MatchRDP,
    MatchRegexp,
    MatchRemoteIP,
    MatchRemoteIPList,
    MatchSocks4,
    MatchSocks5,
    MatchSSH,
    MatchTLS,
    MatchVars,
    MatchVarsRE,
    MatchWinbox,
    MatchWireGuard,
    MatchXMPP,
    // layer4.handlers.*
    HandleClose,
    HandleEcho,
    HandlePostgresTLS,
    HandleProxy,
    HandleProxyProtocol,
    HandleSocks5,
    HandleSubroute,
    HandleTee,
    HandleThrottle,
    HandleTLS,
    HandleVars,
    // layer4.proxy.selection_policies.*
    FirstSelection,
    IPHashSelection,
    LeastConnSelection,
    RandomChoiceSelection,
    RandomSelection,
    RoundRobinSelection,
    WeightedRoundRobinSelection,
    // tls.handshake_match.*: Caddy's TLS handshake matchers (and caddy-l4's alpn), nested in layer4 modules
    MatchALPN,
    MatchServerName,
    MatchServerNameRE,
    MatchTLSLocalIP,
    MatchTLSRemoteIP,
  ];
}
