import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './load.js';

function configFile(text: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'trent-config-')), 'trent.yaml');
  writeFileSync(path, text);
  return path;
}

describe('configuration', () => {
  it('has the documented defaults', () => {
    expect(loadConfig({ flags: {}, env: {} })).toMatchObject({
      host: '127.0.0.1',
      port: 8080,
      dataDir: './trent-data',
      region: 'us-east-1',
      accountId: '111122223333',
      partition: 'aws',
      dev: false,
      logLevel: 'info',
      bodyLimitBytes: 1048576,
      onDemandRotationLimit: 25,
      schedulerIntervalMs: 60000,
    });
  });

  it('takes flags over TRENT_* variables over the config file', () => {
    const file = configFile('port: 1000\nregion: eu-west-1\naccountId: "222233334444"\n');
    const config = loadConfig({
      flags: { port: '3000' },
      env: { TRENT_PORT: '2000', TRENT_REGION: 'ap-south-1', TRENT_CONFIG: file },
    });
    expect(config).toMatchObject({ port: 3000, region: 'ap-south-1', accountId: '222233334444' });
  });

  it('accepts config file keys spelled like the flags', () => {
    const file = configFile('data-dir: /var/lib/trent\nlog-level: warn\n');
    expect(loadConfig({ flags: {}, env: {}, configFile: file })).toMatchObject({
      dataDir: '/var/lib/trent',
      logLevel: 'warn',
    });
  });

  it('reads TRENT_DEV as a boolean', () => {
    expect(loadConfig({ flags: {}, env: { TRENT_DEV: '1' } }).dev).toBe(true);
    expect(loadConfig({ flags: {}, env: { TRENT_DEV: 'true' } }).dev).toBe(true);
    expect(loadConfig({ flags: {}, env: { TRENT_DEV: '0' } }).dev).toBe(false);
  });

  it('names the field and where a bad value came from', () => {
    expect(() => loadConfig({ flags: { port: 'x' }, env: {} })).toThrow(
      'invalid configuration: port (from --port): must be a port number 0-65535',
    );
    expect(() => loadConfig({ flags: {}, env: { TRENT_BODY_LIMIT_BYTES: '10' } })).toThrow(
      'invalid configuration: bodyLimitBytes (from TRENT_BODY_LIMIT_BYTES): must be at least 1024',
    );
    const file = configFile('accountId: "123"\n');
    expect(() => loadConfig({ flags: {}, env: {}, configFile: file })).toThrow(
      `invalid configuration: accountId (from config file ${file}): must be 12 digits`,
    );
  });

  it('rejects unknown config file keys and unreadable files', () => {
    expect(() => loadConfig({ flags: {}, env: {}, configFile: configFile('prot: 1\n') })).toThrow(
      ConfigError,
    );
    expect(() => loadConfig({ flags: {}, env: {}, configFile: '/nonexistent.yaml' })).toThrow(
      /cannot read config file/,
    );
    expect(() => loadConfig({ flags: {}, env: {}, configFile: configFile('- a\n- b\n') })).toThrow(
      /must hold a mapping/,
    );
  });
});
