// Audit records of what Trent does on its own, with no request behind it: a key destroyed when its
// waiting period ends, key material rotated on schedule (CloudTrail's DeleteKey and RotateKey events).
import { randomUUID } from 'node:crypto';
import { auditEventId, EVENT_VERSION, type AuditEvent } from './audit-event.js';

export interface ServiceChange {
  readonly eventName: string;
  readonly keyArn: string;
  readonly keyId: string;
  readonly accountId: string;
  readonly region: string;
  readonly at: number;
}

export function serviceEvent(change: ServiceChange): AuditEvent {
  const requestId = randomUUID();
  // Members in canonical (sorted) order, as the hash chain writes them.
  return {
    awsRegion: change.region,
    errorCode: null,
    errorMessage: null,
    eventCategory: 'Management',
    eventID: auditEventId(requestId),
    eventName: change.eventName,
    eventSource: 'kms.amazonaws.com',
    eventTime: new Date(change.at).toISOString(),
    eventType: 'AwsServiceEvent',
    eventVersion: EVENT_VERSION,
    managementEvent: true,
    readOnly: false,
    recipientAccountId: change.accountId,
    requestID: requestId,
    requestParameters: { keyId: change.keyId },
    resources: [{ ARN: change.keyArn, accountId: change.accountId, type: 'AWS::KMS::Key' }],
    responseElements: null,
    sourceIPAddress: 'kms.amazonaws.com',
    userAgent: 'kms.amazonaws.com',
    userIdentity: {
      accessKeyId: null,
      accountId: change.accountId,
      arn: null,
      principalId: null,
      type: 'AWSService',
    },
  };
}
