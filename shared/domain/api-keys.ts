/**
 * API keys: `vp_s_<keyId>_<secret>` for a state key, `vp_d_<keyId>_<secret>` for a district key. The key id
 * finds the stored record; only the SHA-256 of the 256-bit random secret is stored (a slow hash buys nothing at
 * that entropy), and it is compared in constant time. A key is shown once, when it is made.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';

export type KeyScope =
  | { readonly kind: 'state' }
  | { readonly kind: 'district'; readonly districtId: string };

const KEY_PATTERN = /^vp_([sd])_([0-9a-f]{16})_([A-Za-z0-9_-]{43})$/;

export interface NewKey {
  /** The whole key, for the caller's eyes only, once. */
  readonly apiKey: string;
  readonly keyId: string;
  readonly secretHash: string;
  /** The key's identity for per-key rate limiting (the API Gateway usage plan key); not a credential. */
  readonly usageKey: string;
}

export function newKey(scope: KeyScope): NewKey {
  const keyId = randomBytes(8).toString('hex');
  const secret = randomBytes(32).toString('base64url');
  return {
    apiKey: `vp_${scope.kind === 'state' ? 's' : 'd'}_${keyId}_${secret}`,
    keyId,
    secretHash: hashSecret(secret),
    // hex: API Gateway API key values are safest alphanumeric
    usageKey: `vpu${randomBytes(20).toString('hex')}`,
  };
}

export interface PresentedKey {
  readonly kind: KeyScope['kind'];
  readonly keyId: string;
  readonly secret: string;
}

/** Reads a presented key (the bearer token, or the whole `Bearer …` header value); undefined if malformed. */
export function parseKey(presented: string | undefined): PresentedKey | undefined {
  const token = presented?.replace(/^Bearer\s+/i, '').trim();
  const match = token ? KEY_PATTERN.exec(token) : null;
  if (!match?.[2] || !match[3]) return undefined;
  return { kind: match[1] === 's' ? 'state' : 'district', keyId: match[2], secret: match[3] };
}

export function hashSecret(secret: string): string {
  return createHash('sha256').update(secret).digest('hex');
}

/** Whether a secret matches a stored hash, in time that does not depend on where they differ. */
export function secretMatches(secret: string, storedHash: string): boolean {
  const presented = Buffer.from(hashSecret(secret), 'hex');
  const stored = Buffer.from(storedHash, 'hex');
  return presented.length === stored.length && timingSafeEqual(presented, stored);
}
