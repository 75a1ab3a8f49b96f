import type { Method } from '@middy/http-router';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';

/** A route of the api function; a handler gets the proxy event with path parameters filled in. */
export interface ApiRoute {
  readonly method: Method;
  readonly path: string;
  readonly handler: (event: APIGatewayProxyEvent) => Promise<APIGatewayProxyResult>;
}

/** 204 No Content. */
export const noContent = (): APIGatewayProxyResult => ({ statusCode: 204, headers: {}, body: '' });
