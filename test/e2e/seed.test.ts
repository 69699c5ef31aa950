import { createHmac, createPublicKey, generateKeyPairSync } from 'node:crypto';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import {
  CreateAliasCommand,
  CreateKeyCommand,
  DecryptCommand,
  DescribeKeyCommand,
  EncryptCommand,
  GenerateMacCommand,
  GetPublicKeyCommand,
  ListAliasesCommand,
  ListKeysCommand,
  ListResourceTagsCommand,
  TagResourceCommand,
} from '@aws-sdk/client-kms';
import { startHarness, type Harness } from './harness.js';

const KEY_A = '0a0a0a0a-1111-4222-8333-444444444444';
const KEY_B = '0b0b0b0b-1111-4222-8333-444444444444';
const MATERIAL = Buffer.alloc(32, 0x42).toString('base64');

function writeSeed(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'trent-seed-e2e-'));
  const path = join(dir, 'seed.yaml');
  writeFileSync(path, text);
  return path;
}

const SEED = `
keys:
  - keyId: ${KEY_A}
    description: app key
    material: base64:${MATERIAL}
    aliases: [alias/app, alias/app-v1]
    tags:
      env: dev
      team: core
  - keyId: ${KEY_B}
    enabled: false
`;

const running: Harness[] = [];
async function start(overrides: Parameters<typeof startHarness>[0]): Promise<Harness> {
  const h = await startHarness(overrides);
  running.push(h);
  return h;
}
afterEach(async () => {
  for (const h of running.splice(0)) await h.stop();
});

describe('seeding at start-up', () => {
  it('creates keys with fixed ids, description, aliases, tags and state', async () => {
    const h = await start({ seed: writeSeed(SEED) });
    const a = await h.kms.send(new DescribeKeyCommand({ KeyId: 'alias/app-v1' }));
    expect(a.KeyMetadata).toMatchObject({
      KeyId: KEY_A,
      Description: 'app key',
      KeyState: 'Enabled',
    });
    const tags = await h.kms.send(new ListResourceTagsCommand({ KeyId: KEY_A }));
    expect(tags.Tags).toEqual([
      { TagKey: 'env', TagValue: 'dev' },
      { TagKey: 'team', TagValue: 'core' },
    ]);
    const b = await h.kms.send(new DescribeKeyCommand({ KeyId: KEY_B }));
    expect(b.KeyMetadata!.KeyState).toBe('Disabled');
  });

  it('gives two servers seeded with the same material interchangeable ciphertexts', async () => {
    const seed = writeSeed(SEED);
    const one = await start({ seed });
    const two = await start({ seed });
    const enc = await one.kms.send(
      new EncryptCommand({ KeyId: 'alias/app', Plaintext: Buffer.from('portable') }),
    );
    const dec = await two.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('portable');
  });

  it('changes nothing when a server starts again with the same file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-seed-data-'));
    const seed = writeSeed(SEED);
    const first = await start({ dev: false, dataDir, seed });
    const before = await first.kms.send(new DescribeKeyCommand({ KeyId: KEY_A }));
    const enc = await first.kms.send(
      new EncryptCommand({ KeyId: KEY_A, Plaintext: Buffer.from('kept') }),
    );
    // Changes made through the API after seeding are kept across restarts.
    await first.kms.send(
      new TagResourceCommand({ KeyId: KEY_A, Tags: [{ TagKey: 'env', TagValue: 'prod' }] }),
    );
    await first.stop();
    running.splice(0);
    const second = await start({ dev: false, dataDir, seed });
    const after = await second.kms.send(new DescribeKeyCommand({ KeyId: KEY_A }));
    expect(after.KeyMetadata).toEqual(before.KeyMetadata);
    const keys = await second.kms.send(new ListKeysCommand({}));
    expect(keys.Keys!.map((k) => k.KeyId).sort()).toEqual([KEY_A, KEY_B]);
    const aliases = await second.kms.send(new ListAliasesCommand({}));
    expect(aliases.Aliases!.map((x) => x.AliasName)).toEqual(['alias/app', 'alias/app-v1']);
    const tags = await second.kms.send(new ListResourceTagsCommand({ KeyId: KEY_A }));
    expect(tags.Tags).toContainEqual({ TagKey: 'env', TagValue: 'prod' });
    const dec = await second.kms.send(new DecryptCommand({ CiphertextBlob: enc.CiphertextBlob }));
    expect(Buffer.from(dec.Plaintext!).toString()).toBe('kept');
  });

  it('refuses to start when an existing key has other material than the file', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-seed-data-'));
    const first = await start({ dev: false, dataDir, seed: writeSeed(SEED) });
    await first.stop();
    running.splice(0);
    const other = SEED.replace(MATERIAL, Buffer.alloc(32, 0x43).toString('base64'));
    await expect(start({ dev: false, dataDir, seed: writeSeed(other) })).rejects.toThrow(
      `seed keys[0] (keyId ${KEY_A}): an existing key with this id has different key material`,
    );
  });

  it('refuses to start when a seeded alias already names another key', async () => {
    const dataDir = mkdtempSync(join(tmpdir(), 'trent-seed-data-'));
    const first = await start({ dev: false, dataDir });
    const { KeyMetadata } = await first.kms.send(new CreateKeyCommand({}));
    await first.kms.send(
      new CreateAliasCommand({ AliasName: 'alias/app', TargetKeyId: KeyMetadata!.KeyId }),
    );
    await first.stop();
    running.splice(0);
    await expect(start({ dev: false, dataDir, seed: writeSeed(SEED) })).rejects.toThrow(
      /alias alias\/app already points to key/,
    );
  });

  it('seeds HMAC and asymmetric keys with fixed material', async () => {
    const hmacKey = Buffer.alloc(32, 0x5a);
    const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
    const pem = (privateKey.export({ type: 'pkcs8', format: 'pem' }) as string)
      .trim()
      .split('\n')
      .map((line) => `      ${line}`)
      .join('\n');
    const h = await start({
      seed: writeSeed(`
keys:
  - keyId: 0c0c0c0c-1111-4222-8333-444444444444
    keySpec: HMAC_256
    keyUsage: GENERATE_VERIFY_MAC
    material: base64:${hmacKey.toString('base64')}
  - keyId: 0d0d0d0d-1111-4222-8333-444444444444
    keySpec: ECC_NIST_P256
    keyUsage: SIGN_VERIFY
    aliases: [alias/signer]
    material: |
${pem}
`),
    });
    const mac = await h.kms.send(
      new GenerateMacCommand({
        KeyId: '0c0c0c0c-1111-4222-8333-444444444444',
        MacAlgorithm: 'HMAC_SHA_256',
        Message: Buffer.from('message'),
      }),
    );
    const expected = createHmac('sha256', hmacKey).update('message').digest();
    expect(Buffer.from(mac.Mac!).equals(expected)).toBe(true);
    const pub = await h.kms.send(new GetPublicKeyCommand({ KeyId: 'alias/signer' }));
    const served = createPublicKey({
      key: Buffer.from(pub.PublicKey!),
      format: 'der',
      type: 'spki',
    });
    expect(served.export({ type: 'spki', format: 'pem' })).toBe(
      publicKey.export({ type: 'spki', format: 'pem' }),
    );
  });

  it('refuses to start with an invalid seed file, naming the entry', async () => {
    const bad = writeSeed(`keys:\n  - keyId: ${KEY_A}\n    material: base64:AAAA\n`);
    await expect(start({ seed: bad })).rejects.toThrow(
      `seed keys[0] (keyId ${KEY_A}): SYMMETRIC_DEFAULT material must be 32 bytes, found 3`,
    );
  });

  it('restores the seeded state on a dev-mode reset', async () => {
    const h = await start({ seed: writeSeed(SEED) });
    await h.kms.send(new CreateKeyCommand({}));
    const res = await fetch(`${h.url}/_trent/reset`, { method: 'POST' });
    expect(res.status).toBe(200);
    const keys = await h.kms.send(new ListKeysCommand({}));
    expect(keys.Keys!.map((k) => k.KeyId).sort()).toEqual([KEY_A, KEY_B]);
  });
});
