/** @module http/vary: reading the Vary response field. */

/** Whether Vary field values already name this request field (current Caddy's hasVaryValue: case-insensitive). */
export function hasVaryValue(values: string[], name: string): boolean {
  const want = name.toLowerCase();
  return values.some((v) => v.split(',').some((t) => t.trim().toLowerCase() === want));
}
