/** @module path: JSON paths that locate a problem in a config (`apps.http.servers.srv0.listen[0]`). */

/** One problem in a config, located by its JSON path. */
export interface ValidationError {
  path: string;
  message: string;
}

/** Appends an object key to a JSON path. */
export function joinPath(path: string, key: string | number): string {
  if (typeof key === 'number') return `${path}[${key}]`;
  const plain = /^[A-Za-z_][A-Za-z0-9_-]*$/.test(key);
  if (!plain) return `${path}[${JSON.stringify(key)}]`;
  return path ? `${path}.${key}` : key;
}
