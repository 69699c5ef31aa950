// Checks a decoded JSON request against its input shape and converts blobs to bytes. Type errors are
// SerializationException; constraint violations are one ValidationException in AWS's wording
// ("1 validation error detected: Value '…' at 'keyId' failed to satisfy constraint: …").
// It never echoes a blob or a sensitive value.
//
// Each shape is compiled once, at first use, into a function that checks a value of that shape: the
// per-request work is the checks themselves, not a walk over the model's description of them.
import { SerializationException, ValidationException } from '../errors.js';
import { shapes } from './model.generated.js';
import type { Shape } from './shape.js';
import { decodeBase64, isBase64 } from './base64.js';

type Json = unknown;

/**
 * Checks `value` against one shape and returns it as the operation sees it (blobs decoded). A type
 * error throws; a constraint violation is added to `problems` (in AWS's wording) and checking goes on.
 * `path` names the value in messages (lower camel case, '' for the request itself).
 */
type Check = (value: Json, path: string, problems: string[]) => Json;

const compiledPatterns = new Map<string, RegExp>();

function patternOf(source: string): RegExp {
  let re = compiledPatterns.get(source);
  if (!re) {
    re = new RegExp(source, 'u');
    compiledPatterns.set(source, re);
  }
  return re;
}

function lowerFirst(name: string): string {
  return name.charAt(0).toLowerCase() + name.slice(1);
}

function shapeOf(name: string): Shape {
  const shape = shapes[name];
  if (!shape) throw new Error(`unknown shape ${name}`);
  return shape;
}

/** Where the validated structure of a shape keeps that shape's name: on its prototype, so not a member. */
const VALIDATED_SHAPE: unique symbol = Symbol('validated shape');

/**
 * The name of the input shape that `value` was validated against, if it is a structure that
 * `validateInput` returned (or one nested in it); undefined for anything else.
 */
export function validatedShapeOf(value: object): string | undefined {
  return (value as { [VALIDATED_SHAPE]?: string })[VALIDATED_SHAPE];
}

const checks = new Map<string, Check>();

/** The check of a named shape, compiled at its first use. */
function checkOf(shapeName: string): Check {
  let check = checks.get(shapeName);
  if (check === undefined) {
    const shape = shapeOf(shapeName);
    // A shape that contains itself finds this forwarder while it is being compiled.
    let compiled: Check | undefined;
    checks.set(shapeName, (value, path, problems) => (compiled as Check)(value, path, problems));
    try {
      compiled = compile(shapeName, shape);
    } catch (err) {
      checks.delete(shapeName);
      throw err;
    }
    checks.set(shapeName, compiled);
    check = compiled;
  }
  return check;
}

function compile(shapeName: string, shape: Shape): Check {
  switch (shape.type) {
    case 'structure':
      return structureCheck(shapeName, shape);
    case 'string':
      return stringCheck(shape);
    case 'blob':
      return blobCheck(shape);
    case 'integer':
    case 'long':
      return integerCheck(shape);
    case 'boolean':
      return (value, path) => {
        if (typeof value !== 'boolean') throw typeError(path, 'a boolean');
        return value;
      };
    case 'timestamp':
      return (value, path) => {
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw typeError(path, 'a timestamp');
        return value;
      };
    case 'list':
      return listCheck(shape);
    case 'map':
      return mapCheck(shape);
  }
}

/** One member of a structure shape, as its check walks it. */
interface MemberRule {
  readonly member: string;
  /** The member's name in error paths (lower camel case). */
  readonly pathName: string;
  readonly required: boolean;
  readonly check: Check;
}

function structureCheck(shapeName: string, shape: Shape): Check {
  const rules: readonly MemberRule[] = Object.entries(shape.members ?? {}).map(
    ([member, memberShape]) => ({
      member,
      pathName: lowerFirst(member),
      required: shape.required?.includes(member) ?? false,
      check: checkOf(memberShape),
    }),
  );
  // Validated structures share a prototype without Object.prototype (a member is only ever a member),
  // which names their shape; unlike Object.create(null), it keeps them out of V8's slow dictionary mode.
  const prototype = Object.create(null) as object;
  Object.defineProperty(prototype, VALIDATED_SHAPE, { value: shapeName });
  return (value, path, problems) => {
    if (!isPlainObject(value)) throw typeError(path, 'a structure');
    const out = Object.create(prototype) as Record<string, Json>;
    for (const rule of rules) {
      const { member } = rule;
      // Own members only; read first, since a JSON object inherits none of the model's member names.
      const raw = value[member];
      const memberPath = path === '' ? rule.pathName : `${path}.${rule.pathName}`;
      if (
        raw === undefined ||
        raw === null ||
        !Object.prototype.hasOwnProperty.call(value, member)
      ) {
        if (rule.required) {
          problems.push(
            `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`,
          );
        }
        continue;
      }
      out[member] = rule.check(raw, memberPath, problems);
    }
    return out;
  };
}

function stringCheck(shape: Shape): Check {
  const { min, max, pattern } = shape;
  const allowed = shape.enum ? new Set(shape.enum) : undefined;
  const enumConstraint = `Member must satisfy enum value set: [${(shape.enum ?? []).join(', ')}]`;
  const re = pattern === undefined ? undefined : patternOf(pattern);
  const patternConstraint = `Member must satisfy regular expression pattern: ${pattern ?? ''}`;
  if (allowed === undefined && min === undefined && max === undefined && re === undefined) {
    return (value, path) => {
      if (typeof value !== 'string') throw typeError(path, 'a string');
      return value;
    };
  }
  return (value, path, problems) => {
    if (typeof value !== 'string') throw typeError(path, 'a string');
    if (allowed !== undefined && !allowed.has(value)) {
      problems.push(failure(shape, value, path, enumConstraint));
      return value;
    }
    checkLength(shape, value, value.length, path, problems);
    if (re !== undefined && !re.test(value)) {
      problems.push(failure(shape, value, path, patternConstraint));
    }
    return value;
  };
}

const NO_BYTES = Buffer.alloc(0);

function blobCheck(shape: Shape): Check {
  const { min, max } = shape;
  return (value, path, problems) => {
    if (typeof value !== 'string') throw typeError(path, 'a base64-encoded blob');
    const size = Buffer.byteLength(value, 'base64');
    if ((min !== undefined && size < min) || (max !== undefined && size > max)) {
      if (!isBase64(value)) throw typeError(path, 'a base64-encoded blob');
      checkLength(shape, value, size, path, problems);
      // The request fails validation: its bytes are never used, so they are not decoded.
      return NO_BYTES;
    }
    // Sensitive blobs are decoded into their own zeroable buffer, never the shared pool.
    const bytes = decodeBase64(value);
    if (bytes === undefined) throw typeError(path, 'a base64-encoded blob');
    return bytes;
  };
}

function integerCheck(shape: Shape): Check {
  const { min, max } = shape;
  return (value, path, problems) => {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'an integer');
    if (min !== undefined && value < min) {
      problems.push(
        failure(
          shape,
          value,
          path,
          `Member must have value greater than or equal to ${String(min)}`,
        ),
      );
    } else if (max !== undefined && value > max) {
      problems.push(
        failure(shape, value, path, `Member must have value less than or equal to ${String(max)}`),
      );
    }
    return value;
  };
}

function listCheck(shape: Shape): Check {
  const memberCheck = checkOf(shape.member ?? '');
  return (value, path, problems) => {
    if (!Array.isArray(value)) throw typeError(path, 'a list');
    checkLength(shape, value, value.length, path, problems);
    return value.map((item: Json, i) => {
      const itemPath = `${path}.${String(i + 1)}.member`;
      if (item === null) throw typeError(itemPath, 'a value, not null');
      return memberCheck(item, itemPath, problems);
    });
  };
}

function mapCheck(shape: Shape): Check {
  const keyShape = shapeOf(shape.key ?? '');
  const keyCheck = checkOf(shape.key ?? '');
  const valueCheck = checkOf(shape.value ?? '');
  // Keys are strings: a key shape without constraints has nothing to check.
  const checksKeys = !isUnconstrainedString(keyShape);
  // Likewise a value of such a shape needs only its type checked, and its path only for the error.
  const valuesAreStrings = isUnconstrainedString(shapeOf(shape.value ?? ''));
  return (value, path, problems) => {
    if (!isPlainObject(value)) throw typeError(path, 'a map');
    const out = Object.create(null) as Record<string, Json>;
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (v === null) throw typeError(`${path}.${k}`, 'a value, not null');
      if (checksKeys) keyCheck(k, path, problems);
      if (valuesAreStrings) {
        if (typeof v !== 'string') throw typeError(`${path}.${k}`, 'a string');
        out[k] = v;
      } else {
        out[k] = valueCheck(v, `${path}.${k}`, problems);
      }
    }
    return out;
  };
}

function isUnconstrainedString(shape: Shape): boolean {
  return (
    shape.type === 'string' &&
    shape.enum === undefined &&
    shape.min === undefined &&
    shape.max === undefined &&
    shape.pattern === undefined
  );
}

function checkLength(
  shape: Shape,
  value: Json,
  size: number,
  path: string,
  problems: string[],
): void {
  if (shape.min !== undefined && size < shape.min) {
    problems.push(
      failure(
        shape,
        value,
        path,
        `Member must have length greater than or equal to ${String(shape.min)}`,
      ),
    );
  } else if (shape.max !== undefined && size > shape.max) {
    problems.push(
      failure(
        shape,
        value,
        path,
        `Member must have length less than or equal to ${String(shape.max)}`,
      ),
    );
  }
}

function failure(shape: Shape, value: Json, path: string, constraint: string): string {
  const shown = describeValue(shape, value, path);
  return `Value ${shown}at '${path}' failed to satisfy constraint: ${constraint}`;
}

function isPlainObject(value: Json): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

// Grant tokens are bearer credentials: a message never repeats one, nor a list that may hold one.
const UNECHOED_MEMBERS = /(^|\.)grantTokens?(\.|$)/;

function describeValue(shape: Shape, value: Json, path: string): string {
  if (shape.sensitive === true || shape.type === 'blob' || Buffer.isBuffer(value)) return '';
  if (Array.isArray(value) || UNECHOED_MEMBERS.test(path)) return '';
  if (typeof value === 'string' || typeof value === 'number') return `'${String(value)}' `;
  return '';
}

function typeError(path: string, expected: string): Error {
  const where = path === '' ? 'the request body' : `'${path}'`;
  return new SerializationException(`Expected ${expected} at ${where}`);
}

const requestChecks = new Map<string, Check>();

/** The check of a request: its shape's, as a structure whatever the shape says. */
function requestCheckOf(shapeName: string): Check {
  let check = requestChecks.get(shapeName);
  if (check === undefined) {
    const shape = shapeOf(shapeName);
    check = shape.type === 'structure' ? checkOf(shapeName) : structureCheck(shapeName, shape);
    requestChecks.set(shapeName, check);
  }
  return check;
}

/** Validates `body` against `shapeName`; returns it with blobs decoded to Buffers. */
export function validateInput(shapeName: string, body: Json): Record<string, Json> {
  const problems: string[] = [];
  const out = requestCheckOf(shapeName)(body, '', problems) as Record<string, Json>;
  const count = problems.length;
  if (count > 0) {
    const head =
      count === 1
        ? '1 validation error detected: '
        : `${String(count)} validation errors detected: `;
    throw new ValidationException(head + problems.join('; '));
  }
  return out;
}
