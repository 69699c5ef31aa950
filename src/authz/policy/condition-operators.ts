// The IAM condition operators: each compiles its policy values into one test of a request value.
// Never decides a whole condition (missing keys, IfExists and set operators live in condition.ts).
import { BlockList, isIPv4, isIPv6 } from 'node:net';
import { compileArnPattern, compileWildcard, type StringTest } from './wildcard.js';

export interface OperatorSpec {
  /** True for the NotEquals/NotLike/NotIpAddress forms: the request value must match no policy value. */
  readonly negated: boolean;
  /** Returns a test that is true when a request value matches any of the policy values, or a reason. */
  compile(values: readonly string[]): StringTest | string;
}

function anyOf(tests: readonly StringTest[]): StringTest {
  if (tests.length === 1) return tests[0] ?? (() => false);
  return (v) => tests.some((t) => t(v));
}

const stringEquals = (values: readonly string[]): StringTest => {
  const set = new Set(values);
  return (v) => set.has(v);
};
const stringEqualsIgnoreCase = (values: readonly string[]): StringTest => {
  const set = new Set(values.map((x) => x.toLowerCase()));
  return (v) => set.has(v.toLowerCase());
};
const stringLike = (values: readonly string[]): StringTest =>
  anyOf(values.map((x) => compileWildcard(x, false)));
const arnLike = (values: readonly string[]): StringTest => anyOf(values.map(compileArnPattern));

function numeric(compare: (a: number, b: number) => boolean) {
  return (values: readonly string[]): StringTest | string => {
    const numbers = values.map(Number);
    if (numbers.some((n, i) => Number.isNaN(n) || (values[i] ?? '').trim() === ''))
      return 'a numeric condition has a value that is not a number';
    return (v) => {
      const n = v.trim() === '' ? NaN : Number(v);
      return !Number.isNaN(n) && numbers.some((p) => compare(n, p));
    };
  };
}

/** ISO 8601 dates or epoch seconds, as IAM accepts. */
export function parseDate(value: string): number {
  if (/^\d+$/.test(value)) return Number(value) * 1000;
  return Date.parse(value);
}

function date(compare: (a: number, b: number) => boolean) {
  return (values: readonly string[]): StringTest | string => {
    const dates = values.map(parseDate);
    if (dates.some(Number.isNaN)) return 'a date condition has a value that is not a date';
    return (v) => {
      const t = parseDate(v);
      return !Number.isNaN(t) && dates.some((p) => compare(t, p));
    };
  };
}

function bool(values: readonly string[]): StringTest | string {
  const wanted = values.map((x) => x.toLowerCase());
  if (wanted.some((x) => x !== 'true' && x !== 'false'))
    return 'a Bool condition has a value that is not true or false';
  return (v) => wanted.includes(v.toLowerCase());
}

function ipAddress(values: readonly string[]): StringTest | string {
  const list = new BlockList();
  for (const value of values) {
    const [address = '', prefixText] = value.split('/');
    const type = isIPv4(address) ? 'ipv4' : isIPv6(address) ? 'ipv6' : undefined;
    const max = type === 'ipv4' ? 32 : 128;
    const prefix = prefixText === undefined ? max : Number(prefixText);
    if (!type || !Number.isInteger(prefix) || prefix < 0 || prefix > max)
      return `${value} is not an IP address or CIDR block`;
    list.addSubnet(address, prefix, type);
  }
  return (v) => {
    const address = v.startsWith('::ffff:') && isIPv4(v.slice(7)) ? v.slice(7) : v;
    if (isIPv4(address)) return list.check(address, 'ipv4');
    return isIPv6(address) && list.check(address, 'ipv6');
  };
}

const lt = (a: number, b: number) => a < b;
const le = (a: number, b: number) => a <= b;
const gt = (a: number, b: number) => a > b;
const ge = (a: number, b: number) => a >= b;
const eq = (a: number, b: number) => a === b;

function op(compile: OperatorSpec['compile'], negated = false): OperatorSpec {
  return { compile, negated };
}

/** Base operators by name (without ForAnyValue:/ForAllValues: and IfExists). Null is handled apart. */
export const conditionOperators: ReadonlyMap<string, OperatorSpec> = new Map([
  ['StringEquals', op(stringEquals)],
  ['StringNotEquals', op(stringEquals, true)],
  ['StringEqualsIgnoreCase', op(stringEqualsIgnoreCase)],
  ['StringNotEqualsIgnoreCase', op(stringEqualsIgnoreCase, true)],
  ['StringLike', op(stringLike)],
  ['StringNotLike', op(stringLike, true)],
  ['NumericEquals', op(numeric(eq))],
  ['NumericNotEquals', op(numeric(eq), true)],
  ['NumericLessThan', op(numeric(lt))],
  ['NumericLessThanEquals', op(numeric(le))],
  ['NumericGreaterThan', op(numeric(gt))],
  ['NumericGreaterThanEquals', op(numeric(ge))],
  ['DateEquals', op(date(eq))],
  ['DateNotEquals', op(date(eq), true)],
  ['DateLessThan', op(date(lt))],
  ['DateLessThanEquals', op(date(le))],
  ['DateGreaterThan', op(date(gt))],
  ['DateGreaterThanEquals', op(date(ge))],
  ['Bool', op(bool)],
  ['BinaryEquals', op(stringEquals)],
  ['ArnEquals', op(arnLike)],
  ['ArnLike', op(arnLike)],
  ['ArnNotEquals', op(arnLike, true)],
  ['ArnNotLike', op(arnLike, true)],
  ['IpAddress', op(ipAddress)],
  ['NotIpAddress', op(ipAddress, true)],
]);
