import type { APIGatewayProxyEvent } from 'aws-lambda';
import { type Caller, callerFromContext } from '../domain/caller';
import { HttpProblem } from './problem';

/**
 * The caller of a keyed route, checked against what the route needs: a state key, or a key of the district in
 * the path (a state key may act on every district). The authorizer has already answered 401 for a bad key.
 */
export function authorize(
  event: APIGatewayProxyEvent,
  needs: { readonly state: true } | { readonly districtId: string | undefined },
): Caller {
  const caller = callerFromContext(event.requestContext?.authorizer);
  if (!caller) throw new HttpProblem(401, 'A valid API key is required: Authorization: Bearer <key>.');
  if (caller.scope.kind === 'state') return caller;
  if ('state' in needs) throw new HttpProblem(403, 'This route needs a state key.');
  if (caller.scope.districtId !== needs.districtId) {
    throw new HttpProblem(403, 'A district key acts only on its own district.');
  }
  return caller;
}
