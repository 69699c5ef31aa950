import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSeedFile, parseSeed, SeedError } from './seed-file.js';

const KEY_ID = '11111111-2222-3333-4444-555555555555';
const MATERIAL = `base64:${Buffer.alloc(32, 7).toString('base64')}`;

function seedText(text: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'trent-seed-'));
  const path = join(dir, 'seed.yaml');
  writeFileSync(path, text);
  return path;
}

describe('seed file', () => {
  it('fills defaults for an entry with only a key id', () => {
    const seed = parseSeed({ keys: [{ keyId: KEY_ID }] }, 'test');
    expect(seed.keys[0]).toEqual({
      keyId: KEY_ID,
      keySpec: 'SYMMETRIC_DEFAULT',
      description: '',
      enabled: true,
      aliases: [],
      tags: {},
    });
  });

  it('reads YAML with aliases, tags (scalars become strings) and material', () => {
    const path = seedText(
      `keys:\n  - keyId: ${KEY_ID}\n    material: ${MATERIAL}\n    aliases: [alias/app]\n    tags:\n      env: dev\n      version: 2\n`,
    );
    const seed = loadSeedFile(path);
    expect(seed.keys[0]!.aliases).toEqual(['alias/app']);
    expect(seed.keys[0]!.tags).toEqual({ env: 'dev', version: '2' });
    expect(seed.keys[0]!.material).toBe(MATERIAL);
  });

  it('names the entry and the field of a bad value', () => {
    expect(() =>
      parseSeed({ keys: [{ keyId: KEY_ID }, { keyId: 'NOT-A-KEY-ID' }] }, 'seed.yaml'),
    ).toThrow(
      /seed file seed\.yaml: keys\[1\] \(keyId NOT-A-KEY-ID\): keyId: must be a lower-case key id/,
    );
  });

  it('rejects unknown fields, so that typos do not pass silently', () => {
    expect(() => parseSeed({ keys: [{ keyId: KEY_ID, alias: ['alias/x'] }] }, 's')).toThrow(
      SeedError,
    );
  });

  it('rejects reserved aliases, aws: tag keys and aliases without the prefix', () => {
    expect(() => parseSeed({ keys: [{ keyId: KEY_ID, aliases: ['alias/aws/x'] }] }, 's')).toThrow(
      /reserved/,
    );
    expect(() => parseSeed({ keys: [{ keyId: KEY_ID, aliases: ['app'] }] }, 's')).toThrow(
      /alias\/<name>/,
    );
    expect(() => parseSeed({ keys: [{ keyId: KEY_ID, tags: { 'aws:x': '1' } }] }, 's')).toThrow(
      /aws:/,
    );
  });

  it('rejects a key id or an alias that appears twice', () => {
    expect(() => parseSeed({ keys: [{ keyId: KEY_ID }, { keyId: KEY_ID }] }, 's')).toThrow(
      /appears twice/,
    );
    expect(() =>
      parseSeed(
        {
          keys: [
            { keyId: KEY_ID, aliases: ['alias/a'] },
            { keyId: '11111111-2222-3333-4444-666666666666', aliases: ['alias/a'] },
          ],
        },
        's',
      ),
    ).toThrow(/alias alias\/a appears twice/);
  });

  it('reports a YAML syntax error by position without quoting the file', () => {
    const path = seedText(`keys:\n  - keyId: ${KEY_ID}\n    material: "${MATERIAL}\n  bad: [\n`);
    let message = '';
    try {
      loadSeedFile(path);
    } catch (err) {
      message = (err as Error).message;
    }
    expect(message).toMatch(/is not valid YAML at line \d+, column \d+$/);
    expect(message).not.toContain(MATERIAL.slice(7, 20));
  });

  it('reports a missing file clearly', () => {
    expect(() => loadSeedFile('/nonexistent/seed.yaml')).toThrow(/cannot read seed file/);
  });
});
