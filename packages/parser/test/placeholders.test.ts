/**
 * The placeholder catalogue: one entry per name with a one-line doc, and its shorthands are exactly what the
 * adapter expands (a Caddyfile `respond` body of every shorthand adapts to the catalogue's expansions).
 */
import { describe, expect, it } from 'vitest';
import { adapt, lookupPlaceholder, placeholders } from '@proxy/parser';

/** A family's `*` filled in with a name its runtime answers. */
const sample = (name: string) => name.replace('*', 'x');

describe('placeholder catalogue', () => {
  const all = placeholders();

  it('has unique names of each kind, each with a one-line doc', () => {
    console.log(
      `placeholder catalogue: ${all.filter((p) => p.kind === 'placeholder').length} placeholders, ${all.filter((p) => p.kind === 'shorthand').length} shorthands`,
    );
    expect(new Set(all.map((p) => `${p.kind}:${p.name}`)).size).toBe(all.length);
    for (const p of all) {
      expect(p.name, p.name).toMatch(/^\{[^{}\s]+\}$/);
      expect(p.doc.trim(), p.name).not.toBe('');
      expect(p.doc, p.name).not.toContain('\n');
      expect(p.kind === 'shorthand', p.name).toBe(p.expands !== undefined);
    }
  });

  it('lists every shorthand the adapter expands, with its expansion', () => {
    const shorthands = all.filter((p) => p.kind === 'shorthand');
    const body = shorthands.map((p) => sample(p.name)).join(' ');
    const { config, errors } = adapt(`:80 {\n\trespond "${body}"\n}\n`, { filename: 'Caddyfile' });
    expect(errors).toEqual([]);
    const text = JSON.stringify(config);
    const m = /"body":"([^"]*)"/.exec(text);
    expect(m?.[1]?.split(' ')).toEqual(shorthands.map((p) => sample(p.expands!)));
    // The fixed shorthands are the ones the adapter knows: one that is not expands to itself.
    expect(adapt(':80 {\n\trespond "{nope}"\n}\n', { filename: 'Caddyfile' }).config).toBeDefined();
  });

  it('finds the entry of a placeholder as written, or its family', () => {
    expect(lookupPlaceholder('{http.request.uri.path}')?.doc).toBe('The request path');
    expect(lookupPlaceholder('{http.request.header.X-Id}')?.name).toBe('{http.request.header.*}');
    expect(lookupPlaceholder('{header.X-Id}')?.expands).toBe('{http.request.header.*}');
    expect(lookupPlaceholder('{http.request.uri.path.file.ext}')?.name).toBe('{http.request.uri.path.file.ext}');
    expect(lookupPlaceholder('{http.request.uri.path.2}')?.name).toBe('{http.request.uri.path.*}');
    expect(lookupPlaceholder('{l4.tls.server_name}')?.app).toBe('layer4');
    expect(lookupPlaceholder('{file.base}')?.kind).toBe('shorthand');
    expect(lookupPlaceholder('{nope}')).toBeUndefined();
  });
});
