/** @module file-server: the `file_server` handler directive (browse, hide, precompressed...; hides the Caddyfile itself). */
import type { Helper } from '../helper.js';
import type { FileServerHandler } from '@proxy/contract';
import { moduleObject, type StructFields } from '../json.js';
import { appendField, omitZero, weakString } from './common.js';
import { globMatch } from './glob-match.js';
import type { ModuleOfKind } from '../module.js';

const SORT_OPTIONS = new Set(['name', 'namedirfirst', 'size', 'time', 'asc', 'desc']);
const PRECOMPRESSED = new Set(['br', 'gzip', 'zstd']);

/** Go's `filepath.Clean` for slash paths. */
function cleanPath(p: string): string {
  if (p === '') return '.';
  const abs = p.startsWith('/');
  const out: string[] = [];
  for (const part of p.split('/')) {
    if (part === '' || part === '.') continue;
    if (part === '..') {
      if (out.length > 0 && out[out.length - 1] !== '..') out.pop();
      else if (!abs) out.push('..');
    } else out.push(part);
  }
  const s = (abs ? '/' : '') + out.join('/');
  return s === '' ? '.' : s;
}

/** Caddy's `fileHidden`: whether a hide list already covers a file. */
function fileHidden(filename: string, hide: readonly string[]): boolean {
  for (const h of hide) {
    if (!h.includes('/')) {
      if (filename.split('/').some((c) => globMatch(h, c))) return true;
    } else if (filename.startsWith(h) && filename.slice(h.length).startsWith('/')) {
      return true;
    }
    if (globMatch(h, filename)) return true;
  }
  return false;
}

type FileServerFields = StructFields<FileServerHandler>;

function parseBrowse(h: Helper, fs: FileServerFields): void {
  if (fs.browse !== undefined) throw h.err('browsing is already configured');
  const browse: NonNullable<FileServerHandler['browse']> = {};
  fs.browse = browse;
  const tpl = h.args(1);
  if (tpl) browse.template_file = tpl[0];
  for (const nesting = h.nesting(); h.nextBlock(nesting); ) {
    switch (h.val()) {
      case 'reveal_symlinks':
        if (browse.reveal_symlinks) throw h.err('Symlinks path reveal is already enabled');
        browse.reveal_symlinks = true;
        break;
      case 'sort': {
        const sort: string[] = [];
        while (h.nextArg()) {
          if (!SORT_OPTIONS.has(h.val())) throw h.err(`unknown sort option '${h.val()}'`);
          sort.push(h.val());
        }
        appendField(browse, 'sort', sort);
        break;
      }
      case 'file_limit': {
        const args = h.remainingArgs();
        if (args.length !== 1) throw h.err('file_limit should have an integer value');
        const n = /^[+-]?\d+$/.test(args[0]!) ? Number(args[0]) : 0;
        if (browse.file_limit) throw h.err('File browsing limit is already enabled');
        if (n !== 0) browse.file_limit = n;
        break;
      }
      default:
        throw h.err(`unknown subdirective '${h.val()}'`);
    }
  }
}

function parseFileServer(h: Helper): FileServerHandler {
  h.next();
  const fs: FileServerFields = {};
  const args = h.remainingArgs();
  if (args.length === 1) {
    if (args[0] !== 'browse') throw h.argErr();
    fs.browse = {};
  } else if (args.length > 1) throw h.argErr();

  while (h.nextBlock(0)) {
    switch (h.val()) {
      case 'fs':
        if (!h.nextArg()) throw h.argErr();
        if (fs.fs !== undefined) throw h.err('file system already specified');
        fs.fs = h.val();
        break;
      case 'root': {
        const r = h.args(1);
        if (!r) throw h.argErr();
        fs.root = r[0];
        break;
      }
      case 'hide': {
        const hide = h.remainingArgs();
        if (hide.length === 0) throw h.argErr();
        fs.hide = hide;
        break;
      }
      case 'index': {
        const names = h.remainingArgs();
        if (names.length === 0) throw h.argErr();
        fs.index_names = names;
        break;
      }
      case 'browse':
        parseBrowse(h, fs);
        break;
      case 'precompressed': {
        let order = h.remainingArgs();
        if (order.length === 0) order = ['br', 'zstd', 'gzip'];
        const mods = (fs.precompressed ??= {});
        for (const f of order) {
          const id = `http.precompressed.${f}`;
          if (!PRECOMPRESSED.has(f)) throw h.err(`getting module named '${id}': module not registered: ${id}`);
          mods[f] = {};
        }
        fs.precompressed_order = order;
        break;
      }
      case 'status':
        if (!h.nextArg()) throw h.argErr();
        fs.status_code = weakString(h.val());
        break;
      case 'disable_canonical_uris':
        if (h.nextArg()) throw h.argErr();
        fs.canonical_uris = false;
        break;
      case 'pass_thru':
        if (h.nextArg()) throw h.argErr();
        fs.pass_thru = true;
        break;
      case 'etag_file_extensions': {
        const exts = h.remainingArgs();
        if (exts.length === 0) throw h.argErr();
        fs.etag_file_extensions = exts;
        break;
      }
      default:
        throw h.err(`unknown subdirective '${h.val()}'`);
    }
  }

  // Hide the Caddyfile and its imports; a bare name gets `./` so only that file is hidden.
  const hide = (fs.hide ?? []).slice();
  for (let file of h.caddyfiles()) {
    file = cleanPath(file);
    if (fileHidden(file, hide)) continue;
    hide.push(file.includes('/') ? file : `./${file}`);
  }
  if (hide.length > 0) fs.hide = hide;
  omitZero(fs, 'fs', 'root');
  omitZero(fs.browse, 'template_file');
  return moduleObject<FileServerHandler>('handler', 'file_server', fs);
}

export const FileServerDirective: ModuleOfKind<'handler-directive'> = {
  kind: 'handler-directive',
  name: 'file_server',
  syntax:
    'file_server [<matcher>] [browse] { fs; root; hide; index; browse; precompressed; status; disable_canonical_uris; pass_thru }',
  doc: 'Serves static files.',
  subdirectives: [
    { name: 'fs', syntax: 'fs <filesystem>', doc: 'The file system to read from.' },
    { name: 'root', syntax: 'root <path>', doc: 'The root folder (default {http.vars.root}).' },
    { name: 'hide', syntax: 'hide <files...>', doc: 'Files never served.' },
    { name: 'index', syntax: 'index <files...>', doc: 'Index file names (default index.html index.txt).' },
    {
      name: 'browse',
      syntax: 'browse [<template_file>] { reveal_symlinks; sort; file_limit }',
      doc: 'Lists folders without an index file.',
    },
    { name: 'precompressed', syntax: 'precompressed [<br|zstd|gzip>...]', doc: 'Serves precompressed sidecar files.' },
    { name: 'status', syntax: 'status <code>', doc: 'The status of successful responses.' },
    {
      name: 'disable_canonical_uris',
      syntax: 'disable_canonical_uris',
      doc: 'Turns off the trailing-slash redirects.',
    },
    { name: 'pass_thru', syntax: 'pass_thru', doc: 'Passes to the next handler instead of answering 404.' },
  ],
  parse: parseFileServer,
};
