import type { Framework } from '../../shared/contract/framework';
import type { z } from '../../shared/contract/zod';

/** The framework every new district starts from unless its state says otherwise. */
export const seedFramework = {
  visionStatement: 'Every learner graduates ready for what comes next.',
  conditions: [
    { id: 'shared-vision', name: 'Shared Vision', priority: true },
    { id: 'culture', name: 'Learning Community Culture', priority: true },
    { id: 'agency', name: 'Collective and Individual Agency', priority: true },
    { id: 'transparency', name: 'Transparency', priority: true },
  ],
  roles: ['superintendent', 'district-leader', 'principal', 'teacher', 'student', 'family', 'community'],
  rubric: ['Exploring', 'Emerging', 'Developing', 'Sustaining'],
  competencies: [
    { id: 'critical-thinking', name: 'Critical Thinking' },
    { id: 'communication', name: 'Communication' },
    { id: 'collaboration', name: 'Collaboration' },
    { id: 'creativity', name: 'Creativity' },
    { id: 'self-direction', name: 'Self-Direction' },
    { id: 'citizenship', name: 'Citizenship' },
  ],
  proficiency: { levels: 4, masteryThreshold: 3 },
  masteryMethod: { method: 'decaying_average', weight: 65 },
} satisfies z.input<typeof Framework>;
