/**
 * `digests run` and `digest preview`: the digest e-mails through the API with the state key. A run plans the
 * digests as the schedule does (one job per active subscriber, each period sent once per subscriber by the
 * sender's ledger); a preview is the HTML of a district's digest as it would be sent now, to read before the
 * schedule sends it.
 */
import { writeFile } from 'node:fs/promises';
import { resolve } from 'node:path';
import { type Command, InvalidArgumentError, Option } from 'commander';
import { DigestRun } from '../../shared/contract/digest-run';
import { CADENCES, type Cadence } from '../../shared/domain/periods';
import { callApi } from './api';
import type { CommandContext } from './command-context';
import { OpsError } from './context';
import { printFields, printJson } from './output';

/** commander's parser of `--at`: the API's own rule for it, so that a bad instant is a usage error. */
function parseAt(value: string): string {
  const parsed = DigestRun.safeParse({ at: value });
  if (!parsed.success)
    throw new InvalidArgumentError(parsed.error.issues[0]?.message ?? 'is not a timestamp');
  return value;
}

export function registerDigests(program: Command, context: CommandContext): void {
  const digests = program.command('digests').description('Run the digest planner of the state');

  digests
    .command('run')
    .description(
      'Plan the digests now, or as if it were --at: one job per active subscriber for the ISO week (weekly) ' +
        'and month (monthly) in state time. A period is sent once per subscriber however often it is planned.',
    )
    .option('--at <timestamp>', 'the instant to plan for, ISO-8601 with offset (default: now)', parseAt)
    .action(async (options: { at?: string }, command: Command) => {
      const { client, target } = await context.api(command);
      const run = await callApi(
        target,
        client.POST('/v1/digests/run', { body: options.at === undefined ? {} : { at: options.at } }),
      );
      if (context.options(command).json) return printJson(context.io, run);
      context.io.out(`Digest run planned for ${options.at ?? 'now'}.\n`);
      printFields(context.io, [
        ['weekly', run.period.weekly],
        ['monthly', run.period.monthly],
      ]);
      context.io.out(`enqueued ${run.enqueued} digest job${run.enqueued === 1 ? '' : 's'}\n`);
    });

  const digest = program.command('digest').description("A district's digest e-mail");

  digest
    .command('preview')
    .description("The HTML of a district's digest as it would be sent now, to stdout or to --out")
    .argument('<districtId>', 'the district')
    .addOption(
      new Option('--cadence <cadence>', 'the digest of which cadence').choices(CADENCES).default('weekly'),
    )
    .option('--out <file>', 'write the HTML to this file and print its path')
    .action(async (districtId: string, options: { cadence: Cadence; out?: string }, command: Command) => {
      const { client, target } = await context.api(command);
      // text/html: read as text; a refusal is still problem+json, which the client parses as usual
      const html = await callApi(
        target,
        client.GET('/v1/districts/{districtId}/digest/preview', {
          params: { path: { districtId }, query: { cadence: options.cadence } },
          parseAs: 'text',
        }),
      );
      const json = context.options(command).json ?? false;
      if (options.out === undefined) {
        if (json) return printJson(context.io, { districtId, cadence: options.cadence, html });
        context.io.out(html.endsWith('\n') ? html : `${html}\n`);
        return;
      }
      const file = resolve(options.out);
      try {
        await writeFile(file, html);
      } catch (error) {
        throw new OpsError(`cannot write ${file}: ${error instanceof Error ? error.message : error}`, {
          cause: error,
        });
      }
      if (json) printJson(context.io, { districtId, cadence: options.cadence, file });
      else context.io.out(`Digest preview of ${districtId} (${options.cadence}) written to ${file}\n`);
    });
}
