// ReEncrypt through grants: ReEncryptFrom on the source key is checked against the source encryption
// context, ReEncryptTo on the destination key against the destination context.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startInProcess, type InProcessTrent } from '../../../test/fakes/in-process-trent.js';

const ADMIN = 'arn:aws:iam::111122223333:user/admin';
const APP = 'arn:aws:iam::111122223333:role/app';

let t: InProcessTrent;
let source: string;
let destination: string;
let blob: string;

beforeEach(async () => {
  t = await startInProcess([{ effect: 'Allow', principal: ADMIN, action: 'kms:*' }]);
  const keyOf = async () =>
    ((await t.call(ADMIN, 'CreateKey', {})).json.KeyMetadata as { KeyId: string }).KeyId;
  source = await keyOf();
  destination = await keyOf();
  const sealed = await t.call(ADMIN, 'Encrypt', {
    KeyId: source,
    Plaintext: Buffer.from('moving').toString('base64'),
    EncryptionContext: { stage: 'old' },
  });
  blob = sealed.json.CiphertextBlob as string;
  await t.call(ADMIN, 'CreateGrant', {
    KeyId: source,
    GranteePrincipal: APP,
    Operations: ['ReEncryptFrom'],
    Constraints: { EncryptionContextEquals: { stage: 'old' } },
  });
  await t.call(ADMIN, 'CreateGrant', {
    KeyId: destination,
    GranteePrincipal: APP,
    Operations: ['ReEncryptTo'],
    Constraints: { EncryptionContextSubset: { stage: 'new' } },
  });
});
afterEach(async () => {
  await t.close();
});

function reEncrypt(destinationContext: Record<string, string>) {
  return t.call(APP, 'ReEncrypt', {
    CiphertextBlob: blob,
    SourceEncryptionContext: { stage: 'old' },
    DestinationKeyId: destination,
    DestinationEncryptionContext: destinationContext,
  });
}

describe('ReEncrypt allowed by grants', () => {
  it('moves a ciphertext when both grants and their constraints allow it', async () => {
    const res = await reEncrypt({ stage: 'new', batch: '7' });
    expect(res.status).toBe(200);
    const opened = await t.call(ADMIN, 'Decrypt', {
      CiphertextBlob: res.json.CiphertextBlob,
      EncryptionContext: { stage: 'new', batch: '7' },
    });
    expect(Buffer.from(opened.json.Plaintext as string, 'base64').toString()).toBe('moving');
  });

  it('refuses when the destination context breaks the destination grant', async () => {
    const res = await reEncrypt({ stage: 'other' });
    expect(res.json.__type).toBe('AccessDeniedException');
  });

  it('refuses Decrypt, which neither grant allows', async () => {
    const res = await t.call(APP, 'Decrypt', {
      CiphertextBlob: blob,
      EncryptionContext: { stage: 'old' },
    });
    expect(res.json.__type).toBe('AccessDeniedException');
  });
});
