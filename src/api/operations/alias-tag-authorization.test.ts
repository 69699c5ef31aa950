// In-process pipeline tests (fastify inject): alias and tag operations ask the authorizer for
// kms:<Operation> on the right key(s), and a refusal changes nothing.
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import {
  startInProcessPipeline,
  type InProcessPipeline,
  type RecordingAuthorizer,
} from '../../../test/fakes/in-process-pipeline.js';

let pipeline: InProcessPipeline;
let authorizer: RecordingAuthorizer;

beforeEach(async () => {
  pipeline = await startInProcessPipeline();
  authorizer = pipeline.authorizer;
});
afterEach(async () => {
  await pipeline.close();
});

function call(operation: string, body: Record<string, unknown>) {
  return pipeline.call(operation, body);
}

function newKeyId(): Promise<string> {
  return pipeline.newKeyId();
}

describe('authorization of alias and tag operations', () => {
  it('asks for kms:<Operation> on the alias and the key (both keys for UpdateAlias)', async () => {
    const a = await newKeyId();
    const b = await newKeyId();
    authorizer.seen.length = 0;
    const requests: [string, Record<string, unknown>][] = [
      ['CreateAlias', { AliasName: 'alias/x', TargetKeyId: a }],
      ['UpdateAlias', { AliasName: 'alias/x', TargetKeyId: b }],
      ['DeleteAlias', { AliasName: 'alias/x' }],
      ['TagResource', { KeyId: a, Tags: [{ TagKey: 't', TagValue: 'v' }] }],
      ['ListResourceTags', { KeyId: a }],
      ['UntagResource', { KeyId: a, TagKeys: ['t'] }],
      ['ListAliases', {}],
    ];
    for (const [operation, body] of requests) {
      const res = await call(operation, body);
      expect({ operation, status: res.status }).toEqual({ operation, status: 200 });
    }
    // Alias operations are authorized on the alias (no key resource) and on the key(s).
    expect(authorizer.seen).toEqual([
      { action: 'kms:CreateAlias', keyId: undefined },
      { action: 'kms:CreateAlias', keyId: a },
      { action: 'kms:UpdateAlias', keyId: undefined },
      { action: 'kms:UpdateAlias', keyId: a },
      { action: 'kms:UpdateAlias', keyId: b },
      { action: 'kms:DeleteAlias', keyId: undefined },
      { action: 'kms:DeleteAlias', keyId: b },
      { action: 'kms:TagResource', keyId: a },
      { action: 'kms:ListResourceTags', keyId: a },
      { action: 'kms:UntagResource', keyId: a },
      // ListAliases is an account-level permission: no key resource.
      { action: 'kms:ListAliases', keyId: undefined },
    ]);
  });

  it('changes nothing when the authorizer refuses', async () => {
    const a = await newKeyId();
    const b = await newKeyId();
    await call('CreateAlias', { AliasName: 'alias/kept', TargetKeyId: a });
    await call('TagResource', { KeyId: a, Tags: [{ TagKey: 'keep', TagValue: '1' }] });
    authorizer.deny = true;
    const refused: [string, Record<string, unknown>][] = [
      ['CreateAlias', { AliasName: 'alias/new', TargetKeyId: a }],
      ['UpdateAlias', { AliasName: 'alias/kept', TargetKeyId: b }],
      ['DeleteAlias', { AliasName: 'alias/kept' }],
      ['TagResource', { KeyId: a, Tags: [{ TagKey: 'other', TagValue: '2' }] }],
      ['UntagResource', { KeyId: a, TagKeys: ['keep'] }],
    ];
    for (const [operation, body] of refused) {
      const res = await call(operation, body);
      expect({ operation, type: res.json.__type }).toEqual({
        operation,
        type: 'AccessDeniedException',
      });
    }
    authorizer.deny = false;
    const aliases = await call('ListAliases', {});
    expect(aliases.json.Aliases).toEqual([
      expect.objectContaining({ AliasName: 'alias/kept', TargetKeyId: a }),
    ]);
    const tags = await call('ListResourceTags', { KeyId: a });
    expect(tags.json.Tags).toEqual([{ TagKey: 'keep', TagValue: '1' }]);
  });
});
