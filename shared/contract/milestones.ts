import { Id, IsoDate, listOf, Timestamp } from './common';
import * as z from './zod';

export const MILESTONE_STATUSES = [
  'not_started',
  'on_track',
  'at_risk',
  'off_track',
  'achieved',
  'cancelled',
] as const;

export const MilestoneBody = z
  .strictObject({
    title: z.string().trim().min(1).max(300).openapi({ example: 'Board adopts Portrait of a Graduate' }),
    conditionId: Id.openapi({ example: 'shared-vision' }),
    status: z.enum(MILESTONE_STATUSES),
    dueDate: IsoDate.nullable().optional(),
    achievedOn: IsoDate.nullable().optional(),
    owner: z
      .string()
      .trim()
      .min(1)
      .max(200)
      .nullable()
      .optional()
      .openapi({ example: 'Assistant Superintendent' }),
    updatedAt: Timestamp,
  })
  .superRefine((milestone, ctx) => {
    if (milestone.status === 'achieved' && !milestone.achievedOn) {
      ctx.addIssue({ code: 'custom', path: ['achievedOn'], message: 'is required when status is achieved' });
    }
  })
  .openapi('MilestoneBody');
export type MilestoneBody = z.infer<typeof MilestoneBody>;

export const Milestone = z
  .object({
    milestoneId: Id,
    title: z.string(),
    conditionId: Id,
    status: z.enum(MILESTONE_STATUSES),
    dueDate: IsoDate.nullable(),
    achievedOn: IsoDate.nullable(),
    owner: z.string().nullable(),
    updatedAt: Timestamp,
  })
  .openapi('Milestone');
export type Milestone = z.infer<typeof Milestone>;

export const MilestoneWrite = Milestone.extend({
  applied: z.boolean().openapi({
    description: 'false when the stored milestone is newer, or the same write was already applied.',
  }),
}).openapi('MilestoneWrite');

export const MilestoneList = listOf(Milestone).openapi('MilestoneList');

export const MilestonePath = z.strictObject({ districtId: Id, milestoneId: Id });
