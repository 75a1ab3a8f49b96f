import { Id, IsoDate, Timestamp } from './common';
import * as z from './zod';

const Level = z.number().int().min(1).max(10);

/** A submission id; `batch` is taken by the batch route, so a submission by that name could never be voided. */
const SubmissionId = Id.refine((id) => id !== 'batch', {
  message: 'is reserved: batch names the batch route',
});

export const ConditionRating = z
  .strictObject({
    type: z.literal('condition-rating'),
    submissionId: SubmissionId.openapi({ example: 's-2026-fall-0001' }),
    respondent: z.strictObject({
      id: Id.openapi({
        description: 'Pseudonymous respondent id assigned by the district.',
        example: 'r-7f3a',
      }),
      role: Id.openapi({ example: 'teacher' }),
      schoolId: Id.optional().openapi({ example: 'lincoln-hs' }),
    }),
    submittedAt: Timestamp.openapi({ example: '2026-11-18T14:00:00-05:00' }),
    ratings: z
      .array(
        z.strictObject({
          conditionId: Id.openapi({ example: 'culture' }),
          level: Level.openapi({ example: 3 }),
        }),
      )
      .min(1)
      .max(50)
      .superRefine((ratings, ctx) => {
        const seen = new Set<string>();
        ratings.forEach((rating, index) => {
          if (seen.has(rating.conditionId)) {
            ctx.addIssue({ code: 'custom', path: [index, 'conditionId'], message: 'is rated twice' });
          }
          seen.add(rating.conditionId);
        });
      }),
  })
  .openapi('ConditionRating');

export const CompetencyEvidence = z
  .strictObject({
    type: z.literal('competency-evidence'),
    submissionId: SubmissionId.openapi({ example: 'e-000193' }),
    learner: z.strictObject({
      id: Id.openapi({ description: 'Pseudonymous learner id assigned by the district.', example: 'l-91c2' }),
      schoolId: Id.optional().openapi({ example: 'lincoln-hs' }),
      gradeLevel: z
        .string()
        .regex(/^(PK|K|[1-9]|1[0-2])$/, 'must be PK, K or 1-12')
        .optional()
        .openapi({ example: '10' }),
      groups: z
        .array(Id)
        .max(20)
        .optional()
        .openapi({ example: ['ell'] }),
    }),
    competencyId: Id.openapi({ example: 'critical-thinking' }),
    level: Level.openapi({ example: 3 }),
    assessedOn: IsoDate.openapi({ example: '2026-11-12' }),
  })
  .openapi('CompetencyEvidence');

export const Submission = z
  .discriminatedUnion('type', [ConditionRating, CompetencyEvidence])
  .openapi('Submission');
export type Submission = z.infer<typeof Submission>;

export const SubmissionAccepted = z
  .object({ submissionId: Id, receivedAt: Timestamp })
  .openapi('SubmissionAccepted');

export const MAX_BATCH_ITEMS = 100;

/** What the batch route validates up front; each item is then validated on its own, as a Submission. */
export const BatchEnvelope = z.strictObject({ items: z.array(z.unknown()).min(1).max(MAX_BATCH_ITEMS) });

/** The batch body as documented. */
export const SubmissionBatch = z
  .strictObject({ items: z.array(Submission).min(1).max(MAX_BATCH_ITEMS) })
  .openapi('SubmissionBatch');

export const BatchResult = z
  .object({
    index: z.number().int(),
    status: z.number().int().openapi({
      description:
        '201 stored, 200 identical replay, 400 invalid, 409 conflict, 503 not stored this time (send it again).',
    }),
    submissionId: z.string().optional(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('BatchResult');

export const BatchResults = z.object({ results: z.array(BatchResult) }).openapi('BatchResults');

export const SubmissionPath = z.strictObject({ districtId: Id, submissionId: SubmissionId });
