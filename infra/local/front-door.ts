/**
 * The local API Gateway: a node:http server on 127.0.0.1 that turns each request into the REST API (v1) proxy
 * event of the topology route it matches and answers with what the route's function returns. A keyed route first
 * goes through the key authorizer and the per-key rate limit, as the authorizer and the usage plan do in AWS. API
 * Gateway's own answers (no such route, no valid key, throttled, payload too large, a failed integration) are
 * problem+json, like the API's, and word the key refusals as the CDK gateway responses do.
 */
import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { Logger } from '@aws-lambda-powertools/logger';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { problemBody } from '../../shared/http/problem';
import { GATEWAY_PROBLEMS, type GatewayProblem } from '../gateway-problems';
import { type RouteSpec, topology } from '../topology';
import { type LocalAuthorizer, localMethodArn } from './authorizer';
import type { FunctionRunner } from './function-runner';
import { LOOPBACK } from './ports';
import type { TokenBuckets } from './rate-limit';

/** API Gateway's payload limit. */
export const MAX_REQUEST_BYTES = 10 * 1024 * 1024;
/** Lambda's limit on a synchronous response. */
const MAX_RESPONSE_BYTES = 6 * 1024 * 1024;
/** How long stop() lets requests in flight finish before it closes their connections. */
const STOP_GRACE_MS = 5_000;

/** A topology route matched against a request path. */
export interface RouteMatch {
  readonly route: RouteSpec;
  readonly pathParameters: Record<string, string>;
}

/** The route for the request; or, when only the method is wrong, the methods the path allows. */
export type RouteLookup =
  | { readonly kind: 'found'; readonly match: RouteMatch }
  | { readonly kind: 'method-not-allowed'; readonly allowed: readonly string[] }
  | { readonly kind: 'not-found' };

/** A route with its path pattern, ready for lookupRoute. */
export interface CompiledRoute {
  readonly route: RouteSpec;
  readonly pattern: RegExp;
  readonly parameters: readonly string[];
  /** Per segment: 0 literal, 1 `{name}`, 2 `{name+}`; API Gateway prefers the lowest, segment by segment. */
  readonly rank: readonly number[];
}

/** How a route is guarded, as the template shows it: a key (authorizer and usage plan), or nothing. */
export function routeGuard(route: RouteSpec): 'key' | 'none' {
  return route.auth === 'none' ? 'none' : 'key';
}

/** Compiles the topology routes for lookupRoute. */
export function compileRoutes(routes: readonly RouteSpec[] = topology.routes): readonly CompiledRoute[] {
  return routes.map((route) => {
    const parameters: string[] = [];
    const rank: number[] = [];
    const source = route.path
      .split('/')
      .map((segment) => {
        const greedy = /^\{(\w+)\+\}$/.exec(segment);
        if (greedy?.[1]) {
          parameters.push(greedy[1]);
          rank.push(2);
          return '(.+)';
        }
        const parameter = /^\{(\w+)\}$/.exec(segment);
        if (parameter?.[1]) {
          parameters.push(parameter[1]);
          rank.push(1);
          return '([^/]+)';
        }
        rank.push(0);
        return segment.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      })
      .join('/');
    return { route, pattern: new RegExp(`^${source}$`), parameters, rank };
  });
}

/**
 * Finds the route of a method and path as API Gateway does: first the resource (the most specific template that
 * matches the path, literal segments winning over parameters), then the method on that resource. A method the
 * resource lacks is not looked for on a less specific one.
 */
export function lookupRoute(routes: readonly CompiledRoute[], method: string, path: string): RouteLookup {
  const candidates = routes
    .map((compiled) => ({ compiled, values: compiled.pattern.exec(path) }))
    .filter((candidate) => candidate.values !== null)
    .sort((a, b) => compareRank(a.compiled.rank, b.compiled.rank));
  const resource = candidates[0]?.compiled.route.path;
  if (resource === undefined) return { kind: 'not-found' };
  const onResource = candidates.filter((candidate) => candidate.compiled.route.path === resource);
  const found = onResource.find((candidate) => candidate.compiled.route.method === method);
  if (!found?.values) {
    return {
      kind: 'method-not-allowed',
      allowed: onResource.map((candidate) => candidate.compiled.route.method),
    };
  }
  const values = found.values;
  const pathParameters: Record<string, string> = {};
  found.compiled.parameters.forEach((name, index) => {
    pathParameters[name] = safeDecode(values[index + 1] ?? '');
  });
  return { kind: 'found', match: { route: found.compiled.route, pathParameters } };
}

export interface FrontDoorOptions {
  /** 0 picks a free port. */
  readonly port: number;
  readonly runner: FunctionRunner;
  readonly logger: Logger;
  readonly routes?: readonly RouteSpec[];
  /** The stage name in `requestContext`. */
  readonly stage?: string;
  /** The region in the method ARN the authorizer sees. */
  readonly region: string;
  /** Decides on the key of every keyed route. */
  readonly authorizer: LocalAuthorizer;
  /** Throttles each usage key the authorizer names. */
  readonly rateLimiter: TokenBuckets;
}

export interface RunningFrontDoor {
  /** `http://127.0.0.1:<port>` */
  readonly url: string;
  readonly port: number;
  /** Stops accepting requests, lets those in flight finish (briefly), then closes every connection. */
  stop(): Promise<void>;
}

/** Starts the front door; resolves once it listens. */
export async function startFrontDoor(options: FrontDoorOptions): Promise<RunningFrontDoor> {
  const routes = compileRoutes(options.routes);
  const stage = options.stage ?? 'local';
  const scope: RequestScope = {
    routes,
    stage,
    runner: options.runner,
    logger: options.logger,
    region: options.region,
    authorizer: options.authorizer,
    rateLimiter: options.rateLimiter,
  };
  const server = createServer((request, response) => {
    handleRequest(request, response, scope).catch((error: unknown) => {
      options.logger.error('front door failed', { error });
      if (!response.headersSent) sendProblem(response, 502, 'The integration failed.', randomUUID());
      else response.destroy();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, LOOPBACK, () => {
      server.removeListener('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : options.port;
  const url = `http://${LOOPBACK}:${port}`;
  options.logger.info('front door ready', { url, routes: routes.length });
  return {
    url,
    port,
    stop: () =>
      new Promise<void>((resolve) => {
        const force = setTimeout(() => server.closeAllConnections(), STOP_GRACE_MS);
        server.close(() => {
          clearTimeout(force);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}

interface RequestScope {
  readonly routes: readonly CompiledRoute[];
  readonly stage: string;
  readonly runner: FunctionRunner;
  readonly logger: Logger;
  readonly region: string;
  readonly authorizer: LocalAuthorizer;
  readonly rateLimiter: TokenBuckets;
}

async function handleRequest(request: IncomingMessage, response: ServerResponse, scope: RequestScope) {
  const requestId = randomUUID();
  const requestTimeEpoch = Date.now();
  // concatenated rather than resolved against a base, so that a path starting with `//` stays a path
  const url = new URL(`http://front-door${request.url ?? '/'}`);
  const method = request.method ?? 'GET';

  const declaredLength = Number(request.headers['content-length'] ?? 0);
  if (declaredLength > MAX_REQUEST_BYTES) {
    // the body is not read: close the connection rather than drain megabytes nobody wants
    sendProblem(response, 413, `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`, requestId, {
      connection: 'close',
    });
    return;
  }
  const lookup = lookupRoute(scope.routes, method, url.pathname);
  if (lookup.kind === 'not-found') {
    sendProblem(response, 404, `No route matches ${method} ${url.pathname}.`, requestId);
    return;
  }
  if (lookup.kind === 'method-not-allowed') {
    sendProblem(response, 405, `${url.pathname} does not answer ${method}.`, requestId, {
      allow: lookup.allowed.join(', '),
    });
    return;
  }
  const body = await readBody(request);
  if (body === 'too-large') {
    sendProblem(response, 413, `The request body exceeds ${MAX_REQUEST_BYTES} bytes.`, requestId);
    return;
  }

  const { route } = lookup.match;
  let caller: Caller | undefined;
  if (routeGuard(route) === 'key') {
    const admission = await admit(request, scope, method, url.pathname);
    if (admission.kind === 'refused') {
      scope.logger.info('request refused', {
        method,
        resource: route.path,
        status: admission.problem.status,
        requestId,
      });
      sendProblem(response, admission.problem.status, admission.problem.detail, requestId, admission.headers);
      return;
    }
    if (admission.kind === 'failed') {
      scope.logger.error('authorizer failed', { function: 'authorizer', requestId, error: admission.error });
      sendProblem(response, 500, 'The authorizer failed.', requestId);
      return;
    }
    caller = admission.caller;
  }

  const event = proxyEvent({
    request,
    url,
    method,
    match: lookup.match,
    body,
    stage: scope.stage,
    requestId,
    requestTimeEpoch,
    caller,
  });
  let result: unknown;
  try {
    result = await scope.runner.invoke(route.function, event);
  } catch (error) {
    scope.logger.error('function failed', { function: route.function, requestId, error });
    sendProblem(response, 502, 'The integration failed.', requestId);
    return;
  }
  if (!isProxyResult(result)) {
    scope.logger.error('malformed Lambda proxy response', { function: route.function, requestId });
    sendProblem(response, 502, 'The integration returned a malformed response.', requestId);
    return;
  }
  const payload = result.isBase64Encoded
    ? Buffer.from(result.body ?? '', 'base64')
    : Buffer.from(result.body ?? '');
  if (payload.length > MAX_RESPONSE_BYTES) {
    scope.logger.error('response too large', { function: route.function, requestId, bytes: payload.length });
    sendProblem(response, 502, 'The integration response is too large.', requestId);
    return;
  }
  response.writeHead(result.statusCode, { ...responseHeaders(result), 'x-amzn-requestid': requestId });
  response.end(payload);
  scope.logger.info('request', {
    method,
    resource: route.path,
    status: result.statusCode,
    function: route.function,
    requestId,
    durationMs: Date.now() - requestTimeEpoch,
  });
}

/** A keyed request that was let through: what the authorizer said about its key. */
interface Caller {
  /** `requestContext.authorizer`: the authorizer's context and principalId. */
  readonly authorizer: Readonly<Record<string, string>>;
  readonly usageIdentifierKey: string;
}

type Admission =
  | { readonly kind: 'admitted'; readonly caller: Caller }
  | { readonly kind: 'refused'; readonly problem: GatewayProblem; readonly headers?: Record<string, string> }
  | { readonly kind: 'failed'; readonly error: unknown };

/**
 * What API Gateway does before a keyed method's integration: the authorizer (401 no valid key, 403 denied, 500
 * failed), then the usage key it named, which must exist (else 401, as for a key the usage plan does not hold) and
 * have a token left in its bucket (else 429 with Retry-After).
 */
async function admit(
  request: IncomingMessage,
  scope: RequestScope,
  method: string,
  path: string,
): Promise<Admission> {
  const methodArn = localMethodArn(scope.region, scope.stage, method, path);
  const verdict = await scope.authorizer.authorize(request.headers.authorization, methodArn);
  switch (verdict.kind) {
    case 'unauthorized':
      return { kind: 'refused', problem: GATEWAY_PROBLEMS.unauthorized };
    case 'denied':
      return { kind: 'refused', problem: GATEWAY_PROBLEMS.accessDenied };
    case 'failed':
      return verdict;
  }
  const usageIdentifierKey = verdict.usageIdentifierKey;
  if (!usageIdentifierKey) return { kind: 'refused', problem: GATEWAY_PROBLEMS.unauthorized };
  const take = scope.rateLimiter.take(usageIdentifierKey);
  if (!take.allowed) {
    return {
      kind: 'refused',
      problem: GATEWAY_PROBLEMS.throttled,
      // the bucket knows when it has a token again, which API Gateway's fixed header only approximates
      headers: { 'retry-after': String(take.retryAfterSeconds) },
    };
  }
  return { kind: 'admitted', caller: { authorizer: verdict.context, usageIdentifierKey } };
}

interface EventParts {
  readonly request: IncomingMessage;
  readonly url: URL;
  readonly method: string;
  readonly match: RouteMatch;
  readonly body: Buffer;
  readonly stage: string;
  readonly requestId: string;
  readonly requestTimeEpoch: number;
  /** Set for a keyed route. */
  readonly caller: Caller | undefined;
}

/** The REST API proxy event (payload format 1.0) of a request. */
function proxyEvent(parts: EventParts): APIGatewayProxyEvent {
  const { request, url, method, match, body } = parts;
  const { headers, multiValueHeaders } = requestHeaders(request);
  const sourceIp = request.socket.remoteAddress ?? LOOPBACK;
  const binary = body.length > 0 && !isTextual(request.headers['content-type']);
  return {
    resource: match.route.path,
    path: url.pathname,
    httpMethod: method,
    headers,
    multiValueHeaders,
    ...queryParameters(url.searchParams),
    pathParameters: Object.keys(match.pathParameters).length > 0 ? match.pathParameters : null,
    stageVariables: null,
    body: body.length === 0 ? null : body.toString(binary ? 'base64' : 'utf8'),
    isBase64Encoded: binary,
    requestContext: {
      accountId: '000000000000',
      apiId: 'local',
      authorizer: parts.caller?.authorizer,
      domainName: request.headers.host ?? LOOPBACK,
      extendedRequestId: parts.requestId,
      httpMethod: method,
      identity: {
        accessKey: null,
        accountId: null,
        // with the key source AUTHORIZER, API Gateway shows the usage key the authorizer named
        apiKey: parts.caller?.usageIdentifierKey ?? null,
        apiKeyId: null,
        caller: null,
        clientCert: null,
        cognitoAuthenticationProvider: null,
        cognitoAuthenticationType: null,
        cognitoIdentityId: null,
        cognitoIdentityPoolId: null,
        principalOrgId: null,
        sourceIp: sourceIp.replace(/^::ffff:/, ''),
        user: null,
        userAgent: request.headers['user-agent'] ?? null,
        userArn: null,
      },
      path: url.pathname,
      protocol: `HTTP/${request.httpVersion}`,
      requestId: parts.requestId,
      requestTime: requestTime(new Date(parts.requestTimeEpoch)),
      requestTimeEpoch: parts.requestTimeEpoch,
      resourceId: 'local',
      resourcePath: match.route.path,
      stage: parts.stage,
    },
  };
}

/** Headers as API Gateway passes them: original case, the last value in `headers`, all in `multiValueHeaders`. */
function requestHeaders(request: IncomingMessage) {
  const headers: Record<string, string> = {};
  const multiValueHeaders: Record<string, string[]> = {};
  for (let index = 0; index + 1 < request.rawHeaders.length; index += 2) {
    const name = request.rawHeaders[index] as string;
    const value = request.rawHeaders[index + 1] as string;
    headers[name] = value;
    const values = multiValueHeaders[name] ?? [];
    values.push(value);
    multiValueHeaders[name] = values;
  }
  // the headers API Gateway adds in front of every integration
  const forwarded: Record<string, string> = {
    'X-Forwarded-For': (request.socket.remoteAddress ?? LOOPBACK).replace(/^::ffff:/, ''),
    'X-Forwarded-Port': String(request.socket.localPort ?? ''),
    'X-Forwarded-Proto': 'http',
  };
  for (const [name, value] of Object.entries(forwarded)) {
    if (Object.keys(headers).some((existing) => existing.toLowerCase() === name.toLowerCase())) continue;
    headers[name] = value;
    multiValueHeaders[name] = [value];
  }
  return { headers, multiValueHeaders };
}

function queryParameters(search: URLSearchParams) {
  if ([...search.keys()].length === 0) {
    return { queryStringParameters: null, multiValueQueryStringParameters: null };
  }
  const single: Record<string, string> = {};
  const multi: Record<string, string[]> = {};
  for (const [name, value] of search) {
    single[name] = value;
    multi[name] = [...(multi[name] ?? []), value];
  }
  return { queryStringParameters: single, multiValueQueryStringParameters: multi };
}

/** Whether API Gateway would hand the body over as text (anything else goes base64-encoded). */
function isTextual(contentType: string | undefined): boolean {
  if (!contentType) return true;
  const type = (contentType.split(';')[0] ?? '').trim().toLowerCase();
  return (
    type.startsWith('text/') ||
    type.endsWith('+json') ||
    type.endsWith('+xml') ||
    [
      'application/json',
      'application/xml',
      'application/x-www-form-urlencoded',
      'application/javascript',
    ].includes(type)
  );
}

/** The body, or `too-large` once it passes the limit (the rest is drained so the answer still gets through). */
async function readBody(request: IncomingMessage): Promise<Buffer | 'too-large'> {
  const chunks: Buffer[] = [];
  let size = 0;
  let tooLarge = false;
  for await (const chunk of request as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_REQUEST_BYTES) tooLarge = true;
    if (!tooLarge) chunks.push(chunk);
  }
  return tooLarge ? 'too-large' : Buffer.concat(chunks);
}

function isProxyResult(value: unknown): value is APIGatewayProxyResult {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<APIGatewayProxyResult>;
  return (
    Number.isInteger(candidate.statusCode) &&
    (candidate.body === undefined || candidate.body === null || typeof candidate.body === 'string')
  );
}

/** `headers` and `multiValueHeaders` merged; a name in both keeps the multi values, as API Gateway does. */
function responseHeaders(result: APIGatewayProxyResult): Record<string, string | string[]> {
  const merged: Record<string, string | string[]> = {};
  for (const [name, value] of Object.entries(result.headers ?? {}))
    merged[name.toLowerCase()] = String(value);
  for (const [name, values] of Object.entries(result.multiValueHeaders ?? {})) {
    merged[name.toLowerCase()] = values.map(String);
  }
  return merged;
}

function sendProblem(
  response: ServerResponse,
  status: number,
  detail: string,
  requestId: string,
  headers: Record<string, string> = {},
): void {
  response.writeHead(status, {
    'content-type': 'application/problem+json',
    'x-correlation-id': requestId,
    'x-amzn-requestid': requestId,
    ...headers,
  });
  response.end(JSON.stringify(problemBody(status, detail, requestId)));
}

function compareRank(a: readonly number[], b: readonly number[]): number {
  for (let index = 0; index < Math.max(a.length, b.length); index += 1) {
    const difference = (a[index] ?? 0) - (b[index] ?? 0);
    if (difference !== 0) return difference;
  }
  return 0;
}

function safeDecode(value: string): string {
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}

const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** API Gateway's `requestTime`: `25/Nov/2026:20:35:07 +0000`. */
function requestTime(date: Date): string {
  const pad = (value: number) => String(value).padStart(2, '0');
  return (
    `${pad(date.getUTCDate())}/${MONTHS[date.getUTCMonth()]}/${date.getUTCFullYear()}:` +
    `${pad(date.getUTCHours())}:${pad(date.getUTCMinutes())}:${pad(date.getUTCSeconds())} +0000`
  );
}
