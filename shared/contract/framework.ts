import { Id } from './common';
import * as z from './zod';

export const MASTERY_METHODS = ['highest', 'latest', 'average', 'decaying_average', 'n_mastery'] as const;

export const MasteryMethod = z
  .discriminatedUnion('method', [
    z.strictObject({ method: z.literal('highest') }),
    z.strictObject({ method: z.literal('latest') }),
    z.strictObject({ method: z.literal('average') }),
    z.strictObject({ method: z.literal('decaying_average'), weight: z.number().int().min(1).max(99) }),
    z.strictObject({ method: z.literal('n_mastery'), n: z.number().int().min(1).max(5) }),
  ])
  .openapi('MasteryMethod');

const Name = z.string().trim().min(1).max(200);

/**
 * A district's framework: its vision, conditions for change, stakeholder roles, rubric, Portrait-of-a-Graduate
 * competencies and how mastery is decided. Validated against itself: unique ids, a threshold within the scale.
 */
export const Framework = z
  .strictObject({
    visionStatement: z.string().trim().min(1).max(2000),
    conditions: z
      .array(z.strictObject({ id: Id, name: Name, priority: z.boolean().default(false) }))
      .min(1)
      .max(50),
    roles: z.array(Id).min(1).max(50),
    rubric: z.array(z.string().trim().min(1).max(100)).min(2).max(10),
    competencies: z
      .array(z.strictObject({ id: Id, name: Name }))
      .min(1)
      .max(50),
    proficiency: z.strictObject({
      levels: z.number().int().min(2).max(10),
      masteryThreshold: z.number().int().min(1),
    }),
    masteryMethod: MasteryMethod,
  })
  .superRefine((framework, ctx) => {
    const unique = (ids: readonly string[], path: string) => {
      const seen = new Set<string>();
      ids.forEach((id, index) => {
        if (seen.has(id))
          ctx.addIssue({ code: 'custom', path: [path, index], message: `duplicate id "${id}"` });
        seen.add(id);
      });
    };
    unique(
      framework.conditions.map((c) => c.id),
      'conditions',
    );
    unique(framework.roles, 'roles');
    unique(
      framework.competencies.map((c) => c.id),
      'competencies',
    );
    if (framework.proficiency.masteryThreshold > framework.proficiency.levels) {
      ctx.addIssue({
        code: 'custom',
        path: ['proficiency', 'masteryThreshold'],
        message: `must be within 1..${framework.proficiency.levels} (proficiency.levels)`,
      });
    }
  })
  .openapi('Framework');

export type Framework = z.infer<typeof Framework>;
