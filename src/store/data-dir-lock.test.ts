// The data-directory lock that keeps admin commands off a running server's data.
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { dataDirHolder, lockDataDir } from './data-dir-lock.js';

const dirs: string[] = [];
function tempDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'trent-lock-'));
  dirs.push(dir);
  return dir;
}
afterEach(() => {
  for (const d of dirs.splice(0)) rmSync(d, { recursive: true, force: true });
});

describe('data directory lock', () => {
  it('names the holder while held and nobody once released', () => {
    const dir = tempDir();
    const lock = lockDataDir(dir);
    expect(dataDirHolder(dir)).toBe(process.pid);
    expect(() => lockDataDir(dir)).toThrow(/in use by another trent process/);
    lock.release();
    expect(dataDirHolder(dir)).toBeUndefined();
  });

  it('treats a lock left by a process that no longer runs, or by an earlier run under our pid, as stale', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'trent.pid'), '2147483646\n');
    expect(dataDirHolder(dir)).toBeUndefined();
    writeFileSync(join(dir, 'trent.pid'), `${String(process.pid)}\n`);
    expect(dataDirHolder(dir)).toBeUndefined();
    lockDataDir(dir).release();
  });
});
