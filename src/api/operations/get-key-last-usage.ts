// GetKeyLastUsage: the key's last successful cryptographic use (key id or key ARN only, every state).
// Trent tracks usage from the moment a key is created, so TrackingStartDate is the creation date.
// The usage is noted by the pipeline from the request's audit record, so CloudTrailEventId names it.
import { auditEventId } from '../../audit/audit-event.js';
import { resolveUsableKey } from '../../keys/resolve.js';
import { defineOperation, epochSeconds, type WireObject } from '../services.js';

interface GetKeyLastUsageInput {
  KeyId: string;
}

export const getKeyLastUsage = defineOperation<GetKeyLastUsageInput>(
  'GetKeyLastUsage',
  async (input, { caller, services }) => {
    const key = resolveUsableKey(services, {
      ref: input.KeyId,
      caller,
      action: 'kms:GetKeyLastUsage',
      rule: 'any',
      allowAlias: false,
    });
    const usage = await services.keyring.latestUsage(key.row.keyId);
    const lastUsage: WireObject = {};
    if (usage) {
      lastUsage.Operation = usage.operation;
      lastUsage.Timestamp = epochSeconds(usage.at);
      lastUsage.CloudTrailEventId = auditEventId(usage.requestId);
      lastUsage.KmsRequestId = usage.requestId;
    }
    return {
      KeyId: key.row.keyId,
      KeyLastUsage: lastUsage,
      TrackingStartDate: epochSeconds(key.row.createdAt),
      KeyCreationDate: epochSeconds(key.row.createdAt),
    };
  },
);
