import { ListQuery } from '../../../shared/contract/common';
import { CreateDistrict, DistrictPath, KeyPath } from '../../../shared/contract/districts';
import { Framework } from '../../../shared/contract/framework';
import { newKey } from '../../../shared/domain/api-keys';
import { NotFoundError } from '../../../shared/domain/errors';
import { authorize } from '../../../shared/http/caller';
import { correlationIdOf } from '../../../shared/http/middleware';
import { jsonBody, queryOf, validate } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { apiEnvironment } from '../environment';
import { apiKeys, districts, usagePlan } from '../stores';
import { type ApiRoute, noContent } from './types';

export const districtRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/districts',
    handler: async (event) => {
      authorize(event, { state: true });
      const input = validate(CreateDistrict, jsonBody(event));
      const key = newKey({ kind: 'district', districtId: input.districtId });
      // the usage key goes on the plan first: a key that is stored but unknown to the plan would be refused
      await usagePlan.register(key.keyId, key.usageKey);
      try {
        await districts.create(
          {
            districtId: input.districtId,
            name: input.name,
            timezone: input.timezone ?? apiEnvironment.STATE_TIMEZONE,
          },
          input.framework ?? apiEnvironment.DEFAULT_FRAMEWORK,
          key,
        );
      } catch (error) {
        await forgetUsageKey(key.keyId);
        throw error;
      }
      logger.info('district created', { districtId: input.districtId, keyId: key.keyId });
      return json(201, { districtId: input.districtId, apiKey: key.apiKey, keyId: key.keyId });
    },
  },
  {
    method: 'GET',
    path: '/v1/districts',
    handler: async (event) => {
      authorize(event, { state: true });
      const query = validate(ListQuery, queryOf(event), 'query');
      return json(200, await districts.list(query.limit, query.nextToken));
    },
  },
  {
    method: 'POST',
    path: '/v1/districts/{districtId}/keys',
    handler: async (event) => {
      authorize(event, { state: true });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      if (!(await districts.get(districtId)))
        throw new NotFoundError(`District ${districtId} does not exist.`);
      const key = newKey({ kind: 'district', districtId });
      await usagePlan.register(key.keyId, key.usageKey);
      try {
        await apiKeys.create(key, { kind: 'district', districtId });
      } catch (error) {
        await forgetUsageKey(key.keyId);
        throw error;
      }
      logger.info('district key created', { districtId, keyId: key.keyId });
      return json(201, { apiKey: key.apiKey, keyId: key.keyId });
    },
  },
  {
    method: 'DELETE',
    path: '/v1/districts/{districtId}/keys/{keyId}',
    handler: async (event) => {
      authorize(event, { state: true });
      const { districtId, keyId } = validate(KeyPath, event.pathParameters, 'path');
      if ((await apiKeys.revoke(keyId, districtId)) === 'not-found') {
        throw new NotFoundError(`District ${districtId} has no key ${keyId}.`);
      }
      await usagePlan.remove(keyId);
      logger.info('district key revoked', { districtId, keyId });
      return noContent();
    },
  },
  {
    method: 'GET',
    path: '/v1/districts/{districtId}/framework',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      return json(200, await districts.framework(districtId));
    },
  },
  {
    method: 'PUT',
    path: '/v1/districts/{districtId}/framework',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const framework = validate(Framework, jsonBody(event));
      await districts.replaceFramework(districtId, framework, new Date(), correlationIdOf(event));
      logger.info('framework replaced', { districtId });
      return json(200, framework);
    },
  },
];

/** Takes back a usage key whose key was not stored; a failure here must not hide the error that caused it. */
async function forgetUsageKey(keyId: string): Promise<void> {
  await usagePlan.remove(keyId).catch((error: unknown) => {
    logger.warn('usage key of an unstored key left on the plan', { keyId, error });
  });
}
