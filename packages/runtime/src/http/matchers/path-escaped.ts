/**
 * @module http/matchers/path-escaped: Caddy's path matching for patterns containing "%": those parts of the
 * path are compared in escaped form ("%2F" matches "%2F", not "/"), the rest decoded.
 */
import { cleanPath, pathUnescape } from '../go-url.js';

/**
 * Caddy's matchPatternWithEscapeSequence: walks the (lower-cased) pattern and the escaped path in step, building
 * the string to glob-match: decoded characters where the pattern has plain ones, escape sequences where the
 * pattern has "%xx", and spans for "*" (decoded) and "%*" (left escaped).
 */
function escapedForm(escapedPath: string, pattern: string): string | undefined {
  let sb = '';
  let iPattern = 0;
  let iPath = 0;
  while (iPattern < pattern.length && iPath < escapedPath.length) {
    let pathCh = escapedPath[iPath]!;
    let escapedPathCh = '';
    if (pathCh === '%' && escapedPath.length >= iPath + 3) {
      escapedPathCh = escapedPath.slice(iPath, iPath + 3).toLowerCase();
      const u = pathUnescape(escapedPathCh);
      if (u === undefined) return undefined;
      pathCh = u;
      iPath += 2;
    }
    let normalize = true;
    let wildcard = false;
    const pc = pattern[iPattern]!;
    if (pc === '%') {
      if (pattern.length >= iPattern + 3 && pattern[iPattern + 1] !== '*') {
        sb += escapedPathCh;
        iPath++;
        iPattern += 3;
        continue;
      }
      iPattern++;
      normalize = false;
      wildcard = true;
    } else if (pc === '*') wildcard = true;
    if (wildcard) {
      const remaining = escapedPath.slice(iPath);
      let until = escapedPath.length - iPath;
      if (iPattern < pattern.length - 1) {
        until = remaining.indexOf(pattern[iPattern + 1]!);
        if (until === -1) return undefined;
      }
      if (until !== 0) {
        let next: string | undefined = remaining.slice(0, until);
        if (normalize) next = pathUnescape(next);
        if (next === undefined) return undefined;
        sb += next;
        iPath += until;
      }
    } else {
      sb += pathCh;
      iPath++;
    }
    iPattern++;
  }
  return sb;
}

/**
 * A test for one pattern containing "%" (already lower-cased) against a request's escaped path; `glob` is Go's
 * path.Match for the pattern with "%*" turned into "*".
 */
export function compileEscapedPattern(pattern: string, glob: (s: string) => boolean): (escapedPath: string) => boolean {
  const merge = !pattern.includes('//');
  return (escapedPath) => {
    const form = escapedForm(cleanPath(escapedPath, merge), pattern);
    return form !== undefined && glob(form);
  };
}
