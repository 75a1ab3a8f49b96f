/**
 * The key authorizer (API Gateway TOKEN authorizer): a well-formed, known, unrevoked key gets an Allow for the
 * whole API with its scope in the context and its usage key for per-key throttling; anything else is
 * `Unauthorized` (401). Which district a key may act on is checked by the api function (403), because API
 * Gateway caches this answer per key for every route.
 */
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import middy from '@middy/core';
import type { APIGatewayAuthorizerResult, APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import * as z from 'zod';
import { parseKey, secretMatches } from '../../shared/domain/api-keys';
import { callerContext } from '../../shared/domain/caller';
import { readEnvironment } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/logger';
import { KeyStore } from '../../shared/store/keys';

const env = readEnvironment({ TABLE_NAME: z.string().min(1) });
const keys = new KeyStore(env.TABLE_NAME);

/** The message API Gateway maps to a 401. */
const UNAUTHORIZED = 'Unauthorized';

/** `arn:…:execute-api:region:account:apiId/stage/*` — every method and path of the stage the call came in on. */
export function wholeApi(methodArn: string): string {
  // arn:partition:execute-api:region:account:apiId/stage/METHOD/path — by position, for the path may hold colons
  const parts = methodArn.split(':');
  const [apiId, stage] = parts.slice(5).join(':').split('/');
  return `${parts.slice(0, 5).join(':')}:${apiId}/${stage}/*`;
}

const lambdaHandler = async (event: APIGatewayTokenAuthorizerEvent): Promise<APIGatewayAuthorizerResult> => {
  const presented = parseKey(event.authorizationToken);
  const record = presented ? await keys.get(presented.keyId) : undefined;
  if (!presented || !record || record.revokedAt || !secretMatches(presented.secret, record.secretHash)) {
    logger.info('key refused', { keyId: presented?.keyId, known: Boolean(record) });
    throw new Error(UNAUTHORIZED);
  }
  return {
    principalId: record.keyId,
    policyDocument: {
      Version: '2012-10-17',
      Statement: [{ Effect: 'Allow', Action: 'execute-api:Invoke', Resource: wholeApi(event.methodArn) }],
    },
    context: callerContext({ keyId: record.keyId, scope: record.scope }),
    usageIdentifierKey: record.usageKey,
  };
};

export const handler = middy<APIGatewayTokenAuthorizerEvent, APIGatewayAuthorizerResult>()
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .handler(lambdaHandler);
