import { describe, expect, it } from 'vitest';
import {
  accessKeyFor,
  describeAudit,
  parsePrintedAccessKey,
  PLACEHOLDER_CREDENTIALS,
} from './security.js';

const printed =
  'trent: first start: created administrator arn:aws:iam::111122223333:user/admin\n' +
  'trent: its access key is shown this once only; store it now:\n\n' +
  '  aws_access_key_id     = AKIAABCDEFGHIJKLMNOP\n' +
  '  aws_secret_access_key = abcdEFGHijklMNOPqrstUVWXyz0123456789/+ab\n';

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
      accessKeyId: 'AKIAABCDEFGHIJKLMNOP',
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
    expect(parsePrintedAccessKey('aws_access_key_id = AKIAABCDEFGHIJKLMNOP')).toBeUndefined();
    expect(
      parsePrintedAccessKey('aws_secret_access_key = abcdEFGHijklMNOPqrstUVWXyz0123456789/+ab'),
    ).toBeUndefined();
  });
});

describe('parsePrintedAccessKey in another wording', () => {
  it('finds an AKIA key id and a secret printed without the aws_ names', () => {
    const text =
      'access key AKIAZYXWVUTSRQPONMLK\nsecret: abcdEFGHijklMNOPqrstUVWXyz0123456789/+ab';
    expect(parsePrintedAccessKey(text)?.accessKeyId).toBe('AKIAZYXWVUTSRQPONMLK');
  });
});

describe('describeAudit', () => {
  it('names the default durability the serve help gives', () => {
    const help =
      '  --audit-durability MODE      async (durable within the flush interval) or sync (default async)\n';
    expect(describeAudit(help)).toBe('on, durability async (server default)');
  });

  it('says so when the server has no audit trail', () => {
    expect(describeAudit('  --port PORT')).toBe('not available in this build');
  });
});
