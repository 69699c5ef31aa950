import {
  createHmac,
  createPublicKey,
  diffieHellman,
  generateKeyPairSync,
  randomBytes,
  type KeyObject,
} from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecapsulateCommand,
  DeriveSharedSecretCommand,
  EncapsulateCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  VerifyMacCommand,
  type KeySpec,
  type MacAlgorithmSpec,
} from '@aws-sdk/client-kms';
import { ml_kem1024, ml_kem512, ml_kem768 } from '@noble/post-quantum/ml-kem.js';
import { weierstrass } from '@noble/curves/abstract/weierstrass.js';
import { startHarness, type Harness } from './harness.js';
import { pinMaterial, setKeyState } from './key-state-helpers.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function createKey(
  spec: KeySpec,
  usage: 'GENERATE_VERIFY_MAC' | 'KEY_AGREEMENT' | 'ENCAPSULATE_DECAPSULATE',
) {
  const created = await h.kms.send(new CreateKeyCommand({ KeySpec: spec, KeyUsage: usage }));
  return created.KeyMetadata!.KeyId!;
}

const message = Buffer.from('authenticate me');

// The SM2 curve (GB/T 32918.5), set up independently of Trent's code for an independent ECDH check.
const sm2 = weierstrass({
  p: 0xfffffffeffffffffffffffffffffffffffffffff00000000ffffffffffffffffn,
  a: 0xfffffffeffffffffffffffffffffffffffffffff00000000fffffffffffffffcn,
  b: 0x28e9fa9e9d9f5e344d5a9e4bcf6509a7f39789f515ab8f92ddbcbd414d940e93n,
  n: 0xfffffffeffffffffffffffffffffffff7203df6b21c6052b53bbf40939d54123n,
  Gx: 0x32c4ae2c1f1981195f9904466a39c9948fe30bbff2660be1715a4589334c74c7n,
  Gy: 0xbc3736a2f4f6779c59bdcee36b692153d0a9877cc62a474002df32e52139f0a0n,
  h: 1n,
});

function sm2PeerSecret(privateKey: KeyObject, trentSpki: Buffer): Buffer {
  const jwkless = privateKey.export({ format: 'der', type: 'pkcs8' });
  // The 32-byte scalar follows the OCTET STRING header 04 20 inside the ECPrivateKey.
  const at = jwkless.indexOf(Buffer.from([0x02, 0x01, 0x01, 0x04, 0x20])) + 5;
  const d = BigInt(`0x${jwkless.subarray(at, at + 32).toString('hex')}`);
  const q = sm2.fromBytes(trentSpki.subarray(trentSpki.length - 65));
  return Buffer.from(q.multiply(d).toAffine().x.toString(16).padStart(64, '0'), 'hex');
}

describe('HMAC keys', () => {
  const specs: [KeySpec, MacAlgorithmSpec, number][] = [
    ['HMAC_224', 'HMAC_SHA_224', 28],
    ['HMAC_256', 'HMAC_SHA_256', 32],
    ['HMAC_384', 'HMAC_SHA_384', 48],
    ['HMAC_512', 'HMAC_SHA_512', 64],
  ];
  for (const [spec, algorithm, bytes] of specs) {
    it(`${spec}: GenerateMac equals node:crypto's HMAC with the same key, and VerifyMac accepts it`, async () => {
      const keyId = await createKey(spec, 'GENERATE_VERIFY_MAC');
      const secret = randomBytes(bytes);
      await pinMaterial(h, keyId, Buffer.from(secret));
      const out = await h.kms.send(
        new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: algorithm }),
      );
      const mac = Buffer.from(out.Mac!);
      expect(mac.length).toBe(bytes);
      const hash = `sha${algorithm.slice(-3)}`;
      expect(mac.equals(createHmac(hash, secret).update(message).digest())).toBe(true);
      const verified = await h.kms.send(
        new VerifyMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: algorithm, Mac: mac }),
      );
      expect(verified.MacValid).toBe(true);
    });
  }

  it('answers a tampered MAC or another message with KMSInvalidMacException', async () => {
    const keyId = await createKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    const out = await h.kms.send(
      new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    const mac = Buffer.from(out.Mac!);
    const request = { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256' as const };
    await expect(
      h.kms.send(new VerifyMacCommand({ ...request, Message: Buffer.from('other'), Mac: mac })),
    ).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
    mac[0] = (mac[0] ?? 0) ^ 1;
    await expect(
      h.kms.send(new VerifyMacCommand({ ...request, Message: message, Mac: mac })),
    ).rejects.toMatchObject({
      name: 'KMSInvalidMacException',
    });
    await expect(
      h.kms.send(new VerifyMacCommand({ ...request, Message: message, Mac: mac.subarray(0, 16) })),
    ).rejects.toMatchObject({ name: 'KMSInvalidMacException' });
  });

  it('refuses another MAC algorithm, a non-HMAC key, a disabled key and a key pending deletion', async () => {
    const keyId = await createKey('HMAC_256', 'GENERATE_VERIFY_MAC');
    await expect(
      h.kms.send(
        new GenerateMacCommand({ KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_512' }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    const symmetric = await h.kms.send(new CreateKeyCommand({}));
    await expect(
      h.kms.send(
        new GenerateMacCommand({
          KeyId: symmetric.KeyMetadata!.KeyId,
          Message: message,
          MacAlgorithm: 'HMAC_SHA_256',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
    await expect(h.kms.send(new GetPublicKeyCommand({ KeyId: keyId }))).rejects.toMatchObject({
      name: 'UnsupportedOperationException',
    });
    await setKeyState(h, keyId, 'Disabled');
    const request = { KeyId: keyId, Message: message, MacAlgorithm: 'HMAC_SHA_256' as const };
    await expect(h.kms.send(new GenerateMacCommand(request))).rejects.toMatchObject({
      name: 'DisabledException',
    });
    await setKeyState(h, keyId, 'PendingDeletion');
    await expect(h.kms.send(new GenerateMacCommand(request))).rejects.toMatchObject({
      name: 'KMSInvalidStateException',
    });
  });
});

describe('DeriveSharedSecret (ECDH)', () => {
  const curves: [KeySpec, string][] = [
    ['ECC_NIST_P256', 'prime256v1'],
    ['ECC_NIST_P384', 'secp384r1'],
    ['ECC_NIST_P521', 'secp521r1'],
    ['SM2', 'SM2'],
  ];
  for (const [spec, curve] of curves) {
    it(`${spec}: the secret equals the peer's own ECDH with Trent's exported public key`, async () => {
      const keyId = await createKey(spec, 'KEY_AGREEMENT');
      const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      expect(pub.KeyAgreementAlgorithms).toEqual(['ECDH']);
      const peer = generateKeyPairSync('ec', { namedCurve: curve });
      const out = await h.kms.send(
        new DeriveSharedSecretCommand({
          KeyId: keyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: peer.publicKey.export({ format: 'der', type: 'spki' }),
        }),
      );
      const trentPublic = Buffer.from(pub.PublicKey!);
      const expected =
        spec === 'SM2'
          ? sm2PeerSecret(peer.privateKey, trentPublic)
          : diffieHellman({
              privateKey: peer.privateKey,
              publicKey: createPublicKey({ key: trentPublic, format: 'der', type: 'spki' }),
            });
      expect(Buffer.from(out.SharedSecret!).equals(expected)).toBe(true);
      expect(out.KeyAgreementAlgorithm).toBe('ECDH');
    });
  }

  it('refuses a peer key on another curve, or garbage, with ValidationException', async () => {
    const keyId = await createKey('ECC_NIST_P256', 'KEY_AGREEMENT');
    const other = generateKeyPairSync('ec', { namedCurve: 'secp384r1' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    for (const publicKey of [other, Buffer.from('not a key')]) {
      await expect(
        h.kms.send(
          new DeriveSharedSecretCommand({
            KeyId: keyId,
            KeyAgreementAlgorithm: 'ECDH',
            PublicKey: publicKey,
          }),
        ),
      ).rejects.toMatchObject({ name: 'ValidationException' });
    }
  });

  it('refuses DeriveSharedSecret with a SIGN_VERIFY key as InvalidKeyUsageException', async () => {
    const created = await h.kms.send(
      new CreateKeyCommand({ KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
    );
    const peer = generateKeyPairSync('ec', { namedCurve: 'prime256v1' }).publicKey.export({
      format: 'der',
      type: 'spki',
    });
    await expect(
      h.kms.send(
        new DeriveSharedSecretCommand({
          KeyId: created.KeyMetadata!.KeyId,
          KeyAgreementAlgorithm: 'ECDH',
          PublicKey: peer,
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });
});

describe('ML-KEM Encapsulate and Decapsulate', () => {
  const levels = [
    ['ML_KEM_512', ml_kem512, 768],
    ['ML_KEM_768', ml_kem768, 1088],
    ['ML_KEM_1024', ml_kem1024, 1568],
  ] as const;
  for (const [spec, kem, ctBytes] of levels) {
    it(`${spec}: secrets agree with @noble/post-quantum encapsulating to the exported key`, async () => {
      const keyId = await createKey(spec, 'ENCAPSULATE_DECAPSULATE');
      const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
      expect(pub.EncapsulationAlgorithms).toEqual(['ML_KEM']);
      const spki = Buffer.from(pub.PublicKey!);
      const pk = spki.subarray(spki.length - kem.lengths.publicKey!);
      const offline = kem.encapsulate(pk);
      const dec = await h.kms.send(
        new DecapsulateCommand({
          KeyId: keyId,
          SharedSecretCiphertextBlob: offline.cipherText,
          EncapsulationAlgorithm: 'ML_KEM',
        }),
      );
      expect(Buffer.from(dec.SharedSecret!).equals(Buffer.from(offline.sharedSecret))).toBe(true);
      const enc = await h.kms.send(
        new EncapsulateCommand({ KeyId: keyId, EncapsulationAlgorithm: 'ML_KEM' }),
      );
      expect(enc.SharedSecretCiphertextBlob).toHaveLength(ctBytes);
      expect(enc.SharedSecret).toHaveLength(32);
      const back = await h.kms.send(
        new DecapsulateCommand({
          KeyId: keyId,
          SharedSecretCiphertextBlob: enc.SharedSecretCiphertextBlob,
          EncapsulationAlgorithm: 'ML_KEM',
        }),
      );
      expect(Buffer.from(back.SharedSecret!).equals(Buffer.from(enc.SharedSecret!))).toBe(true);
    });
  }

  it('returns a pseudo-random secret for a well-sized wrong ciphertext and InvalidCiphertextException for a wrong size', async () => {
    const keyId = await createKey('ML_KEM_768', 'ENCAPSULATE_DECAPSULATE');
    const enc = await h.kms.send(
      new EncapsulateCommand({ KeyId: keyId, EncapsulationAlgorithm: 'ML_KEM' }),
    );
    const wrong = Buffer.from(enc.SharedSecretCiphertextBlob!);
    wrong[0] = (wrong[0] ?? 0) ^ 1;
    const request = { KeyId: keyId, EncapsulationAlgorithm: 'ML_KEM' as const };
    const rejected = await h.kms.send(
      new DecapsulateCommand({ ...request, SharedSecretCiphertextBlob: wrong }),
    );
    expect(rejected.SharedSecret).toHaveLength(32);
    expect(Buffer.from(rejected.SharedSecret!).equals(Buffer.from(enc.SharedSecret!))).toBe(false);
    await expect(
      h.kms.send(
        new DecapsulateCommand({ ...request, SharedSecretCiphertextBlob: wrong.subarray(1) }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidCiphertextException' });
  });

  it('refuses Encapsulate with a non-ML-KEM key as InvalidKeyUsageException', async () => {
    const symmetric = await h.kms.send(new CreateKeyCommand({}));
    await expect(
      h.kms.send(
        new EncapsulateCommand({
          KeyId: symmetric.KeyMetadata!.KeyId,
          EncapsulationAlgorithm: 'ML_KEM',
        }),
      ),
    ).rejects.toMatchObject({ name: 'InvalidKeyUsageException' });
  });
});
