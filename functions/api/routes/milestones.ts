import { ListQuery } from '../../../shared/contract/common';
import { DistrictPath } from '../../../shared/contract/districts';
import { fieldErrors } from '../../../shared/contract/field-errors';
import { MilestoneBody, MilestonePath } from '../../../shared/contract/milestones';
import { InvalidInputError } from '../../../shared/domain/errors';
import { milestoneReferenceErrors, withReferenceErrors } from '../../../shared/domain/references';
import { authorize } from '../../../shared/http/caller';
import { correlationIdOf } from '../../../shared/http/middleware';
import { describeInvalid, jsonBody, queryOf, validate } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';
import { logger } from '../../../shared/runtime/logger';
import { METRIC, record } from '../../../shared/runtime/metrics';
import { districts, milestones } from '../stores';
import { type ApiRoute, noContent } from './types';

export const milestoneRoutes: ApiRoute[] = [
  {
    method: 'PUT',
    path: '/v1/districts/{districtId}/milestones/{milestoneId}',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId, milestoneId } = validate(MilestonePath, event.pathParameters, 'path');
      const input = jsonBody(event);
      const framework = await districts.framework(districtId);
      const parsed = MilestoneBody.safeParse(input);
      const errors = withReferenceErrors(
        parsed.success ? [] : fieldErrors(parsed.error),
        milestoneReferenceErrors(input, framework),
      );
      if (!parsed.success || errors.length > 0)
        throw new InvalidInputError(describeInvalid(errors.length), errors);
      const result = await milestones.upsert(
        districtId,
        milestoneId,
        parsed.data,
        new Date(),
        correlationIdOf(event),
      );
      logger.info('milestone written', { districtId, status: result.status, applied: result.applied });
      if (result.applied) record(METRIC.eventsAccepted, 1);
      return json(result.status, { ...result.milestone, applied: result.applied });
    },
  },
  {
    method: 'GET',
    path: '/v1/districts/{districtId}/milestones',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      const query = validate(ListQuery, queryOf(event), 'query');
      await districts.framework(districtId); // 404 for a district that does not exist
      return json(200, await milestones.list(districtId, query.limit, query.nextToken));
    },
  },
  {
    method: 'DELETE',
    path: '/v1/districts/{districtId}/milestones/{milestoneId}',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId, milestoneId } = validate(MilestonePath, event.pathParameters, 'path');
      await milestones.remove(districtId, milestoneId, new Date(), correlationIdOf(event));
      logger.info('milestone removed', { districtId });
      return noContent();
    },
  },
];
