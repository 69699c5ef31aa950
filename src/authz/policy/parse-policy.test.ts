import { describe, expect, it } from 'vitest';
import { parsePolicy, MAX_POLICY_BYTES } from './parse-policy.js';

const ROOT = 'arn:aws:iam::111122223333:root';

function policy(statement: unknown, extra: Record<string, unknown> = {}): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: statement, ...extra });
}

function statement(extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*', ...extra };
}

function errorOf(
  text: string,
  kind: 'key' | 'identity' = 'key',
): { type: string; message: string } {
  try {
    parsePolicy(text, kind);
  } catch (err) {
    return err as { type: string; message: string };
  }
  throw new Error('expected the policy to be rejected');
}

describe('parsePolicy', () => {
  it('accepts the default key policy as AWS prints it', () => {
    const text = `{\n  "Version" : "2012-10-17",\n  "Id" : "key-default-1",\n  "Statement" : [ {\n    "Sid" : "Enable IAM User Permissions",\n    "Effect" : "Allow",\n    "Principal" : {\n      "AWS" : "${ROOT}"\n    },\n    "Action" : "kms:*",\n    "Resource" : "*"\n  } ]\n}`;
    expect(parsePolicy(text, 'key').statements).toHaveLength(1);
  });

  it('accepts a single statement object instead of a list', () => {
    expect(parsePolicy(policy(statement()), 'key').statements).toHaveLength(1);
  });

  it('accepts a policy without Version', () => {
    expect(
      parsePolicy(JSON.stringify({ Statement: [statement()] }), 'key').statements,
    ).toHaveLength(1);
  });

  it('accepts account ids, Service principals and lists of principals', () => {
    const p = parsePolicy(
      policy([
        statement({ Principal: { AWS: ['111122223333', 'arn:aws:iam::111122223333:user/alice'] } }),
        statement({ Sid: 'svc', Principal: { Service: 'logs.amazonaws.com' } }),
      ]),
      'key',
    );
    expect(p.principals).toHaveLength(2);
    expect([...(p.principals[0]?.accounts ?? [])]).toEqual(['111122223333']);
  });

  it('keeps statements without Action or Resource out of evaluation', () => {
    const p = parsePolicy(
      policy([statement({ Resource: undefined }), statement({ Sid: 'b', Action: undefined })]),
      'key',
    );
    expect(p.statements).toHaveLength(0);
  });

  it.each([
    ['not JSON', '{"Statement": ['],
    ['a JSON array', '[]'],
    ['no Statement', JSON.stringify({ Version: '2012-10-17' })],
    ['an empty Statement list', policy([])],
    ['an unknown top-level field', policy([statement()], { Extra: 1 })],
    ['an unknown Version', policy([statement()], { Version: '2020-01-01' })],
    ['a non-object statement', policy(['x'])],
    ['an unknown statement field', policy([statement({ Foo: 'bar' })])],
    ['a missing Effect', policy([statement({ Effect: undefined })])],
    ['a lower-case Effect', policy([statement({ Effect: 'allow' })])],
    ['both Action and NotAction', policy([statement({ NotAction: 'kms:Decrypt' })])],
    ['both Resource and NotResource', policy([statement({ NotResource: '*' })])],
    ['both Principal and NotPrincipal', policy([statement({ NotPrincipal: { AWS: ROOT } })])],
    ['a statement without principal', policy([statement({ Principal: undefined })])],
    ['an action without a service prefix', policy([statement({ Action: 'Decrypt' })])],
    ['an empty Action list', policy([statement({ Action: [] })])],
    ['a numeric Action', policy([statement({ Action: 5 })])],
    ['duplicate Sids', policy([statement({ Sid: 'a' }), statement({ Sid: 'a' })])],
    [
      'an unknown condition operator',
      policy([statement({ Condition: { StringSorta: { 'kms:CallerAccount': '1' } } })]),
    ],
    [
      'a Null condition with IfExists',
      policy([statement({ Condition: { NullIfExists: { 'kms:CallerAccount': 'true' } } })]),
    ],
    [
      'a numeric condition with text',
      policy([
        statement({ Condition: { NumericLessThan: { 'kms:RotationPeriodInDays': 'ten' } } }),
      ]),
    ],
    [
      'a date condition with text',
      policy([statement({ Condition: { DateLessThan: { 'aws:CurrentTime': 'soon' } } })]),
    ],
    [
      'a bad CIDR block',
      policy([statement({ Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/33' } } })]),
    ],
    [
      'a Bool condition with a non-boolean',
      policy([statement({ Condition: { Bool: { 'aws:SecureTransport': 'yes' } } })]),
    ],
    [
      'a condition value that is an object',
      policy([statement({ Condition: { StringEquals: { 'kms:CallerAccount': { a: 1 } } } })]),
    ],
    ['a condition without keys', policy([statement({ Condition: { StringEquals: {} } })])],
    ['characters outside the allowed range', policy([statement({ Sid: 'snow\u2603' })])],
  ])('rejects %s with MalformedPolicyDocumentException', (_name, text) => {
    expect(errorOf(text).type).toBe('MalformedPolicyDocumentException');
  });

  it.each([
    ['a principal that is not an ARN', { AWS: 'alice' }],
    ['a principal ARN with a wildcard', { AWS: 'arn:aws:iam::111122223333:user/*' }],
    ['an unsupported principal type', { Federated: 'cognito-identity.amazonaws.com' }],
    ['an empty principal object', {}],
    ['a malformed service principal', { Service: 'not a service' }],
  ])('rejects %s as an invalid principal', (_name, principal) => {
    const err = errorOf(policy([statement({ Principal: principal })]));
    expect(err.type).toBe('MalformedPolicyDocumentException');
    expect(err.message).toBe('Policy contains a statement with one or more invalid principals.');
  });

  it('rejects a malformed resource ARN with InvalidArnException', () => {
    expect(errorOf(policy([statement({ Resource: 'arn:aws:kms' })])).type).toBe(
      'InvalidArnException',
    );
    expect(errorOf(policy([statement({ Resource: 'my-key' })])).type).toBe('InvalidArnException');
  });

  it('rejects a policy over 32 KB with LimitExceededException', () => {
    const text = policy([statement({ Sid: 'x'.repeat(MAX_POLICY_BYTES) })]);
    expect(errorOf(text).type).toBe('LimitExceededException');
  });

  it('accepts a policy of exactly 32 KB', () => {
    const base = policy([statement({ Sid: '' })]);
    const text = policy([
      statement({ Sid: 'x'.repeat(MAX_POLICY_BYTES - Buffer.byteLength(base)) }),
    ]);
    expect(Buffer.byteLength(text)).toBe(MAX_POLICY_BYTES);
    expect(() => parsePolicy(text, 'key')).not.toThrow();
  });

  it('rejects a Principal in an identity policy', () => {
    const err = errorOf(policy([statement()]), 'identity');
    expect(err.message).toBe('Policy document should not specify a principal.');
  });

  it('accepts an identity policy without Principal', () => {
    const text = policy([{ Effect: 'Allow', Action: 'kms:Decrypt', Resource: '*' }]);
    expect(parsePolicy(text, 'identity').statements).toHaveLength(1);
  });
});
