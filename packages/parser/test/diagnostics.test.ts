import { describe, expect, it } from 'vitest';
import { formatDiagnostic } from '@proxy/parser';

describe('formatDiagnostic', () => {
  it('prints FILE:LINE:COLUMN: message', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        message: 'boom',
        file: 'Caddyfile',
        line: 3,
        column: 7,
        endLine: 3,
        endColumn: 9,
      }),
    ).toBe('Caddyfile:3:7: boom');
  });
  it('does not repeat a FILE:LINE prefix the message already has', () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        message: 'Caddyfile:2: unrecognized directive: x',
        file: 'Caddyfile',
        line: 2,
        column: 2,
        endLine: 2,
        endColumn: 3,
      }),
    ).toBe('Caddyfile:2:2: unrecognized directive: x');
  });
  it("drops Caddy's FILE:LINE prefix also when Caddy's line is not the line in the file (after {$VAR} or `\\`)", () => {
    expect(
      formatDiagnostic({
        severity: 'error',
        message: 'Caddyfile:4: unrecognized directive: x',
        file: 'Caddyfile',
        line: 3,
        column: 2,
        endLine: 3,
        endColumn: 3,
      }),
    ).toBe('Caddyfile:3:2: unrecognized directive: x');
    expect(
      formatDiagnostic({
        severity: 'error',
        message: 'Other:4: x',
        file: 'Caddyfile',
        line: 3,
        column: 2,
        endLine: 3,
        endColumn: 3,
      }),
    ).toBe('Caddyfile:3:2: Other:4: x');
  });
  it('marks warnings', () => {
    expect(
      formatDiagnostic({
        severity: 'warning',
        message: 'meh',
        file: 'a',
        line: 1,
        column: 1,
        endLine: 1,
        endColumn: 2,
      }),
    ).toBe('a:1:1: warning: meh');
  });
});
