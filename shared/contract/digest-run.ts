import { Timestamp } from './common';
import { z } from './zod';

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
