// How audit entries cross to the audit host: a batch packed into one string, so that no channel
// serialises an object per entry or escapes and parses the quotes of each canonical text (a pipe
// carries it as raw UTF-8, a MessagePort copies it). It never trusts a packed batch: every length is
// bounded by the text.
import type { AuditEntry } from './hash-chain.js';

// One entry is its header, then its fields' text back to back:
//   <eventTime>,<eventId>,<eventName>,<principalArn>,<keyArns>,<errorCode>,<event>,<requestId>;
// where eventTime is a decimal integer and each other member is its field's length in UTF-16 code
// units, left empty for a null field (principalArn and errorCode may be null). Lengths in code units
// make cutting the text apart exact for any string, whatever characters it holds.

const COMMA = 0x2c;
const SEMICOLON = 0x3b;
const MINUS = 0x2d;
const ZERO = 0x30;
const NINE = 0x39;
/** More digits than any length a string can have. */
const MAX_LENGTH_DIGITS = 10;
/** Number.MAX_SAFE_INTEGER has 16 digits. */
const MAX_TIME_DIGITS = 16;

/**
 * The packed text of `entry`: batches are these texts concatenated. Undefined when the entry has no
 * packed form: its eventTime is not a safe integer (Date.parse gives only those) or a field is not a
 * string (or null where that is allowed).
 */
export function packedEntry(entry: AuditEntry): string | undefined {
  const { eventTime, eventId, eventName, principalArn, keyArns, errorCode, event, requestId } =
    entry as { readonly [K in keyof AuditEntry]: unknown };
  if (
    !Number.isSafeInteger(eventTime) ||
    typeof eventId !== 'string' ||
    typeof eventName !== 'string' ||
    (principalArn !== null && typeof principalArn !== 'string') ||
    typeof keyArns !== 'string' ||
    (errorCode !== null && typeof errorCode !== 'string') ||
    typeof event !== 'string' ||
    typeof requestId !== 'string'
  ) {
    return undefined;
  }
  const principal = principalArn ?? '';
  const error = errorCode ?? '';
  return (
    `${String(eventTime)},${String(eventId.length)},${String(eventName.length)},` +
    `${principalArn === null ? '' : String(principal.length)},${String(keyArns.length)},` +
    `${errorCode === null ? '' : String(error.length)},${String(event.length)},` +
    `${String(requestId.length)};${eventId}${eventName}${principal}${keyArns}${error}${event}${requestId}`
  );
}

/** Reads a packed batch from its start: each call reads the next part and moves past it. */
class PackedReader {
  readonly #text: string;
  #at = 0;

  constructor(text: string) {
    this.#text = text;
  }

  get isAtEnd(): boolean {
    return this.#at === this.#text.length;
  }

  /** The decimal integer up to `end` (a comma or semicolon), else undefined. */
  time(end: number): number | undefined {
    const negative = this.#text.charCodeAt(this.#at) === MINUS;
    if (negative) this.#at += 1;
    const value = this.#unsigned(end, MAX_TIME_DIGITS);
    if (value === undefined || value < 0 || value > Number.MAX_SAFE_INTEGER) return undefined;
    // 0 - value, not -value: "-0" reads as 0, the only zero the packer writes.
    return negative ? 0 - value : value;
  }

  /** A length up to `end`: its value, -1 if empty (a null field), or undefined if malformed. */
  length(end: number): number | undefined {
    return this.#unsigned(end, MAX_LENGTH_DIGITS);
  }

  /**
   * At most `maxDigits` decimal digits, then `end`: their value, -1 if there are none, or undefined
   * (and the reader stays where it was) when `end` does not follow.
   */
  #unsigned(end: number, maxDigits: number): number | undefined {
    const text = this.#text;
    const start = this.#at;
    const limit = start + maxDigits;
    let at = start;
    let value = 0;
    let c = text.charCodeAt(at);
    while (c >= ZERO && c <= NINE && at < limit) {
      value = value * 10 + (c - ZERO);
      at += 1;
      c = text.charCodeAt(at);
    }
    if (c !== end) return undefined;
    this.#at = at + 1;
    return at === start ? -1 : value;
  }

  /** The next `length` code units, or undefined when the text is shorter. */
  take(length: number): string | undefined {
    const start = this.#at;
    if (length > this.#text.length - start) return undefined;
    this.#at = start + length;
    return this.#text.slice(start, this.#at);
  }
}

/**
 * The entries of a packed batch, in order; undefined unless `packed` is exactly `count` well-formed
 * entries. A field is a slice of `packed`, so the batch's text stays in memory while any entry does.
 * Whether a text is its event's canonical form is the writer's trust in its own proxies; `trent audit
 * verify` rechecks the index columns against the text.
 */
export function unpackEntries(packed: string, count: number): AuditEntry[] | undefined {
  const reader = new PackedReader(packed);
  const entries: AuditEntry[] = [];
  while (!reader.isAtEnd) {
    if (entries.length === count) return undefined;
    const eventTime = reader.time(COMMA);
    if (eventTime === undefined) return undefined;
    const idLength = reader.length(COMMA);
    const nameLength = reader.length(COMMA);
    const principalLength = reader.length(COMMA);
    const keyArnsLength = reader.length(COMMA);
    const errorLength = reader.length(COMMA);
    const eventLength = reader.length(COMMA);
    const requestIdLength = reader.length(SEMICOLON);
    // Precondition: only principalArn and errorCode may be null (an empty length).
    if (
      idLength === undefined ||
      idLength < 0 ||
      nameLength === undefined ||
      nameLength < 0 ||
      principalLength === undefined ||
      keyArnsLength === undefined ||
      keyArnsLength < 0 ||
      errorLength === undefined ||
      eventLength === undefined ||
      eventLength < 0 ||
      requestIdLength === undefined ||
      requestIdLength < 0
    ) {
      return undefined;
    }
    const eventId = reader.take(idLength);
    const eventName = reader.take(nameLength);
    const principalArn = principalLength < 0 ? null : reader.take(principalLength);
    const keyArns = reader.take(keyArnsLength);
    const errorCode = errorLength < 0 ? null : reader.take(errorLength);
    const event = reader.take(eventLength);
    const requestId = reader.take(requestIdLength);
    if (
      eventId === undefined ||
      eventName === undefined ||
      principalArn === undefined ||
      keyArns === undefined ||
      errorCode === undefined ||
      event === undefined ||
      requestId === undefined
    ) {
      return undefined;
    }
    // Members in the order auditEntryOf gives them, so that every entry has one shape.
    entries.push({
      eventTime,
      eventId,
      eventName,
      principalArn,
      keyArns,
      errorCode,
      event,
      requestId,
    });
  }
  return entries.length === count ? entries : undefined;
}
