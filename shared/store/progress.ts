/**
 * `GET /progress` from one Query of the district's partition: the counters, the district (its timezone), its
 * framework and its milestones sort next to each other (see PROGRESS_RANGE), so the answer costs the same
 * whatever the number of learners and respondents.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Framework } from '../contract/framework';
import type { Milestone } from '../contract/milestones';
import { NotFoundError } from '../domain/errors';
import {
  type CompetencyCounters,
  type MasteryCounter,
  type MilestoneFact,
  type ProgressReport,
  progressFromCounters,
  type RoleCounter,
} from '../domain/progress';
import { documentClient } from '../runtime/clients';
import { toMilestone } from './milestones';
import { districtPartition, PROGRESS_RANGE, queryAll } from './table';

export interface ProgressOptions {
  /** The state's minimum n for suppression. */
  readonly minimumN: number;
  readonly now?: Date;
}

/** What a district's digest reads, from the same one Query as its progress. */
export interface DistrictSnapshot {
  readonly report: ProgressReport;
  readonly name: string;
  readonly timezone: string;
  /** Levels of the district's rubric: condition ratings run 1..rubricLevels. */
  readonly rubricLevels: number;
  /** The district's milestones, removed ones left out, in id order. */
  readonly milestones: readonly Milestone[];
}

export class ProgressStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /** The district's progress report; NotFoundError when the district does not exist. */
  async read(districtId: string, options: ProgressOptions): Promise<ProgressReport> {
    return (await this.snapshot(districtId, options)).report;
  }

  /** The district's progress report with its name, rubric and milestones; NotFoundError when it does not exist. */
  async snapshot(districtId: string, options: ProgressOptions): Promise<DistrictSnapshot> {
    const items = await this.readRange(districtId);
    const district = items.find((item) => item.sk === 'DISTRICT');
    const framework = items.find((item) => item.sk === 'FRAMEWORK')?.framework as Framework | undefined;
    if (!district || !framework) throw new NotFoundError(`District ${districtId} does not exist.`);

    const roleCounters: Record<string, Record<string, RoleCounter>> = {};
    const competencyCounters: Record<string, CompetencyCounters> = {};
    let eventsApplied = 0;
    let asOf = 0;
    for (const item of items) {
      const sk = String(item.sk);
      if (!sk.startsWith('AGG#')) continue;
      eventsApplied += numberOf(item.events);
      asOf = Math.max(asOf, numberOf(item.asOf));
      const [, kind, id] = sk.split('#');
      if (kind === 'R' && id) roleCounters[id] = roleCountersOf(item);
      if (kind === 'C' && id) competencyCounters[id] = competencyCountersOf(item);
    }

    const milestones = items.filter(isActiveMilestone);
    const report = progressFromCounters({
      districtId,
      framework,
      minimumN: options.minimumN,
      timezone: String(district.timezone),
      now: options.now ?? new Date(),
      asOf: asOf === 0 ? null : new Date(asOf).toISOString(),
      eventsApplied,
      milestones: milestones.map(toMilestoneFact),
      roleCounters,
      competencyCounters,
    });
    return {
      report,
      name: String(district.name),
      timezone: String(district.timezone),
      rubricLevels: framework.rubric.length,
      milestones: milestones.map(toMilestone),
    };
  }

  /** The items of PROGRESS_RANGE, every page: milestones beyond 1 MB take a second page, nothing more. */
  private readRange(districtId: string): Promise<Record<string, unknown>[]> {
    return queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND sk BETWEEN :from AND :to',
      ExpressionAttributeValues: {
        ':pk': districtPartition(districtId),
        ':from': PROGRESS_RANGE.from,
        ':to': PROGRESS_RANGE.to,
      },
    });
  }
}

/** `n:<role>` and `s:<role>` attributes as `{n, sum}` by role. */
function roleCountersOf(item: Record<string, unknown>): Record<string, RoleCounter> {
  const byRole: Record<string, RoleCounter> = {};
  for (const [name, value] of Object.entries(item)) {
    const match = /^n:(.+)$/.exec(name);
    if (match?.[1]) byRole[match[1]] = { n: numberOf(value), sum: numberOf(item[`s:${match[1]}`]) };
  }
  return byRole;
}

/** `n`/`m` and `n:<group>`/`m:<group>` attributes as the competency's counters. */
function competencyCountersOf(item: Record<string, unknown>): CompetencyCounters {
  const byGroup: Record<string, MasteryCounter> = {};
  for (const [name, value] of Object.entries(item)) {
    const match = /^n:(.+)$/.exec(name);
    if (match?.[1]) byGroup[match[1]] = { n: numberOf(value), atMastery: numberOf(item[`m:${match[1]}`]) };
  }
  return { total: { n: numberOf(item.n), atMastery: numberOf(item.m) }, byGroup };
}

function isActiveMilestone(item: Record<string, unknown>): boolean {
  return String(item.sk).startsWith('MILESTONE#') && item.removedAt === undefined;
}

function toMilestoneFact(item: Record<string, unknown>): MilestoneFact {
  return {
    milestoneId: String(item.milestoneId),
    conditionId: String(item.conditionId),
    status: item.status as MilestoneFact['status'],
    dueDate: (item.dueDate as string | null) ?? null,
    achievedOn: (item.achievedOn as string | null) ?? null,
    updatedAt: String(item.updatedAt),
  };
}

function numberOf(value: unknown): number {
  return typeof value === 'number' ? value : 0;
}
