import { describe, expect, it } from 'vitest';
import { auditMembers, isAuditedMember } from './audit-members.js';
import { shapes } from './model.generated.js';

describe('audit member allow-list', () => {
  it('keeps no member that the model declares a blob or sensitive, in any input structure', () => {
    const leaks: string[] = [];
    for (const [name, shape] of Object.entries(shapes)) {
      for (const [member, target] of Object.entries(shape.members ?? {})) {
        const t = shapes[target];
        if ((t?.type === 'blob' || t?.sensitive === true) && isAuditedMember(member))
          leaks.push(`${name}.${member}`);
      }
    }
    expect(leaks).toEqual([]);
  });

  it('keeps none of the secret-bearing response members', () => {
    for (const member of [
      'Plaintext',
      'CiphertextBlob',
      'PublicKey',
      'PrivateKeyPlaintext',
      'PrivateKeyCiphertextBlob',
      'Signature',
      'Mac',
      'SharedSecret',
      'SharedSecretCiphertextBlob',
      'CiphertextForRecipient',
      'ImportToken',
      'GrantToken',
      'GrantTokens',
      'KeyStorePassword',
    ])
      expect(isAuditedMember(member)).toBe(false);
  });

  it('leaves out a member it does not know', () => {
    expect(auditMembers({ KeyId: 'k', SomeNewBlob: 'c2VjcmV0' })).toEqual({ keyId: 'k' });
  });

  it('keeps key ids, algorithms, encryption context keys and values, in camelCase', () => {
    expect(
      auditMembers({
        KeyId: 'alias/app',
        Plaintext: Buffer.from('secret'),
        EncryptionContext: { Tenant: 'acme' },
        EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
        GrantTokens: ['token'],
      }),
    ).toEqual({
      keyId: 'alias/app',
      encryptionContext: { Tenant: 'acme' },
      encryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
  });

  it('filters nested structures member by member', () => {
    expect(
      auditMembers({
        KeyMetadata: { KeyId: 'k', Arn: 'arn', Unknown: 'x' },
        Tags: [{ TagKey: 'a', TagValue: 'b' }],
        Recipient: { KeyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', AttestationDocument: 'ZG9j' },
      }),
    ).toEqual({
      keyMetadata: { keyId: 'k', arn: 'arn' },
      tags: [{ tagKey: 'a', tagValue: 'b' }],
      recipient: { keyEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' },
    });
  });

  it('drops bytes even under an allowed name', () => {
    expect(auditMembers({ KeyId: Buffer.from('x'), Description: 'd' })).toEqual({
      description: 'd',
    });
  });

  it('records nothing for a structure with no allowed member', () => {
    expect(auditMembers({ Plaintext: 'eA==' })).toBeNull();
  });

  it('keeps a map key named __proto__ as an ordinary key', () => {
    const input = JSON.parse('{"EncryptionContext": {"__proto__": "x", "a": "b"}}') as unknown;
    expect(JSON.stringify(auditMembers(input))).toBe(
      '{"encryptionContext":{"__proto__":"x","a":"b"}}',
    );
  });

  it('lists members and map keys in sorted order, keeping every name and value', () => {
    const out = auditMembers({
      KeyId: 'k',
      EncryptionContext: { tenant: 't', purpose: 'p', Zeta: 'z' },
      Tags: [{ TagValue: 'v', TagKey: 'k' }],
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    });
    expect(JSON.stringify(out)).toBe(
      '{"encryptionAlgorithm":"SYMMETRIC_DEFAULT","encryptionContext":{"Zeta":"z","purpose":"p","tenant":"t"},"keyId":"k","tags":[{"tagKey":"k","tagValue":"v"}]}',
    );
  });

  it('keeps the last of two map keys that clipping makes equal, as before', () => {
    const long = 'k'.repeat(20);
    const out = auditMembers({ EncryptionContext: { [`${long}b`]: '1', [`${long}a`]: '2' } }, 10);
    expect(out).toEqual({ encryptionContext: { [`${'k'.repeat(10)}…`]: '2' } });
  });
});
