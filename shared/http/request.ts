/**
 * Reading a request: its JSON body (415, 413 and malformed JSON answered here) and zod validation that reports
 * every invalid field at once.
 */
import type { APIGatewayProxyEvent } from 'aws-lambda';
import type { z } from 'zod';
import { fieldErrors } from '../contract/field-errors';
import { HttpProblem } from './problem';

/** The largest body the API accepts. */
export const MAX_BODY_BYTES = 256 * 1024;

/** The body as JSON; `undefined` when there is none. */
export function jsonBody(event: APIGatewayProxyEvent): unknown {
  if (event.body === null || event.body === undefined || event.body === '') return undefined;
  const raw = event.isBase64Encoded ? Buffer.from(event.body, 'base64') : Buffer.from(event.body, 'utf8');
  if (raw.length > MAX_BODY_BYTES) {
    throw new HttpProblem(
      413,
      `The body is ${raw.length} bytes; the limit is ${MAX_BODY_BYTES} bytes (256 KiB).`,
    );
  }
  const contentType = event.headers?.['content-type'] ?? event.headers?.['Content-Type'];
  if (!contentType || !/^application\/json\s*(;|$)/i.test(contentType)) {
    throw new HttpProblem(415, 'The body must be JSON, sent with Content-Type: application/json.');
  }
  try {
    return JSON.parse(raw.toString('utf8'));
  } catch (error) {
    throw new HttpProblem(400, 'The body is not valid JSON.', {
      errors: [{ path: '', message: (error as Error).message }],
      cause: error,
    });
  }
}

/** Parses or answers 400 with every invalid field, prefixed by where it was (`query.limit`, …). */
export function validate<S extends z.ZodType>(schema: S, value: unknown, prefix = ''): z.infer<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const errors = fieldErrors(result.error, prefix);
  throw new HttpProblem(400, describeInvalid(errors.length), { errors });
}

export function describeInvalid(count: number): string {
  return count === 1 ? 'The request has 1 invalid field.' : `The request has ${count} invalid fields.`;
}

/** The query string as one object (API Gateway gives null when there is none). */
export function queryOf(event: APIGatewayProxyEvent): Record<string, string> {
  return Object.fromEntries(
    Object.entries(event.queryStringParameters ?? {}).filter(
      (entry): entry is [string, string] => entry[1] !== undefined,
    ),
  );
}
