/**
 * Digest subscribers in the platform's own terms: who they belong to, the states they pass through, and how an
 * e-mail address is normalized and turned into a key that does not disclose it.
 *
 * E-mail addresses are personal data: they are stored in the subscriber item (the district reads its list back),
 * never in a key, never in a log line.
 */
import { createHash, randomBytes } from 'node:crypto';

/**
 * Whose digest a subscriber gets: one district's, or the state roll-up (a row per district) for a state-wide
 * subscriber.
 */
export type SubscriberScope =
  | { readonly kind: 'district'; readonly districtId: string }
  | { readonly kind: 'state' };

/**
 * `active` subscribers are planned; `unsubscribed` ones asked to stop (the unsubscribe link); `suppressed` ones
 * bounced or complained (SES events). Only active subscribers get anything further.
 */
export const SUBSCRIBER_STATUSES = ['active', 'unsubscribed', 'suppressed'] as const;
export type SubscriberStatus = (typeof SUBSCRIBER_STATUSES)[number];

/** A new subscriber id: `sub-` and 64 random bits in hex, so that ids reveal nothing and never collide. */
export function newSubscriberId(): string {
  return `sub-${randomBytes(8).toString('hex')}`;
}

/**
 * The address as stored: trimmed, with its domain lower-cased (domains are case-insensitive; the local part is
 * kept as the caller wrote it, since it is the recipient's to interpret).
 */
export function normalizeEmail(address: string): string {
  const trimmed = address.trim();
  const at = trimmed.lastIndexOf('@');
  if (at < 0) return trimmed;
  return `${trimmed.slice(0, at)}${trimmed.slice(at).toLowerCase()}`;
}

/**
 * What makes two addresses the same subscriber: the SHA-256 (hex) of the normalized address, lower-cased whole.
 * Mail providers treat the local part case-insensitively in practice, so `Parent@x.org` and `parent@x.org` would
 * reach one mailbox twice if they counted as two subscribers. The hash keeps the address out of table keys.
 */
export function emailKey(address: string): string {
  return createHash('sha256').update(normalizeEmail(address).toLowerCase()).digest('hex');
}
