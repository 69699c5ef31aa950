// The request time of a SigV4 request (X-Amz-Date, or the HTTP Date header when X-Amz-Date is
// absent) and the 5-minute clock-skew window AWS allows around the server's clock.
import { incompleteSignature, invalidSignature } from './errors.js';

export const MAX_SKEW_MS = 5 * 60 * 1000;

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

/** The number written by `count` ASCII digits at `start`, or -1 when one of them is not a digit. */
function digitsAt(text: string, start: number, count: number): number {
  let value = 0;
  for (let i = start; i < start + count; i++) {
    const digit = text.charCodeAt(i) - 0x30;
    if (!(digit >= 0 && digit <= 9)) return -1;
    value = value * 10 + digit;
  }
  return value;
}

/** Epoch milliseconds of YYYYMMDDTHHMMSSZ, or NaN unless the text is exactly that form. */
function parseAmzDate(amzDate: string): number {
  if (amzDate.length !== 16 || amzDate[8] !== 'T' || amzDate[15] !== 'Z') return Number.NaN;
  const y = digitsAt(amzDate, 0, 4);
  const mo = digitsAt(amzDate, 4, 2);
  const d = digitsAt(amzDate, 6, 2);
  const h = digitsAt(amzDate, 9, 2);
  const mi = digitsAt(amzDate, 11, 2);
  const se = digitsAt(amzDate, 13, 2);
  if (y < 0 || mo < 0 || d < 0 || h < 0 || mi < 0 || se < 0) return Number.NaN;
  if (h >= 24 || mi >= 60 || se >= 60) return Number.NaN;
  const epochMs = Date.UTC(y, mo - 1, d, h, mi, se);
  // Date.UTC rolls over out-of-range fields (month 13, 30 February): such a date is malformed.
  const exact = new Date(epochMs);
  return exact.getUTCDate() === d && exact.getUTCMonth() === mo - 1 ? epochMs : Number.NaN;
}

// Requests of the same second carry the same X-Amz-Date: the last valid one read is kept.
let lastRead: RequestDate | undefined;

export function parseRequestDate(
  amzDateHeader: string | undefined,
  dateHeader: string | undefined,
): RequestDate {
  if (amzDateHeader !== undefined) {
    const amzDate = amzDateHeader.trim();
    if (lastRead !== undefined && amzDate === lastRead.amzDate) return lastRead;
    const epochMs = parseAmzDate(amzDate);
    if (!Number.isFinite(epochMs)) {
      throw incompleteSignature(
        `Date must be in ISO-8601 'basic format'. Got '${amzDateHeader}'. See http://en.wikipedia.org/wiki/ISO_8601`,
      );
    }
    lastRead = { amzDate, epochMs };
    return lastRead;
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
