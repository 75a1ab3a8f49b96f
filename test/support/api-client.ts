/**
 * The typed HTTP client the end-to-end tests call the API through: openapi-fetch over the types that
 * openapi-typescript generates from the served OpenAPI document (test/support/api-types.ts). A path, a
 * parameter or a body the contract does not declare fails to compile; so does reading a field a response lacks.
 */
import createClient, { type Client } from 'openapi-fetch';
import type { paths } from './api-types';

/** A client bound to one API base URL and, optionally, one key. */
export type ApiClient = Client<paths>;

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
