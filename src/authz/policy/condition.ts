// Compiles a statement's Condition block into one predicate over the request's condition keys:
// operators AND together, keys AND together, values OR together; missing keys, IfExists, Null and the
// ForAnyValue:/ForAllValues: set operators follow the IAM user guide. Never reads the request itself.
import { conditionOperators } from './condition-operators.js';
import type { StringTest } from './wildcard.js';

/** The request's condition keys. Key names are looked up lower-cased (IAM key names ignore case). */
export interface ConditionContext {
  /** The values of a key, or undefined when the request does not have it (an empty list counts as absent). */
  values(lowerCaseKey: string): readonly string[] | undefined;
}

export type ConditionTest = (context: ConditionContext) => boolean;

export class ConditionSyntaxError extends Error {}

type SetMode = 'any' | 'all' | undefined;

interface ParsedOperator {
  readonly base: string;
  readonly set: SetMode;
  readonly ifExists: boolean;
}

function parseOperator(name: string): ParsedOperator {
  let rest = name;
  let set: SetMode;
  if (rest.startsWith('ForAnyValue:')) {
    set = 'any';
    rest = rest.slice('ForAnyValue:'.length);
  } else if (rest.startsWith('ForAllValues:')) {
    set = 'all';
    rest = rest.slice('ForAllValues:'.length);
  }
  const ifExists = rest.endsWith('IfExists');
  if (ifExists) rest = rest.slice(0, -'IfExists'.length);
  if (rest === 'Null' ? ifExists || set !== undefined : !conditionOperators.has(rest))
    throw new ConditionSyntaxError(`unknown condition operator ${name}`);
  return { base: rest, set, ifExists };
}

function compileNull(key: string, values: readonly string[]): ConditionTest {
  const wanted = values.map((v) => v.toLowerCase());
  if (wanted.some((v) => v !== 'true' && v !== 'false'))
    throw new ConditionSyntaxError('a Null condition has a value that is not true or false');
  const wantAbsent = wanted.includes('true');
  const wantPresent = wanted.includes('false');
  return (ctx) => (ctx.values(key) === undefined ? wantAbsent : wantPresent);
}

function compileClause(operator: ParsedOperator, key: string, values: string[]): ConditionTest {
  if (operator.base === 'Null') return compileNull(key, values);
  const spec = conditionOperators.get(operator.base);
  if (!spec) throw new ConditionSyntaxError(`unknown condition operator ${operator.base}`);
  const compiled = spec.compile(values);
  if (typeof compiled === 'string') throw new ConditionSyntaxError(compiled);
  const test: StringTest = compiled;
  const { negated } = spec;
  // A missing key: IfExists and ForAllValues match; negated operators match; everything else fails.
  const whenMissing = operator.ifExists || operator.set === 'all' || (negated && !operator.set);
  const matches = negated ? (v: string) => !test(v) : test;
  switch (operator.set) {
    case 'all':
      return (ctx) => {
        const got = ctx.values(key);
        return got === undefined ? whenMissing : got.every(matches);
      };
    case 'any':
      return (ctx) => {
        const got = ctx.values(key);
        return got === undefined ? whenMissing : got.some(matches);
      };
    case undefined:
      return (ctx) => {
        const got = ctx.values(key);
        if (got === undefined) return whenMissing;
        return negated ? got.every(matches) : got.some(matches);
      };
  }
}

function conditionValues(raw: unknown): string[] {
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) throw new ConditionSyntaxError('a condition has no value');
  return list.map((v) => {
    if (typeof v === 'string') return v;
    if (typeof v === 'number' || typeof v === 'boolean') return String(v);
    throw new ConditionSyntaxError('a condition value must be a string, number or boolean');
  });
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Compiles a Condition element; throws ConditionSyntaxError on a malformed one. */
export function compileCondition(block: unknown): ConditionTest | undefined {
  if (block === undefined) return undefined;
  if (!isObject(block)) throw new ConditionSyntaxError('Condition must be an object');
  const tests: ConditionTest[] = [];
  for (const [operatorName, keys] of Object.entries(block)) {
    const operator = parseOperator(operatorName);
    if (!isObject(keys) || Object.keys(keys).length === 0)
      throw new ConditionSyntaxError(`${operatorName} must map condition keys to values`);
    for (const [key, raw] of Object.entries(keys)) {
      if (!/^[A-Za-z0-9-]+:\S/.test(key))
        throw new ConditionSyntaxError(`${key} is not a condition key`);
      tests.push(compileClause(operator, key.toLowerCase(), conditionValues(raw)));
    }
  }
  if (tests.length === 0) return undefined;
  if (tests.length === 1) return tests[0];
  return (ctx) => tests.every((t) => t(ctx));
}
