/** @module admin-paths: reads and edits a config at an admin API path (/config/apps/http/servers/srv0/...). */

/** An edit failed; `status` is the HTTP status to answer with. */
export class PathError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

function segments(path: string): string[] {
  return path
    .split('/')
    .filter((s) => s !== '')
    .map(decodeURIComponent);
}

function child(node: unknown, key: string, at: string): unknown {
  if (Array.isArray(node)) {
    const i = Number(key);
    if (!Number.isInteger(i) || i < 0 || i >= node.length) throw new PathError(404, `${at}: index ${key} out of range`);
    return node[i];
  }
  if (node && typeof node === 'object') {
    if (!(key in node)) throw new PathError(404, `${at}: no key "${key}"`);
    return (node as Record<string, unknown>)[key];
  }
  throw new PathError(404, `${at}: not an object or array`);
}

/** The value at the path. */
export function getAt(root: unknown, path: string): unknown {
  let node = root;
  const segs = segments(path);
  segs.forEach((k, i) => {
    node = child(node, k, `/${segs.slice(0, i + 1).join('/')}`);
  });
  return node;
}

/**
 * A deep copy of `root` with the edit applied (POST: set or append, PUT: insert, PATCH: replace, DELETE).
 * `spread` (a path ending in "/...") appends an array's elements one by one.
 */
export function editAt(root: unknown, path: string, method: string, value?: unknown, spread = false): unknown {
  const segs = segments(path);
  const copy = (structuredClone(root ?? {}) ?? {}) as unknown;
  if (segs.length === 0) {
    if (method === 'DELETE') return {};
    return value;
  }
  let parent: unknown = copy;
  for (const [i, k] of segs.slice(0, -1).entries()) {
    let next: unknown;
    try {
      next = child(parent, k, `/${segs.slice(0, i + 1).join('/')}`);
    } catch (e) {
      // POST creates missing objects along the way, like Caddy's.
      if (method !== 'POST' || Array.isArray(parent) || !parent || typeof parent !== 'object') throw e;
      next = {};
      (parent as Record<string, unknown>)[k] = next;
    }
    parent = next;
  }
  const last = segs[segs.length - 1]!;
  const at = `/${segs.join('/')}`;
  if (Array.isArray(parent)) {
    const i = Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new PathError(404, `${at}: index out of range`);
    if (method === 'PUT') parent.splice(i, 0, value);
    else if (method === 'DELETE') {
      if (i >= parent.length) throw new PathError(404, `${at}: index out of range`);
      parent.splice(i, 1);
    } else {
      if (i >= parent.length) throw new PathError(404, `${at}: index out of range`);
      parent[i] = value;
    }
    return copy;
  }
  if (!parent || typeof parent !== 'object') throw new PathError(404, `${at}: parent is not an object`);
  const obj = parent as Record<string, unknown>;
  const exists = last in obj;
  switch (method) {
    case 'POST':
      if (Array.isArray(obj[last])) {
        if (Array.isArray(value) && spread) (obj[last] as unknown[]).push(...value);
        else (obj[last] as unknown[]).push(value);
      } else obj[last] = value;
      break;
    case 'PUT':
      if (exists) throw new PathError(409, `${at}: key already exists`);
      obj[last] = value;
      break;
    case 'PATCH':
      if (!exists) throw new PathError(404, `${at}: no key to replace`);
      obj[last] = value;
      break;
    case 'DELETE':
      if (!exists) throw new PathError(404, `${at}: no such key`);
      delete obj[last];
      break;
    default:
      throw new PathError(405, `method ${method} not allowed`);
  }
  return copy;
}
