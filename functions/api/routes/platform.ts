import type { Health } from '../../../shared/contract/health';
import { openApiDocument } from '../../../shared/contract/openapi';
import { json } from '../../../shared/http/response';
import { apiEnvironment } from '../environment';
import type { ApiRoute } from './types';

let document: ReturnType<typeof openApiDocument> | undefined;

export const platformRoutes: ApiRoute[] = [
  {
    method: 'GET',
    path: '/v1/health',
    handler: async () => json(200, { status: 'ok' } satisfies Health),
  },
  {
    method: 'GET',
    path: '/openapi.json',
    handler: async () => {
      document ??= openApiDocument({ serverUrl: apiEnvironment.PUBLIC_BASE_URL });
      return json(200, document, { 'cache-control': 'public, max-age=300' });
    },
  },
];
