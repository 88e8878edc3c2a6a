/** @module @proxy/parser: the Caddyfile lexer, parser, formatter and adapter. */
export * from './diagnostics.js';
export * from './caddyfile/index.js';
export * from './adapt/index.js';
export { format } from './format/format.js';
export { defaultDirectiveOrder } from './adapt/directives/order.js';
export { loadCases, parseCase, runCase, type CaseResult, type ConformanceCase } from './conformance/cases.js';
export { corpusCases, corpusDir, type CorpusFolder } from './conformance/corpus.js';
