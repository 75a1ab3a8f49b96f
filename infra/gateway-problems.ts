/**
 * What API Gateway itself answers when it refuses a keyed request before any function runs: no valid key (401),
 * a policy that does not allow the route (403), a key over its rate (429). Declared once so that the CDK gateway
 * responses (constructs/api.ts) and the local front door (local/front-door.ts) answer with the same problem+json.
 */

export interface GatewayProblem {
  readonly status: 401 | 403 | 429;
  readonly detail: string;
  /** Response headers besides the content type. */
  readonly headers: Readonly<Record<string, string>>;
}

/**
 * Seconds a throttled client is told to wait. API Gateway cannot compute it per request, and a token bucket with
 * a rate of at least one per second has a token again within a second.
 */
export const THROTTLED_RETRY_AFTER_SECONDS = 1;

export const GATEWAY_PROBLEMS = {
  /** No Authorization header, one that does not look like a key, or a key the authorizer refused. */
  unauthorized: {
    status: 401,
    detail: 'A valid API key is required: Authorization: Bearer <key>.',
    headers: {},
  },
  /** The authorizer's policy does not allow this route. */
  accessDenied: { status: 403, detail: 'This API key may not call this route.', headers: {} },
  /** The key's rate (the usage plan's throttle) is used up. */
  throttled: {
    status: 429,
    detail: 'Too many requests with this API key: retry after the seconds in Retry-After.',
    headers: { 'retry-after': String(THROTTLED_RETRY_AFTER_SECONDS) },
  },
  /** The key's quota is used up (the usage plan sets none today: kept so any 429 carries Retry-After). */
  quotaExceeded: {
    status: 429,
    detail: 'The request quota of this API key is used up.',
    headers: { 'retry-after': String(THROTTLED_RETRY_AFTER_SECONDS) },
  },
} as const satisfies Record<string, GatewayProblem>;
