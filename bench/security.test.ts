import { describe, expect, it } from 'vitest';
import {
  accessKeyFor,
  hasAuditTrail,
  parsePrintedAccessKey,
  PLACEHOLDER_CREDENTIALS,
} from './security.js';

const printed =
  'trent: created administrator access key\n  access key id: TKIAABCDEFGHIJKLMNOP\n' +
  '  secret access key: abcdEFGHijklMNOPqrstUVWXyz0123456789/+ab\n';

describe('accessKeyFor', () => {
  it('prefers an access key from the environment', () => {
    const key = accessKeyFor(printed, {
      TRENT_BENCH_ACCESS_KEY_ID: 'AKIDENV',
      TRENT_BENCH_SECRET_ACCESS_KEY: 's',
    });
    expect(key.credentials.accessKeyId).toBe('AKIDENV');
    expect(key.source).toBe('environment');
  });

  it('uses the access key a first start prints', () => {
    const key = accessKeyFor(printed, {});
    expect(key.credentials).toEqual({
      accessKeyId: 'TKIAABCDEFGHIJKLMNOP',
      secretAccessKey: 'abcdEFGHijklMNOPqrstUVWXyz0123456789/+ab',
    });
  });

  it('falls back to the placeholder and says so', () => {
    const key = accessKeyFor('trent: listening on http://127.0.0.1:1234', {});
    expect(key.credentials).toBe(PLACEHOLDER_CREDENTIALS);
    expect(key.source).toContain('placeholder');
  });
});

describe('parsePrintedAccessKey', () => {
  it('needs both an id and a secret', () => {
    expect(parsePrintedAccessKey('access key id: TKIAABCDEFGHIJKLMNOP')).toBeUndefined();
  });
});

describe('hasAuditTrail', () => {
  it('looks for audit options in the serve help', () => {
    expect(hasAuditTrail('  --audit-durability MODE   sync|batched')).toBe(true);
    expect(hasAuditTrail('  --port PORT')).toBe(false);
  });
});
