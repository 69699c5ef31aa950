import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  DecryptCommand,
  EncryptCommand,
  GetKeyLastUsageCommand,
  ReEncryptCommand,
} from '@aws-sdk/client-kms';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { startHarness, type Harness } from './harness.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

async function recordOf(requestId: string): Promise<AuditEvent> {
  await h.trent.audit.flush();
  const events = (await h.trent.auditStore.query({})).map((r) => JSON.parse(r.event) as AuditEvent);
  return events.find((e) => e.requestID === requestId)!;
}

async function createKey(): Promise<string> {
  return (await h.kms.send(new CreateKeyCommand({}))).KeyMetadata!.KeyId!;
}

describe('GetKeyLastUsage answers from the audited request', () => {
  it('names the audit record of the last use: operation, time, eventID and request id', async () => {
    const keyId = await createKey();
    const enc = await h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x') }));
    const dec = await h.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    const event = await recordOf(dec.$metadata.requestId!);
    const { KeyLastUsage } = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
    expect(KeyLastUsage).toEqual({
      Operation: 'Decrypt',
      Timestamp: new Date(event.eventTime),
      CloudTrailEventId: event.eventID,
      KmsRequestId: event.requestID,
    });
  });

  it('counts ReEncrypt as a use of both keys', async () => {
    const source = await createKey();
    const destination = await createKey();
    const enc = await h.kms.send(
      new EncryptCommand({ KeyId: source, Plaintext: Buffer.from('x') }),
    );
    const re = await h.kms.send(
      new ReEncryptCommand({ CiphertextBlob: enc.CiphertextBlob, DestinationKeyId: destination }),
    );
    const event = await recordOf(re.$metadata.requestId!);
    expect(event.resources).toHaveLength(2);
    for (const keyId of [source, destination]) {
      const { KeyLastUsage } = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
      expect(KeyLastUsage?.CloudTrailEventId).toBe(event.eventID);
    }
  });

  it('does not count a failed use', async () => {
    const keyId = await createKey();
    await expect(
      h.kms.send(new EncryptCommand({ KeyId: keyId, Plaintext: Buffer.from('x'), DryRun: true })),
    ).rejects.toThrow();
    const { KeyLastUsage } = await h.kms.send(new GetKeyLastUsageCommand({ KeyId: keyId }));
    expect(KeyLastUsage?.CloudTrailEventId).toBeUndefined();
  });
});
