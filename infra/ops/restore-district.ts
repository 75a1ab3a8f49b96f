/**
 * `restore district`: puts one district back as a restored copy of the table holds it
 * (shared/store/district-restore.ts says what is copied and what is kept), after showing what it would write and
 * delete and having the district's id typed back (unless `--yes`); then rebuilds the district's metrics with the
 * rebuild `metrics rebuild` runs and prints the events the district's progress then counts.
 *
 * Locally the restored copy is any other table of DynamoDB Local (the local stack has no point-in-time
 * recovery); on a deployed stack it must be a restore of the stack's table.
 */
import type { Command } from 'commander';
import { MetricsStore, type RebuildReport } from '../../shared/store/aggregates';
import {
  DistrictRestore,
  type DistrictRestorePlan,
  type RestoreCounts,
  type RestoreStep,
} from '../../shared/store/district-restore';
import { ProgressStore } from '../../shared/store/progress';
import { loadStateConfig } from '../config/index';
import type { CommandContext } from './command-context';
import { confirmTypedBack, OpsError } from './context';
import { printJson, printTable } from './output';
import {
  describeRestoredCopy,
  isReady,
  type LocalTableOptions,
  type RestorePlace,
  withLocalTableOptions,
  withRestorePlace,
} from './restore-tables';

interface DistrictOptions extends LocalTableOptions {
  readonly from: string;
  readonly yes?: boolean;
  readonly withSubscribers?: boolean;
}

/** What a district restore did, as `--json` prints it. */
interface DistrictRestoreReport {
  readonly districtId: string;
  readonly from: string;
  readonly table: string;
  /** What the restore found, and wrote and deleted. */
  readonly counts: RestoreCounts;
  readonly rebuild: RebuildReport;
  /** The events the district's progress counts after the rebuild (`eventsApplied` of GET /progress). */
  readonly eventsApplied: number;
}

export function registerRestoreDistrict(restore: Command, context: CommandContext): void {
  withLocalTableOptions(
    restore
      .command('district')
      .description(
        "Put one district back as a restored copy holds it: its partition's items (data, milestones, framework, " +
          "metrics) are made equal to the copy's, the live ones the copy lacks deleted; then its metrics are " +
          'rebuilt. Its keys are never touched, its subscribers only with --with-subscribers. Shows the counts ' +
          "and asks for the district's id to be typed back first, unless --yes. Run it once the metrics queue has " +
          'caught up with the damage; running it again is safe.',
      )
      .argument('<districtId>', 'the district')
      .requiredOption('--from <table>', 'the restored copy (restore start printed its name)')
      .option('--yes', "do not ask for the district's id to be typed back first")
      .option(
        '--with-subscribers',
        'restore the subscribers too, as the copy holds them (and add back their missing digest ledger ' +
          'entries); without it the live subscribers stay as they are, with the unsubscribes, bounces and ' +
          'complaints since',
      ),
  ).action(async (districtId: string, options: DistrictOptions, command: Command) => {
    const report = await withRestorePlace(context, command, options, (place) =>
      restoreDistrict(context, place, districtId, options),
    );
    const { counts, rebuild } = report;
    if (!counts.liveDistrict) {
      context.io.err(
        `District ${districtId} had been removed, and its keys with it, which a restore does not bring back: ` +
          `give it a new key with keys create ${districtId}.\n`,
      );
    }
    if (context.options(command).json) {
      printJson(context.io, report);
      return;
    }
    printTable(
      context.io,
      ['WHAT', 'COUNT'],
      [
        ['items in the restored copy', String(counts.restoredItems)],
        ['items live before, replaced', String(counts.liveItems)],
        ['items written', String(counts.writes)],
        ['items deleted', String(counts.deletes)],
        ['items already equal', String(counts.unchanged)],
        ['subscriber items kept as they were', String(counts.subscribersKept)],
        ['digest ledger entries added back', String(counts.ledgerEntries)],
        ['rebuild: events recovered', String(rebuild.events)],
        ['rebuild: counters corrected', String(rebuild.countersCorrected)],
        ['eventsApplied', String(report.eventsApplied)],
      ],
    );
    context.io.out(`District ${districtId} restored from ${report.from}.\n`);
  });
}

async function restoreDistrict(
  context: CommandContext,
  place: RestorePlace,
  districtId: string,
  options: DistrictOptions,
): Promise<DistrictRestoreReport> {
  const copy = await describeRestoredCopy(place, options.from);
  if (!isReady(copy)) {
    const restoring = copy.RestoreSummary?.RestoreInProgress ? ', still restoring' : '';
    throw new OpsError(
      `${options.from} is ${copy.TableStatus ?? 'not ready'}${restoring}: wait until restore status ` +
        `${options.from}${place.flags} says it is ready`,
    );
  }

  const restore = new DistrictRestore(place.liveTable, options.from, place.client);
  const plan = await restore.plan(districtId, { withSubscribers: options.withSubscribers ?? false });
  if (!plan.counts.restoredDistrict) {
    throw new OpsError(
      `${options.from} holds no district ${districtId}: check the district id, and that the copy's time is after ` +
        'the district was created',
    );
  }
  const changes = plan.counts.writes + plan.counts.deletes + plan.counts.ledgerEntries;
  if (changes === 0) {
    context.io.err(`district ${districtId} is as ${options.from} holds it already: rebuilding its metrics\n`);
  } else if (!options.yes) {
    await confirm(context, plan, options);
  }

  await restore.apply(plan, (step) => context.io.err(`${describeStep(step)}\n`));
  // the rebuild `metrics rebuild` runs, for this one district
  const rebuild = await new MetricsStore(place.liveTable, place.client).rebuild(districtId);
  const progress = await new ProgressStore(place.liveTable, place.client).read(districtId, {
    minimumN: loadStateConfig(place.stateCode).minimumN,
  });
  return {
    districtId,
    from: options.from,
    table: place.liveTable,
    counts: plan.counts,
    rebuild,
    eventsApplied: progress.eventsApplied,
  };
}

/** Shows what the restore will do and asks for the district id to be typed back. */
function confirm(
  context: CommandContext,
  plan: DistrictRestorePlan,
  options: DistrictOptions,
): Promise<void> {
  const { districtId, counts } = plan;
  const summary =
    `restoring district ${districtId} from ${options.from} replaces the ${counts.liveItems} items it has now ` +
    `with the ${counts.restoredItems} items of the copy: ${counts.writes} written, ${counts.deletes} deleted, ` +
    `${counts.unchanged} equal already`;
  const kept = options.withSubscribers
    ? `${counts.ledgerEntries} digest ledger entries of its subscribers are added back.`
    : `${counts.subscribersKept} subscriber items are kept as they are now (--with-subscribers restores them).`;
  return confirmTypedBack(context.io, {
    question:
      `This is ${summary}.\n${kept}\nIts keys are not touched; its metrics are rebuilt afterwards.\n` +
      'Type the district id to go on: ',
    expected: districtId,
    unattended: summary,
    subject: `district ${districtId}`,
  });
}

function describeStep(step: RestoreStep): string {
  const what = {
    data: 'submissions and milestones',
    district: 'district and framework',
    subscribers: 'subscribers',
    metrics: 'metrics',
    ledger: 'digest ledger entries',
  }[step.part];
  return `${what}: ${step.puts.length} written, ${step.deletes.length} deleted`;
}
