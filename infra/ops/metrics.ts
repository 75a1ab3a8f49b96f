/**
 * `metrics rebuild`: recomputes districts' progress aggregates from their stored submissions and milestones, and
 * corrects counters that drifted. For after an incident (a relay that lost messages, a restore from a backup)
 * or to check a district: a district that needs nothing reports zeros. Safe while traffic flows: a rebuild folds
 * the same facts the workers fold, with the same version checks.
 *
 * Like `state-key`, it works on the table itself: locally in DynamoDB Local, for `--state` in the table of the
 * stack's `TableName` output, on the operator's own AWS credentials.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { documentClientFor } from '../../shared/runtime/clients';
import { MetricsStore, type RebuildReport } from '../../shared/store/aggregates';
import { DistrictStore } from '../../shared/store/districts';
import { allDistrictIds, rebuildDistricts } from '../../shared/store/rebuild';
import type { CommandContext } from './command-context';
import { OpsError } from './context';
import { defaultLocalEndpoint, withLocalTable } from './local-table';
import { printJson, printTable } from './output';
import { readStackOutputs } from './stack-outputs';
import { parseStateCode } from './target';

interface RebuildOptions {
  readonly all?: boolean;
  readonly dynamodbEndpoint?: string;
  readonly localState: string;
}

/** Rebuilds the named districts, or all of them; refuses a district that does not exist. */
async function rebuild(
  tableName: string,
  client: DynamoDBDocumentClient,
  districtIds: readonly string[],
  all: boolean,
  onRebuilt: (districtId: string, report: RebuildReport) => void,
): Promise<Map<string, RebuildReport>> {
  const districts = new DistrictStore(tableName, client);
  const known = await allDistrictIds(districts);
  const missing = districtIds.filter((districtId) => !known.includes(districtId));
  if (missing.length > 0) throw new OpsError(`no such district: ${missing.join(', ')}`);
  return rebuildDistricts(new MetricsStore(tableName, client), all ? known : districtIds, onRebuilt);
}

export function registerMetrics(program: Command, context: CommandContext): void {
  const metrics = program.command('metrics').description('The progress aggregates of districts');

  metrics
    .command('rebuild [districtIds...]')
    .description(
      "Recompute districts' progress aggregates from their stored data (after an incident, or to check them); " +
        'prints what each needed: events recovered, units re-scored, counters corrected.',
    )
    .option('--all', 'every district of the state')
    .option('--dynamodb-endpoint <url>', 'local: the DynamoDB Local URL of the running local stack')
    .option('--local-state <code>', 'local: the state the local stack runs', parseStateCode, 'XX')
    .action(async (districtIds: string[], options: RebuildOptions, command: Command) => {
      if (districtIds.length > 0 === Boolean(options.all)) {
        throw new OpsError('name the districts to rebuild, or pass --all (not both)');
      }
      const json = context.options(command).json ?? false;
      // progress on stderr, so that --json output stays one document
      const onRebuilt = (districtId: string) => context.io.err(`rebuilt ${districtId}\n`);
      const target = context.target(command);
      let reports: Map<string, RebuildReport>;
      if (target.kind === 'deployed') {
        const outputs = await readStackOutputs(
          context.aws.cloudFormation(target.region),
          target.stateCode,
          target.region,
        );
        const client = documentClientFor(context.aws.dynamoDb(target.region));
        reports = await rebuild(outputs.tableName, client, districtIds, Boolean(options.all), onRebuilt);
      } else if (target.kind === 'local') {
        const endpoint = options.dynamodbEndpoint ?? defaultLocalEndpoint(context.io.env);
        reports = await withLocalTable({ endpoint, stateCode: options.localState }, (tableName, client) =>
          rebuild(tableName, client, districtIds, Boolean(options.all), onRebuilt),
        );
      } else {
        throw new OpsError('metrics rebuild needs --local or --state: it reads and writes the table itself');
      }

      if (json) {
        printJson(
          context.io,
          [...reports].map(([districtId, report]) => ({ districtId, ...report })),
        );
        return;
      }
      printTable(
        context.io,
        ['district', 'raw items', 'events recovered', 'units changed', 'counters corrected'],
        [...reports].map(([districtId, report]) => [
          districtId,
          String(report.rawItems),
          String(report.events),
          String(report.unitsChanged),
          String(report.countersCorrected),
        ]),
      );
    });
}
