import { describe, expect, it } from 'vitest';
import {
  isWellFormedGrantId,
  matchesStoredHash,
  mintGrantToken,
  newGrantId,
  parseGrantToken,
} from './grant-token.js';

describe('grant tokens', () => {
  it('names the grant it was minted for and hashes to the stored hash', () => {
    const grantId = newGrantId();
    const minted = mintGrantToken(grantId);
    const parsed = parseGrantToken(minted.grantToken);
    expect(parsed?.grantId).toBe(grantId);
    expect(matchesStoredHash(parsed!.tokenHash, [minted.tokenHash])).toBe(true);
  });

  it('mints a different token every time for the same grant', () => {
    const grantId = newGrantId();
    expect(mintGrantToken(grantId).grantToken).not.toBe(mintGrantToken(grantId).grantToken);
  });

  it('does not contain the stored hash', () => {
    const minted = mintGrantToken(newGrantId());
    expect(minted.grantToken).not.toContain(minted.tokenHash.toString('base64url'));
  });

  it('refuses a token whose secret was changed', () => {
    const minted = mintGrantToken(newGrantId());
    const bytes = Buffer.from(minted.grantToken, 'base64url');
    for (const at of [1, 20, 40, bytes.length - 1]) {
      const tampered = Buffer.from(bytes);
      tampered[at] = (tampered[at] ?? 0) ^ 1;
      const parsed = parseGrantToken(tampered.toString('base64url'));
      expect(parsed !== undefined && matchesStoredHash(parsed.tokenHash, [minted.tokenHash])).toBe(
        false,
      );
    }
  });

  it('refuses strings that cannot be tokens', () => {
    for (const bad of ['', 'x', 'not a token', '!!!!', Buffer.alloc(65).toString('base64url')]) {
      expect(parseGrantToken(bad)).toBeUndefined();
    }
    const minted = mintGrantToken(newGrantId());
    expect(parseGrantToken(`${minted.grantToken}A`)).toBeUndefined();
    expect(parseGrantToken(minted.grantToken.slice(0, -1))).toBeUndefined();
  });

  it('makes grant ids of 64 lower-case hex characters and recognises only those', () => {
    const id = newGrantId();
    expect(isWellFormedGrantId(id)).toBe(true);
    expect(isWellFormedGrantId(id.toUpperCase())).toBe(false);
    expect(isWellFormedGrantId(id.slice(1))).toBe(false);
  });
});
