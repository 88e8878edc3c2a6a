/**
 * @module filesystems: the `caddy.filesystems` app of current Caddy: named file systems (`caddy.fs.*` modules,
 * all plugins in Caddy) that `fs` and `file_server fs` refer to by name.
 */
import { s } from './schema.js';

/** The caddy.filesystems app. */
export interface FilesystemsApp {
  filesystems?: NamedFilesystem[];
}

/** One named file system. */
export interface NamedFilesystem {
  /** The name `fs <name>` refers to. */
  name?: string;
  /** The `caddy.fs.*` module, named by `backend`. */
  file_system?: { backend: string; [field: string]: unknown };
}

export const filesystemsAppSchema = s.obj<FilesystemsApp>({
  filesystems: s.arr(s.obj<NamedFilesystem>({ name: s.str, file_system: s.mod('caddy.fs', 'backend') })),
});
