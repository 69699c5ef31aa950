import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

describe('audit configuration', () => {
  it('defaults to async durability with a one-second flush interval and no retention limit', () => {
    const config = loadConfig({ flags: {}, env: {} });
    expect(config.auditDurability).toBe('async');
    expect(config.auditFlushIntervalMs).toBe(1000);
    expect(config.auditRetentionDays).toBeUndefined();
  });

  it('reads the audit options from flags, TRENT_* variables and a config file', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-config-'));
    try {
      const file = join(dir, 'trent.yaml');
      writeFileSync(file, 'auditRetentionDays: 30\nauditQueueLimit: 500\n');
      const config = loadConfig({
        flags: { auditDurability: 'sync' },
        env: { TRENT_AUDIT_FLUSH_INTERVAL_MS: '250' },
        configFile: file,
      });
      expect(config).toMatchObject({
        auditDurability: 'sync',
        auditFlushIntervalMs: 250,
        auditRetentionDays: 30,
        auditQueueLimit: 500,
      });
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects an unknown durability mode', () => {
    expect(() => loadConfig({ flags: { auditDurability: 'eventually' }, env: {} })).toThrow(
      ConfigError,
    );
  });
});
