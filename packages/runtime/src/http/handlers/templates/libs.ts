/**
 * @module http/handlers/templates/libs: the parsers the template functions use (marked for `markdown`, yaml and
 * smol-toml for `splitFrontMatter`), loaded when a templates handler is provisioned: configs without one do not
 * pay for them. The functions are synchronous, as Go's are, so they read the libraries loaded here.
 */
import type { Marked } from 'marked';
import type { parse as ParseToml } from 'smol-toml';
import type { parse as ParseYaml } from 'yaml';

export interface TemplateLibs {
  Marked: typeof Marked;
  parseToml: typeof ParseToml;
  parseYaml: typeof ParseYaml;
}

let loaded: TemplateLibs | undefined;
let loading: Promise<TemplateLibs> | undefined;

/** Loads the libraries (once). */
export function loadTemplateLibs(): Promise<TemplateLibs> {
  return (loading ??= Promise.all([import('marked'), import('smol-toml'), import('yaml')]).then(
    ([marked, toml, yaml]) => (loaded = { Marked: marked.Marked, parseToml: toml.parse, parseYaml: yaml.parse }),
  ));
}

/** The libraries; a templates handler loaded them when it was provisioned. */
export function templateLibs(): TemplateLibs {
  if (!loaded) throw new Error('template libraries used before a templates handler was provisioned');
  return loaded;
}
