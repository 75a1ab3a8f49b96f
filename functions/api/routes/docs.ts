/**
 * `GET /docs`: the API reference as a web page. Redoc 2 renders it in the browser from `/openapi.json`; the
 * page and Redoc's script are both served by this function, so the reference works offline and asks no other
 * host for anything (the content security policy below holds the browser to that).
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import type { APIGatewayProxyEvent, APIGatewayProxyResult } from 'aws-lambda';
import { REDOC_BUNDLE } from '../package-files';
import type { ApiRoute } from './types';

const DOCS_PATH = '/docs';
const SCRIPT_PATH = '/docs/redoc.standalone.js';
const SPEC_PATH = '/openapi.json';

/**
 * What the page may load: only this API's own script and document. Redoc's styles are injected `<style>`
 * elements and `style` attributes (hence `'unsafe-inline'` for styles, never for scripts), its search index
 * runs in a worker built from a blob URL, and its icons are inline SVG or `data:` images. The one remote asset
 * the bundle refers to, the Redocly logo in the sidebar footer, is blocked by `img-src` and Redoc then hides it.
 */
export const DOCS_CONTENT_SECURITY_POLICY = [
  "default-src 'none'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data:",
  "font-src 'self' data:",
  "connect-src 'self'",
  "worker-src 'self' blob:",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/** A stage or base path: slash-separated URL-safe segments, so it needs no escaping inside an HTML attribute. */
const SAFE_BASE_PATH = /^(\/[A-Za-z0-9._~-]+)*$/;

/**
 * The path prefix the caller reached the API under: `/v1` through the REST API's stage on its execute-api
 * host, a base path mapping's prefix on a custom domain, nothing on the local stack. `requestContext.path` is
 * the path the browser asked for, prefix included, whereas `event.path` leaves the stage out; what precedes the
 * route's own resource (`/docs`) in it is the prefix. A relative `openapi.json` would resolve right from
 * `/v1/docs` but wrong from `/v1/docs/`, which API Gateway may route here as well; absolute paths built from
 * the prefix are right from both.
 */
export function basePathOf(event: APIGatewayProxyEvent): string {
  const requested = (event.requestContext?.path ?? event.path).replace(/\/+$/, '');
  if (!requested.endsWith(event.resource)) return '';
  const base = requested.slice(0, requested.length - event.resource.length);
  return SAFE_BASE_PATH.test(base) ? base : '';
}

interface RedocBundle {
  readonly source: string;
  /** A digest of the source: the script's ETag, and its version in the page's script URL. */
  readonly version: string;
}

let bundle: Promise<RedocBundle> | undefined;

/** Read on the first request for the page or the script, so that a cold start for any other route never pays. */
function redocBundle(): Promise<RedocBundle> {
  bundle ??= readFile(createRequire(import.meta.url).resolve(REDOC_BUNDLE), 'utf8').then(
    (source) => ({ source, version: createHash('sha256').update(source).digest('base64url').slice(0, 16) }),
    (error: unknown) => {
      // a failed read is not remembered: the next request tries again
      bundle = undefined;
      throw error;
    },
  );
  return bundle;
}

function page(base: string, version: string): string {
  const spec = `${base}${SPEC_PATH}`;
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>Vision Progress API reference</title>
<link rel="icon" href="data:,">
<style>body { margin: 0; }</style>
</head>
<body>
<noscript>This reference needs JavaScript. The OpenAPI document it shows is at <a href="${spec}">${spec}</a>.</noscript>
<redoc spec-url="${spec}" required-props-first="true" expand-responses="200,201"></redoc>
<script src="${base}${SCRIPT_PATH}?v=${version}"></script>
</body>
</html>
`;
}

/** Whether an `If-None-Match` header names this ETag (weak comparison, as RFC 9110 asks for GET). */
function matchesEtag(header: string | undefined, etag: string): boolean {
  if (!header) return false;
  return header.split(',').some((tag) => {
    const trimmed = tag.trim();
    return trimmed === '*' || trimmed.replace(/^W\//, '') === etag;
  });
}

async function docsPage(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { version } = await redocBundle();
  return {
    statusCode: 200,
    headers: {
      'content-type': 'text/html; charset=utf-8',
      'content-security-policy': DOCS_CONTENT_SECURITY_POLICY,
      // short, like /openapi.json: a deployment's new page (and script version) shows within minutes
      'cache-control': 'public, max-age=300',
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
    },
    body: page(basePathOf(event), version),
  };
}

async function redocScript(event: APIGatewayProxyEvent): Promise<APIGatewayProxyResult> {
  const { source, version } = await redocBundle();
  const etag = `"${version}"`;
  // the page asks for ?v=<digest>: that URL names these bytes forever, so browsers may keep it without asking
  const cacheControl =
    event.queryStringParameters?.v === version
      ? 'public, max-age=31536000, immutable'
      : 'public, max-age=300';
  const headers = { etag, 'cache-control': cacheControl, 'x-content-type-options': 'nosniff' };
  if (matchesEtag(event.headers?.['if-none-match'], etag)) return { statusCode: 304, headers, body: '' };
  return {
    statusCode: 200,
    headers: { 'content-type': 'text/javascript; charset=utf-8', ...headers },
    body: source,
  };
}

/** The reference page and the Redoc script it loads; both public. */
export const docsRoutes: ApiRoute[] = [
  { method: 'GET', path: DOCS_PATH, handler: docsPage },
  { method: 'GET', path: SCRIPT_PATH, handler: redocScript },
];
