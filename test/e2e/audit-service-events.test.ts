import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  EnableKeyRotationCommand,
  ScheduleKeyDeletionCommand,
} from '@aws-sdk/client-kms';
import type { AuditEvent } from '../../src/audit/audit-event.js';
import { verifyAuditChain } from '../../src/audit/verify-chain.js';
import { FakeClock } from '../fakes/fake-clock.js';
import { startHarness, type Harness } from './harness.js';

const DAY_MS = 24 * 60 * 60 * 1000;
const clock = new FakeClock();
let h: Harness;
beforeAll(async () => {
  h = await startHarness({}, clock);
});
afterAll(async () => {
  await h.stop();
});

async function serviceEventsOf(keyArn: string): Promise<AuditEvent[]> {
  await h.trent.audit.flush();
  const rows = await h.trent.auditStore.query({ key: keyArn });
  return rows
    .map((r) => JSON.parse(r.event) as AuditEvent)
    .filter((e) => e.eventType === 'AwsServiceEvent');
}

describe('audit of scheduled changes', () => {
  it('records the destruction of a key at the end of its waiting period as a DeleteKey service event', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    const arn = KeyMetadata!.Arn!;
    await h.kms.send(
      new ScheduleKeyDeletionCommand({ KeyId: KeyMetadata!.KeyId, PendingWindowInDays: 7 }),
    );
    expect(await serviceEventsOf(arn)).toEqual([]);
    clock.advance(7 * DAY_MS);
    const destroyedAt = clock.now();
    expect((await h.trent.scheduler.runDue()).deleted).toContain(KeyMetadata!.KeyId);
    const events = await serviceEventsOf(arn);
    expect(events).toHaveLength(1);
    expect(events[0]).toMatchObject({
      eventName: 'DeleteKey',
      eventTime: new Date(destroyedAt).toISOString(),
      userIdentity: { type: 'AWSService', accountId: '111122223333' },
      resources: [{ ARN: arn, type: 'AWS::KMS::Key', accountId: '111122223333' }],
      errorCode: null,
      readOnly: false,
    });
  });

  it('records a scheduled rotation as a RotateKey service event, in the same chain', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({}));
    await h.kms.send(
      new EnableKeyRotationCommand({ KeyId: KeyMetadata!.KeyId, RotationPeriodInDays: 90 }),
    );
    clock.advance(90 * DAY_MS);
    await h.trent.scheduler.runDue();
    const events = await serviceEventsOf(KeyMetadata!.Arn!);
    expect(events.map((e) => e.eventName)).toEqual(['RotateKey']);
    expect((await verifyAuditChain(h.trent.auditStore)).broken).toBeUndefined();
  });
});
