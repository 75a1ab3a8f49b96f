import { DistrictPath } from '../../../shared/contract/districts';
import { authorize } from '../../../shared/http/caller';
import { validate } from '../../../shared/http/request';
import { json } from '../../../shared/http/response';
import { apiEnvironment } from '../environment';
import { progress } from '../stores';
import type { ApiRoute } from './types';

export const progressRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/districts/{districtId}/progress',
    handler: async (event) => {
      authorize(event, { districtId: event.pathParameters?.districtId });
      const { districtId } = validate(DistrictPath, event.pathParameters, 'path');
      return json(200, await progress.read(districtId, { minimumN: apiEnvironment.MINIMUM_N }));
    },
  },
];
