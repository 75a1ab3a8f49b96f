/**
 * The local key authorizer: what API Gateway does with a TOKEN authorizer before a keyed route's function runs.
 * A header that is missing or does not match the identity validation expression is refused without invoking the
 * function; otherwise the function gets a real TOKEN event, and its answer (a policy, a context and a usage key)
 * is kept per token for the cache TTL and checked against each request's method ARN, as API Gateway checks its
 * cached policy. A thrown `Unauthorized` is the 401 answer and, like any error, is not kept.
 */
import type { APIGatewayTokenAuthorizerEvent } from 'aws-lambda';
import * as z from 'zod';
import type { AuthorizerSpec, FunctionName } from '../topology';

/** The account id in local ARNs. */
const LOCAL_ACCOUNT_ID = '000000000000';

/** The message an authorizer throws for API Gateway to answer 401. */
const UNAUTHORIZED = 'Unauthorized';

/** Cache entries past which expired ones are swept out. */
const CACHE_SWEEP_SIZE = 1_000;

const Strings = z.union([z.string(), z.array(z.string())]);

/** What API Gateway accepts from a Lambda authorizer (anything else is its 500 configuration error). */
const AuthorizerResult = z.object({
  principalId: z.string().min(1),
  policyDocument: z.object({
    Statement: z
      .array(z.object({ Effect: z.enum(['Allow', 'Deny']), Action: Strings, Resource: Strings }))
      .min(1),
  }),
  context: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).nullish(),
  usageIdentifierKey: z.string().min(1).nullish(),
});
type AuthorizerResult = z.infer<typeof AuthorizerResult>;

/** The authorizer's verdict on one request. */
export type Authorization =
  | {
      readonly kind: 'allow';
      /** What the route function finds in `requestContext.authorizer`: the context (as strings) and principalId. */
      readonly context: Readonly<Record<string, string>>;
      readonly usageIdentifierKey: string | undefined;
    }
  /** No key, a malformed one, or the function threw `Unauthorized`: 401. */
  | { readonly kind: 'unauthorized' }
  /** The policy does not allow this method: 403. */
  | { readonly kind: 'denied' }
  /** The function failed otherwise, or answered something API Gateway would not accept: 500. */
  | { readonly kind: 'failed'; readonly error: unknown };

export interface LocalAuthorizerOptions {
  readonly spec: AuthorizerSpec;
  /** Invokes a topology function (the FunctionRunner). */
  readonly invoke: (name: FunctionName, event: APIGatewayTokenAuthorizerEvent) => Promise<unknown>;
  /** Seconds an answer is kept per token; 0 keeps none. */
  readonly cacheTtlSeconds: number;
  /** @default Date.now */
  readonly now?: () => number;
}

/** The method ARN API Gateway passes a TOKEN authorizer, for a request to the local API. */
export function localMethodArn(region: string, stage: string, method: string, path: string): string {
  return `arn:aws:execute-api:${region}:${LOCAL_ACCOUNT_ID}:local/${stage}/${method}${path}`;
}

export class LocalAuthorizer {
  readonly #options: LocalAuthorizerOptions;
  readonly #identity: RegExp;
  readonly #now: () => number;
  readonly #cache = new Map<string, { readonly result: AuthorizerResult; readonly expiresAt: number }>();

  constructor(options: LocalAuthorizerOptions) {
    this.#options = options;
    this.#identity = new RegExp(options.spec.identityValidationExpression);
    this.#now = options.now ?? Date.now;
  }

  /** Settings as wired, for the comparison with the CDK template. */
  get settings(): AuthorizerSpec {
    return { ...this.#options.spec, resultsCacheTtlSeconds: this.#options.cacheTtlSeconds };
  }

  /** Decides on a request with this Authorization header value to this method ARN. */
  async authorize(header: string | undefined, methodArn: string): Promise<Authorization> {
    if (!header || !this.#identity.test(header)) return { kind: 'unauthorized' };
    let result = this.#cached(header);
    if (!result) {
      let answer: unknown;
      try {
        answer = await this.#options.invoke(this.#options.spec.function, {
          type: 'TOKEN',
          authorizationToken: header,
          methodArn,
        });
      } catch (error) {
        if (error instanceof Error && error.message === UNAUTHORIZED) return { kind: 'unauthorized' };
        return { kind: 'failed', error };
      }
      const parsed = AuthorizerResult.safeParse(answer);
      if (!parsed.success) return { kind: 'failed', error: parsed.error };
      result = parsed.data;
      this.#keep(header, result);
    }
    if (!policyAllows(result.policyDocument.Statement, methodArn)) return { kind: 'denied' };
    // API Gateway hands context values to the integration as strings
    const context = Object.fromEntries(
      Object.entries(result.context ?? {}).map(([name, value]) => [name, String(value)]),
    );
    return {
      kind: 'allow',
      context: { ...context, principalId: result.principalId },
      usageIdentifierKey: result.usageIdentifierKey ?? undefined,
    };
  }

  #cached(token: string): AuthorizerResult | undefined {
    const entry = this.#cache.get(token);
    if (entry && entry.expiresAt > this.#now()) return entry.result;
    this.#cache.delete(token);
    return undefined;
  }

  #keep(token: string, result: AuthorizerResult): void {
    const ttlMs = this.#options.cacheTtlSeconds * 1_000;
    if (ttlMs <= 0) return;
    const now = this.#now();
    if (this.#cache.size >= CACHE_SWEEP_SIZE) {
      for (const [key, entry] of this.#cache) if (entry.expiresAt <= now) this.#cache.delete(key);
    }
    this.#cache.set(token, { result, expiresAt: now + ttlMs });
  }
}

type Statement = AuthorizerResult['policyDocument']['Statement'][number];

/**
 * IAM evaluation of an authorizer policy for `execute-api:Invoke` on one method ARN: an explicit Deny wins, then
 * an Allow, and anything not allowed is denied. `*` and `?` are the IAM wildcards; actions ignore case.
 */
export function policyAllows(statements: readonly Statement[], methodArn: string): boolean {
  const applies = (statement: Statement) =>
    list(statement.Action).some((action) => wildcard(action, 'i').test('execute-api:Invoke')) &&
    list(statement.Resource).some((resource) => wildcard(resource).test(methodArn));
  const applying = statements.filter(applies);
  return !applying.some((s) => s.Effect === 'Deny') && applying.some((s) => s.Effect === 'Allow');
}

const list = (value: string | readonly string[]) => (typeof value === 'string' ? [value] : value);

function wildcard(pattern: string, flags = ''): RegExp {
  const source = pattern
    .split('')
    .map((char) => (char === '*' ? '.*' : char === '?' ? '.' : char.replace(/[.+^${}()|[\]\\]/g, '\\$&')))
    .join('');
  return new RegExp(`^${source}$`, flags);
}
