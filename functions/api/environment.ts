import * as z from 'zod';
import { Framework } from '../../shared/contract/framework';
import { readEnvironment } from '../../shared/runtime/env';

export const apiEnvironment = readEnvironment({
  STATE_CODE: z.string().regex(/^[A-Z]{2}$/),
  STATE_TIMEZONE: z.string().min(1),
  /** The state's name, as digests and the unsubscribe pages show it. */
  STATE_NAME: z.string().min(1),
  TABLE_NAME: z.string().min(1),
  /** `POST /v1/digests/run` plans digests onto the digest queue, as the scheduled planner does. */
  DIGEST_QUEUE_URL: z.url(),
  PUBLIC_BASE_URL: z.url(),
  /** The state's minimum n: smaller counts are suppressed in every published figure. */
  MINIMUM_N: z.coerce.number().int().min(1),
  DEFAULT_FRAMEWORK: z.string().transform((json, ctx) => {
    const parsed = Framework.safeParse(JSON.parse(json));
    if (!parsed.success) ctx.addIssue({ code: 'custom', message: 'is not a valid framework' });
    return parsed.data as Framework;
  }),
  /** Set in AWS only: the usage plan that throttles each key. The local front door throttles by itself. */
  USAGE_PLAN_ID: z.string().min(1).optional(),
});
