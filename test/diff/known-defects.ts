/**
 * @module diff/known-defects: differences someone is fixing. Each entry is reported as an expected failure; an
 * entry whose scenario (or request) no longer differs FAILS the suite, so entries are deleted as fixes merge and
 * the list stays honest. Empty: every difference the suite finds is either fixed or pinned (pinned.ts, with its
 * reason). A new difference goes here only with an owner, never to make a run green.
 */
import type { KnownDefect } from './types.js';

export const knownDefects: KnownDefect[] = [];
