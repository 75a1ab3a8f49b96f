/**
 * The typed HTTP client of the API: openapi-fetch over the types that openapi-typescript generates from the
 * served OpenAPI document (generated/api-types.ts, written by `npm run generate:client`). A path, a parameter or a
 * body the contract does not declare fails to compile; so does reading a field a response lacks. The end-to-end
 * tests and the ops CLI (infra/ops/) both call the API through it, so neither can drift from the contract.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { components, paths } from './generated/api-types';

/** A client bound to one API base URL and, optionally, one key. */
export type ApiClient = Client<paths>;

/** A problem+json body (RFC 9457) as the contract declares it. */
export type ProblemDocument = components['schemas']['Problem'];

/**
 * A client for the API at `baseUrl`: the local stack's `apiUrl`, a deployed stage's invoke URL, or the root of
 * the state's custom domain; the contract's paths (`/v1/health`, `/openapi.json`) are appended to it. With
 * `apiKey`, every request carries `Authorization: Bearer <apiKey>`; a call may still pass its own
 * `authorization` header, to try a wrong or missing key.
 */
export function apiClient(baseUrl: string, apiKey?: string): ApiClient {
  return createClient<paths>({
    baseUrl,
    headers: apiKey === undefined ? {} : { authorization: `Bearer ${apiKey}` },
  });
}
