/**
 * Digest subscribers: a district's own list (district key), and the state-wide list of the roll-up (state key).
 * Addresses are personal data: log lines carry the subscriber id and the district, never the address.
 */
import { ListQuery } from '../../../shared/contract/common';
import { DistrictPath } from '../../../shared/contract/districts';
import { SubscriberBody, SubscriberPath } from '../../../shared/contract/subscribers';
import { NotFoundError } from '../../../shared/domain/errors';
import { authorize } from '../../../shared/http/caller';
import { jsonBody, queryOf, validate } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { districts, subscribers } from '../stores';
import { type ApiRoute, noContent } from './types';

export const subscriberRoutes: ApiRoute[] = [
  {
    method: 'POST',
    path: '/v1/districts/{districtId}/subscribers',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const body = validate(SubscriberBody, jsonBody(event));
      const { subscriberId } = await subscribers.create({ kind: 'district', districtId }, body);
      logger.info('subscriber created', { districtId, subscriberId, cadence: body.cadence });
      return json(201, { subscriberId });
    },
  },
  {
    method: 'GET',
    path: '/v1/districts/{districtId}/subscribers',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const query = validate(ListQuery, queryOf(event), 'query');
      if (!(await districts.get(districtId)))
        throw new NotFoundError(`District ${districtId} does not exist.`);
      return json(
        200,
        await subscribers.list({ kind: 'district', districtId }, query.limit, query.nextToken),
      );
    },
  },
  {
    method: 'DELETE',
    path: '/v1/districts/{districtId}/subscribers/{subscriberId}',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId, subscriberId } = validate(SubscriberPath, event.pathParameters, 'path');
      await subscribers.remove({ kind: 'district', districtId }, subscriberId);
      logger.info('subscriber removed', { districtId, subscriberId });
      return noContent();
    },
  },
  {
    method: 'POST',
    path: '/v1/subscribers',
    handler: async (event) => {
      authorize(event, { state: true });
      const body = validate(SubscriberBody, jsonBody(event));
      const { subscriberId } = await subscribers.create({ kind: 'state' }, body);
      logger.info('state-wide subscriber created', { subscriberId, cadence: body.cadence });
      return json(201, { subscriberId });
    },
  },
];
