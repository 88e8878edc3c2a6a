import { describe, expect, it } from 'vitest';
import type {
  AdaptedCustomLog,
  AdminConfig,
  Config,
  FileWriter,
  HttpServer,
  MatchFile,
  Own,
  PkiCa,
  ProxyProtocolListener,
} from '@proxy/contract';
import { Dispenser } from '../src/caddyfile/dispenser.js';
import { tokenize } from '../src/caddyfile/lexer.js';
import { adapt } from '../src/adapt/adapt.js';
import { moduleObject, struct } from '../src/adapt/json.js';
import type { MatcherParserOf, MatcherValue } from '../src/adapt/matchers/registry.js';
import { parseFile } from '../src/adapt/matchers/misc.js';
import { optionValue } from '../src/adapt/options/values.js';

describe('matchers, options, servers and logs are typed against the contract', () => {
  it('a matcher parser that emits a field its matcher does not have fails to compile', () => {
    // The errors below are the point: `pnpm typecheck:tests` fails when one of them stops being an error.
    function typo(): MatcherValue<'file'> {
      // @ts-expect-error `tryfiles` is not a field of the file matcher
      return { root: '/srv', tryfiles: ['a'] };
    }
    // @ts-expect-error the path matcher is a list of strings, not a string
    const wrongKind: MatcherParserOf<'path'> = () => '/a';
    // @ts-expect-error there is no matcher named `paths`
    const unknownMatcher: MatcherParserOf<'paths'> = () => [];
    expect([typo, wrongKind, unknownMatcher]).toHaveLength(3);
    const file: MatchFile = parseFile(new Dispenser(tokenize('file a b {\n\troot /srv\n}', 'Caddyfile').tokens));
    expect(file).toEqual({ root: '/srv', try_files: ['a', 'b'] });
  });

  it('servers, admin, pki, listener wrappers and logs reject fields Caddy does not define', () => {
    // @ts-expect-error a misspelt server field
    struct<HttpServer>({ listen: [':80'], read_timout: 1 });
    // @ts-expect-error a misspelt admin field
    struct<AdminConfig>({ listen: 'localhost:2019', enforce_origins: true });
    // @ts-expect-error a misspelt CA field
    struct<PkiCa>({ root_cn: 'x' });
    // @ts-expect-error a misspelt proxy_protocol field
    moduleObject<ProxyProtocolListener>('wrapper', 'proxy_protocol', { timout: 1 });
    // @ts-expect-error a misspelt file writer field
    const writer: Own<FileWriter, 'output'> = { filenam: 'access.log' };
    // @ts-expect-error a writer module the adapter does not know
    const log: AdaptedCustomLog = { writer: { output: 'syslog' } };
    expect([writer, log]).toHaveLength(2);
  });

  it('global option values are read back with the type their parser gives', () => {
    const options = new Map<string, unknown>([['http_port', 8080]]);
    const port: number | undefined = optionValue(options, 'http_port');
    // @ts-expect-error http_port is a number
    const asString: string | undefined = optionValue(options, 'http_port');
    // @ts-expect-error no such option
    optionValue(options, 'http_prot');
    expect([port, asString]).toEqual([8080, 8080]);
  });

  it('adapt gives the contract Config', () => {
    const r = adapt('{\n\tadmin off\n\tpersist_config off\n}\n:8080 {\n\trespond hi\n}\n', { filename: 'Caddyfile' });
    const config: Config | undefined = r.config;
    expect(config?.admin).toEqual({ disabled: true, config: { persist: false } });
    expect(Object.keys(config?.apps?.http?.servers ?? {})).toEqual(['srv0']);
  });
});
