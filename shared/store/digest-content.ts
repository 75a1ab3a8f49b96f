/**
 * What a digest says, read from the table and rendered: a district's digest from one Query of its partition
 * (ProgressStore.snapshot), the state roll-up from one such Query per district. Used by the digest sender and by
 * the preview route, so that a preview shows exactly what would be sent.
 */
import { buildDistrictDigest, buildStateRollup } from '../domain/digest';
import { NotFoundError } from '../domain/errors';
import { type Cadence, digestPeriods, previousPeriodFirstDay } from '../domain/periods';
import type { ProgressReport } from '../domain/progress';
import { type RenderedEmail, renderDistrictDigest, renderStateRollup } from '../email';
import type { SentDigest } from './digest-ledger';
import type { DistrictStore } from './districts';
import type { DistrictSnapshot, ProgressStore } from './progress';

/**
 * What a district digest records in the ledger, for the next one: the report it showed (changes of the means) and
 * the milestones that were achieved (achievements since).
 */
export interface DistrictFigures {
  readonly report: ProgressReport;
  readonly achievedMilestoneIds: readonly string[];
}

/** What a roll-up records: the headline figures of each district it showed. */
export interface RollupFigures {
  readonly districts: readonly {
    readonly districtId: string;
    readonly completionRate: number | null;
    readonly overdue: number;
  }[];
}

export interface StateSettings {
  readonly stateName: string;
  /** Periods are reckoned in the state's timezone. */
  readonly timezone: string;
  readonly minimumN: number;
}

export interface DigestRequest<Figures> {
  /** `2026-W48` or `2026-11`. */
  readonly period: string;
  readonly now: Date;
  /** The subscriber's previous digest of the same cadence; absent for a first one. */
  readonly previous?: SentDigest<Figures> | undefined;
  readonly unsubscribeUrl: string;
}

export interface ComposedDigest<Figures> {
  readonly email: RenderedEmail;
  readonly figures: Figures;
}

/** A district's row of the state roll-up. */
export interface RollupRow {
  readonly districtId: string;
  readonly name: string;
  readonly report: ProgressReport;
}

/** Districts whose progress a roll-up reads at once. */
const ROLLUP_READS_IN_FLIGHT = 8;

export class DigestContent {
  constructor(
    private readonly progress: ProgressStore,
    private readonly districts: DistrictStore,
    private readonly state: StateSettings,
  ) {}

  /** The period a digest of this cadence sent now belongs to. */
  currentPeriod(cadence: Cadence, now: Date): string {
    return digestPeriods(now, this.state.timezone)[cadence];
  }

  /** A district's digest; NotFoundError when the district does not exist. */
  async district(
    districtId: string,
    request: DigestRequest<DistrictFigures>,
  ): Promise<ComposedDigest<DistrictFigures>> {
    return this.composeDistrict(await this.readDistrict(districtId, request.now), request);
  }

  /** The state roll-up: a row per district of the state. */
  async stateRollup(
    request: Omit<DigestRequest<RollupFigures>, 'previous'>,
  ): Promise<ComposedDigest<RollupFigures>> {
    return this.composeRollup(await this.readRollup(request.now), request);
  }

  /**
   * What a district's digest shows, from one Query of its partition; NotFoundError when the district does not
   * exist. Apart from composing, so that a sender can read it while it makes its other calls.
   */
  readDistrict(districtId: string, now: Date): Promise<DistrictSnapshot> {
    return this.progress.snapshot(districtId, { minimumN: this.state.minimumN, now });
  }

  /** A district's digest from what readDistrict read. */
  composeDistrict(
    snapshot: DistrictSnapshot,
    request: DigestRequest<DistrictFigures>,
  ): ComposedDigest<DistrictFigures> {
    const { now, period, previous } = request;
    const model = buildDistrictDigest({
      districtName: snapshot.name,
      report: snapshot.report,
      previous: previous && {
        report: previous.figures.report,
        sentAt: new Date(previous.sentAt),
        achievedMilestoneIds: previous.figures.achievedMilestoneIds,
      },
      milestones: snapshot.milestones,
      firstDigestFrom: previousPeriodFirstDay(period),
      now,
      timezone: snapshot.timezone,
      minimumN: this.state.minimumN,
      rubricLevels: snapshot.rubricLevels,
      period,
      unsubscribeUrl: request.unsubscribeUrl,
    });
    return {
      email: renderDistrictDigest(model),
      figures: {
        report: snapshot.report,
        achievedMilestoneIds: snapshot.milestones
          .filter((milestone) => milestone.status === 'achieved')
          .map((milestone) => milestone.milestoneId),
      },
    };
  }

  /** Every district's row of the roll-up: the district list, then each district's progress, a few at once. */
  async readRollup(now: Date): Promise<RollupRow[]> {
    const districtIds: string[] = [];
    let nextToken: string | undefined;
    do {
      const page = await this.districts.list(100, nextToken);
      districtIds.push(...page.items.map((district) => district.districtId));
      nextToken = page.nextToken;
    } while (nextToken);

    const rows = new Array<RollupRow | undefined>(districtIds.length);
    let next = 0;
    const reader = async () => {
      while (next < districtIds.length) {
        const index = next++;
        const districtId = districtIds[index] as string;
        try {
          const { name, report } = await this.progress.snapshot(districtId, {
            minimumN: this.state.minimumN,
            now,
          });
          rows[index] = { districtId, name, report };
        } catch (error) {
          // listed but gone by the time it is read: the roll-up goes out without it rather than not at all
          if (!(error instanceof NotFoundError)) throw error;
        }
      }
    };
    await Promise.all(Array.from({ length: Math.min(ROLLUP_READS_IN_FLIGHT, districtIds.length) }, reader));
    return rows.filter((row) => row !== undefined);
  }

  /** The roll-up from what readRollup read. */
  composeRollup(
    rows: readonly RollupRow[],
    request: Omit<DigestRequest<RollupFigures>, 'previous'>,
  ): ComposedDigest<RollupFigures> {
    const { now } = request;
    const model = buildStateRollup({
      stateName: this.state.stateName,
      districts: rows.map(({ name, report }) => ({ districtName: name, report })),
      now,
      timezone: this.state.timezone,
      minimumN: this.state.minimumN,
      period: request.period,
      unsubscribeUrl: request.unsubscribeUrl,
    });
    return {
      email: renderStateRollup(model),
      figures: {
        districts: rows.map(({ districtId, report }) => ({
          districtId,
          completionRate: report.milestones.completionRate,
          overdue: report.milestones.overdue,
        })),
      },
    };
  }
}
