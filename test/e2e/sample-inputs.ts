// Model-driven request bodies for any operation: every blob member carries the given secret bytes, every
// grant token is a secret, key ids name a real key. Good enough to reach each operation's handler.
import { operationInputs, shapes } from '../../src/api/model.generated.js';

export interface SampleContext {
  readonly keyId: string;
  /** Bytes that must never appear in the audit trail or logs. */
  readonly secret: Buffer;
}

const KEY_MEMBERS = new Set(['KeyId', 'TargetKeyId', 'SourceKeyId', 'DestinationKeyId']);

export function sampleInput(operation: string, ctx: SampleContext): Record<string, unknown> {
  const shapeName = operationInputs[operation];
  if (!shapeName) return {};
  return sampleStructure(shapeName, ctx, 0);
}

function sampleStructure(
  shapeName: string,
  ctx: SampleContext,
  depth: number,
): Record<string, unknown> {
  const shape = shapes[shapeName];
  const out: Record<string, unknown> = {};
  for (const [member, target] of Object.entries(shape?.members ?? {})) {
    const t = shapes[target];
    const required = shape?.required?.includes(member) ?? false;
    const wanted =
      required ||
      t?.type === 'blob' ||
      member === 'GrantTokens' ||
      member === 'EncryptionContext' ||
      KEY_MEMBERS.has(member);
    if (!wanted || depth > 3) continue;
    const v = sampleValue(member, target, ctx, depth);
    if (v !== undefined) out[member] = v;
  }
  return out;
}

function sampleValue(
  member: string,
  shapeName: string,
  ctx: SampleContext,
  depth: number,
): unknown {
  const shape = shapes[shapeName];
  if (!shape) return undefined;
  if (KEY_MEMBERS.has(member)) return ctx.keyId;
  if (member === 'GrantTokens') return [ctx.secret.toString('base64')];
  switch (shape.type) {
    case 'blob':
      return ctx.secret.toString('base64');
    case 'string':
      if (shape.enum) return shape.enum[0];
      if (member === 'AliasName') return 'alias/audit-sample';
      if (member === 'Policy') return undefined;
      return 'audit-sample';
    case 'integer':
    case 'long':
      return member === 'NumberOfBytes' ? 32 : (shape.min ?? 1);
    case 'boolean':
      return false;
    case 'map':
      return { purpose: 'audit-sample' };
    case 'list': {
      const item = sampleValue(member, shape.member ?? '', ctx, depth + 1);
      return item === undefined ? undefined : [item];
    }
    case 'structure':
      return sampleStructure(shapeName, ctx, depth + 1);
    case 'timestamp':
      return undefined;
  }
}
