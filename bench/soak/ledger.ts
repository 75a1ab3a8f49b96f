/**
 * What the soak's clients know the platform acknowledged, per district: every accepted submission, every void,
 * every applied milestone write and removal. The reconciliation turns it into the reference progress
 * (test/support/reference-progress.ts) and compares that with what the platform answers, so a lost event and a
 * double-counted one both show, in `eventsApplied` and in every figure.
 *
 * Requests for one milestone, and for one submission's void, are never in flight together (`claim`), so the
 * ledger knows the stored state each answer refers to.
 */
import type {
  Framework,
  ReferenceInput,
  ReferenceMilestone,
  Submission,
} from '../../test/support/reference-progress';

export class DistrictLedger {
  readonly districtId: string;
  readonly framework: Framework;
  readonly timezone: string;
  /** Accepted submissions by id, voided ones included. */
  readonly submissions = new Map<string, Submission>();
  readonly voided = new Set<string>();
  /** The accepted submission ids in the order they were first accepted (to pick from at random). */
  readonly acceptedIds: string[] = [];
  /** Milestones that exist, each as its latest applied write left it. */
  readonly milestones = new Map<string, ReferenceMilestone>();
  /** The latest applied `updatedAt` per milestone, also after a removal (a later write must be newer). */
  readonly latestUpdate = new Map<string, number>();
  appliedMilestoneWrites = 0;
  removals = 0;
  readonly #busy = new Set<string>();

  constructor(districtId: string, framework: Framework, timezone: string) {
    this.districtId = districtId;
    this.framework = framework;
    this.timezone = timezone;
  }

  /** Takes `id` for one request; false when a request for it is in flight. */
  claim(id: string): boolean {
    if (this.#busy.has(id)) return false;
    this.#busy.add(id);
    return true;
  }

  release(id: string): void {
    this.#busy.delete(id);
  }

  accept(submission: Submission): void {
    if (!this.submissions.has(submission.submissionId)) this.acceptedIds.push(submission.submissionId);
    this.submissions.set(submission.submissionId, submission);
  }

  /** A void answered 204; counted once, and only for a submission that was accepted and not yet voided. */
  void(submissionId: string): void {
    if (this.submissions.has(submissionId)) this.voided.add(submissionId);
  }

  applyMilestone(milestone: ReferenceMilestone): void {
    this.milestones.set(milestone.milestoneId, milestone);
    this.latestUpdate.set(milestone.milestoneId, Date.parse(milestone.updatedAt));
    this.appliedMilestoneWrites += 1;
  }

  /** A removal answered 204; it changed something only if the milestone existed. */
  removeMilestone(milestoneId: string): void {
    if (this.milestones.delete(milestoneId)) this.removals += 1;
  }

  /** The contract's eventsApplied: applied milestone writes + distinct submissions + voids + removals. */
  get eventsApplied(): number {
    return this.appliedMilestoneWrites + this.submissions.size + this.voided.size + this.removals;
  }

  /** What the reference computation needs, as of `now`. */
  referenceInput(minimumN: number, now: Date): ReferenceInput {
    return {
      districtId: this.districtId,
      framework: this.framework,
      timezone: this.timezone,
      minimumN,
      now,
      milestones: [...this.milestones.values()],
      submissions: [...this.submissions.values()],
      voided: this.voided,
      eventsApplied: this.eventsApplied,
    };
  }
}
