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

  it('gives the same time and the same errors as the regular-expression reading', () => {
    const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;
    const reference = (header: string): number | string => {
      const m = AMZ_DATE.exec(header.trim());
      const [, y = '', mo = '', d = '', h = '', mi = '', se = ''] = m ?? [];
      const epochMs = m ? Date.UTC(+y, +mo - 1, +d, +h, +mi, +se) : Number.NaN;
      const isExact =
        Number.isFinite(epochMs) &&
        +h < 24 &&
        +mi < 60 &&
        +se < 60 &&
        new Date(epochMs).getUTCDate() === +d &&
        new Date(epochMs).getUTCMonth() === +mo - 1;
      return isExact ? epochMs : 'IncompleteSignatureException';
    };
    const actual = (header: string): number | string => {
      try {
        return parseRequestDate(header, undefined).epochMs;
      } catch (err) {
        expect((err as KmsError).message).toBe(
          `Date must be in ISO-8601 'basic format'. Got '${header}'. See http://en.wikipedia.org/wiki/ISO_8601`,
        );
        return (err as KmsError).type;
      }
    };
    const samples = [
      '',
      '  ',
      '19700101T000000Z',
      ' 20150830T123600Z ',
      '20150830T123600Z\n',
      '2015083OT123600Z',
      '+0150830T123600Z',
    ];
    for (const year of [
      '0000',
      '0050',
      '0099',
      '0100',
      '1900',
      '2000',
      '2023',
      '2024',
      '2100',
      '9999',
    ])
      for (let month = 0; month <= 13; month++)
        for (let day = 0; day <= 32; day++)
          samples.push(
            `${year}${String(month).padStart(2, '0')}${String(day).padStart(2, '0')}T235959Z`,
          );
    const valid = '20240229T123456Z';
    for (let i = 0; i <= valid.length; i++)
      for (const c of ['0', '9', 'T', 'Z', ' ', 'a', '\u0660', ''])
        samples.push(
          valid.slice(0, i) + c + valid.slice(i + 1),
          valid.slice(0, i) + c + valid.slice(i),
        );
    for (const time of [
      '240000',
      '236000',
      '235960',
      '000000',
      '99999',
      '120060',
      '126000',
      '230000',
    ])
      samples.push(`20240229T${time}Z`);
    // Each twice in a row, so that the second reading may come from the last date kept.
    const differing = samples.filter(
      (header) => actual(header) !== reference(header) || actual(header) !== reference(header),
    );
    expect(differing).toEqual([]);
    expect(
      samples.filter((header) => typeof reference(header) === 'number').length,
    ).toBeGreaterThan(1000);
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
