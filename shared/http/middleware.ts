/**
 * The middy middlewares every HTTP function uses: correlation ids and the one place errors become HTTP.
 */
import { randomUUID } from 'node:crypto';
import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';
import { CORRELATION_ID_PATTERN } from '../contract/common';
import { ConflictError, InvalidInputError, NotFoundError } from '../domain/errors';
import { logger } from '../runtime/logger';
import { HttpProblem, problemBody } from './problem';

type HttpMiddleware = MiddlewareObj<APIGatewayProxyEvent, APIGatewayProxyResult, Error, Context>;

/** The request and response header of the correlation id (lower case, as httpHeaderNormalizer leaves it). */
export const CORRELATION_HEADER = 'x-correlation-id';

/**
 * The request's correlation id: the caller's `X-Correlation-Id` when it is well formed, else API Gateway's request
 * id, else (a request that came with neither) a new one. Once `correlationIds()` has run, the id it chose is the
 * header's value, so every later read of the same event gives the same id.
 */
export function correlationIdOf(event: APIGatewayProxyEvent): string {
  const given = event.headers?.[CORRELATION_HEADER];
  if (given && CORRELATION_ID_PATTERN.test(given)) return given;
  return event.requestContext?.requestId ?? randomUUID();
}

/**
 * Resolves the request's correlation id once and puts it on every log line of the invocation (Powertools'
 * `correlation_id`, which `injectLambdaContext` with `resetKeys` clears after it), on every response, and into the
 * event's headers, where routes read it (`correlationIdOf`) to store it with what they write.
 */
export const correlationIds = (): HttpMiddleware => ({
  before: (request) => {
    const correlationId = correlationIdOf(request.event);
    request.event.headers = { ...request.event.headers, [CORRELATION_HEADER]: correlationId };
    logger.setCorrelationId(correlationId);
  },
  after: (request) => {
    if (request.response) {
      request.response.headers = {
        ...request.response.headers,
        [CORRELATION_HEADER]: correlationIdOf(request.event),
      };
    }
  },
});

function statusOf(error: unknown): number | undefined {
  if (error instanceof HttpProblem) return error.status;
  if (error instanceof InvalidInputError) return 400;
  if (error instanceof NotFoundError) return 404;
  if (error instanceof ConflictError) return 409;
  // errors of middy's own middlewares (the router's 404, for one) are HttpErrors with `expose` set below 500
  const candidate = error as { statusCode?: unknown; expose?: unknown };
  if (typeof candidate.statusCode === 'number' && candidate.expose === true) return candidate.statusCode;
  return undefined;
}

/**
 * Turns every error into `application/problem+json`. Client errors say what was wrong; anything else is a 500
 * that says nothing internal and is logged with its cause. Register it last.
 */
export const problemDetails = (): HttpMiddleware => ({
  onError: (request) => {
    const { error } = request;
    const correlationId = correlationIdOf(request.event);
    const status = statusOf(error);
    const headers: Record<string, string> = {
      'content-type': 'application/problem+json',
      [CORRELATION_HEADER]: correlationId,
    };
    if (status !== undefined && status < 500) {
      const problem = error instanceof HttpProblem ? error : undefined;
      const fieldErrors =
        problem?.options.errors ?? (error instanceof InvalidInputError ? error.errors : undefined);
      Object.assign(headers, problem?.options.headers);
      logger.info('request rejected', { status });
      request.response = {
        statusCode: status,
        headers,
        body: JSON.stringify(problemBody(status, error?.message ?? '', correlationId, fieldErrors)),
      };
    } else {
      logger.error('request failed', { error });
      request.response = {
        statusCode: 500,
        headers,
        body: JSON.stringify(problemBody(500, 'The request could not be completed.', correlationId)),
      };
    }
  },
});
