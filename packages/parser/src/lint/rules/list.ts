/** @module lint/rules/list: every lint rule, in the order their findings are listed for one place. */
import type { LintRule } from '../types.js';
import { basicAuthOverHTTP } from './basic-auth-over-http.js';
import { deprecated } from './deprecated.js';
import { duplicateSiteAddress } from './duplicate-site-address.js';
import { importCycle } from './import-cycle.js';
import { tlsInternalPublic } from './tls-internal-public.js';
import { unreachableDirective } from './unreachable-directive.js';
import { unusedMatcher } from './unused-matcher.js';
import { unusedSnippet } from './unused-snippet.js';

export const lintRules: readonly LintRule[] = [
  importCycle,
  duplicateSiteAddress,
  unusedSnippet,
  unusedMatcher,
  unreachableDirective,
  basicAuthOverHTTP,
  tlsInternalPublic,
  deprecated,
];
