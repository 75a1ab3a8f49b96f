import type { APIGatewayProxyResult } from 'aws-lambda';

/** A JSON response; `headers` are merged over the content type. */
export function json(
  statusCode: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyResult {
  return {
    statusCode,
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  };
}
