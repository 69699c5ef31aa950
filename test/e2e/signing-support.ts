// Sign-and-verify helpers shared by the signing end-to-end tests: one key per spec, signed through Trent
// and checked by Trent's own Verify before the independent check.
import { expect } from 'vitest';
import {
  CreateKeyCommand,
  GetPublicKeyCommand,
  SignCommand,
  VerifyCommand,
  type KeySpec,
  type MessageType,
  type SigningAlgorithmSpec,
} from '@aws-sdk/client-kms';
import type { Harness } from './harness.js';

export const message = Buffer.from('Trent signs this message for an independent verifier.');

export function signer(harness: () => Harness) {
  const keys = new Map<string, { keyId: string; spki: Buffer }>();

  async function signingKey(spec: KeySpec): Promise<{ keyId: string; spki: Buffer }> {
    const known = keys.get(spec);
    if (known) return known;
    const created = await harness().kms.send(
      new CreateKeyCommand({ KeySpec: spec, KeyUsage: 'SIGN_VERIFY' }),
    );
    const keyId = created.KeyMetadata!.KeyId!;
    const pub = await harness().kms.send(new GetPublicKeyCommand({ KeyId: keyId }));
    const entry = { keyId, spki: Buffer.from(pub.PublicKey!) };
    keys.set(spec, entry);
    return entry;
  }

  async function trentSign(
    spec: KeySpec,
    algorithm: SigningAlgorithmSpec,
    msg: Buffer,
    type: MessageType,
  ) {
    const { keyId, spki } = await signingKey(spec);
    const out = await harness().kms.send(
      new SignCommand({
        KeyId: keyId,
        Message: msg,
        MessageType: type,
        SigningAlgorithm: algorithm,
      }),
    );
    expect(out.SigningAlgorithm).toBe(algorithm);
    const signature = Buffer.from(out.Signature!);
    const verified = await harness().kms.send(
      new VerifyCommand({
        KeyId: keyId,
        Message: msg,
        MessageType: type,
        SigningAlgorithm: algorithm,
        Signature: signature,
      }),
    );
    expect(verified.SignatureValid).toBe(true);
    return { keyId, spki, signature };
  }

  return { signingKey, trentSign };
}
