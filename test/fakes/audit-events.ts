// Audit events for tests: well-formed, distinct, with a controllable time.
import type { AuditEvent } from '../../src/audit/audit-event.js';

export function sampleAuditEvent(n: number, timeMs = Date.UTC(2026, 0, 1) + n * 1000): AuditEvent {
  const keyArn = `arn:aws:kms:us-east-1:111122223333:key/00000000-0000-4000-8000-${String(n).padStart(12, '0')}`;
  return {
    eventVersion: '1.11',
    eventTime: new Date(timeMs).toISOString(),
    eventSource: 'kms.amazonaws.com',
    eventName: n % 2 === 0 ? 'Encrypt' : 'DescribeKey',
    awsRegion: 'us-east-1',
    sourceIPAddress: '127.0.0.1',
    userAgent: 'test',
    requestID: `request-${String(n)}`,
    eventID: `event-${String(n)}`,
    eventType: 'AwsApiCall',
    userIdentity: {
      type: 'Root',
      principalId: '111122223333',
      arn: 'arn:aws:iam::111122223333:root',
      accountId: '111122223333',
      accessKeyId: null,
    },
    requestParameters: { keyId: keyArn, encryptionContext: { n: String(n) } },
    responseElements: null,
    errorCode: n % 3 === 0 ? 'NotFoundException' : null,
    errorMessage: n % 3 === 0 ? 'not found' : null,
    resources: [{ ARN: keyArn, type: 'AWS::KMS::Key', accountId: '111122223333' }],
    readOnly: true,
    managementEvent: true,
    eventCategory: 'Management',
    recipientAccountId: '111122223333',
  };
}

export const silentAuditLogger = {
  lines: [] as string[],
  error(obj: object, msg: string) {
    this.lines.push(`error ${msg} ${JSON.stringify(obj)}`);
  },
  warn(obj: object, msg: string) {
    this.lines.push(`warn ${msg} ${JSON.stringify(obj)}`);
  },
  info(obj: object, msg: string) {
    this.lines.push(`info ${msg} ${JSON.stringify(obj)}`);
  },
};
