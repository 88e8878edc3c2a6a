/** The acme_server policy (allow/deny rule sets, wildcards) and the tracing exporter settings, as pure functions. */
import { describe, expect, it } from 'vitest';
import { compilePolicy } from '../src/http/acme-server/policy.js';
import { AcmeState } from '../src/http/acme-server/state.js';
import { exporterSettings } from '../src/http/tracing/provider.js';

const dns = (value: string) => ({ type: 'dns' as const, value });
const ip = (value: string) => ({ type: 'ip' as const, value });

describe('acme_server policy', () => {
  it('allows everything but wildcards without rules', () => {
    const p = compilePolicy(undefined, 'p');
    expect(p.refuse(dns('a.example'))).toBeUndefined();
    expect(p.refuse(ip('10.0.0.1'))).toBeUndefined();
    expect(p.refuse(dns('*.example'))).toMatch(/wildcard names are not allowed/);
  });

  it('with allow rules, refuses what no rule names; deny wins over allow', () => {
    const p = compilePolicy(
      {
        allow: { domains: ['example.com', '*.example.com'], ip_ranges: ['10.0.0.0/8'] },
        deny: { domains: ['bad.example.com'], ip_ranges: ['10.9.0.0/16'] },
        allow_wildcard_names: true,
      },
      'p',
    );
    expect(p.refuse(dns('example.com'))).toBeUndefined();
    expect(p.refuse(dns('www.example.com'))).toBeUndefined();
    expect(p.refuse(dns('*.example.com'))).toBeUndefined();
    // `*.` covers one label.
    expect(p.refuse(dns('a.b.example.com'))).toMatch(/not allowed by policy/);
    expect(p.refuse(dns('example.org'))).toMatch(/not allowed by policy/);
    expect(p.refuse(dns('bad.example.com'))).toMatch(/denied by policy/);
    expect(p.refuse(ip('10.1.2.3'))).toBeUndefined();
    expect(p.refuse(ip('10.9.2.3'))).toMatch(/denied by policy/);
    expect(p.refuse(ip('192.168.1.1'))).toMatch(/not allowed by policy/);
  });

  it('rejects a bad IP range at its config path', () => {
    expect(() => compilePolicy({ deny: { ip_ranges: ['10.0.0.0/99'] } }, 'handle.0.policy')).toThrow(
      /handle\.0\.policy\.deny\.ip_ranges\[0\]: invalid CIDR/,
    );
  });
});

describe('acme_server state', () => {
  it('uses each nonce once and forgets expired pending orders with their authorizations', () => {
    const s = new AcmeState();
    const n = s.newNonce();
    expect(s.useNonce(n)).toBe(true);
    expect(s.useNonce(n)).toBe(false);
    s.accounts.set('acc', {
      id: 'acc',
      jwk: {},
      thumbprint: 't',
      status: 'valid',
      contact: [],
      createdAt: '',
      orders: ['o1', 'o2'],
    });
    const order = (id: string, expires: number) => ({
      id,
      accountId: 'acc',
      status: 'pending' as const,
      expires,
      identifiers: [dns('a.test')],
      authzIds: [`z-${id}`],
    });
    s.orders.set('o1', order('o1', 1000));
    s.orders.set('o2', order('o2', 5000));
    for (const id of ['z-o1', 'z-o2'])
      s.authzs.set(id, {
        id,
        accountId: 'acc',
        identifier: dns('a.test'),
        wildcard: false,
        status: 'pending',
        expires: id === 'z-o1' ? 1000 : 5000,
        challenges: [],
      });
    s.sweep(2000);
    expect([...s.orders.keys()]).toEqual(['o2']);
    expect([...s.authzs.keys()]).toEqual(['z-o2']);
    expect(s.accounts.get('acc')!.orders).toEqual(['o2']);
  });
});

describe('tracing exporter settings', () => {
  it('follows the OTEL_* variables, signal-specific first', () => {
    expect(exporterSettings({}, 'p')).toMatchObject({
      url: 'http://localhost:4318/v1/traces',
      protocol: 'http/protobuf',
      timeoutMillis: 10000,
    });
    expect(
      exporterSettings(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://collector:4318/',
          OTEL_EXPORTER_OTLP_HEADERS: 'a=1,b=2',
          OTEL_EXPORTER_OTLP_TRACES_HEADERS: 'b=3',
        },
        'p',
      ),
    ).toMatchObject({ url: 'http://collector:4318/v1/traces', headers: { a: '1', b: '3' } });
    expect(
      exporterSettings(
        {
          OTEL_EXPORTER_OTLP_ENDPOINT: 'http://ignored:1',
          OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'http://t:2/custom',
          OTEL_EXPORTER_OTLP_PROTOCOL: 'grpc',
          OTEL_EXPORTER_OTLP_TRACES_PROTOCOL: 'http/json',
        },
        'p',
      ),
    ).toMatchObject({ url: 'http://t:2/custom', protocol: 'http/json' });
    expect(() => exporterSettings({ OTEL_EXPORTER_OTLP_TRACES_ENDPOINT: 'not a url' }, 'p')).toThrow(
      /invalid OTLP traces endpoint/,
    );
    expect(() => exporterSettings({ OTEL_EXPORTER_OTLP_TIMEOUT: 'soon' }, 'p')).toThrow(/invalid OTLP timeout/);
  });
});
