import { createHash, randomUUID } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { accountRoot, type Caller } from '../authz/principal.js';
import { auditEventId, auditEventTime, userIdentityOf } from './audit-event.js';

describe('userIdentityOf', () => {
  it("describes a caller as CloudTrail's userIdentity", () => {
    const user: Caller = {
      accountId: '111122223333',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accessKeyId: 'AKIAEXAMPLE',
      userId: 'AIDAEXAMPLE',
    };
    expect(userIdentityOf(user)).toEqual({
      type: 'IAMUser',
      principalId: 'AIDAEXAMPLE',
      arn: 'arn:aws:iam::111122223333:user/alice',
      accountId: '111122223333',
      accessKeyId: 'AKIAEXAMPLE',
    });
    expect(userIdentityOf(accountRoot('aws', '111122223333'))).toMatchObject({
      type: 'Root',
      principalId: '111122223333',
      accessKeyId: null,
    });
  });

  it('works a caller out once and shares that identity, frozen, between its events', () => {
    const caller = accountRoot('aws', '444455556666');
    const first = userIdentityOf(caller);
    expect(userIdentityOf(caller)).toBe(first);
    expect(Object.isFrozen(first)).toBe(true);
    // Another caller object (another credential, or the same one reloaded) gets its own identity.
    const again = userIdentityOf({ ...caller, accessKeyId: 'AKIAOTHER' });
    expect(again).not.toBe(first);
    expect(again.accessKeyId).toBe('AKIAOTHER');
  });
});

describe('auditEventTime', () => {
  it('writes exactly what toISOString writes, across seconds, years and the edges', () => {
    const times = [0, 1, 9, 10, 99, 100, 999, 1000, 1001, 86_399_999, 951_782_400_000];
    let t = 1_764_446_400_000;
    for (let i = 0; i < 5_000; i++) {
      t += (i * 7919) % 1500;
      times.push(t);
    }
    times.push(253_402_300_799_999, 253_402_300_800_000, -1, -62_198_755_200_000, 1.5, 1e15);
    for (const ms of times)
      expect([ms, auditEventTime(ms)]).toEqual([ms, new Date(ms).toISOString()]);
  });
});

describe('auditEventId', () => {
  // The definition every stored record's eventID was made by: bytes of the digest, then the UUID text.
  function referenceEventId(requestId: string): string {
    const h = createHash('sha256').update(`trent-audit-event-id:${requestId}`).digest();
    h[6] = ((h[6] ?? 0) & 0x0f) | 0x40;
    h[8] = ((h[8] ?? 0) & 0x3f) | 0x80;
    const x = h.subarray(0, 16).toString('hex');
    return `${x.slice(0, 8)}-${x.slice(8, 12)}-${x.slice(12, 16)}-${x.slice(16, 20)}-${x.slice(20)}`;
  }

  it('gives the same id as the byte-wise definition for 5,000 request ids', () => {
    for (let i = 0; i < 5000; i++) {
      const requestId = i % 2 === 0 ? randomUUID() : `request-${String(i)}-é`;
      expect(auditEventId(requestId)).toBe(referenceEventId(requestId));
    }
  });

  it('is shaped like a version-4 UUID', () => {
    expect(auditEventId('r')).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
  });
});
