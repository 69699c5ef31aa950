import { describe, expect, it } from 'vitest';
import { validateInput } from './validate.js';

function errorOf(fn: () => unknown): { type: string; message: string } {
  try {
    fn();
  } catch (err) {
    return err as { type: string; message: string };
  }
  throw new Error('expected an error');
}

describe('generic input validation', () => {
  it('decodes blobs into Buffers and keeps other members as sent', () => {
    const out = validateInput('EncryptRequest', {
      KeyId: 'alias/app',
      Plaintext: Buffer.from('hi').toString('base64'),
      EncryptionContext: { a: 'b' },
    });
    expect(out.KeyId).toBe('alias/app');
    expect(Buffer.isBuffer(out.Plaintext)).toBe(true);
    expect((out.Plaintext as Buffer).toString()).toBe('hi');
    expect(out.EncryptionContext).toEqual({ a: 'b' });
  });

  it('ignores unknown members and treats null members as absent', () => {
    const out = validateInput('ListKeysRequest', { Limit: null, Marker: null, Surprise: 1 });
    expect(Object.keys(out)).toEqual([]);
  });

  it('reports a missing required member as one validation error in AWS wording', () => {
    expect(errorOf(() => validateInput('DescribeKeyRequest', {}))).toMatchObject({
      type: 'ValidationException',
      message:
        "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    });
  });

  it('treats an explicit null for a required member as missing', () => {
    expect(errorOf(() => validateInput('DescribeKeyRequest', { KeyId: null })).message).toBe(
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null",
    );
  });

  it('counts several errors and joins them with semicolons', () => {
    const err = errorOf(() =>
      validateInput('CreateKeyRequest', { KeyUsage: 'NOPE', Description: 'x'.repeat(8193) }),
    );
    expect(err.type).toBe('ValidationException');
    expect(err.message).toBe(
      "2 validation errors detected: Value 'x".concat(
        'x'.repeat(8192),
        "' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192; ",
        "Value 'NOPE' at 'keyUsage' failed to satisfy constraint: Member must satisfy enum value set: [SIGN_VERIFY, ENCRYPT_DECRYPT, GENERATE_VERIFY_MAC, KEY_AGREEMENT, ENCAPSULATE_DECAPSULATE]",
      ),
    );
  });

  it('words length, range and pattern violations like AWS', () => {
    expect(errorOf(() => validateInput('DescribeKeyRequest', { KeyId: '' })).message).toBe(
      "1 validation error detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
    expect(
      errorOf(() => validateInput('DescribeKeyRequest', { KeyId: 'k'.repeat(2049) })).message,
    ).toMatch(/Member must have length less than or equal to 2048$/);
    expect(
      errorOf(() => validateInput('GenerateDataKeyRequest', { KeyId: 'k', NumberOfBytes: 1025 }))
        .message,
    ).toBe(
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024",
    );
    expect(errorOf(() => validateInput('ListKeysRequest', { Limit: 0 })).message).toBe(
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1",
    );
    expect(
      errorOf(() =>
        validateInput('CreateAliasRequest', { AliasName: 'alias/a b', TargetKeyId: 'k' }),
      ).message,
    ).toBe(
      "1 validation error detected: Value 'alias/a b' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$",
    );
  });

  it('names nested list members by their one-based position', () => {
    const err = errorOf(() =>
      validateInput('TagResourceRequest', {
        KeyId: 'k',
        Tags: [
          { TagKey: 'ok', TagValue: '' },
          { TagKey: '', TagValue: 'v' },
        ],
      }),
    );
    expect(err.message).toBe(
      "1 validation error detected: Value '' at 'tags.2.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1",
    );
  });

  it('never echoes a sensitive or blob value in a message', () => {
    const plaintext = Buffer.alloc(4097, 0x41).toString('base64');
    const err = errorOf(() =>
      validateInput('EncryptRequest', { KeyId: 'k', Plaintext: plaintext }),
    );
    expect(err.message).toBe(
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    );
  });

  it('answers wrong member types with SerializationException', () => {
    for (const [shape, body] of [
      ['DescribeKeyRequest', { KeyId: 5 }],
      ['ListKeysRequest', { Limit: '5' }],
      ['ListKeysRequest', { Limit: 1.5 }],
      ['EncryptRequest', { KeyId: 'k', Plaintext: 'not base64!' }],
      ['EncryptRequest', { KeyId: 'k', Plaintext: 'aGk=', EncryptionContext: ['a'] }],
      ['EncryptRequest', { KeyId: 'k', Plaintext: 'aGk=', EncryptionContext: { a: 1 } }],
      ['EncryptRequest', { KeyId: 'k', Plaintext: 'aGk=', DryRun: 'true' }],
      ['TagResourceRequest', { KeyId: 'k', Tags: {} }],
      ['TagResourceRequest', { KeyId: 'k', Tags: [null] }],
      ['ListKeysRequest', []],
      ['ListKeysRequest', null],
    ] as const) {
      expect(errorOf(() => validateInput(shape, body)).type).toBe('SerializationException');
    }
  });

  it('never repeats grant tokens in a validation message', () => {
    const tokens = Array.from({ length: 11 }, (_, i) => `secret-grant-token-${String(i)}`);
    const tooMany = errorOf(() =>
      validateInput('DescribeKeyRequest', { KeyId: 'k', GrantTokens: tokens }),
    );
    expect(tooMany.type).toBe('ValidationException');
    expect(tooMany.message).toContain("at 'grantTokens'");
    expect(tooMany.message).not.toContain('secret-grant-token');
    const tooLong = errorOf(() =>
      validateInput('DescribeKeyRequest', { KeyId: 'k', GrantTokens: ['t'.repeat(8193)] }),
    );
    expect(tooLong.message).toContain("at 'grantTokens.1.member'");
    expect(tooLong.message).not.toContain('tttt');
  });
});
