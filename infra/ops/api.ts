/**
 * Calls of the HTTP API through the typed client of the contract, and what the operator sees when one fails: the
 * problem's title and detail, and every invalid field as `path: message`.
 */

import { type ApiClient, apiClient } from '../../shared/contract/client';
import { Problem } from '../../shared/contract/common';
import { OpsError } from './context';
import type { ApiTarget } from './target';

/** A refusal of the API, as its problem+json body said it. */
export class ApiProblemError extends OpsError {
  override readonly name = 'ApiProblemError';

  constructor(
    readonly status: number,
    message: string,
    details: readonly string[],
  ) {
    super(message, { details });
  }
}

/** A client of the target's API, with its state key on every request. */
export function clientFor(target: ApiTarget): ApiClient {
  return apiClient(target.apiUrl, target.stateKey);
}

/** What openapi-fetch resolves a call with. */
export interface FetchOutcome<T> {
  readonly data?: T;
  readonly error?: unknown;
  readonly response: Response;
}

/**
 * The data of a successful call. A refusal becomes an ApiProblemError; a network failure an OpsError that says
 * where the CLI tried to go and what to check.
 */
export async function callApi<T>(target: ApiTarget, call: Promise<FetchOutcome<T>>): Promise<T> {
  let outcome: FetchOutcome<T>;
  try {
    outcome = await call;
  } catch (error) {
    throw new OpsError(
      `cannot reach the API at ${target.apiUrl} (${networkReason(error)}): ${target.unreachableHint}`,
      {
        cause: error,
      },
    );
  }
  // openapi-fetch leaves `error` undefined for an empty body, so the status decides
  if (!outcome.response.ok) throw problemError(outcome.response, outcome.error);
  return outcome.data as T;
}

/** The refusal in a response that is not ok, as the operator reads it. */
export function problemError(response: Response, body: unknown): ApiProblemError {
  const problem = Problem.safeParse(body);
  if (!problem.success) {
    // not the API's answer (a proxy, a load balancer): its status and text are all there is
    const text = typeof body === 'string' && body.trim() !== '' ? `: ${body.trim().slice(0, 200)}` : '';
    return new ApiProblemError(response.status, `${response.status} ${response.statusText}${text}`, []);
  }
  const { status, title, detail, errors = [] } = problem.data;
  return new ApiProblemError(
    status,
    `${status} ${title}: ${detail}`,
    errors.map((error) => `${error.path}: ${error.message}`),
  );
}

/** fetch's own message is "fetch failed"; the cause says why (ECONNREFUSED, ENOTFOUND, a TLS error). */
export function networkReason(error: unknown): string {
  const cause = error instanceof Error ? error.cause : undefined;
  if (cause instanceof Error)
    return 'code' in cause && typeof cause.code === 'string' ? cause.code : cause.message;
  return error instanceof Error ? error.message : String(error);
}
