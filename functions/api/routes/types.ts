import type { Method } from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult, Context } from 'aws-lambda';

/**
 * A route of the api function; a handler gets the proxy event with path parameters filled in and, through the
 * router, the Lambda context (for the time left); a route called by itself may have none.
 */
export interface ApiRoute {
  readonly method: Method;
  readonly path: string;
  readonly handler: (event: APIGatewayProxyEvent, context?: Context) => Promise<APIGatewayProxyResult>;
}

/** 204 No Content. */
export const noContent = (): APIGatewayProxyResult => ({ statusCode: 204, headers: {}, body: '' });
