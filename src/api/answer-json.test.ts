import { randomBytes } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { answerJson, BASE64_MEMBERS } from './answer-json.js';

const base64 = (bytes: number) => randomBytes(bytes).toString('base64');
const ARN = 'arn:aws:kms:us-east-1:111122223333:key/1234abcd-12ab-34cd-56ef-1234567890ab';

describe('answerJson', () => {
  const cases: Record<string, Record<string, unknown>> = {
    encrypt: {
      CiphertextBlob: base64(1150),
      KeyId: ARN,
      EncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
    },
    'generate data key': { CiphertextBlob: base64(180), Plaintext: base64(32), KeyId: ARN },
    'short blobs only': { Mac: base64(32), MacAlgorithm: 'HMAC_SHA_256', KeyId: ARN },
    'no blob': { KeyMetadata: { KeyId: 'k', Enabled: true, CreationDate: 1.5, Tags: [] } },
    empty: {},
    'undefined and function members': {
      Plaintext: base64(200),
      Missing: undefined,
      Call: () => 1,
      Nested: { a: undefined, b: [undefined, 1] },
    },
    'blob member holding text that needs escaping': {
      Plaintext: `${'a'.repeat(70)}"},"Injected":"x`,
      Signature: `${'b'.repeat(70)}\\u0041`,
      PublicKey: `${'c'.repeat(70)}é`,
      CiphertextBlob: `${'d'.repeat(70)}\u2028`,
    },
    'long text in a member that is not a blob': { Description: 'x'.repeat(300), KeyId: ARN },
    'non-string blob member': { CiphertextBlob: 12345, Plaintext: null, Mac: ['a'] },
  };

  for (const [name, output] of Object.entries(cases)) {
    it(`writes exactly what JSON.stringify writes: ${name}`, () => {
      expect(answerJson(output)).toBe(JSON.stringify(output));
    });
  }

  it('writes every blob member of the model the same way, in any order', () => {
    const output: Record<string, unknown> = { KeyId: ARN };
    for (const name of BASE64_MEMBERS) output[name] = base64(100 + name.length);
    expect(answerJson(output)).toBe(JSON.stringify(output));
    const reversed = Object.fromEntries(Object.entries(output).reverse());
    expect(answerJson(reversed)).toBe(JSON.stringify(reversed));
  });

  it('keeps a quote in a blob member inside its string', () => {
    const text = answerJson({ Plaintext: `${'a'.repeat(70)}","KeyId":"evil`, KeyId: ARN });
    expect(JSON.parse(text)).toEqual({ Plaintext: `${'a'.repeat(70)}","KeyId":"evil`, KeyId: ARN });
  });

  it('leaves out inherited members, as JSON.stringify does', () => {
    const output = Object.create({ Plaintext: base64(100) }) as Record<string, unknown>;
    output.CiphertextBlob = base64(100);
    expect(answerJson(output)).toBe(JSON.stringify(output));
  });
});
