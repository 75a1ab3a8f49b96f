/**
 * `districts remove`: deletes a district and everything the table holds of it (its data, metrics, subscribers,
 * their digest ledgers, its keys) and, on a deployed state, its keys' usage keys on the API's usage plan; then
 * counts what is left, which must be nothing (shared/store/district-removal.ts). It asks for the district's id
 * to be typed back before it deletes anything, unless `--yes`.
 *
 * Like `metrics rebuild`, it works on the table itself: locally in DynamoDB Local, for `--state` in the table of
 * the stack's `TableName` output, on the operator's own AWS credentials.
 */
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import type { Command } from 'commander';
import { documentClientFor } from '../../shared/runtime/clients';
import {
  type DistrictHoldings,
  DistrictRemoval,
  type RemovalReport,
} from '../../shared/store/district-removal';
import { UsagePlanKeys } from '../../shared/store/usage-plan';
import type { CommandContext } from './command-context';
import { confirmTypedBack, OpsError } from './context';
import { defaultLocalEndpoint, withLocalTable } from './local-table';
import { printJson, printTable } from './output';
import { readStackOutputs } from './stack-outputs';
import { parseStateCode } from './target';

interface RemoveOptions {
  readonly yes?: boolean;
  readonly dynamodbEndpoint?: string;
  readonly localState: string;
}

const KINDS: readonly [keyof DistrictHoldings, string][] = [
  ['districtItems', "items of the district's partition (district, framework, data, metrics, subscribers)"],
  ['ledgerItems', "digest ledger items of the district's subscribers"],
  ['keys', "the district's API keys"],
];

export function registerDistrictRemoval(districts: Command, context: CommandContext): void {
  districts
    .command('remove')
    .description(
      'Delete a district and all its data: submissions, milestones, metrics, subscribers and their digest ' +
        'ledgers, keys (revoked first); then count what is left, which must be nothing',
    )
    .argument('<districtId>', 'the district')
    .option('--yes', 'do not ask for the district id to be typed back first')
    .option('--dynamodb-endpoint <url>', 'local: the DynamoDB Local URL of the running local stack')
    .option('--local-state <code>', 'local: the state the local stack runs', parseStateCode, 'XX')
    .action(async (districtId: string, options: RemoveOptions, command: Command) => {
      const target = context.target(command);
      const remove = async (
        tableName: string,
        client: DynamoDBDocumentClient,
        usagePlan: UsagePlanKeys,
      ): Promise<RemovalReport> => {
        const removal = new DistrictRemoval(tableName, client);
        const found = await removal.count(districtId);
        if (Object.values(found).every((count) => count === 0)) {
          throw new OpsError(`the table holds nothing of district ${districtId}`);
        }
        await confirm(context, districtId, found, options.yes ?? false);
        const report = await removal.remove(districtId, (deleted) =>
          context.io.err(`deleted ${describe(deleted)}\n`),
        );
        // the usage keys last: once the key items are gone, nothing could let these keys in anyway
        for (const keyId of report.keyIds) await usagePlan.remove(keyId);
        return report;
      };

      let report: RemovalReport;
      if (target.kind === 'deployed') {
        const outputs = await readStackOutputs(
          context.aws.cloudFormation(target.region),
          target.stateCode,
          target.region,
        );
        report = await remove(
          outputs.tableName,
          documentClientFor(context.aws.dynamoDb(target.region)),
          new UsagePlanKeys(outputs.usagePlanId, context.aws.apiGateway(target.region)),
        );
      } else if (target.kind === 'local') {
        const endpoint = options.dynamodbEndpoint ?? defaultLocalEndpoint(context.io.env);
        // the local front door limits usage keys itself: there is no usage plan to update
        report = await withLocalTable({ endpoint, stateCode: options.localState }, (tableName, client) =>
          remove(tableName, client, new UsagePlanKeys(undefined)),
        );
      } else {
        throw new OpsError('districts remove needs --local or --state: it works on the table itself');
      }

      const left = Object.values(report.left).reduce((sum, count) => sum + count, 0);
      if (context.options(command).json) {
        printJson(context.io, { districtId, found: report.found, left: report.left, passes: report.passes });
      } else {
        printTable(
          context.io,
          ['WHAT', 'FOUND', 'LEFT'],
          KINDS.map(([kind, words]) => [words, String(report.found[kind]), String(report.left[kind])]),
        );
        if (left === 0) context.io.out(`District ${districtId} removed: nothing of it is left.\n`);
      }
      if (left > 0) {
        throw new OpsError(
          `${left} items of district ${districtId} are still there after ${report.passes} passes: writes keep ` +
            'arriving (a key still cached by the authorizer, a metrics batch being retried); run it again',
        );
      }
    });
}

/** Asks for the district id to be typed back, unless `--yes`; refuses where nobody can answer. */
async function confirm(
  context: CommandContext,
  districtId: string,
  found: DistrictHoldings,
  yes: boolean,
): Promise<void> {
  if (yes) return;
  await confirmTypedBack(context.io, {
    question: `This deletes ${describe(found)} of district ${districtId}, for good.\nType the district id to go on: `,
    expected: districtId,
    unattended: `removing district ${districtId} deletes ${describe(found)} for good`,
    subject: `district ${districtId}`,
  });
}

const describe = (holdings: DistrictHoldings) =>
  `${holdings.districtItems} district items, ${holdings.ledgerItems} ledger items and ${holdings.keys} keys`;
