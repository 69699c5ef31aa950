import { describe, expect, it } from 'vitest';
import { randomBytes } from 'node:crypto';
import { operationInputs } from './model.generated.js';
import { validatedShapeOf, validateInput } from './validate.js';

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

describe('compiled input checks', () => {
  it('compile for every operation input, whatever members the body lacks', () => {
    for (const shape of Object.values(operationInputs)) {
      if (shape === null) continue;
      try {
        validateInput(shape, {});
      } catch (err) {
        expect([shape, (err as { type?: string }).type]).toEqual([shape, 'ValidationException']);
      }
    }
  });

  it('keep no state from one request to the next', () => {
    expect(errorOf(() => validateInput('DescribeKeyRequest', { KeyId: '' })).type).toBe(
      'ValidationException',
    );
    expect(validateInput('DescribeKeyRequest', { KeyId: 'k' }).KeyId).toBe('k');
    expect(errorOf(() => validateInput('DescribeKeyRequest', {})).message).toMatch(
      /^1 validation error detected: Value null at 'keyId'/,
    );
  });

  it('return structures that inherit nothing and name their shape', () => {
    const body = JSON.parse(
      '{"KeyId":"k","CiphertextBlob":"aGk=","Recipient":{"KeyEncryptionAlgorithm":"RSAES_OAEP_SHA_256"}}',
    ) as unknown;
    const out = validateInput('DecryptRequest', body);
    expect(Object.keys(out)).toEqual(['CiphertextBlob', 'KeyId', 'Recipient']);
    expect('toString' in out).toBe(false);
    expect('hasOwnProperty' in (out.Recipient as object)).toBe(false);
    expect(validatedShapeOf(out)).toBe('DecryptRequest');
    expect(validatedShapeOf(out.Recipient as object)).toBe('RecipientInfo');
    expect(validatedShapeOf(body as object)).toBeUndefined();
    expect(validatedShapeOf({ ...out })).toBeUndefined();
  });

  it('keep map keys named like Object.prototype members as ordinary keys', () => {
    const body = JSON.parse(
      '{"KeyId":"k","Plaintext":"aGk=","EncryptionContext":{"__proto__":"p","constructor":"c"}}',
    ) as unknown;
    const context = validateInput('EncryptRequest', body).EncryptionContext as object;
    expect(Object.getPrototypeOf(context)).toBeNull();
    expect(Object.entries(context)).toEqual([
      ['__proto__', 'p'],
      ['constructor', 'c'],
    ]);
    expect(
      errorOf(() =>
        validateInput(
          'EncryptRequest',
          JSON.parse('{"KeyId":"k","Plaintext":"aGk=","EncryptionContext":{"__proto__":1}}'),
        ),
      ).message,
    ).toBe("Expected a string at 'encryptionContext.__proto__'");
  });

  it('decode short and long blobs, padded or not, with non-zero unused bits as Node reads them', () => {
    const long = randomBytes(301).toString('base64');
    for (const text of ['aGk=', 'aGk', 'aGl=', long, long.replace(/=+$/, '')]) {
      const out = validateInput('EncryptRequest', { KeyId: 'k', Plaintext: text });
      expect((out.Plaintext as Buffer).equals(Buffer.from(text, 'base64'))).toBe(true);
    }
    // 'l' (100101) as the last data character of a one-byte group: its four unused bits are not zero.
    const nonCanonical = `${long.slice(0, -3)}l==`;
    expect(
      (
        validateInput('EncryptRequest', { KeyId: 'k', Plaintext: nonCanonical }).Plaintext as Buffer
      ).equals(Buffer.from(nonCanonical, 'base64')),
    ).toBe(true);
  });

  it('reject a long blob that only a lenient decoder would read, whatever its length', () => {
    const long = randomBytes(300).toString('base64');
    for (const text of [
      long.replaceAll('+', '-').replaceAll('/', '_'),
      `${long.slice(0, 99)}\u0141${long.slice(100)}`,
      `${long}=`,
      `${randomBytes(4097).toString('base64').slice(0, -4)}!AAA`,
    ]) {
      expect(
        errorOf(() => validateInput('EncryptRequest', { KeyId: 'k', Plaintext: text })),
      ).toMatchObject({
        type: 'SerializationException',
        message: "Expected a base64-encoded blob at 'plaintext'",
      });
    }
  });

  it('reports a too-long blob and the members after it in one message', () => {
    const err = errorOf(() =>
      validateInput('EncryptRequest', {
        KeyId: '',
        Plaintext: randomBytes(4097).toString('base64'),
        EncryptionAlgorithm: 'NOPE',
      }),
    );
    expect(err.message).toBe(
      "3 validation errors detected: Value '' at 'keyId' failed to satisfy constraint: Member must have length greater than or equal to 1; " +
        "Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096; " +
        "Value 'NOPE' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]",
    );
  });
});
