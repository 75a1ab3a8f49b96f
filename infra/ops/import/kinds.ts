/**
 * The three files of a district's history and their columns. A column is named by the path of the contract's
 * field it fills (`respondent.role`, `learner.groups`), so that an error about a field names the column it came
 * from; docs/import.md describes each file.
 */

/** The kinds of file an import reads, in the order it reads them. */
export const IMPORT_KINDS = ['milestones', 'ratings', 'evidence'] as const;
export type ImportKind = (typeof IMPORT_KINDS)[number];

interface KindColumns {
  /** Columns the header must have (a cell may still be empty: the row is then rejected for the field). */
  readonly required: readonly string[];
  /** Columns the header may have; an empty cell leaves the field out. */
  readonly optional: readonly string[];
}

const KIND_COLUMNS: Readonly<Record<ImportKind, KindColumns>> = {
  milestones: {
    required: ['milestoneId', 'title', 'conditionId', 'status', 'updatedAt'],
    optional: ['dueDate', 'achievedOn', 'owner'],
  },
  ratings: {
    required: ['submissionId', 'respondent.id', 'respondent.role', 'submittedAt', 'ratings'],
    optional: ['respondent.schoolId'],
  },
  evidence: {
    required: ['submissionId', 'learner.id', 'competencyId', 'level', 'assessedOn'],
    optional: ['learner.schoolId', 'learner.gradeLevel', 'learner.groups'],
  },
};

/** What each kind holds, for help texts and messages. */
export const KIND_DESCRIPTIONS: Readonly<Record<ImportKind, string>> = {
  milestones: 'milestone updates, one row per PUT of a milestone',
  ratings: 'condition ratings, one row per submission',
  evidence: 'competency evidence, one row per submission',
};

/** Problems of a header row, one line each; none when the header can be read as a file of `kind`. */
export function headerProblems(kind: ImportKind, header: readonly string[]): string[] {
  const { required, optional } = KIND_COLUMNS[kind];
  const known = new Set([...required, ...optional]);
  const problems: string[] = [];
  const seen = new Set<string>();
  for (const column of header) {
    if (seen.has(column)) problems.push(`column ${column} appears twice`);
    seen.add(column);
  }
  const unknown = header.filter((column) => !known.has(column));
  if (unknown.length > 0) {
    problems.push(
      `unknown column${unknown.length === 1 ? '' : 's'} ${unknown.join(', ')}: a ${kind} file has ` +
        `${[...required, ...optional].join(', ')}`,
    );
  }
  const missing = required.filter((column) => !seen.has(column));
  if (missing.length > 0) {
    problems.push(`missing column${missing.length === 1 ? '' : 's'} ${missing.join(', ')}`);
  }
  return problems;
}
