/** @module layer4/matchers/ssh: `layer4.matchers.ssh` — the stream starts with "SSH-". */
import { prefixMatcher } from './prefix.js';
import type { MatcherFactory } from '../types.js';

export const createSshMatcher: MatcherFactory = (json, path) =>
  prefixMatcher([Buffer.from('SSH-', 'ascii')], json, path);
