/**
 * The contract's example payloads: shown in the OpenAPI document and the reference page, and the starting point
 * of the tests' fixtures, so that what is documented is what is tested.
 */
import type { z } from 'zod';
import type { CompetencyEvidence, ConditionRating } from './assessments';
import type { MilestoneBody } from './milestones';
import type { SubscriberBody } from './subscribers';

export const conditionRatingExample = {
  type: 'condition-rating',
  submissionId: 's-2026-fall-0001',
  respondent: { id: 'r-7f3a', role: 'teacher', schoolId: 'lincoln-hs' },
  submittedAt: '2026-11-18T14:00:00-05:00',
  ratings: [
    { conditionId: 'culture', level: 3 },
    { conditionId: 'agency', level: 2 },
  ],
} satisfies z.input<typeof ConditionRating>;

export const competencyEvidenceExample = {
  type: 'competency-evidence',
  submissionId: 'e-000193',
  learner: { id: 'l-91c2', schoolId: 'lincoln-hs', gradeLevel: '10', groups: ['ell'] },
  competencyId: 'critical-thinking',
  level: 3,
  assessedOn: '2026-11-12',
} satisfies z.input<typeof CompetencyEvidence>;

export const milestoneExample = {
  title: 'Board adopts Portrait of a Graduate',
  conditionId: 'shared-vision',
  status: 'on_track',
  dueDate: '2027-03-01',
  achievedOn: null,
  owner: 'Assistant Superintendent',
  updatedAt: '2026-11-20T15:04:05Z',
} satisfies z.input<typeof MilestoneBody>;

export const subscriberExample = {
  email: 'superintendent@lincoln.k12.example.us',
  name: 'Dr. Jane Rivera',
  cadence: 'weekly',
} satisfies z.input<typeof SubscriberBody>;
