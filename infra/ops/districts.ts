/**
 * `districts create` and `districts list`: a state's districts, through the API with the state key;
 * `districts remove` (district-removal.ts) works on the table itself.
 */
import { type Command, InvalidArgumentError } from 'commander';
import type { components } from '../../shared/contract/generated/api-types';
import { callApi } from './api';
import type { CommandContext } from './command-context';
import { registerDistrictRemoval } from './district-removal';
import { printFields, printJson, printTable, warnShownOnce } from './output';

type District = components['schemas']['District'];

/** The API's largest page. */
const MAX_PAGE_SIZE = 100;

/** commander's parser of a whole number from 1 to `max`. */
export const wholeNumber =
  (max = Number.MAX_SAFE_INTEGER) =>
  (value: string): number => {
    const number = Number(value);
    if (!/^\d+$/.test(value) || number < 1 || number > max) {
      throw new InvalidArgumentError(`must be a whole number from 1 to ${max}`);
    }
    return number;
  };

export function registerDistricts(program: Command, context: CommandContext): void {
  const districts = program.command('districts').description("Create, list and remove the state's districts");

  districts
    .command('create')
    .description("Create a district and its first key (printed once; the district's system uses it)")
    .argument('<districtId>', '1-64 characters of a-z, 0-9 and -, starting with a letter or digit')
    .requiredOption('--name <name>', "the district's name, e.g. 'Lincoln Unified School District'")
    .option('--timezone <tz>', "IANA timezone of the district (default: the state's)")
    .action(async (districtId: string, options: { name: string; timezone?: string }, command: Command) => {
      const { client, target } = await context.api(command);
      const created = await callApi(
        target,
        client.POST('/v1/districts', {
          body: {
            districtId,
            name: options.name,
            ...(options.timezone === undefined ? {} : { timezone: options.timezone }),
          },
        }),
      );
      if (context.options(command).json) {
        printJson(context.io, created);
      } else {
        context.io.out(`District ${created.districtId} created.\n`);
        printFields(context.io, [
          ['districtId', created.districtId],
          ['keyId', created.keyId],
          ['apiKey', created.apiKey],
        ]);
      }
      warnShownOnce(context.io, `district ${created.districtId}`);
    });

  districts
    .command('list')
    .description('List the districts, following every page')
    .option('--limit <n>', 'list at most n districts (default: all)', wholeNumber())
    .option(
      '--page-size <n>',
      `districts per request, 1-${MAX_PAGE_SIZE}`,
      wholeNumber(MAX_PAGE_SIZE),
      MAX_PAGE_SIZE,
    )
    .action(async (options: { limit?: number; pageSize: number }, command: Command) => {
      const { client, target } = await context.api(command);
      const items: District[] = [];
      let nextToken: string | undefined;
      do {
        const wanted = options.limit === undefined ? options.pageSize : options.limit - items.length;
        const page = await callApi(
          target,
          client.GET('/v1/districts', {
            params: { query: { limit: Math.min(options.pageSize, wanted), nextToken } },
          }),
        );
        items.push(...page.items);
        nextToken = page.nextToken;
      } while (nextToken !== undefined && (options.limit === undefined || items.length < options.limit));
      const shown = options.limit === undefined ? items : items.slice(0, options.limit);

      if (context.options(command).json) return printJson(context.io, shown);
      if (shown.length === 0) return context.io.out('No districts yet.\n');
      printTable(
        context.io,
        ['DISTRICT', 'NAME', 'TIMEZONE', 'CREATED'],
        shown.map((district) => [district.districtId, district.name, district.timezone, district.createdAt]),
      );
      context.io.out(`${shown.length} district${shown.length === 1 ? '' : 's'}\n`);
    });

  registerDistrictRemoval(districts, context);
}
