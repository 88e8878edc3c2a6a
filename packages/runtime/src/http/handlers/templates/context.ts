/**
 * @module http/handlers/templates/context: Caddy's TemplateContext (modules/caddyhttp/templates/tplcontext.go):
 * the dot of a template (.Req, .Args, .RespHeader, .Host, .RemoteIP, .ClientIP, .Cookie, .OriginalReq) and the
 * functions Caddy adds to Sprig's (include, import, readFile, httpInclude, markdown, splitFrontMatter, ...).
 */
import { promises as fs, type Stats } from 'node:fs';
import { isIP } from 'node:net';
import { join, posix } from 'node:path';
import type { Logger } from 'pino';
import type { ParamType } from '../../../util/go-template/exec.js';
import { def, type FuncDef, Template } from '../../../util/go-template/template.js';
import { formatValue } from '../../../util/go-template/fmt.js';
import { GO_FIELDS, GO_JSON, GO_TYPE } from '../../../util/go-template/values.js';
import { HandlerError } from '../../errors.js';
import type { Header } from '../../header.js';
import { requestResolver } from '../../replacer.js';
import type { HttpRequest } from '../../request.js';
import type { ResponseWriter } from '../../response.js';
import { extractFrontMatter } from './frontmatter.js';
import { GoHeader, GoRequest } from './go-request.js';
import { GoTime } from './go-time.js';
import { humanize, stripHTML } from './humanize.js';
import { renderMarkdown } from './markdown.js';
import { sprigFuncs } from './sprig/index.js';

/** The header Caddy counts nested httpInclude requests in. */
export const RECURSION_HEADER = 'Caddy-Templates-Include';

/** What a context needs from the handler and the request. */
export interface ContextEnv {
  r: HttpRequest;
  w: ResponseWriter;
  /** The root of file functions, undefined when none is configured. */
  root: string | undefined;
  delims: [string, string];
  env: NodeJS.ProcessEnv;
  logger: Logger;
  /** Runs a virtual GET request through the server (httpInclude). */
  virtualGet(uri: string, headers: Header): Promise<{ status: number; body: string }>;
}

/** http.Header wrapped so templates can change the response's fields (WrappedHeader). */
export class WrappedHeader {
  readonly [GO_TYPE] = 'templates.WrappedHeader';
  constructor(private readonly h: Header) {}
  /** It embeds http.Header, which fmt prints. */
  [GO_FIELDS](): Array<[string, unknown]> {
    return [['Header', GoHeader.from(this.h)]];
  }
  Add(field: string, val: string): string {
    this.h.add(String(field), String(val));
    return '';
  }
  Set(field: string, val: string): string {
    this.h.set(String(field), String(val));
    return '';
  }
  Del(field: string): string {
    this.h.delete(String(field));
    return '';
  }
  Get(field: string): string {
    return this.h.get(String(field)) ?? '';
  }
}

/** fs.FileInfo as fileStat returns it. */
export class GoFileInfo {
  readonly [GO_TYPE] = '*os.fileStat';
  constructor(
    private readonly name: string,
    private readonly st: Stats,
  ) {}
  Name(): string {
    return this.name;
  }
  Size(): number {
    return this.st.size;
  }
  IsDir(): boolean {
    return this.st.isDirectory();
  }
  ModTime(): GoTime {
    return GoTime.fromDate(this.st.mtime);
  }
  Mode(): string {
    const p = this.st.mode & 0o777;
    const rwx = (n: number): string => (n & 4 ? 'r' : '-') + (n & 2 ? 'w' : '-') + (n & 1 ? 'x' : '-');
    return (this.st.isDirectory() ? 'd' : '-') + rwx(p >> 6) + rwx((p >> 3) & 7) + rwx(p & 7);
  }
}

/** Caddy's ToString for function inputs: strings and bytes as they are, Stringers and errors through their method. */
function caddyToString(v: unknown): string {
  if (typeof v === 'string') return v;
  if (v instanceof Uint8Array) return Buffer.from(v).toString();
  return formatValue(v, 'v');
}

/** url.PathEscape: everything but unreserved characters and $&+,:;=@ is escaped. */
export function pathEscape(s: string): string {
  let out = '';
  for (const b of Buffer.from(s)) {
    const c = String.fromCharCode(b);
    if (/[A-Za-z0-9\-_.~$&+,:;=@]/.test(c)) out += c;
    else out += `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return out;
}

/** A Go-like error for a failed file open. */
function openError(e: unknown, path: string): Error {
  const code = (e as NodeJS.ErrnoException).code;
  const why =
    code === 'ENOENT' || code === 'ENOTDIR'
      ? 'no such file or directory'
      : code === 'EACCES'
        ? 'permission denied'
        : code === 'EISDIR'
          ? 'is a directory'
          : (e as Error).message;
  return new Error(`${code === 'EISDIR' ? 'read' : 'open'} ${path}: ${why}`);
}

/** The parameter types of Caddy's functions that text/template checks (interface{} ones are not listed). */
const SIGNATURES: Record<string, ParamType[]> = {
  include: ['string', 'any'],
  readFile: ['string'],
  import: ['string'],
  httpInclude: ['string'],
  stripHTML: ['string'],
  listFiles: ['string'],
  fileStat: ['string'],
  env: ['string'],
  placeholder: ['string'],
  ph: ['string'],
  fileExists: ['string'],
  httpError: ['int'],
  humanize: ['string', 'string'],
  maybe: ['string', 'any'],
  pathEscape: ['string'],
};

/** The template's dot: Caddy's TemplateContext. */
export class TemplateContext {
  readonly [GO_TYPE] = '*templates.TemplateContext';
  readonly [GO_JSON] = false;
  readonly Req: GoRequest;
  readonly RespHeader: WrappedHeader;
  Args: unknown[] = [];
  /** The template being executed (import parses into it). */
  private tpl: Template | undefined;

  constructor(private readonly env: ContextEnv) {
    this.Req = new GoRequest(env.r);
    this.RespHeader = new WrappedHeader(env.w.header);
  }

  /** A copy for an included file, as Caddy's value receivers copy the context. */
  private copy(args: unknown[]): TemplateContext {
    const c = new TemplateContext(this.env);
    c.Args = args;
    return c;
  }

  OriginalReq(): GoRequest {
    return new GoRequest(this.env.r, this.env.r.originalUri, this.env.r.raw.method ?? 'GET');
  }

  Cookie(name: string): string {
    try {
      return this.Req.Cookie(name).Value;
    } catch {
      return '';
    }
  }

  RemoteIP(): string {
    return this.env.r.conn.remoteAddress;
  }

  /** The client IP, from trusted proxies' headers when configured (current Caddy). */
  ClientIP(): string {
    const ip = this.env.r.vars.get('client_ip');
    return typeof ip === 'string' ? ip : this.env.r.conn.remoteAddress;
  }

  Host(): string {
    const hp = this.env.r.hostport;
    if (hp.startsWith('[')) {
      const end = hp.indexOf(']');
      if (end < 0) throw new Error(`address ${hp}: missing ']' in address`);
      const rest = hp.slice(end + 1);
      if (rest !== '' && !rest.startsWith(':')) throw new Error(`address ${hp}: missing port in address`);
      return hp.slice(1, end);
    }
    const colons = hp.split(':').length - 1;
    if (colons === 0) return hp;
    if (colons > 1 && isIP(hp)) throw new Error(`address ${hp}: too many colons in address`);
    return hp.slice(0, hp.lastIndexOf(':'));
  }

  /** Parses and runs `text` as template `name` with this context as dot (executeTemplateInBuffer). */
  async execute(name: string, text: string): Promise<string> {
    const t = new Template(name)
      .setDelims(...this.env.delims)
      .addFuncs(sprigFuncs)
      .addFuncs(this.funcs());
    this.tpl = t;
    t.parse(text);
    return t.execute(this);
  }

  private resolve(name: string): string {
    if (this.env.root === undefined) throw new Error('root file system not specified');
    return join(this.env.root, posix.normalize(`/${name}`));
  }

  private async readFile(name: string): Promise<string> {
    const path = this.resolve(name);
    try {
      return await fs.readFile(path, 'utf8');
    } catch (e) {
      throw openError(e, path);
    }
  }

  private funcs(): Record<string, FuncDef> {
    const V = Number.POSITIVE_INFINITY;
    const placeholder = def((name: unknown) => requestResolver(this.env.r, this.env.w)(String(name)) ?? '', 1);
    const all: Record<string, FuncDef> = {
      include: def(
        async (name: unknown, ...args: unknown[]) => {
          const text = await this.readFile(String(name));
          return this.copy(args).execute(String(name), text);
        },
        1,
        V,
      ),
      readFile: def((name: unknown) => this.readFile(String(name)), 1),
      import: def(async (name: unknown) => {
        const text = await this.readFile(String(name));
        this.tpl?.parse(text);
        return '';
      }, 1),
      httpInclude: def((uri: unknown) => this.httpInclude(String(uri)), 1),
      stripHTML: def((s: unknown) => stripHTML(String(s)), 1),
      markdown: def((input: unknown) => renderMarkdown(caddyToString(input)), 1),
      splitFrontMatter: def((input: unknown) => extractFrontMatter(caddyToString(input)), 1),
      listFiles: def((name: unknown) => this.listFiles(String(name)), 1),
      fileStat: def(async (name: unknown) => {
        const path = this.resolve(String(name));
        try {
          return new GoFileInfo(posix.basename(posix.normalize(`/${String(name)}`)) || '/', await fs.stat(path));
        } catch (e) {
          throw openError(e, path);
        }
      }, 1),
      env: def((name: unknown) => this.env.env[String(name)] ?? '', 1),
      placeholder,
      ph: placeholder,
      fileExists: def(async (name: unknown) => {
        const path = this.resolve(String(name));
        try {
          await fs.stat(path);
          return true;
        } catch {
          return false;
        }
      }, 1),
      httpError: def((code: unknown) => {
        throw new HandlerError(typeof code === 'number' ? code : Number(code));
      }, 1),
      humanize: def((t: unknown, data: unknown) => humanize(String(t), String(data)), 2),
      // No template function modules exist here: current Caddy logs the miss and returns an empty string.
      maybe: def(
        (name: unknown) => {
          this.env.logger.warn({ name: String(name) }, 'template function could not be found; ignoring invocation');
          return '';
        },
        1,
        V,
      ),
      pathEscape: def((s: unknown) => pathEscape(String(s)), 1),
    };
    for (const [name, types] of Object.entries(SIGNATURES)) all[name] = { ...all[name]!, types };
    return all;
  }

  private async listFiles(name: string): Promise<string[]> {
    const path = this.resolve(posix.normalize(name));
    let st: Stats;
    try {
      st = await fs.stat(path);
    } catch (e) {
      throw openError(e, path);
    }
    if (!st.isDirectory()) throw new Error(`${name} is not a directory`);
    // In the directory's own order, as Go's Readdir gives it (fs.readdir would sort).
    const names: string[] = [];
    const dir = await fs.opendir(path);
    for await (const e of dir) names.push(e.name);
    return names;
  }

  private async httpInclude(uri: string): Promise<string> {
    const r = this.env.r;
    let count = 1;
    const prior = r.headers.get(RECURSION_HEADER);
    if (prior !== undefined && prior !== '') {
      if (!/^[+-]?\d+$/.test(prior))
        throw new Error(`parsing ${RECURSION_HEADER}: strconv.Atoi: parsing ${JSON.stringify(prior)}: invalid syntax`);
      const n = Number(prior);
      if (n >= 3) throw new Error('virtual request cycle');
      count = n + 1;
    }
    const headers = r.headers.clone();
    // Caddy asks for an unencoded body so that it can run it as a template.
    headers.set('Accept-Encoding', 'identity');
    headers.set(RECURSION_HEADER, String(count));
    const { status, body } = await this.env.virtualGet(uri, headers);
    if (status >= 400) throw new Error(`http ${status}`);
    return this.copy(this.Args).execute(uri, body);
  }
}
