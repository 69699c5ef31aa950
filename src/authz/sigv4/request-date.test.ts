// The request date of a SigV4 request and the 5-minute clock-skew window.
import { describe, expect, it } from 'vitest';
import { KmsError } from '../../errors.js';
import { checkClockSkew, formatAmzDate, parseRequestDate } from './request-date.js';

function typeOf(f: () => unknown): string {
  try {
    f();
  } catch (err) {
    return (err as KmsError).type;
  }
  return 'none';
}

describe('parseRequestDate', () => {
  it('reads X-Amz-Date in ISO-8601 basic format', () => {
    expect(parseRequestDate('20150830T123600Z', undefined)).toEqual({
      amzDate: '20150830T123600Z',
      epochMs: Date.UTC(2015, 7, 30, 12, 36, 0),
    });
  });

  it('rejects malformed or impossible dates as an incomplete signature', () => {
    for (const bad of [
      '2015-08-30T12:36:00Z',
      '20150830T123600',
      '20150230T123600Z',
      '20151330T000000Z',
      '20150830T246000Z',
    ]) {
      expect(
        typeOf(() => parseRequestDate(bad, undefined)),
        bad,
      ).toBe('IncompleteSignatureException');
    }
  });

  it('falls back to the HTTP Date header', () => {
    expect(parseRequestDate(undefined, 'Sun, 30 Aug 2015 12:36:00 GMT').amzDate).toBe(
      '20150830T123600Z',
    );
    expect(typeOf(() => parseRequestDate(undefined, 'yesterday'))).toBe(
      'IncompleteSignatureException',
    );
  });

  it('formats epoch milliseconds as YYYYMMDDTHHMMSSZ', () => {
    expect(formatAmzDate(Date.UTC(2026, 0, 2, 3, 4, 5, 678))).toBe('20260102T030405Z');
  });
});

describe('checkClockSkew', () => {
  const now = Date.UTC(2026, 0, 1, 12, 0, 0);
  it('accepts exactly 5 minutes either way and refuses one second more', () => {
    const at = (ms: number) => ({ amzDate: formatAmzDate(ms), epochMs: ms });
    expect(
      typeOf(() => {
        checkClockSkew(at(now - 300_000), now);
      }),
    ).toBe('none');
    expect(
      typeOf(() => {
        checkClockSkew(at(now + 300_000), now);
      }),
    ).toBe('none');
    expect(
      typeOf(() => {
        checkClockSkew(at(now - 301_000), now);
      }),
    ).toBe('InvalidSignatureException');
    expect(
      typeOf(() => {
        checkClockSkew(at(now + 301_000), now);
      }),
    ).toBe('InvalidSignatureException');
  });
});
