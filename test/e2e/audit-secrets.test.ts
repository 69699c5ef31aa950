import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Writable } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecapsulateCommand,
  DecryptCommand,
  DeriveSharedSecretCommand,
  EncapsulateCommand,
  GenerateDataKeyPairCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  KMSClient,
  ReEncryptCommand,
  SignCommand,
  VerifyCommand,
  VerifyMacCommand,
  EncryptCommand,
  GenerateDataKeyCommand,
  GenerateDataKeyWithoutPlaintextCommand,
} from '@aws-sdk/client-kms';
import { pino } from 'pino';
import { operations } from '../../src/api/operations/index.js';
import { startTrent, type Trent } from '../../src/main.js';
import { kmsClient, testConfig } from './harness.js';
import { sampleInput } from './sample-inputs.js';

// Known bytes sent in every blob member; they, and every secret Trent answers with, must never reach
// the data directory or the log.
const MARKER = Buffer.from('\u00a7MARKER-audit-secret-3f9c1e7a-never-store-me\u00a7', 'utf8');

let dataDir: string;
let trent: Trent;
let logText = '';
const secrets: Buffer[] = [MARKER];

/** The raw bytes plus their base64, base64url and hex spellings at every alignment. */
function spellings(secret: Buffer): Buffer[] {
  const out = [
    secret,
    Buffer.from(secret.toString('hex')),
    Buffer.from(secret.toString('hex').toUpperCase()),
  ];
  for (let shift = 0; shift < 3; shift++) {
    const b64 = Buffer.concat([Buffer.alloc(shift), secret]).toString('base64');
    // Drop the characters the leading pad and the trailing padding influence.
    const core = b64.slice(shift === 0 ? 0 : 4, -4);
    out.push(Buffer.from(core), Buffer.from(core.replace(/\+/g, '-').replace(/\//g, '_')));
  }
  return out;
}

function leaksIn(haystack: Buffer, where: string): string[] {
  const found: string[] = [];
  for (const [i, secret] of secrets.entries()) {
    for (const s of spellings(secret))
      if (haystack.includes(s)) found.push(`secret ${String(i)} in ${where}`);
  }
  return found;
}

/** Response members that carry secrets (as base64 blobs) or bearer tokens (as text). */
const SECRET_BLOBS = [
  'Plaintext',
  'CiphertextBlob',
  'PrivateKeyPlaintext',
  'PrivateKeyCiphertextBlob',
  'Signature',
  'Mac',
  'SharedSecret',
  'SharedSecretCiphertextBlob',
  'CiphertextForRecipient',
  'ImportToken',
];
const SECRET_TEXTS = ['GrantToken'];

function noteSecretsOf(response: Record<string, unknown>): void {
  for (const member of SECRET_BLOBS) {
    const v = response[member];
    // Short values could match by chance; every secret Trent returns is at least 16 bytes long.
    if (typeof v === 'string' && v.length >= 24) secrets.push(Buffer.from(v, 'base64'));
  }
  for (const member of SECRET_TEXTS) {
    const v = response[member];
    if (typeof v === 'string' && v.length >= 16) secrets.push(Buffer.from(v, 'utf8'));
  }
}

function dataDirLeaks(): string[] {
  return readdirSync(dataDir).flatMap((f) => leaksIn(readFileSync(join(dataDir, f)), f));
}

/** Successful calls of the asymmetric, HMAC, key-agreement and KEM operations, secrets noted. */
async function useEveryKeyKind(kms: KMSClient, symmetricKeyId: string, ciphertext: Uint8Array) {
  const create = async (KeySpec: string, KeyUsage: string) =>
    (
      await kms.send(
        new CreateKeyCommand({ KeySpec: KeySpec as never, KeyUsage: KeyUsage as never }),
      )
    ).KeyMetadata!.KeyId!;
  const signer = await create('ECC_NIST_P256', 'SIGN_VERIFY');
  const signed = await kms.send(
    new SignCommand({ KeyId: signer, Message: MARKER, SigningAlgorithm: 'ECDSA_SHA_256' }),
  );
  noteSecretsOf({ Signature: Buffer.from(signed.Signature!).toString('base64') });
  await kms.send(
    new VerifyCommand({
      KeyId: signer,
      Message: MARKER,
      Signature: signed.Signature,
      SigningAlgorithm: 'ECDSA_SHA_256',
    }),
  );
  const hmac = await create('HMAC_256', 'GENERATE_VERIFY_MAC');
  const mac = await kms.send(
    new GenerateMacCommand({ KeyId: hmac, Message: MARKER, MacAlgorithm: 'HMAC_SHA_256' }),
  );
  noteSecretsOf({ Mac: Buffer.from(mac.Mac!).toString('base64') });
  await kms.send(
    new VerifyMacCommand({
      KeyId: hmac,
      Message: MARKER,
      Mac: mac.Mac,
      MacAlgorithm: 'HMAC_SHA_256',
    }),
  );
  const pair = await kms.send(
    new GenerateDataKeyPairCommand({ KeyId: symmetricKeyId, KeyPairSpec: 'ECC_NIST_P256' }),
  );
  noteSecretsOf({
    PrivateKeyPlaintext: Buffer.from(pair.PrivateKeyPlaintext!).toString('base64'),
    PrivateKeyCiphertextBlob: Buffer.from(pair.PrivateKeyCiphertextBlob!).toString('base64'),
  });
  const reEncrypted = await kms.send(
    new ReEncryptCommand({
      CiphertextBlob: ciphertext,
      SourceEncryptionContext: { c: 'v' },
      DestinationKeyId: symmetricKeyId,
    }),
  );
  noteSecretsOf({ CiphertextBlob: Buffer.from(reEncrypted.CiphertextBlob!).toString('base64') });
  const agreeing = await create('ECC_NIST_P256', 'KEY_AGREEMENT');
  const peer = await create('ECC_NIST_P256', 'KEY_AGREEMENT');
  const { PublicKey } = await kms.send(new GetPublicKeyCommand({ KeyId: peer }));
  const derived = await kms.send(
    new DeriveSharedSecretCommand({ KeyId: agreeing, KeyAgreementAlgorithm: 'ECDH', PublicKey }),
  );
  noteSecretsOf({ SharedSecret: Buffer.from(derived.SharedSecret!).toString('base64') });
  const kem = await create('ML_KEM_768', 'ENCAPSULATE_DECAPSULATE');
  const encapsulated = await kms.send(
    new EncapsulateCommand({ KeyId: kem, EncapsulationAlgorithm: 'ML_KEM' }),
  );
  noteSecretsOf({
    SharedSecret: Buffer.from(encapsulated.SharedSecret!).toString('base64'),
    SharedSecretCiphertextBlob: Buffer.from(encapsulated.SharedSecretCiphertextBlob!).toString(
      'base64',
    ),
  });
  await kms.send(
    new DecapsulateCommand({
      KeyId: kem,
      EncapsulationAlgorithm: 'ML_KEM',
      SharedSecretCiphertextBlob: encapsulated.SharedSecretCiphertextBlob,
    }),
  );
}

beforeAll(async () => {
  dataDir = mkdtempSync(join(tmpdir(), 'trent-audit-secrets-'));
  const sink = new Writable({
    write(chunk: Buffer, _enc, done) {
      logText += chunk.toString('utf8');
      done();
    },
  });
  trent = await startTrent(testConfig({ dev: false, dataDir, logLevel: 'trace' }), {
    logger: pino({ level: 'trace' }, sink),
  });
});
afterAll(async () => {
  await trent.close();
  rmSync(dataDir, { recursive: true, force: true });
});

describe('audit trail and logs hold no secrets', () => {
  it('keeps marker bytes, plaintexts, data keys and ciphertexts out of the data directory and the log', async () => {
    const kms = kmsClient(trent.url);
    const { KeyMetadata } = await kms.send(new CreateKeyCommand({ Description: 'marker' }));
    const keyId = KeyMetadata!.KeyId!;
    const encrypted = await kms.send(
      new EncryptCommand({ KeyId: keyId, Plaintext: MARKER, EncryptionContext: { c: 'v' } }),
    );
    secrets.push(Buffer.from(encrypted.CiphertextBlob!));
    const decrypted = await kms.send(
      new DecryptCommand({
        CiphertextBlob: encrypted.CiphertextBlob,
        EncryptionContext: { c: 'v' },
      }),
    );
    expect(Buffer.from(decrypted.Plaintext!)).toEqual(MARKER);
    const dataKey = await kms.send(
      new GenerateDataKeyCommand({ KeyId: keyId, KeySpec: 'AES_256' }),
    );
    secrets.push(Buffer.from(dataKey.Plaintext!), Buffer.from(dataKey.CiphertextBlob!));
    const sealedOnly = await kms.send(
      new GenerateDataKeyWithoutPlaintextCommand({ KeyId: keyId, NumberOfBytes: 64 }),
    );
    secrets.push(Buffer.from(sealedOnly.CiphertextBlob!));
    // Failures with secrets in them: a forged ciphertext, a wrong context.
    await expect(kms.send(new DecryptCommand({ CiphertextBlob: MARKER }))).rejects.toThrow();
    await expect(
      kms.send(
        new DecryptCommand({
          CiphertextBlob: encrypted.CiphertextBlob,
          EncryptionContext: { c: 'x' },
        }),
      ),
    ).rejects.toThrow();
    await useEveryKeyKind(kms, keyId, encrypted.CiphertextBlob!);
    // Every operation, with the marker in each blob member and as a grant token.
    for (const name of operations.keys()) {
      const res = await fetch(`${trent.url}/`, {
        method: 'POST',
        headers: {
          'content-type': 'application/x-amz-json-1.1',
          'x-amz-target': `TrentService.${name}`,
        },
        body: JSON.stringify(sampleInput(name, { keyId, secret: MARKER })),
      });
      const body = Buffer.from(await res.arrayBuffer());
      // A response may carry a fresh secret (a data key, a ciphertext): those must not be stored either.
      if (res.status === 200)
        noteSecretsOf(JSON.parse(body.toString('utf8')) as Record<string, unknown>);
    }
    kms.destroy();
    await trent.audit.flush();
    const stored = await trent.auditStore.query({});
    expect(stored.length).toBeGreaterThan(operations.size);
    for (const op of [
      'Encrypt',
      'Sign',
      'GenerateMac',
      'GenerateDataKeyPair',
      'DeriveSharedSecret',
      'Decapsulate',
    ])
      expect(stored.some((r) => r.eventName === op && r.errorCode === null)).toBe(true);
    expect(dataDirLeaks()).toEqual([]);
    expect(leaksIn(Buffer.from(logText), 'log')).toEqual([]);
    await trent.close();
    // After shutdown the WAL is folded into the database file: search again.
    expect(dataDirLeaks()).toEqual([]);
    expect(leaksIn(Buffer.from(logText), 'log')).toEqual([]);
  });

  it('finds the marker when it is planted, so the search can fail', () => {
    expect(leaksIn(Buffer.from(`x${MARKER.toString('base64')}y`), 'sample')).not.toEqual([]);
    expect(
      leaksIn(
        Buffer.from(`xy${Buffer.concat([Buffer.from('ab'), MARKER]).toString('base64')}`),
        'sample',
      ),
    ).not.toEqual([]);
  });
});
