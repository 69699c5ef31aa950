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
  return {
    eventVersion: EVENT_VERSION,
    eventTime: new Date(change.at).toISOString(),
    eventSource: 'kms.amazonaws.com',
    eventName: change.eventName,
    awsRegion: change.region,
    sourceIPAddress: 'kms.amazonaws.com',
    userAgent: 'kms.amazonaws.com',
    requestID: requestId,
    eventID: auditEventId(requestId),
    eventType: 'AwsServiceEvent',
    userIdentity: {
      type: 'AWSService',
      principalId: null,
      arn: null,
      accountId: change.accountId,
      accessKeyId: null,
    },
    requestParameters: { keyId: change.keyId },
    responseElements: null,
    errorCode: null,
    errorMessage: null,
    resources: [{ ARN: change.keyArn, type: 'AWS::KMS::Key', accountId: change.accountId }],
    readOnly: false,
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: change.accountId,
  };
}
