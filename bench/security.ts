// The one place that decides how the benchmarked server is secured: which serve flags it gets, which
// access key signs the requests, and what the report says about authentication and audit.
import { sendRaw, type Endpoint } from './kms-call.js';
import type { Credentials } from './sigv4.js';

/** Flags added to `trent serve` beyond address and data dir (audit settings go here when they exist). */
export const SECURITY_SERVE_ARGS: readonly string[] = [];

/** Used only when no real access key can be obtained; a server that authenticates refuses it. */
export const PLACEHOLDER_CREDENTIALS: Credentials = {
  accessKeyId: 'AKIABENCHMARKPLACEHOLD',
  secretAccessKey: 'benchmark-placeholder-secret-not-a-real-key',
};

export interface AccessKey {
  readonly credentials: Credentials;
  readonly source: string;
}

/**
 * A real access key for the server's data dir: from TRENT_BENCH_ACCESS_KEY_ID and
 * TRENT_BENCH_SECRET_ACCESS_KEY, or from the administrator key a first start prints; else the placeholder.
 */
export function accessKeyFor(serverOutput: string, env: NodeJS.ProcessEnv): AccessKey {
  const id = env.TRENT_BENCH_ACCESS_KEY_ID;
  const secret = env.TRENT_BENCH_SECRET_ACCESS_KEY;
  if (id && secret)
    return { credentials: { accessKeyId: id, secretAccessKey: secret }, source: 'environment' };
  const printed = parsePrintedAccessKey(serverOutput);
  if (printed) return { credentials: printed, source: 'printed by the first start' };
  return { credentials: PLACEHOLDER_CREDENTIALS, source: 'placeholder (no access key available)' };
}

/**
 * The access key a first start prints (`aws_access_key_id = AKIA…` and `aws_secret_access_key = …`),
 * or, in other wordings, a 20-character key id and a 40-character secret.
 */
export function parsePrintedAccessKey(text: string): Credentials | undefined {
  const id =
    /access_key_id\s*[:=]\s*([A-Z0-9]{16,128})/i.exec(text)?.[1] ??
    /\b((?:AKIA|ASIA)[A-Z0-9]{16})\b/.exec(text)?.[1];
  const secret = /secret[^:=\n]*[:=]\s*([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/i.exec(text)?.[1];
  return id && secret ? { accessKeyId: id, secretAccessKey: secret } : undefined;
}

/**
 * Whether the server refuses an unsigned request: the report states plainly if authentication was
 * not enforced, because the numbers then leave out signature verification.
 */
export async function isAuthenticationEnforced(endpoint: Endpoint): Promise<boolean> {
  const answer = await sendRaw(
    endpoint,
    { 'content-type': 'application/x-amz-json-1.1', 'x-amz-target': 'TrentService.ListKeys' },
    '{"Limit":1}',
  );
  return answer.status < 200 || answer.status >= 300;
}

/**
 * What the report says about the audit trail, from the serve help: on with the server's default
 * durability when the server has one (it cannot be switched off), else not available.
 */
export function describeAudit(serveHelp: string): string {
  if (!/audit/i.test(serveHelp)) return 'not available in this build';
  const durability = /--audit-durability[^\n]*\(default (\w+)\)/.exec(serveHelp)?.[1];
  return durability === undefined
    ? 'on (server defaults)'
    : `on, durability ${durability} (server default)`;
}
