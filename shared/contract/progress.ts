/**
 * The body of `GET /v1/districts/{districtId}/progress` (PRODUCT §5), for the OpenAPI document and the typed
 * client. The figures are computed by shared/domain/progress.ts; test/unit/progress-contract.test.ts checks that
 * what it computes fits this schema.
 */
import { Id, Timestamp } from './common';
import { MILESTONE_STATUSES } from './milestones';
import * as z from './zod';

const Count = z.number().int().min(0);
/** A rate to 4 decimals. */
const Rate = z.number().min(0).max(1);
/** A mean or difference of levels to 2 decimals. */
const Mean = z.number();

export const Suppressed = z.object({ suppressed: z.literal(true) }).openapi('Suppressed', {
  description:
    'A cell or entity about fewer people than the state minimum n: no count, mean or rate is published.',
});

const RoleCell = z.union([z.object({ n: Count, mean: Mean }), Suppressed]);
const GroupCell = z.union([z.object({ n: Count, masteryRate: Rate }), Suppressed]);

const ConditionHead = { conditionId: Id, name: z.string(), priority: z.boolean() };
const CompetencyHead = { competencyId: Id, name: z.string() };

export const ConditionProgress = z
  .union([
    z.object({
      ...ConditionHead,
      responses: Count.openapi({ description: 'Respondents counted: one latest rating each.' }),
      mean: Mean,
      byRole: z.record(z.string(), RoleCell).openapi({ description: 'Roles with at least one response.' }),
      alignmentGap: Mean.nullable().openapi({
        description: 'Highest minus lowest role mean among unsuppressed roles; null with fewer than two.',
      }),
    }),
    z.object({ ...ConditionHead, suppressed: z.literal(true) }),
  ])
  .openapi('ConditionProgress');

export const CompetencyProgress = z
  .union([
    z.object({
      ...CompetencyHead,
      learnersAssessed: Count,
      atMastery: Count,
      masteryRate: Rate,
      byGroup: z
        .record(z.string(), GroupCell)
        .openapi({ description: "Groups on the learners' latest evidence, with at least one learner." }),
    }),
    z.object({ ...CompetencyHead, suppressed: z.literal(true) }),
  ])
  .openapi('CompetencyProgress');

export const MilestoneProgress = z
  .object({
    total: Count,
    byStatus: z.object(
      Object.fromEntries(MILESTONE_STATUSES.map((status) => [status, Count])) as Record<
        (typeof MILESTONE_STATUSES)[number],
        typeof Count
      >,
    ),
    completionRate: Rate.nullable().openapi({
      description: 'achieved / (total − cancelled); null when that is 0.',
    }),
    overdue: Count.openapi({
      description: "Not achieved or cancelled, due before today in the district's timezone.",
    }),
    stale: Count.openapi({ description: 'Not achieved or cancelled, updated more than 30 days ago.' }),
    byCondition: z.record(z.string(), z.object({ total: Count, achieved: Count })),
  })
  .openapi('MilestoneProgress');

export const Progress = z
  .object({
    districtId: Id,
    asOf: Timestamp.nullable().openapi({
      description: 'Time of the latest change reflected; null before any.',
    }),
    eventsApplied: Count.openapi({
      description:
        'Applied milestone writes, distinct accepted submissions, and voids and removals that changed something.',
    }),
    milestones: MilestoneProgress,
    conditions: z
      .array(ConditionProgress)
      .openapi({ description: 'Every condition of the framework, in its order.' }),
    competencies: z
      .array(CompetencyProgress)
      .openapi({ description: 'Every competency of the framework, in its order.' }),
  })
  .openapi('Progress');

export type Progress = z.infer<typeof Progress>;
