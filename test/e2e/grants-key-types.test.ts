import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateGrantCommand,
  CreateKeyCommand,
  type KeySpec,
  type KeyUsageType,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

const ALICE = 'arn:aws:iam::111122223333:user/alice';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function keyOf(KeySpec: KeySpec, KeyUsage: KeyUsageType): Promise<string> {
  const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({ KeySpec, KeyUsage }));
  return KeyMetadata!.KeyId!;
}

function grant(KeyId: string, Operations: string[], Constraints?: Record<string, unknown>) {
  return h.kms.send(
    new CreateGrantCommand({
      KeyId,
      GranteePrincipal: ALICE,
      Operations: Operations as never,
      ...(Constraints ? { Constraints } : {}),
    }),
  );
}

describe('grant operations by key type', () => {
  it.each([
    ['RSA_2048', 'SIGN_VERIFY', ['Sign', 'Verify', 'GetPublicKey', 'DescribeKey'], ['Encrypt']],
    ['RSA_2048', 'ENCRYPT_DECRYPT', ['Encrypt', 'Decrypt', 'GetPublicKey'], ['GenerateDataKey']],
    ['HMAC_256', 'GENERATE_VERIFY_MAC', ['GenerateMac', 'VerifyMac', 'RetireGrant'], ['Sign']],
    ['ECC_NIST_P256', 'KEY_AGREEMENT', ['DeriveSharedSecret', 'GetPublicKey'], ['Verify']],
  ] as const)(
    'accepts what a %s %s key supports and refuses the rest',
    async (spec, usage, yes, no) => {
      const keyId = await keyOf(spec, usage);
      await expect(grant(keyId, [...yes])).resolves.toMatchObject({ GrantId: expect.any(String) });
      await expect(grant(keyId, [...yes, ...no])).rejects.toMatchObject({
        name: 'ValidationException',
      });
    },
  );

  it('refuses an encryption-context constraint on a signing grant', async () => {
    const keyId = await keyOf('ECC_NIST_P256', 'SIGN_VERIFY');
    await expect(
      grant(keyId, ['Sign'], { EncryptionContextSubset: { a: '1' } }),
    ).rejects.toMatchObject({ name: 'ValidationException' });
    await expect(
      grant(keyId, ['DescribeKey'], { EncryptionContextSubset: { a: '1' } }),
    ).resolves.toMatchObject({ GrantId: expect.any(String) });
  });
});
