/**
 * The caller of a keyed route, as the authorizer establishes it and the api function reads it back from the
 * request context (API Gateway passes context values as strings).
 */
import type { KeyScope } from './api-keys';

export interface Caller {
  readonly keyId: string;
  readonly scope: KeyScope;
}

/** The authorizer's context for a caller: flat string values, as API Gateway requires. */
export function callerContext(caller: Caller): Record<string, string> {
  return {
    keyId: caller.keyId,
    scope: caller.scope.kind,
    districtId: caller.scope.kind === 'district' ? caller.scope.districtId : '',
  };
}

/** The caller from an authorizer context; undefined when it is not one the authorizer made. */
export function callerFromContext(context: Record<string, unknown> | null | undefined): Caller | undefined {
  const keyId = context?.keyId;
  if (typeof keyId !== 'string' || keyId === '') return undefined;
  if (context?.scope === 'state') return { keyId, scope: { kind: 'state' } };
  const districtId = context?.districtId;
  if (context?.scope === 'district' && typeof districtId === 'string' && districtId !== '') {
    return { keyId, scope: { kind: 'district', districtId } };
  }
  return undefined;
}
