/**
 * The token of a digest's one-click unsubscribe link (RFC 8058): who it unsubscribes, signed with the state's
 * secret so that nobody can unsubscribe someone else by guessing ids. It carries ids only, never the address, and
 * does not expire: an unsubscribe link must keep working for as long as the e-mail is kept.
 *
 * Format: `<payload>.<signature>`, both base64url; the payload is JSON, the signature HMAC-SHA256 of the payload
 * text. Verification takes several secrets, so that a rotated secret's links keep working until it is retired.
 */
import { createHmac, timingSafeEqual } from 'node:crypto';
import * as z from 'zod';

/** Whom a token unsubscribes: a district's subscriber, or a state-wide one (no districtId). */
export interface UnsubscribeTarget {
  readonly subscriberId: string;
  readonly districtId?: string;
}

const Payload = z.strictObject({
  v: z.literal(1),
  s: z.string().min(1).max(64),
  d: z.string().min(1).max(64).optional(),
});

/** A secret must carry at least 256 bits. */
const MIN_SECRET_BYTES = 32;

function signature(payload: string, secret: string): Buffer {
  if (Buffer.byteLength(secret) < MIN_SECRET_BYTES) {
    throw new RangeError(`an unsubscribe secret needs at least ${MIN_SECRET_BYTES} bytes`);
  }
  return createHmac('sha256', secret).update(payload).digest();
}

/** Signs a token for `target` with `secret`. */
export function signUnsubscribeToken(target: UnsubscribeTarget, secret: string): string {
  const payload = Buffer.from(
    JSON.stringify({
      v: 1,
      s: target.subscriberId,
      ...(target.districtId === undefined ? {} : { d: target.districtId }),
    }),
  ).toString('base64url');
  return `${payload}.${signature(payload, secret).toString('base64url')}`;
}

/**
 * The target of a token signed with one of `secrets`; `undefined` for anything else (malformed, forged,
 * altered, or signed with a retired secret). Never throws on input.
 */
export function verifyUnsubscribeToken(
  token: string,
  secrets: readonly string[],
): UnsubscribeTarget | undefined {
  const [payload, signed, ...rest] = token.split('.');
  if (!payload || !signed || rest.length > 0) return undefined;
  const presented = Buffer.from(signed, 'base64url');
  const valid = secrets.some((secret) => {
    const expected = signature(payload, secret);
    return presented.length === expected.length && timingSafeEqual(presented, expected);
  });
  if (!valid) return undefined;
  let parsed: unknown;
  try {
    parsed = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
  const result = Payload.safeParse(parsed);
  if (!result.success) return undefined;
  return {
    subscriberId: result.data.s,
    ...(result.data.d === undefined ? {} : { districtId: result.data.d }),
  };
}

/** The unsubscribe link of a token: `<base>/v1/unsubscribe?token=…`; without a token, the page itself. */
export function unsubscribeLink(publicBaseUrl: string, token?: string): string {
  const url = new URL('v1/unsubscribe', publicBaseUrl.endsWith('/') ? publicBaseUrl : `${publicBaseUrl}/`);
  if (token !== undefined) url.searchParams.set('token', token);
  return url.toString();
}
