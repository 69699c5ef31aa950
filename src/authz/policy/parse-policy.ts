// Parses and validates IAM policy documents (key policies and identity policies) and compiles them in
// one pass. Errors are the AWS exceptions KMS answers on CreateKey/PutKeyPolicy. Never evaluates.
import {
  InvalidArnException,
  LimitExceededException,
  MalformedPolicyDocumentException,
} from '../../errors.js';
import { compileCondition, ConditionSyntaxError } from './condition.js';
import type { CompiledPolicy, CompiledStatement } from './compiled-policy.js';
import {
  matchNotPrincipal,
  matchPrincipal,
  parsePrincipal,
  PrincipalSyntaxError,
  type PrincipalSpec,
} from './principals.js';
import { compileArnPattern, compileWildcards, splitArn } from './wildcard.js';

export const MAX_POLICY_BYTES = 32 * 1024;
export const INVALID_PRINCIPALS =
  'Policy contains a statement with one or more invalid principals.';

export type PolicyKind = 'key' | 'identity';

const TOP_LEVEL = new Set(['Version', 'Id', 'Statement']);
const STATEMENT_KEYS = new Set([
  'Sid',
  'Effect',
  'Principal',
  'NotPrincipal',
  'Action',
  'NotAction',
  'Resource',
  'NotResource',
  'Condition',
]);
const VERSIONS = new Set(['2012-10-17', '2008-10-17']);
const ACTION = /^(\*|[a-zA-Z0-9-]+:[a-zA-Z0-9*?]+)$/;
// Key policies may hold tab, LF, CR and the characters U+0020 through U+00FF (AWS KMS key policy format).
const ALLOWED_CHARACTERS = /^[\t\n\r\u0020-\u00ff]*$/;

function malformed(reason: string): never {
  throw new MalformedPolicyDocumentException(reason);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function stringList(value: unknown, element: string): string[] {
  const list = Array.isArray(value) ? (value as unknown[]) : [value];
  if (list.length === 0 || !list.every((v): v is string => typeof v === 'string'))
    malformed(`The policy's ${element} element must be a string or a non-empty list of strings.`);
  return list;
}

function compileActions(patterns: string[], negated: boolean): CompiledStatement['action'] {
  for (const p of patterns)
    if (!ACTION.test(p)) malformed(`Policy contains an invalid action: ${p}`);
  const test = compileWildcards(patterns, true);
  const memo = new Map<string, boolean>();
  return (action) => {
    let hit = memo.get(action);
    if (hit === undefined) {
      hit = test(action) !== negated;
      memo.set(action, hit);
    }
    return hit;
  };
}

function compileResources(patterns: string[], negated: boolean): CompiledStatement['resource'] {
  for (const p of patterns) {
    const parts = p === '*' ? [] : splitArn(p);
    if (!parts || (parts.length > 0 && (parts[0] !== 'arn' || parts[5] === '')))
      throw new InvalidArnException(`Resource ${p} must be in ARN format or "*".`);
  }
  const tests = patterns.map(compileArnPattern);
  return (arn) => tests.some((t) => t(arn)) !== negated;
}

function pick(st: Record<string, unknown>, a: string, b: string): [unknown, boolean] | undefined {
  if (a in st && b in st) malformed(`A policy statement cannot have both ${a} and ${b}.`);
  if (a in st) return [st[a], false];
  if (b in st) return [st[b], true];
  return undefined;
}

function compileStatement(
  st: unknown,
  kind: PolicyKind,
  principals: PrincipalSpec[],
): CompiledStatement | undefined {
  if (!isObject(st)) malformed('Each policy statement must be a JSON object.');
  for (const k of Object.keys(st)) if (!STATEMENT_KEYS.has(k)) malformed(`Unknown field ${k}.`);
  const { Sid: sid, Effect: effect } = st;
  if (sid !== undefined && typeof sid !== 'string') malformed('Sid must be a string.');
  if (effect !== 'Allow' && effect !== 'Deny') malformed('Effect must be "Allow" or "Deny".');
  const principalElement = pick(st, 'Principal', 'NotPrincipal');
  let principal: CompiledStatement['principal'];
  if (kind === 'identity') {
    if (principalElement) malformed('Policy document should not specify a principal.');
  } else {
    if (!principalElement) malformed('Policy contains a statement with no principal.');
    let spec: PrincipalSpec;
    try {
      spec = parsePrincipal(principalElement[0]);
    } catch (err) {
      if (err instanceof PrincipalSyntaxError) malformed(INVALID_PRINCIPALS);
      throw err;
    }
    principals.push(spec);
    principal = principalElement[1]
      ? (c) => matchNotPrincipal(spec, c)
      : (c) => matchPrincipal(spec, c);
  }
  const actionElement = pick(st, 'Action', 'NotAction');
  const resourceElement = pick(st, 'Resource', 'NotResource');
  const action = actionElement
    ? compileActions(stringList(actionElement[0], 'Action'), actionElement[1])
    : undefined;
  const resource = resourceElement
    ? compileResources(stringList(resourceElement[0], 'Resource'), resourceElement[1])
    : undefined;
  let condition;
  try {
    condition = compileCondition(st.Condition);
  } catch (err) {
    if (err instanceof ConditionSyntaxError)
      malformed(`Policy has an invalid condition: ${err.message}.`);
    throw err;
  }
  // Statements lacking Action or Resource are accepted but have no effect (REFERENCE.md §11.2).
  if (!action || !resource) return undefined;
  return { sid, effect, principal, action, resource, condition };
}

/** Parses a policy document; throws MalformedPolicyDocumentException, LimitExceededException or
 * InvalidArnException as KMS does. Principal existence is checked separately. */
export function parsePolicy(text: string, kind: PolicyKind): CompiledPolicy {
  if (Buffer.byteLength(text, 'utf8') > MAX_POLICY_BYTES) {
    throw new LimitExceededException(
      `The key policy exceeds the maximum size of ${String(MAX_POLICY_BYTES)} bytes.`,
    );
  }
  if (!ALLOWED_CHARACTERS.test(text))
    malformed('The policy contains characters that are not allowed.');
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch {
    malformed('The new key policy is not valid JSON.');
  }
  if (!isObject(doc)) malformed('The new key policy must be a JSON object.');
  for (const k of Object.keys(doc)) if (!TOP_LEVEL.has(k)) malformed(`Unknown field ${k}.`);
  if (doc.Version !== undefined && (typeof doc.Version !== 'string' || !VERSIONS.has(doc.Version)))
    malformed('The policy Version must be 2012-10-17 or 2008-10-17.');
  if (doc.Id !== undefined && typeof doc.Id !== 'string')
    malformed('The policy Id must be a string.');
  const raw = doc.Statement;
  if (raw === undefined) malformed('The new key policy has no Statement.');
  const list = Array.isArray(raw) ? (raw as unknown[]) : [raw];
  if (list.length === 0) malformed('The policy Statement list is empty.');
  const sids = new Set<string>();
  const principals: PrincipalSpec[] = [];
  const statements: CompiledStatement[] = [];
  for (const st of list) {
    const compiled = compileStatement(st, kind, principals);
    const sid = isObject(st) && typeof st.Sid === 'string' ? st.Sid : '';
    if (sid !== '') {
      if (sids.has(sid)) malformed(`Statement IDs (SID) in a single policy must be unique: ${sid}`);
      sids.add(sid);
    }
    if (compiled) statements.push(compiled);
  }
  return { statements, principals };
}
