/** @module matchers: registers the standard request matchers (`http.matchers.*`). */
import { registerMatcher } from './registry.js';
import { parseHost, parseMethod, parsePath, parseProtocol } from './simple.js';
import { parseHeader, parseQuery, parseVars } from './maps.js';
import { parseHeaderRegexp, parsePathRegexp, parseVarsRegexp } from './regexp.js';
import { parseClientIP, parseRemoteIP } from './ip.js';
import { parseExpression, parseFile, parseTLS, parseURLPattern } from './misc.js';
import './definitions.js';

registerMatcher('path', parsePath);
registerMatcher('host', parseHost);
registerMatcher('method', parseMethod);
registerMatcher('protocol', parseProtocol);
registerMatcher('query', parseQuery);
registerMatcher('header', parseHeader);
registerMatcher('vars', parseVars);
registerMatcher('path_regexp', parsePathRegexp);
registerMatcher('header_regexp', parseHeaderRegexp);
registerMatcher('vars_regexp', parseVarsRegexp);
registerMatcher('remote_ip', parseRemoteIP);
registerMatcher('client_ip', parseClientIP);
registerMatcher('expression', parseExpression);
registerMatcher('file', parseFile);
registerMatcher('tls', parseTLS);
registerMatcher('url_pattern', parseURLPattern);

export { registerMatcher, matcherModule, type MatcherParser, type MatcherContext } from './registry.js';
export { makeMatcher, matcherSetFromToken, parseMatcherDefinition, parseNestedMatcherSet } from './definitions.js';
