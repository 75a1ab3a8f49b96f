/**
 * The routes the api function answers; test/unit/api.test.ts checks them against infra/topology.ts.
 */
import { assessmentRoutes } from './routes/assessments';
import { digestRoutes } from './routes/digests';
import { districtRoutes } from './routes/districts';
import { docsRoutes } from './routes/docs';
import { milestoneRoutes } from './routes/milestones';
import { platformRoutes } from './routes/platform';
import { progressRoutes } from './routes/progress';
import { subscriberRoutes } from './routes/subscribers';
import type { ApiRoute } from './routes/types';
import { unsubscribeRoutes } from './routes/unsubscribe';

export const routes: ApiRoute[] = [
  ...platformRoutes,
  ...docsRoutes,
  ...districtRoutes,
  ...milestoneRoutes,
  ...assessmentRoutes,
  ...progressRoutes,
  ...subscriberRoutes,
  ...digestRoutes,
  ...unsubscribeRoutes,
];
