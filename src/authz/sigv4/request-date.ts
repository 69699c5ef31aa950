// The request time of a SigV4 request (X-Amz-Date, or the HTTP Date header when X-Amz-Date is
// absent) and the 5-minute clock-skew window AWS allows around the server's clock.
import { incompleteSignature, invalidSignature } from './errors.js';

export const MAX_SKEW_MS = 5 * 60 * 1000;
const AMZ_DATE = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/;

export interface RequestDate {
  /** The time as YYYYMMDDTHHMMSSZ, the form the string to sign uses. */
  readonly amzDate: string;
  readonly epochMs: number;
}

export function formatAmzDate(epochMs: number): string {
  return new Date(epochMs)
    .toISOString()
    .replace(/[-:]/g, '')
    .replace(/\.\d{3}/, '');
}

export function parseRequestDate(
  amzDateHeader: string | undefined,
  dateHeader: string | undefined,
): RequestDate {
  if (amzDateHeader !== undefined) {
    const amzDate = amzDateHeader.trim();
    const m = AMZ_DATE.exec(amzDate);
    const [, y = '', mo = '', d = '', h = '', mi = '', se = ''] = m ?? [];
    const epochMs = m ? Date.UTC(+y, +mo - 1, +d, +h, +mi, +se) : Number.NaN;
    // Date.UTC rolls over out-of-range fields (month 13, 30 February): such a date is malformed.
    const isExact =
      Number.isFinite(epochMs) &&
      +h < 24 &&
      +mi < 60 &&
      +se < 60 &&
      new Date(epochMs).getUTCDate() === +d &&
      new Date(epochMs).getUTCMonth() === +mo - 1;
    if (!isExact) {
      throw incompleteSignature(
        `Date must be in ISO-8601 'basic format'. Got '${amzDateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    return { amzDate, epochMs };
  }
  const epochMs = dateHeader === undefined ? Number.NaN : Date.parse(dateHeader);
  if (!Number.isFinite(epochMs)) {
    throw incompleteSignature(
      `Date must be in ISO-8601 'basic format'. Got '${dateHeader ?? ''}'. See http://en.wikipedia.org/wiki/ISO_8601`,
    );
  }
  return { amzDate: formatAmzDate(epochMs), epochMs };
}

/** Precondition: the request must be dated within 5 minutes of the server clock. */
export function checkClockSkew(date: RequestDate, nowMs: number): void {
  if (date.epochMs < nowMs - MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature expired: ${date.amzDate} is now earlier than ${formatAmzDate(nowMs - MAX_SKEW_MS)} (${formatAmzDate(nowMs)} - 5 min.)`,
    );
  }
  if (date.epochMs > nowMs + MAX_SKEW_MS) {
    throw invalidSignature(
      `Signature not yet current: ${date.amzDate} is still later than ${formatAmzDate(nowMs + MAX_SKEW_MS)} (${formatAmzDate(nowMs)} + 5 min.)`,
    );
  }
}
