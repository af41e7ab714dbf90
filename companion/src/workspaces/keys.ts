// Credentials of a workspace: random signing secrets and org keys, and the org key's hash. Org keys
// are high-entropy random strings, so a plain SHA-256 (no salt, no slow KDF) is the right hash:
// it cannot be brute-forced and it can be looked up by equality.
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export function randomSigningSecret(): string {
  return `rss_${randomBytes(32).toString('base64url')}`;
}

export function randomOrgKey(): string {
  return `rok_${randomBytes(32).toString('base64url')}`;
}

export function hashOrgKey(orgKey: string): string {
  return createHash('sha256').update(orgKey, 'utf8').digest('hex');
}

/** Constant-time comparison of two hex digests of equal length. */
export function sameDigest(a: string, b: string): boolean {
  const x = Buffer.from(a, 'hex');
  const y = Buffer.from(b, 'hex');
  return x.length === y.length && x.length > 0 && timingSafeEqual(x, y);
}
