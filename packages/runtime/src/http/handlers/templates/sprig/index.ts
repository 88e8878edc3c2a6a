/**
 * @module http/handlers/templates/sprig/index: the Sprig (v3, TxtFuncMap) functions real sites use, with the
 * parameter types text/template checks. Sprig's argument order is kept (the operated-on value last, so it pipes).
 */
import type { ParamType } from '../../../../util/go-template/exec.js';
import type { FuncDef } from '../../../../util/go-template/template.js';
import { datesFuncs } from './dates.js';
import { encodingFuncs } from './encoding.js';
import { flowFuncs } from './flow.js';
import { listsFuncs } from './lists.js';
import { mathFuncs } from './math.js';
import { stringsFuncs } from './strings.js';

export { jsonParse } from './flow.js';

/** Sprig's parameter types that text/template checks before calling (interface{} parameters are not listed). */
const SIGNATURES: Record<string, ParamType[]> = {
  trim: ['string'],
  trimAll: ['string', 'string'],
  trimPrefix: ['string', 'string'],
  trimSuffix: ['string', 'string'],
  upper: ['string'],
  lower: ['string'],
  title: ['string'],
  untitle: ['string'],
  repeat: ['int', 'string'],
  substr: ['int', 'int', 'string'],
  nospace: ['string'],
  trunc: ['int', 'string'],
  abbrev: ['int', 'string'],
  initials: ['string'],
  wrap: ['int', 'string'],
  contains: ['string', 'string'],
  hasPrefix: ['string', 'string'],
  hasSuffix: ['string', 'string'],
  indent: ['int', 'string'],
  nindent: ['int', 'string'],
  replace: ['string', 'string', 'string'],
  plural: ['string', 'string', 'int'],
  snakecase: ['string'],
  camelcase: ['string'],
  kebabcase: ['string'],
  swapcase: ['string'],
  split: ['string', 'string'],
  splitList: ['string', 'string'],
  splitn: ['string', 'int', 'string'],
  join: ['string', 'any'],
  regexMatch: ['string', 'string'],
  regexFind: ['string', 'string'],
  regexFindAll: ['string', 'string', 'int'],
  regexReplaceAll: ['string', 'string', 'string'],
  regexReplaceAllLiteral: ['string', 'string', 'string'],
  regexSplit: ['string', 'string', 'int'],
  regexQuoteMeta: ['string'],
  trimall: ['string', 'string'],
  adler32sum: ['string'],
  urlParse: ['string'],
  dateModify: ['string', 'any'],
  randAlphaNum: ['int'],
  randAlpha: ['int'],
  randNumeric: ['int'],
  randAscii: ['int'],
  randInt: ['int', 'int'],
  shuffle: ['string'],
  chunk: ['int', 'any'],
  b64enc: ['string'],
  b64dec: ['string'],
  sha1sum: ['string'],
  sha256sum: ['string'],
  base: ['string'],
  dir: ['string'],
  ext: ['string'],
  clean: ['string'],
  isAbs: ['string'],
  date: ['string', 'any'],
  dateInZone: ['string', 'any', 'string'],
  htmlDateInZone: ['any', 'string'],
  toDate: ['string', 'string'],
  ternary: ['any', 'any', 'bool'],
  fail: ['string'],
  until: ['int'],
  untilStep: ['int', 'int', 'int'],
  atoi: ['string'],
  expandenv: ['string'],
  pluck: ['string', 'any'],
};

const funcs: Record<string, FuncDef> = {
  ...stringsFuncs,
  ...flowFuncs,
  ...listsFuncs,
  ...mathFuncs,
  ...datesFuncs,
  ...encodingFuncs,
};

export const sprigFuncs: Record<string, FuncDef> = Object.fromEntries(
  Object.entries(funcs).map(([name, f]) => [name, SIGNATURES[name] ? { ...f, types: SIGNATURES[name] } : f]),
);
