/**
 * @module http/handlers/templates/handler: `http.handlers.templates` (modules/caddyhttp/templates/templates.go):
 * buffers the response of the handlers behind it when its Content-Type is one of the MIME types, runs it as a
 * Go template, and sends the result with a Content-Length and without the validators that no longer fit it.
 */
import http from 'node:http';
import https from 'node:https';
import { templatesSchema } from '@proxy/contract';
import type { Logger } from 'pino';
import type { RuntimeModule } from '../../../modules.js';
import { ConfigError, joinPath } from '../../../util/errors.js';
import { unwrapTemplateError } from '../../../util/go-template/exec.js';
import { compileTemplate } from '../../../util/template.js';
import { HandlerError } from '../../errors.js';
import type { Handler } from '../../handler.js';
import type { Header } from '../../header.js';
import { requestResolver } from '../../replacer.js';
import type { HttpRequest } from '../../request.js';
import { type ResponseWriter, WrappedWriter } from '../../response.js';
import { TemplateContext } from './context.js';
import { loadTemplateLibs } from './libs.js';

interface TemplatesConfig {
  file_root?: string;
  mime_types?: string[];
  delimiters?: string[];
}

/** Caddy's defaultMIMETypes. */
const DEFAULT_MIME_TYPES = ['text/html', 'text/plain', 'text/markdown'];
/** The most a template source (or an httpInclude body) may be. */
const MAX_BUFFER = 32 << 20;
/** How long an httpInclude's virtual request may take. */
const VIRTUAL_TIMEOUT_MS = 30_000;

/** Holds back a response whose Content-Type is a template type (Caddy's ResponseRecorder with shouldBuffer). */
class RecordingWriter extends WrappedWriter {
  /** undefined until the head is written: then whether the response is held back. */
  buffered: boolean | undefined;
  heldStatus = 0;
  private size = 0;
  readonly chunks: Buffer[] = [];
  constructor(
    inner: ResponseWriter,
    private readonly mimeTypes: string[],
  ) {
    super(inner);
  }

  override get wroteHeader(): boolean {
    return this.buffered !== undefined;
  }
  override get status(): number {
    return this.buffered ? this.heldStatus : this.inner.status;
  }

  override writeHead(status: number): void {
    if (this.buffered !== undefined) return;
    // Informational responses are not the final head: they go out as they are.
    if (status >= 100 && status < 200 && status !== 101) {
      this.inner.writeHead(status);
      return;
    }
    const ct = this.inner.header.get('content-type') ?? '';
    this.buffered = this.mimeTypes.some((m) => ct.includes(m));
    if (this.buffered) this.heldStatus = status;
    else this.inner.writeHead(status);
  }

  override async write(chunk: Buffer | string): Promise<void> {
    if (this.buffered === undefined) this.writeHead(200);
    if (!this.buffered) return this.inner.write(chunk);
    const b = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    this.size += b.length;
    if (this.size > MAX_BUFFER) throw new HandlerError(500, 'template too large to buffer');
    this.chunks.push(b);
  }

  override async end(chunk?: Buffer | string): Promise<void> {
    if (this.buffered === undefined) this.writeHead(200);
    if (!this.buffered) return this.inner.end(chunk);
    if (chunk !== undefined) await this.write(chunk);
  }
}

/** Runs a GET for httpInclude through this server, over a loopback connection to the listener the request came in on. */
function virtualGet(r: HttpRequest, uri: string, headers: Header): Promise<{ status: number; body: string }> {
  const fields: Record<string, string | string[]> = {};
  for (const [name, values] of headers.entries()) {
    const k = name.toLowerCase();
    if (k === 'host' || k === 'content-length' || k === 'transfer-encoding' || k === 'connection' || k.startsWith(':'))
      continue;
    fields[name] = values;
  }
  fields.Host = r.hostport;
  const local = r.conn.localAddress.replace(/^::ffff:/, '');
  const opts: https.RequestOptions = {
    host: local === '::' || local === '0.0.0.0' || local === '' ? '127.0.0.1' : local,
    port: r.conn.localPort,
    method: 'GET',
    path: uri.startsWith('/') ? uri : `/${uri}`,
    headers: fields,
    timeout: VIRTUAL_TIMEOUT_MS,
    agent: false,
  };
  if (r.tls) {
    opts.servername = r.host && !/^[\d.:[\]]+$/.test(r.host) ? r.host : undefined;
    // The request goes to this very server: its certificate is the one the client already accepted.
    opts.rejectUnauthorized = false;
  }
  return new Promise((resolve, reject) => {
    const req = (r.tls ? https : http).request(opts, (res) => {
      const chunks: Buffer[] = [];
      let size = 0;
      res.on('data', (c: Buffer) => {
        size += c.length;
        if (size > MAX_BUFFER) req.destroy(new Error('httpInclude response too large'));
        else chunks.push(c);
      });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString() }));
      res.on('error', reject);
    });
    req.on('timeout', () => req.destroy(new Error('httpInclude request timed out')));
    req.on('error', reject);
    req.end();
  });
}

class Templates implements Handler {
  private readonly mimeTypes: string[];
  private readonly delims: [string, string];
  private readonly root: ReturnType<typeof compileTemplate>;

  constructor(
    c: TemplatesConfig,
    private readonly env: NodeJS.ProcessEnv,
    private readonly logger: Logger,
  ) {
    this.mimeTypes = c.mime_types ?? DEFAULT_MIME_TYPES;
    this.delims = c.delimiters?.length === 2 ? [c.delimiters[0]!, c.delimiters[1]!] : ['{{', '}}'];
    this.root = compileTemplate(c.file_root || '{http.vars.root}', env);
  }

  async provision(): Promise<void> {
    await loadTemplateLibs();
  }

  async serve(r: HttpRequest, w: ResponseWriter, next: (r: HttpRequest, w: ResponseWriter) => Promise<void>) {
    const rec = new RecordingWriter(w, this.mimeTypes);
    await next(r, rec);
    // A handler that wrote nothing leaves the recorder buffering, as Caddy's does.
    if (rec.buffered === false) return;
    const ctx = new TemplateContext({
      r,
      w,
      // Placeholders that are empty become ".", the working directory (Caddy's ReplaceAll(root, ".")).
      root: this.root.render(requestResolver(r, w)) || '.',
      delims: this.delims,
      env: this.env,
      logger: this.logger,
      virtualGet: (uri, headers) => virtualGet(r, uri, headers),
    });
    let out: string;
    try {
      out = await ctx.execute(r.path, Buffer.concat(rec.chunks).toString());
    } catch (e) {
      // A template may end with an HTTP error of its own (httpError); any other error is a broken template.
      const cause = unwrapTemplateError(e);
      if (cause instanceof HandlerError) throw cause;
      throw new HandlerError(500, e instanceof Error ? e.message : String(e));
    }
    const body = Buffer.from(out);
    w.header.set('Content-Length', String(body.length));
    w.header.delete('Accept-Ranges');
    w.header.delete('Last-Modified');
    w.header.delete('Etag');
    w.writeHead(rec.heldStatus || 200);
    await w.end(body);
  }
}

export const templates: RuntimeModule<Handler> = {
  id: 'http.handlers.templates',
  kind: 'handler',
  doc: 'Runs responses of the listed MIME types (text/html, text/plain and text/markdown by default) as Go templates.',
  schema: templatesSchema,
  create(json, ctx, path) {
    const c = json as TemplatesConfig;
    if (c.delimiters && c.delimiters.length !== 0 && c.delimiters.length !== 2)
      throw ConfigError.at(
        joinPath(path, 'delimiters'),
        'delimiters must consist of exactly two elements: opening and closing',
      );
    return new Templates(c, ctx.env, ctx.logger);
  },
};
