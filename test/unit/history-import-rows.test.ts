/**
 * The rows of a history import (infra/ops/import/): how a CSV file is read (header, byte order mark, line breaks,
 * quoted cells, short rows), how a row becomes the request the API takes, and how it is checked, with the field
 * paths and messages the API itself would answer. Also the history generator's determinism.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedFramework } from '../../infra/config/default-framework';
import { OpsError } from '../../infra/ops/context';
import { type Cells, type CsvRow, inspectCsvFile, readCsvRows } from '../../infra/ops/import/csv-rows';
import { headerProblems } from '../../infra/ops/import/kinds';
import { checkFileRow, checkRow, listOf, ratingsOf, requestOfRow } from '../../infra/ops/import/rows';
import { generateHistory } from '../../scripts/generate-history';
import { conditionRatingExample } from '../../shared/contract/examples';
import { Framework } from '../../shared/contract/framework';

const framework = Framework.parse(seedFramework);
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'vp-import-rows-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A file of `text` in the test's folder. */
async function csvFile(name: string, text: string | Buffer): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, text);
  return path;
}

async function rowsOf(path: string, kind: Parameters<typeof readCsvRows>[1]): Promise<CsvRow[]> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(path, kind)) rows.push(row);
  return rows;
}

const milestone: Cells = {
  milestoneId: 'board-adopts-pog',
  title: 'Board adopts Portrait of a Graduate',
  conditionId: 'shared-vision',
  status: 'on_track',
  dueDate: '2027-03-01',
  achievedOn: '',
  owner: '',
  updatedAt: '2026-11-20T15:04:05Z',
};
const rating: Cells = {
  submissionId: 's-2026-fall-0001',
  'respondent.id': 'r-7f3a',
  'respondent.role': 'teacher',
  'respondent.schoolId': 'lincoln-hs',
  submittedAt: '2026-11-18T14:00:00-05:00',
  ratings: 'culture:3;agency:2',
};
const evidence: Cells = {
  submissionId: 'e-000193',
  'learner.id': 'l-91c2',
  'learner.schoolId': 'lincoln-hs',
  'learner.gradeLevel': '10',
  'learner.groups': 'ell;iep',
  competencyId: 'critical-thinking',
  level: '3',
  assessedOn: '2026-11-12',
};

/** The field errors of a row that must be refused, as `path: message`. */
function errorsOf(kind: Parameters<typeof checkRow>[0], cells: Cells): string[] {
  const checked = checkRow(kind, cells, framework);
  if (checked.ok) throw new Error('the row was accepted');
  return checked.errors.map((error) => `${error.path}: ${error.message}`);
}

describe('headers', () => {
  it('accept the columns in any order, optional ones left out', () => {
    expect(
      headerProblems('milestones', ['updatedAt', 'status', 'conditionId', 'title', 'milestoneId']),
    ).toEqual([]);
    expect(
      headerProblems('evidence', ['submissionId', 'learner.id', 'competencyId', 'level', 'assessedOn']),
    ).toEqual([]);
  });

  it('name unknown, missing and repeated columns, all at once', () => {
    expect(
      headerProblems('ratings', [
        'submissionId',
        'respondent.id',
        'respondent.id',
        'role',
        'submittedAt',
        'ratings',
      ]),
    ).toEqual([
      'column respondent.id appears twice',
      expect.stringMatching(/^unknown column role: a ratings file has submissionId, respondent\.id, /),
      'missing column respondent.role',
    ]);
  });
});

describe('row mapping', () => {
  it('leaves out the fields of empty cells and reads whole numbers as numbers', () => {
    expect(requestOfRow('milestones', milestone)).toEqual({
      kind: 'milestones',
      milestoneId: 'board-adopts-pog',
      body: {
        title: 'Board adopts Portrait of a Graduate',
        conditionId: 'shared-vision',
        status: 'on_track',
        dueDate: '2027-03-01',
        updatedAt: '2026-11-20T15:04:05Z',
      },
    });
    expect(requestOfRow('evidence', { ...evidence, 'learner.groups': '', 'learner.schoolId': '' })).toEqual({
      kind: 'evidence',
      submission: {
        type: 'competency-evidence',
        submissionId: 'e-000193',
        learner: { id: 'l-91c2', gradeLevel: '10' },
        competencyId: 'critical-thinking',
        level: 3,
        assessedOn: '2026-11-12',
      },
    });
  });

  it('reads the ratings cell as conditionId:level pairs in order, spaces and a trailing separator aside', () => {
    expect(ratingsOf(' culture : 3 ; agency:2 ;')).toEqual([
      { conditionId: 'culture', level: 3 },
      { conditionId: 'agency', level: 2 },
    ]);
    expect(ratingsOf('culture')).toEqual([{ conditionId: 'culture' }]);
    expect(ratingsOf('culture:')).toEqual([{ conditionId: 'culture' }]);
    expect(ratingsOf('culture:3.5')).toEqual([{ conditionId: 'culture', level: '3.5' }]);
    expect(ratingsOf('')).toEqual([]);
  });

  it('reads a list cell as its non-empty entries, and an empty one as no list', () => {
    expect(listOf('ell; iep;;')).toEqual(['ell', 'iep']);
    expect(listOf(' ; ')).toBeUndefined();
    expect(listOf(undefined)).toBeUndefined();
  });
});

describe('row checks', () => {
  it('accept the contract examples, written as rows', () => {
    expect(checkRow('milestones', milestone, framework)).toMatchObject({ ok: true });
    expect(checkRow('ratings', rating, framework)).toEqual({
      ok: true,
      request: {
        kind: 'ratings',
        submission: conditionRatingExample,
      },
    });
    expect(checkRow('evidence', evidence, framework)).toMatchObject({
      ok: true,
      request: { submission: { learner: { groups: ['ell', 'iep'] } } },
    });
  });

  it('name a milestone row’s fields as the PUT would, its id included', () => {
    expect(
      errorsOf('milestones', {
        ...milestone,
        milestoneId: 'Board_POG',
        status: 'achieved',
        conditionId: 'equity',
        dueDate: '2027-02-30',
        updatedAt: '',
      }),
    ).toEqual([
      'milestoneId: must be 1-64 characters of a-z, 0-9 and -, starting with a letter or digit',
      'dueDate: must be a date YYYY-MM-DD',
      // the timestamp's own message, for a missing one too, as the API answers
      'updatedAt: must be an ISO-8601 timestamp with offset, e.g. 2026-11-20T15:04:05Z',
      "conditionId: is not a condition of the district's framework",
    ]);
    expect(errorsOf('milestones', { ...milestone, status: 'achieved' })).toEqual([
      'achievedOn: is required when status is achieved',
    ]);
  });

  it('name the ratings by their place in the ratings cell', () => {
    expect(errorsOf('ratings', { ...rating, ratings: 'culture:3;agency:5' })).toEqual([
      'ratings.1.level: must be within 1..4 (the rubric)',
    ]);
    expect(errorsOf('ratings', { ...rating, ratings: 'culture:3;culture:2' })).toEqual([
      'ratings.1.conditionId: is rated twice',
    ]);
    expect(errorsOf('ratings', { ...rating, ratings: 'culture=3' })).toEqual([
      'ratings.0.conditionId: must be 1-64 characters of a-z, 0-9 and -, starting with a letter or digit',
      'ratings.0.level: is required',
    ]);
    expect(errorsOf('ratings', { ...rating, ratings: 'weather:3.5' })).toEqual([
      'ratings.0.level: Invalid input: expected number, received string',
      "ratings.0.conditionId: is not a condition of the district's framework",
    ]);
    expect(errorsOf('ratings', { ...rating, ratings: '' })).toEqual([
      expect.stringMatching(/^ratings: Too small: expected array to have >=1 item/),
    ]);
  });

  it('name respondent and learner fields by their column', () => {
    expect(errorsOf('ratings', { ...rating, 'respondent.role': 'janitor', 'respondent.id': '' })).toEqual([
      'respondent.id: is required',
      "respondent.role: is not a role of the district's framework",
    ]);
    expect(
      errorsOf('evidence', {
        ...evidence,
        'learner.groups': 'ell;IEP',
        'learner.gradeLevel': '13',
        level: 'three',
        competencyId: 'juggling',
      }),
    ).toEqual([
      'learner.gradeLevel: must be PK, K or 1-12',
      'learner.groups.1: must be 1-64 characters of a-z, 0-9 and -, starting with a letter or digit',
      'level: Invalid input: expected number, received string',
      "competencyId: is not a competency of the district's framework",
    ]);
    expect(errorsOf('evidence', { ...evidence, level: '5' })).toEqual([
      'level: must be within 1..4 (proficiency levels)',
    ]);
  });

  it('refuse a row whose field count is not the header’s, naming the row’s id', () => {
    const checked = checkFileRow(
      'evidence',
      'e.csv',
      { index: 0, line: 7, cells: evidence, shape: 'has 9 fields where the header has 8' },
      framework,
    );

    expect(checked).toEqual({
      ok: false,
      rejection: {
        file: 'e.csv',
        line: 7,
        id: 'e-000193',
        status: 'invalid',
        errors: [{ path: '', message: 'has 9 fields where the header has 8' }],
      },
    });
  });
});

describe('CSV files', () => {
  it('skip a byte order mark and empty lines, read CRLF and quoted cells, and number rows by their first line', async () => {
    const path = await csvFile(
      'milestones.csv',
      Buffer.concat([
        Buffer.from([0xef, 0xbb, 0xbf]),
        Buffer.from(
          'milestoneId,title,conditionId,status,updatedAt\r\n' +
            'm-1,"Adopt, then publish",culture,on_track,2026-01-01T00:00:00Z\r\n' +
            '\r\n' +
            'm-2,"A title\r\non two lines, with ""quotes""",agency,at_risk,2026-01-02T00:00:00Z\r\n' +
            'm-3,Short row,culture\r\n',
        ),
      ]),
    );

    const rows = await rowsOf(path, 'milestones');

    expect(rows.map((row) => [row.index, row.line, row.cells.milestoneId, row.shape])).toEqual([
      [0, 2, 'm-1', undefined],
      [1, 4, 'm-2', undefined],
      [2, 6, 'm-3', 'has 3 fields where the header has 5'],
    ]);
    expect(rows[0]?.cells.title).toBe('Adopt, then publish');
    expect(rows[1]?.cells.title).toBe('A title\r\non two lines, with "quotes"');
    expect(rows[2]?.cells).toEqual({ milestoneId: 'm-3', title: 'Short row', conditionId: 'culture' });
  });

  it('are identified by size and SHA-256, and counted in rows', async () => {
    const text = 'submissionId,learner.id,competencyId,level,assessedOn\ne-1,l-1,creativity,2,2026-01-05\n\n';
    const path = await csvFile('evidence.csv', text);

    const facts = await inspectCsvFile(path, 'evidence');

    expect(facts).toEqual({
      size: Buffer.byteLength(text),
      sha256: expect.stringMatching(/^[0-9a-f]{64}$/),
      rows: 1,
      header: ['submissionId', 'learner.id', 'competencyId', 'level', 'assessedOn'],
    });
    const other = await inspectCsvFile(await csvFile('evidence-2.csv', text.replace('2,', '3,')), 'evidence');
    expect(other.sha256).not.toBe(facts.sha256);
  });

  it('refuse a header that does not fit the kind of file, an empty file, and a file that is not CSV', async () => {
    const wrong = await csvFile('wrong.csv', 'submissionId,respondent.id\ns-1,r-1\n');
    const empty = await csvFile('empty.csv', '');
    const broken = await csvFile(
      'broken.csv',
      'milestoneId,title,conditionId,status,updatedAt\nm-1,"never closed,culture,on_track,2026-01-01T00:00:00Z\n',
    );

    await expect(inspectCsvFile(wrong, 'milestones')).rejects.toMatchObject({
      message: `${wrong}: the header row does not fit a milestones file (docs/import.md)`,
      details: expect.arrayContaining([
        expect.stringMatching(/^unknown columns submissionId, respondent\.id/),
      ]),
    });
    await expect(inspectCsvFile(empty, 'ratings')).rejects.toThrow(`${empty} is empty`);
    await expect(rowsOf(broken, 'milestones')).rejects.toBeInstanceOf(OpsError);
    await expect(rowsOf(broken, 'milestones')).rejects.toThrow(
      /is not a CSV file this import can read: Quote Not Closed/,
    );
  });

  it('say which file cannot be read', async () => {
    await expect(inspectCsvFile(join(dir, 'missing.csv'), 'ratings')).rejects.toThrow(
      /^cannot read .*missing\.csv/,
    );
  });
});

describe('the history generator', () => {
  it('gives the same rows for the same seed, the rows asked for, a few of them invalid', () => {
    const history = generateHistory({ rows: 2_000, seed: 7 });
    const again = generateHistory({ rows: 2_000, seed: 7 });
    const other = generateHistory({ rows: 2_000, seed: 8 });

    expect(again).toEqual(history);
    expect(other.evidence).not.toEqual(history.evidence);
    const all = [...history.milestones, ...history.ratings, ...history.evidence];
    expect(all).toHaveLength(2_000);
    expect(all.filter((row) => !row.meaning.valid)).toHaveLength(13);
  });

  it('writes rows that the import finds valid exactly where the generator meant them to be', () => {
    const history = generateHistory({ rows: 2_000, seed: 11 });

    for (const kind of ['milestones', 'ratings', 'evidence'] as const) {
      for (const row of history[kind]) {
        const checked = checkRow(kind, row.cells, framework);
        if (row.meaning.valid) expect(checked.ok).toBe(true);
        else expect(checked.ok ? [] : checked.errors.map((error) => error.path)).toEqual(row.meaning.paths);
      }
    }
  });
});
