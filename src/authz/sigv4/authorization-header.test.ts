// The Authorization header parser against the split-based reading it replaced: same parts, same
// errors, for valid headers and thousands of mangled ones.
import { describe, expect, it } from 'vitest';
import { KmsError } from '../../errors.js';
import { parseAuthorizationHeader } from './authorization-header.js';

const VALID =
  'AWS4-HMAC-SHA256 Credential=AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/kms/aws4_request, SignedHeaders=content-type;host;x-amz-date;x-amz-target, Signature=1e4f6b0b6c3bb0c6e2bd7a7dfd4ae0b0b3d01c4c2b8ec5a1c1e6c0f2d5b1a9e7';

/** The reading by split, kept as the reference for the exact parts and messages. */
function reference(header: string, hasDate: boolean): unknown {
  const trimmed = header.trim();
  const space = trimmed.indexOf(' ');
  const algorithm = space < 0 ? trimmed : trimmed.slice(0, space);
  if (algorithm !== 'AWS4-HMAC-SHA256') {
    throw new Error(
      `Authorization header requires 'Credential' parameter. Authorization header requires 'Signature' parameter. Authorization header requires 'SignedHeaders' parameter. Authorization=${trimmed}`,
    );
  }
  let credential: string | undefined;
  let signedHeadersText: string | undefined;
  let signature: string | undefined;
  for (const part of trimmed.slice(space + 1).split(',')) {
    const item = part.trim();
    const eq = item.indexOf('=');
    if (eq < 0) continue;
    const name = item.slice(0, eq);
    const value = item.slice(eq + 1);
    if (name === 'Credential') credential = value;
    else if (name === 'SignedHeaders') signedHeadersText = value;
    else if (name === 'Signature') signature = value;
  }
  const missing: string[] = [];
  if (credential === undefined)
    missing.push("Authorization header requires 'Credential' parameter.");
  if (signature === undefined) missing.push("Authorization header requires 'Signature' parameter.");
  if (signedHeadersText === undefined)
    missing.push("Authorization header requires 'SignedHeaders' parameter.");
  if (!hasDate)
    missing.push(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  if (missing.length > 0 || credential === undefined || signature === undefined)
    throw new Error(`${missing.join(' ')} Authorization=${trimmed}`);
  const parts = credential.split('/');
  const [accessKeyId, date, region, service, terminator] = parts;
  if (parts.length !== 5)
    throw new Error(
      `Credential must have exactly 5 slash-delimited elements, e.g. keyid/date/region/service/term, got '${credential}'`,
    );
  const headersText = signedHeadersText ?? '';
  return {
    scope: { text: credential, accessKeyId, date, region, service, terminator },
    scopeText: credential.slice((accessKeyId ?? '').length + 1),
    signedHeadersText: headersText,
    signedHeaders: headersText.split(';'),
    signature,
  };
}

function outcome(parse: () => unknown): unknown {
  try {
    return parse();
  } catch (err) {
    if (err instanceof KmsError)
      return { error: err.message, isIncomplete: err.type === 'IncompleteSignatureException' };
    return { error: (err as Error).message, isIncomplete: true };
  }
}

/** A small random rewrite of `text` from pieces that matter to the parser. */
function mangle(text: string, random: () => number): string {
  const pieces = [
    ',',
    ' ',
    '  ',
    '=',
    '/',
    ';',
    '\t',
    'Credential=',
    'Signature=',
    'SignedHeaders=',
    'x',
    ', Credential=a/b/c/d/e',
    '',
  ];
  let out = text;
  for (let n = 1 + Math.floor(random() * 3); n > 0; n--) {
    // Half the edits fall in the signature, where a header seen before is read from its prefix.
    const from = random() < 0.5 ? out.length - 70 : 0;
    const at = from + Math.floor(random() * (out.length + 1 - from));
    const cut = Math.floor(random() * 4);
    const piece = pieces[Math.floor(random() * pieces.length)] ?? '';
    out = out.slice(0, at) + piece + out.slice(at + cut);
  }
  return out;
}

describe('parseAuthorizationHeader', () => {
  it('reads the credential scope, the signed headers and the signature', () => {
    const parsed = parseAuthorizationHeader(VALID, true);
    expect(parsed.scope).toEqual({
      text: 'AKIAIOSFODNN7EXAMPLE/20261129/us-east-1/kms/aws4_request',
      accessKeyId: 'AKIAIOSFODNN7EXAMPLE',
      date: '20261129',
      region: 'us-east-1',
      service: 'kms',
      terminator: 'aws4_request',
    });
    expect(parsed.scopeText).toBe('20261129/us-east-1/kms/aws4_request');
    expect(parsed.signedHeaders).toEqual(['content-type', 'host', 'x-amz-date', 'x-amz-target']);
    expect(parsed.signature).toHaveLength(64);
  });

  it('reads the signature of each header, also after a header that differs only in it', () => {
    const other = `${VALID.slice(0, -64)}${'0'.repeat(64)}`;
    expect(parseAuthorizationHeader(VALID, true).signature).toBe(VALID.slice(-64));
    expect(parseAuthorizationHeader(other, true).signature).toBe('0'.repeat(64));
    expect(parseAuthorizationHeader(`${other}, Signature=1`, true).signature).toBe('1');
    expect(parseAuthorizationHeader(`  ${other}\t`, true).signature).toBe('0'.repeat(64));
    expect(() => parseAuthorizationHeader(other, false)).toThrow(
      "Authorization header requires existence of either a 'X-Amz-Date' or a 'Date' header.",
    );
  });

  it('gives the same parts and the same errors as reading by split, on mangled headers', () => {
    // Each sample is parsed after the ones before it, so later ones meet remembered prefixes.
    let seed = 42;
    const random = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const samples = [VALID, '', ' ', 'AWS4-HMAC-SHA256', ' AWS4-HMAC-SHA256 ', 'Bearer x'];
    for (let i = 0; i < 5000; i++) samples.push(mangle(VALID, random));
    const differing = samples.filter((header) =>
      [true, false].some(
        (hasDate) =>
          JSON.stringify(outcome(() => parseAuthorizationHeader(header, hasDate))) !==
          JSON.stringify(outcome(() => reference(header, hasDate))),
      ),
    );
    expect(differing).toEqual([]);
    const kinds = new Set(
      samples.map((h) => JSON.stringify(outcome(() => reference(h, true))).slice(0, 40)),
    );
    expect(kinds.size).toBeGreaterThan(10);
  });
});
