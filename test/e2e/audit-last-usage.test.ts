import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CreateKeyCommand, DecryptCommand, EncryptCommand } from '@aws-sdk/client-kms';
import { auditEventId, type AuditEvent } from '../../src/audit/audit-event.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

describe('key last usage agrees with the audit trail', () => {
  it('notes the operation, time and request id of the audited request, whose eventID follows from it', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    const enc = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    await h.trent.audit.flush();
    const rows = await h.trent.auditStore.query({ key: keyId, eventName: 'Decrypt' });
    const event = JSON.parse(rows[0]!.event) as AuditEvent;
    const usage = h.trent.services.keyring.lastUsage(keyId)!;
    expect(usage).toEqual({
      keyId,
      operation: 'Decrypt',
      at: Date.parse(event.eventTime),
      requestId: dec.$metadata.requestId,
    });
    expect(event.requestID).toBe(usage.requestId);
    expect(event.eventID).toBe(auditEventId(usage.requestId));
  });

  it('does not note a failed use', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const keyId = KeyMetadata!.KeyId!;
    await expect(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), DryRun: true })),
    ).rejects.toThrow();
    expect(h.trent.services.keyring.lastUsage(keyId)).toBeUndefined();
  });
});
