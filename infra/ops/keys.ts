/**
 * `keys create` and `keys revoke`: a district's keys, through the API with the state key. A key is revoked at
 * once in the table; a deployed authorizer may still let it in while its cached answer for the key lasts
 * (resultsCacheTtlSeconds of the topology).
 */
import type { Command } from 'commander';
import { callApi, clientFor } from './api';
import type { CommandContext } from './command-context';
import { printFields, printJson, warnShownOnce } from './output';
import type { ApiTarget } from './target';

/** A new key of the district, made with the state key; the answer is the only place its secret appears. */
export function createDistrictKey(target: ApiTarget, districtId: string) {
  return callApi(
    target,
    clientFor(target).POST('/v1/districts/{districtId}/keys', { params: { path: { districtId } } }),
  );
}

/** Revokes a key of the district with the state key. */
export async function revokeDistrictKey(target: ApiTarget, districtId: string, keyId: string): Promise<void> {
  await callApi(
    target,
    clientFor(target).DELETE('/v1/districts/{districtId}/keys/{keyId}', {
      params: { path: { districtId, keyId } },
    }),
  );
}

export function registerKeys(program: Command, context: CommandContext): void {
  const keys = program.command('keys').description("Create and revoke a district's keys");

  keys
    .command('create')
    .description('Create a new key for a district (printed once), e.g. to rotate one')
    .argument('<districtId>', 'the district')
    .action(async (districtId: string, _options: object, command: Command) => {
      const { target } = await context.api(command);
      const created = await createDistrictKey(target, districtId);
      if (context.options(command).json) {
        printJson(context.io, { districtId, ...created });
      } else {
        context.io.out(`Key created for district ${districtId}.\n`);
        printFields(context.io, [
          ['keyId', created.keyId],
          ['apiKey', created.apiKey],
        ]);
      }
      warnShownOnce(context.io, `district ${districtId}`);
    });

  keys
    .command('revoke')
    .description("Revoke a district's key: requests with it are refused (401)")
    .argument('<districtId>', 'the district')
    .argument('<keyId>', 'the key id (16 hex digits), as printed when the key was created')
    .action(async (districtId: string, keyId: string, _options: object, command: Command) => {
      const { target } = await context.api(command);
      await revokeDistrictKey(target, districtId, keyId);
      if (context.options(command).json) printJson(context.io, { districtId, keyId, revoked: true });
      else context.io.out(`Key ${keyId} of district ${districtId} revoked.\n`);
    });
}
