/**
 * @module @proxy/parser/testing: the conformance corpus and its runner, for tests, benchmarks and the
 * conformance command. Kept out of the main entry: it reads the corpus from disk with Node's modules.
 */
export { diff, loadCases, parseCase, runCase, type CaseResult, type ConformanceCase } from './conformance/cases.js';
export { corpusCases, corpusDir, type CorpusFolder } from './conformance/corpus.js';
