import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  CreateKeyCommand,
  GetKeyPolicyCommand,
  ListKeyPoliciesCommand,
  PutKeyPolicyCommand,
  ScheduleKeyDeletionCommand,
  DisableKeyCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';
import { createTestKey, expectAwsError, keyForms } from './key-fixtures.js';

let h: Harness;
beforeAll(async () => {
  h = await startHarness();
});
afterAll(async () => {
  await h.stop();
});

const DEFAULT_POLICY = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::111122223333:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`;

const CUSTOM_POLICY = JSON.stringify({
  Version: '2012-10-17',
  Statement: [
    {
      Sid: 'Root',
      Effect: 'Allow',
      Principal: { AWS: 'arn:aws:iam::111122223333:root' },
      Action: 'kms:*',
      Resource: '*',
    },
  ],
});

describe('GetKeyPolicy', () => {
  it('returns the default policy of a new key byte for byte', async () => {
    const key = await createTestKey(h.kms);
    const out = await h.kms.send(new GetKeyPolicyCommand({ KeyId: key.keyId }));
    expect(out.Policy).toBe(DEFAULT_POLICY);
    expect(out.PolicyName).toBe('default');
  });

  it('returns the policy given at creation, by key ARN and with PolicyName default', async () => {
    const { KeyMetadata } = await h.kms.send(new CreateKeyCommand({ Policy: CUSTOM_POLICY }));
    const out = await h.kms.send(
      new GetKeyPolicyCommand({ KeyId: KeyMetadata!.Arn, PolicyName: 'default' }),
    );
    expect(out.Policy).toBe(CUSTOM_POLICY);
  });

  it('answers NotFoundException for another policy name, an alias or an unknown key', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'policy-get');
    await expectAwsError(
      h.kms.send(new GetKeyPolicyCommand({ KeyId: forms.keyId, PolicyName: 'other' })),
      'NotFoundException',
    );
    for (const ref of [forms.aliasName, forms.aliasArn, '11111111-2222-3333-4444-555555555555']) {
      await expectAwsError(
        h.kms.send(new GetKeyPolicyCommand({ KeyId: ref })),
        'NotFoundException',
      );
    }
  });

  it('works in every key state', async () => {
    const disabled = await createTestKey(h.kms);
    await h.kms.send(new DisableKeyCommand({ KeyId: disabled.keyId }));
    const pending = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: pending.keyId }));
    for (const key of [disabled, pending]) {
      const out = await h.kms.send(new GetKeyPolicyCommand({ KeyId: key.keyId }));
      expect(out.Policy).toBe(DEFAULT_POLICY);
    }
  });
});

describe('PutKeyPolicy', () => {
  it('replaces the policy, by key id and by key ARN', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new PutKeyPolicyCommand({ KeyId: key.keyId, Policy: CUSTOM_POLICY }));
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: key.keyId }))).Policy).toBe(
      CUSTOM_POLICY,
    );
    await h.kms.send(
      new PutKeyPolicyCommand({ KeyId: key.arn, Policy: DEFAULT_POLICY, PolicyName: 'default' }),
    );
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: key.keyId }))).Policy).toBe(
      DEFAULT_POLICY,
    );
  });

  it('accepts a new policy on a key pending deletion', async () => {
    const key = await createTestKey(h.kms);
    await h.kms.send(new ScheduleKeyDeletionCommand({ KeyId: key.keyId }));
    await h.kms.send(new PutKeyPolicyCommand({ KeyId: key.keyId, Policy: CUSTOM_POLICY }));
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: key.keyId }))).Policy).toBe(
      CUSTOM_POLICY,
    );
  });

  it('rejects a malformed policy with MalformedPolicyDocumentException and keeps the old one', async () => {
    const key = await createTestKey(h.kms);
    await expectAwsError(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: key.keyId, Policy: '{not json' })),
      'MalformedPolicyDocumentException',
    );
    expect((await h.kms.send(new GetKeyPolicyCommand({ KeyId: key.keyId }))).Policy).toBe(
      DEFAULT_POLICY,
    );
  });

  it('rejects a policy over 32 KB with LimitExceededException', async () => {
    const key = await createTestKey(h.kms);
    const big = JSON.stringify({ Statement: [], Padding: 'x'.repeat(33 * 1024) });
    await expectAwsError(
      h.kms.send(new PutKeyPolicyCommand({ KeyId: key.keyId, Policy: big })),
      'LimitExceededException',
    );
  });

  it('refuses other policy names and alias forms with NotFoundException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'policy-put');
    await expectAwsError(
      h.kms.send(
        new PutKeyPolicyCommand({ KeyId: forms.keyId, Policy: CUSTOM_POLICY, PolicyName: 'x' }),
      ),
      'NotFoundException',
    );
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(
        h.kms.send(new PutKeyPolicyCommand({ KeyId: ref, Policy: CUSTOM_POLICY })),
        'NotFoundException',
      );
    }
  });
});

describe('ListKeyPolicies', () => {
  it('lists the one policy name default, by key id and by key ARN', async () => {
    const key = await createTestKey(h.kms);
    for (const ref of [key.keyId, key.arn]) {
      const out = await h.kms.send(new ListKeyPoliciesCommand({ KeyId: ref }));
      expect(out.PolicyNames).toEqual(['default']);
      expect(out.Truncated).toBe(false);
      expect(out.NextMarker).toBeUndefined();
    }
  });

  it('refuses alias forms with NotFoundException and a bad marker with InvalidMarkerException', async () => {
    const forms = await keyForms(h, await createTestKey(h.kms), 'policy-list');
    for (const ref of [forms.aliasName, forms.aliasArn]) {
      await expectAwsError(
        h.kms.send(new ListKeyPoliciesCommand({ KeyId: ref })),
        'NotFoundException',
      );
    }
    await expectAwsError(
      h.kms.send(new ListKeyPoliciesCommand({ KeyId: forms.keyId, Marker: 'bogus' })),
      'InvalidMarkerException',
    );
  });
});
