import { CADENCES } from '../domain/periods';
import { normalizeEmail, SUBSCRIBER_STATUSES } from '../domain/subscribers';
import { Id, listOf, Timestamp } from './common';
import * as z from './zod';

export const Cadence = z.enum(CADENCES).openapi({
  description: 'weekly: one digest per ISO week; monthly: one per calendar month (both in state time).',
});

/** A subscriber id: `sub-` and 16 hex digits. */
export const SubscriberId = z
  .string()
  .regex(/^sub-[0-9a-f]{16}$/, 'must be a subscriber id (sub- and 16 hex digits)')
  .openapi({ example: 'sub-3f9c1a2b4d5e6f70' });

/**
 * An e-mail address, validated with zod's e-mail pattern after trimming, and stored normalized (domain
 * lower-cased); 254 characters is the longest address SMTP carries.
 */
export const EmailAddress = z
  .string()
  .trim()
  .max(254)
  .regex(z.regexes.email, 'must be an e-mail address')
  .overwrite(normalizeEmail)
  .openapi({ format: 'email', example: 'superintendent@lincoln.k12.example.us' });

export const SubscriberBody = z
  .strictObject({
    email: EmailAddress,
    name: z.string().trim().min(1).max(200).optional().openapi({ example: 'Dr. Jane Rivera' }),
    cadence: Cadence,
  })
  .openapi('SubscriberBody');
export type SubscriberBody = z.infer<typeof SubscriberBody>;

export const CreatedSubscriber = z.object({ subscriberId: SubscriberId }).openapi('CreatedSubscriber');

export const Subscriber = z
  .object({
    subscriberId: SubscriberId,
    email: z.string().openapi({ format: 'email', example: 'superintendent@lincoln.k12.example.us' }),
    name: z.string().nullable(),
    cadence: Cadence,
    status: z.enum(SUBSCRIBER_STATUSES).openapi({
      description:
        'active: gets digests; unsubscribed: followed an unsubscribe link; suppressed: bounced or complained.',
    }),
    createdAt: Timestamp,
  })
  .openapi('Subscriber');
export type Subscriber = z.infer<typeof Subscriber>;

export const SubscriberList = listOf(Subscriber).openapi('SubscriberList');

export const SubscriberPath = z.strictObject({ districtId: Id, subscriberId: SubscriberId });
