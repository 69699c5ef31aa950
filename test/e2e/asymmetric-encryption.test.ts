import { constants, createPublicKey, publicEncrypt } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GetPublicKeyCommand,
  type EncryptionAlgorithmSpec,
  type KeySpec,
} from '@aws-sdk/client-kms';
import { openssl, spkiPem } from '../support/openssl.js';
import { startHarness, type Harness } from './harness.js';
import { setKeyState } from './key-state-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const keys = new Map<string, { keyId: string; spki: Buffer }>();
async function encryptionKey(spec: KeySpec): Promise<{ keyId: string; spki: Buffer }> {
  const known = keys.get(spec);
  if (known) return known;
  const created = await h.kms.send(
    new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'ENCRYPT_DECRYPT' }),
  );
  const keyId = created.KeyMetadata!.KeyId!;
  const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
  expect(pub.EncryptionAlgorithms).toEqual(created.KeyMetadata!.EncryptionAlgorithms);
  const entry = { keyId, spki: Buffer.from(pub.PublicKey!) };
  keys.set(spec, entry);
  return entry;
}

async function decrypt(keyId: string, algorithm: EncryptionAlgorithmSpec, ciphertext: Uint8Array) {
  const out = await h.kms.send(
    new DecryptCommand({
      KeyId: keyId,
      CiphertextBlob: ciphertext,
      EncryptionAlgorithm: algorithm,
    }),
  );
  expect(out.EncryptionAlgorithm).toBe(algorithm);
  return Buffer.from(out.Plaintext!);
}

const rsaCases: [KeySpec, EncryptionAlgorithmSpec, number][] = [
  ['RSA_2048', 'RSAES_OAEP_SHA_1', 214],
  ['RSA_2048', 'RSAES_OAEP_SHA_256', 190],
  ['RSA_4096', 'RSAES_OAEP_SHA_1', 470],
  ['RSA_4096', 'RSAES_OAEP_SHA_256', 446],
];

describe('RSA encryption', () => {
  for (const [spec, algorithm, max] of rsaCases) {
    it(`${spec} ${algorithm}: round trip at the ${max}-byte limit, one byte more is refused`, async () => {
      const { keyId } = await encryptionKey(spec);
      const plaintext = Buffer.alloc(max, 7);
      const enc = await h.kms.send(
        new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: algorithm }),
      );
      expect(enc.EncryptionAlgorithm).toBe(algorithm);
      expect((await decrypt(keyId, algorithm, enc.CiphertextBlob!)).equals(plaintext)).toBe(true);
      await expect(
        h.kms.send(
          new EncryptCommand({
            KeyId: keyId,
            Plaintext: Buffer.alloc(max + 1),
            EncryptionAlgorithm: algorithm,
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    });

    it(`${spec} ${algorithm}: decrypts ciphertext made offline with node:crypto and the exported key`, async () => {
      const { keyId, spki } = await encryptionKey(spec);
      const plaintext = Buffer.from('made offline');
      const oaepHash = algorithm === 'RSAES_OAEP_SHA_1' ? 'sha1' : 'sha256';
      const key = createPublicKey({ key: spki, format: 'der', type: 'spki' });
      const ciphertext = publicEncrypt(
        { key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash },
        plaintext,
      );
      expect((await decrypt(keyId, algorithm, ciphertext)).equals(plaintext)).toBe(true);
    });
  }

  it('decrypts RSAES_OAEP_SHA_256 ciphertext made by the openssl CLI', async () => {
    const { keyId, spki } = await encryptionKey('RSA_2048');
    const args = ['pkeyutl', '-encrypt', '-pubin', '-inkey', 'pub.pem', '-in', 'p', '-out', 'c'];
    const oaep = [
      '-pkeyopt',
      'rsa_padding_mode:oaep',
      '-pkeyopt',
      'rsa_oaep_md:sha256',
      '-pkeyopt',
      'rsa_mgf1_md:sha256',
    ];
    const run = openssl([...args, ...oaep], { 'pub.pem': spkiPem(spki), p: 'from openssl' }, ['c']);
    expect((await decrypt(keyId, 'RSAES_OAEP_SHA_256', run.out.c!)).toString()).toBe(
      'from openssl',
    );
  });

  it('needs the EncryptionAlgorithm: the SYMMETRIC_DEFAULT default is InvalidKeyUsageException', async () => {
    const { keyId } = await encryptionKey('RSA_2048');
    await expect(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') })),
    ).rejects.toMatchObject({
      name: 'InvalidKeyUsageException',
    });
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.from('x'),
          EncryptionAlgorithm: 'SM2PKE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });

  it('refuses an encryption context with an asymmetric key as ValidationException', async () => {
    const { keyId } = await encryptionKey('RSA_2048');
    const request = {
      KeyId: keyId,
      Plaintext: Buffer.from('x'),
      EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' as const,
    };
    await expect(
      h.kms.send(new EncryptCommand({ ...request, EncryptionContext: { a: 'b' } })),
    ).rejects.toMatchObject({
      name: 'ValidationException',
    });
  });

  it('answers a changed ciphertext byte or the wrong OAEP hash with InvalidCiphertextException', async () => {
    const { keyId } = await encryptionKey('RSA_2048');
    const enc = await h.kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
      }),
    );
    await expect(decrypt(keyId, 'RSAES_OAEP_SHA_1', enc.CiphertextBlob!)).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
    const changed = Buffer.from(enc.CiphertextBlob!);
    changed[10] = (changed[10] ?? 0) ^ 1;
    await expect(decrypt(keyId, 'RSAES_OAEP_SHA_256', changed)).rejects.toMatchObject({
      name: 'InvalidCiphertextException',
    });
  });

  it('refuses Encrypt with a SIGN_VERIFY key (InvalidKeyUsageException) and a disabled key (DisabledException)', async () => {
    const signing = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: signing.KeyMetadata!.KeyId,
          Plaintext: Buffer.from('x'),
          EncryptionAlgorithm: 'RSAES_OAEP_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    const created = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'SM2', KeyUsage: 'ENCRYPT_DECRYPT' }),
    );
    const keyId = created.KeyMetadata!.KeyId!;
    const enc = await h.kms.send(
      new EncryptCommand({
        KeyId: keyId,
        Plaintext: Buffer.from('x'),
        EncryptionAlgorithm: 'SM2PKE',
      }),
    );
    await setKeyState(h, keyId, 'Disabled');
    await expect(decrypt(keyId, 'SM2PKE', enc.CiphertextBlob!)).rejects.toMatchObject({
      name: 'DisabledException',
    });
    await setKeyState(h, keyId, 'PendingDeletion');
    await expect(decrypt(keyId, 'SM2PKE', enc.CiphertextBlob!)).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
    });
  });
});

describe('SM2PKE encryption', () => {
  it('round-trips up to 1024 bytes and refuses 1025', async () => {
    const { keyId } = await encryptionKey('SM2');
    const plaintext = Buffer.alloc(1024, 3);
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: plaintext, EncryptionAlgorithm: 'SM2PKE' }),
    );
    expect((await decrypt(keyId, 'SM2PKE', enc.CiphertextBlob!)).equals(plaintext)).toBe(true);
    await expect(
      h.kms.send(
        new EncryptCommand({
          KeyId: keyId,
          Plaintext: Buffer.alloc(1025),
          EncryptionAlgorithm: 'SM2PKE',
        }),
      ),
    ).rejects.toMatchObject({ name: 'ValidationException' });
  });

  it('decrypts SM2 ciphertext made offline by the openssl CLI with the exported key', async () => {
    const { keyId, spki } = await encryptionKey('SM2');
    const args = ['pkeyutl', '-encrypt', '-pubin', '-inkey', 'pub.pem', '-in', 'p', '-out', 'c'];
    const run = openssl(args, { 'pub.pem': spkiPem(spki), p: 'SM2 from openssl' }, ['c']);
    expect((await decrypt(keyId, 'SM2PKE', run.out.c!)).toString()).toBe('SM2 from openssl');
  });
});
