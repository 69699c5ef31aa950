// Runs the openssl CLI on temporary files, so tests can check Trent's output with an independent tool.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Writes `files` into a fresh directory, runs openssl with `args` there, returns stdout and named outputs. */
export function openssl(
  args: string[],
  files: Record<string, Buffer | string>,
  outputs: string[] = [],
): { ok: boolean; stdout: string; out: Record<string, Buffer> } {
  const dir = mkdtempSync(join(tmpdir(), 'trent-openssl-'));
  try {
    for (const [name, content] of Object.entries(files)) writeFileSync(join(dir, name), content);
    let stdout = '';
    let ok = true;
    try {
      stdout = execFileSync('openssl', args, {
        cwd: dir,
        stdio: ['ignore', 'pipe', 'pipe'],
      }).toString();
    } catch (err) {
      ok = false;
      stdout = String((err as { stdout?: Buffer }).stdout ?? '');
    }
    const out: Record<string, Buffer> = {};
    for (const name of outputs) {
      try {
        out[name] = readFileSync(join(dir, name));
      } catch {
        /* not produced */
      }
    }
    return { ok, stdout, out };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** PEM of a DER SubjectPublicKeyInfo. */
export function spkiPem(der: Uint8Array): string {
  const b64 = Buffer.from(der)
    .toString('base64')
    .replace(/(.{64})/g, '$1\n');
  return `-----BEGIN PUBLIC KEY-----\n${b64}\n-----END PUBLIC KEY-----\n`;
}
