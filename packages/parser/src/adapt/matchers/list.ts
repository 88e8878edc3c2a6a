/** @module matchers/list: the standard request matchers (`http.matchers.*`), in one visible list. */
import type { ModuleOfKind } from '../module.js';
import { NotMatcher } from './definitions.js';
import { ClientIPMatcher, RemoteIPMatcher } from './ip.js';
import { HeaderMatcher, QueryMatcher, VarsMatcher } from './maps.js';
import { ExpressionMatcher, FileMatcher, TLSMatcher, URLPatternMatcher } from './misc.js';
import { HeaderRegexpMatcher, PathRegexpMatcher, VarsRegexpMatcher } from './regexp.js';
import { HostMatcher, MethodMatcher, PathMatcher, ProtocolMatcher } from './simple.js';

export function listMatchers(): readonly ModuleOfKind<'matcher'>[] {
  return [
    PathMatcher,
    HostMatcher,
    MethodMatcher,
    ProtocolMatcher,
    QueryMatcher,
    HeaderMatcher,
    VarsMatcher,
    PathRegexpMatcher,
    HeaderRegexpMatcher,
    VarsRegexpMatcher,
    RemoteIPMatcher,
    ClientIPMatcher,
    ExpressionMatcher,
    FileMatcher,
    TLSMatcher,
    URLPatternMatcher,
    NotMatcher,
  ];
}
