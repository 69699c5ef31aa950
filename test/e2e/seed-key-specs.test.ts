import { createHmac, createPublicKey, generateKeyPairSync, verify } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  DescribeKeyCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  SignCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

const SECP = '5ec0000a-1111-4222-8333-444444444444';
const RSA = '5ec0000b-1111-4222-8333-444444444444';
const HMAC = '5ec0000c-1111-4222-8333-444444444444';
const MLDSA = '5ec0000d-1111-4222-8333-444444444444';

const secp = generateKeyPairSync('ec', { namedCurve: 'secp256k1' });
const rsa = generateKeyPairSync('rsa', { modulusLength: 2048 });
const hmacKey = Buffer.alloc(32, 0x17);

function indent(pem: string): string {
  return pem
    .trim()
    .split('\n')
    .map((l) => `      ${l}`)
    .join('\n');
}

let h: Harness;
beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'trent-seed-specs-'));
  const path = join(dir, 'seed.yaml');
  writeFileSync(
    path,
    `keys:
  - keyId: ${SECP}
    keySpec: ECC_SECG_P256K1
    keyUsage: SIGN_VERIFY
    aliases: [alias/eth-signer]
    material: |
${indent(String(secp.privateKey.export({ format: 'pem', type: 'sec1' })))}
  - keyId: ${RSA}
    keySpec: RSA_2048
    keyUsage: SIGN_VERIFY
    material: |
${indent(String(rsa.privateKey.export({ format: 'pem', type: 'pkcs8' })))}
  - keyId: ${HMAC}
    keySpec: HMAC_256
    keyUsage: GENERATE_VERIFY_MAC
    material: base64:${hmacKey.toString('base64')}
  - keyId: ${MLDSA}
    keySpec: ML_DSA_44
    keyUsage: SIGN_VERIFY
`,
  );
  h = await startHarness({ seed: path });
});
afterAll(async () => {
  await h.stop();
});

const message = Buffer.from('pinned keys give known answers');

describe('seeding non-symmetric keys', () => {
  it('serves a pinned secp256k1 key: its public key and signatures are those of the known key', async () => {
    const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: 'alias/eth-signer' }));
    const known = secp.publicKey.export({ format: 'der', type: 'spki' });
    expect(Buffer.from(pub.PublicKey!).equals(known)).toBe(true);
    const signed = await h.kms.send(
      new SignCommand({ KeyId: SECP, Message: message, SigningAlgorithm: 'ECDSA_SHA_256' }),
    );
    expect(verify('sha256', message, secp.publicKey, Buffer.from(signed.Signature!))).toBe(true);
  });

  it('serves a pinned RSA key', async () => {
    const signed = await h.kms.send(
      new SignCommand({
        KeyId: RSA,
        Message: message,
        SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256',
      }),
    );
    expect(verify('sha256', message, rsa.publicKey, Buffer.from(signed.Signature!))).toBe(true);
  });

  it('serves a pinned HMAC key: GenerateMac equals the HMAC of the known key', async () => {
    const out = await h.kms.send(
      new GenerateMacCommand({ KeyId: HMAC, Message: message, MacAlgorithm: 'HMAC_SHA_256' }),
    );
    const expected = createHmac('sha256', hmacKey).update(message).digest();
    expect(Buffer.from(out.Mac!).equals(expected)).toBe(true);
  });

  it('creates an ML-DSA key with fresh material when the entry gives none', async () => {
    const meta = await h.kms.send(new DescribeKeyCommand({ KeyId: MLDSA }));
    expect(meta.KeyMetadata!.SigningAlgorithms).toEqual(['ML_DSA_SHAKE_256']);
    const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: MLDSA }));
    expect(() =>
      createPublicKey({ key: Buffer.from(pub.PublicKey!), format: 'der', type: 'spki' }),
    ).toThrow();
    expect(pub.PublicKey!.length).toBeGreaterThan(1312);
  });
});
