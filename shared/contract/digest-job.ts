import * as z from 'zod';

/** One message on the digest queue: a subscriber's digest for one period. */
export const DigestJob = z.strictObject({
  subscriberId: z.string().min(1),
  districtId: z.string().min(1).optional(),
  cadence: z.enum(['weekly', 'monthly']),
  period: z.string().regex(/^\d{4}-(W\d{2}|\d{2})$/),
  plannedAt: z.iso.datetime({ offset: true }),
});

export type DigestJob = z.infer<typeof DigestJob>;
