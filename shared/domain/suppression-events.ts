/**
 * Which SES events stop a subscriber's digests (PRODUCT §6: bounced and complaining subscribers get nothing
 * further): a permanent bounce (the address does not exist) and a complaint (marked as spam). A transient bounce
 * (a full mailbox, a greylisting server) does not: the next period tries again.
 */
import type { SesEvent } from '../contract/ses-event';

/** The message tags the sender puts on every digest, naming whom it went to. */
const DIGEST_TAGS = { subscriberId: 'subscriberId', districtId: 'districtId' } as const;

export interface Suppression {
  readonly subscriberId: string;
  /** Absent for a state-wide subscriber. */
  readonly districtId?: string;
  readonly reason: 'bounce' | 'complaint';
}

/** The subscriber an event suppresses, or `undefined` when it suppresses nobody (or is not about a digest). */
export function suppressionOf(event: SesEvent): Suppression | undefined {
  const reason =
    event.eventType === 'Complaint'
      ? 'complaint'
      : event.eventType === 'Bounce' && event.bounce?.bounceType === 'Permanent'
        ? 'bounce'
        : undefined;
  if (!reason) return undefined;
  const [subscriberId] = event.mail.tags[DIGEST_TAGS.subscriberId] ?? [];
  if (!subscriberId) return undefined;
  const [districtId] = event.mail.tags[DIGEST_TAGS.districtId] ?? [];
  return { subscriberId, reason, ...(districtId ? { districtId } : {}) };
}
