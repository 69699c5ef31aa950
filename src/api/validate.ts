// Checks a decoded JSON request against its input shape and converts blobs to bytes. Type errors are
// SerializationException; constraint violations are one ValidationException in AWS's wording
// ("1 validation error detected: Value '…' at 'keyId' failed to satisfy constraint: …").
// It never echoes a blob or a sensitive value.
import { SerializationException, ValidationException } from '../errors.js';
import { shapes } from './model.generated.js';
import type { Shape } from './shape.js';
import { isBase64 } from './base64.js';

type Json = unknown;

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

/** One member of a structure shape, as the checker walks it. */
interface MemberRule {
  readonly member: string;
  readonly shapeName: string;
  /** The member's name in error paths (lower camel case). */
  readonly pathName: string;
  readonly required: boolean;
}

const memberRules = new Map<Shape, readonly MemberRule[]>();

/** The members of a structure shape in model order, worked out once per shape. */
function rulesOf(shape: Shape): readonly MemberRule[] {
  let rules = memberRules.get(shape);
  if (!rules) {
    rules = Object.entries(shape.members ?? {}).map(([member, shapeName]) => ({
      member,
      shapeName,
      pathName: lowerFirst(member),
      required: shape.required?.includes(member) ?? false,
    }));
    memberRules.set(shape, rules);
  }
  return rules;
}

class Checker {
  readonly problems: string[] = [];

  fail(shape: Shape, value: Json, path: string, constraint: string): void {
    const shown = describeValue(shape, value, path);
    this.problems.push(`Value ${shown}at '${path}' failed to satisfy constraint: ${constraint}`);
  }

  check(shapeName: string, value: Json, path: string): Json {
    const shape = shapeOf(shapeName);
    switch (shape.type) {
      case 'structure':
        return this.structure(shape, value, path);
      case 'string':
        return this.string(shape, value, path);
      case 'blob':
        return this.blob(shape, value, path);
      case 'integer':
      case 'long':
        return this.integer(shape, value, path);
      case 'boolean':
        if (typeof value !== 'boolean') throw typeError(path, 'a boolean');
        return value;
      case 'timestamp':
        if (typeof value !== 'number' || !Number.isFinite(value))
          throw typeError(path, 'a timestamp');
        return value;
      case 'list':
        return this.list(shape, value, path);
      case 'map':
        return this.map(shape, value, path);
    }
  }

  structure(shape: Shape, value: Json, path: string): Record<string, Json> {
    if (!isPlainObject(value)) throw typeError(path, 'a structure');
    const out: Record<string, Json> = Object.create(null) as Record<string, Json>;
    for (const rule of rulesOf(shape)) {
      const { member } = rule;
      const raw = Object.prototype.hasOwnProperty.call(value, member) ? value[member] : undefined;
      const memberPath = path === '' ? rule.pathName : `${path}.${rule.pathName}`;
      if (raw === undefined || raw === null) {
        if (rule.required) {
          this.problems.push(
            `Value null at '${memberPath}' failed to satisfy constraint: Member must not be null`,
          );
        }
        continue;
      }
      out[member] = this.check(rule.shapeName, raw, memberPath);
    }
    return out;
  }

  string(shape: Shape, value: Json, path: string): string {
    if (typeof value !== 'string') throw typeError(path, 'a string');
    if (shape.enum && !shape.enum.includes(value)) {
      this.fail(
        shape,
        value,
        path,
        `Member must satisfy enum value set: [${shape.enum.join(', ')}]`,
      );
      return value;
    }
    this.length(shape, value, value.length, path);
    if (shape.pattern !== undefined && !patternOf(shape.pattern).test(value)) {
      this.fail(
        shape,
        value,
        path,
        `Member must satisfy regular expression pattern: ${shape.pattern}`,
      );
    }
    return value;
  }

  blob(shape: Shape, value: Json, path: string): Buffer {
    if (typeof value !== 'string' || !isBase64(value))
      throw typeError(path, 'a base64-encoded blob');
    const size = Buffer.byteLength(value, 'base64');
    // Sensitive blobs are decoded into their own zeroable buffer, never the shared pool.
    const bytes = Buffer.alloc(size);
    bytes.write(value, 'base64');
    this.length(shape, bytes, size, path);
    return bytes;
  }

  integer(shape: Shape, value: Json, path: string): number {
    if (typeof value !== 'number' || !Number.isInteger(value)) throw typeError(path, 'an integer');
    if (shape.min !== undefined && value < shape.min) {
      this.fail(
        shape,
        value,
        path,
        `Member must have value greater than or equal to ${String(shape.min)}`,
      );
    } else if (shape.max !== undefined && value > shape.max) {
      this.fail(
        shape,
        value,
        path,
        `Member must have value less than or equal to ${String(shape.max)}`,
      );
    }
    return value;
  }

  list(shape: Shape, value: Json, path: string): Json[] {
    if (!Array.isArray(value)) throw typeError(path, 'a list');
    this.length(shape, value, value.length, path);
    const member = shape.member ?? '';
    return value.map((item: Json, i) => {
      if (item === null) throw typeError(`${path}.${String(i + 1)}.member`, 'a value, not null');
      return this.check(member, item, `${path}.${String(i + 1)}.member`);
    });
  }

  map(shape: Shape, value: Json, path: string): Record<string, Json> {
    if (!isPlainObject(value)) throw typeError(path, 'a map');
    const out: Record<string, Json> = Object.create(null) as Record<string, Json>;
    for (const k of Object.keys(value)) {
      const v = value[k];
      if (v === null) throw typeError(`${path}.${k}`, 'a value, not null');
      this.check(shape.key ?? '', k, path);
      out[k] = this.check(shape.value ?? '', v, `${path}.${k}`);
    }
    return out;
  }

  length(shape: Shape, value: Json, size: number, path: string): void {
    if (shape.min !== undefined && size < shape.min) {
      this.fail(
        shape,
        value,
        path,
        `Member must have length greater than or equal to ${String(shape.min)}`,
      );
    } else if (shape.max !== undefined && size > shape.max) {
      this.fail(
        shape,
        value,
        path,
        `Member must have length less than or equal to ${String(shape.max)}`,
      );
    }
  }
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

/** Validates `body` against `shapeName`; returns it with blobs decoded to Buffers. */
export function validateInput(shapeName: string, body: Json): Record<string, Json> {
  const checker = new Checker();
  const out = checker.structure(shapeOf(shapeName), body, '');
  const count = checker.problems.length;
  if (count > 0) {
    const head =
      count === 1
        ? '1 validation error detected: '
        : `${String(count)} validation errors detected: `;
    throw new ValidationException(head + checker.problems.join('; '));
  }
  return out;
}
