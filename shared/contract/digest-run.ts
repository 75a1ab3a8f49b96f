import { CADENCES } from '../domain/periods';
import { Timestamp } from './common';
import * as z from './zod';

/** `POST /v1/digests/run`: plan the digests as if it were `at`. */
export const DigestRun = z
  .strictObject({
    at: Timestamp.optional().openapi({ description: 'The instant to plan for; defaults to now.' }),
  })
  .openapi('DigestRun');
export type DigestRun = z.infer<typeof DigestRun>;

/**
 * What a run planned. The planner plans both cadences at once, so `period` names the period of each: the ISO
 * week weekly subscribers were planned for and the month monthly ones were, both in state time.
 */
export const DigestRunResult = z
  .object({
    period: z.object({
      weekly: z
        .string()
        .regex(/^\d{4}-W\d{2}$/)
        .openapi({ example: '2026-W48' }),
      monthly: z
        .string()
        .regex(/^\d{4}-\d{2}$/)
        .openapi({ example: '2026-11' }),
    }),
    enqueued: z.number().int().min(0).openapi({ description: 'Digest jobs put on the queue.', example: 12 }),
  })
  .openapi('DigestRunResult');
export type DigestRunResult = z.infer<typeof DigestRunResult>;

/** `GET /v1/districts/{districtId}/digest/preview?cadence=`: which cadence's digest to show. */
export const DigestPreviewQuery = z
  .strictObject({
    cadence: z.enum(CADENCES).default('weekly').openapi({
      description: 'The digest of a weekly or a monthly subscriber (default weekly): its period and wording.',
    }),
  })
  .openapi('DigestPreviewQuery');

/** `GET`/`POST /v1/unsubscribe?token=`: the signed token of a digest's unsubscribe link. */
export const UnsubscribeQuery = z
  .object({
    token: z
      .string()
      .min(1)
      .max(1024)
      .openapi({ description: "The token of the digest's List-Unsubscribe link." }),
  })
  .openapi('UnsubscribeQuery');
