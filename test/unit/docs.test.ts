/**
 * `GET /docs` and its script, called as API Gateway calls the api function: on the local stack (no stage in the
 * path) and behind the REST API's `v1` stage, where every URL in the page must carry the stage.
 */
import { readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { describe, expect, it } from 'vitest';
import { REDOC_BUNDLE } from '../../functions/api/package-files';
import { basePathOf, DOCS_CONTENT_SECURITY_POLICY, docsRoutes } from '../../functions/api/routes/docs';
import { proxyEvent } from '../support/proxy-event';

function route(path: string) {
  const found = docsRoutes.find((candidate) => candidate.path === path);
  if (!found) throw new Error(`no route ${path}`);
  return found;
}

/** A proxy event for `resource`, requested as `requestPath` (which carries the stage in AWS). */
const event = (
  resource: string,
  requestPath: string,
  options: { query?: Record<string, string>; headers?: Record<string, string> } = {},
) => proxyEvent(resource, { requestPath, ...options });

const scriptUrlOf = (html: string) => /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
const specUrlOf = (html: string) => /<redoc spec-url="([^"]+)"/.exec(html)?.[1];

describe('GET /docs', () => {
  it('answers an HTML page that loads Redoc from this API and points it at /openapi.json', async () => {
    const response = await route('/docs').handler(event('/docs', '/docs'));

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/html; charset=utf-8');
    expect(response.headers?.['cache-control']).toBe('public, max-age=300');
    expect(response.body).toMatch(/<title>Vision Progress API reference<\/title>/);
    expect(response.body).toMatch(/<noscript>[^<]+<a href="\/openapi.json">/);
    expect(specUrlOf(response.body)).toBe('/openapi.json');
    expect(scriptUrlOf(response.body)).toMatch(/^\/docs\/redoc\.standalone\.js\?v=[\w-]{16}$/);
  });

  it('keeps the stage in every URL of the page when reached through it', async () => {
    const response = await route('/docs').handler(event('/docs', '/v1/docs'));

    expect(specUrlOf(response.body)).toBe('/v1/openapi.json');
    expect(scriptUrlOf(response.body)).toMatch(/^\/v1\/docs\/redoc\.standalone\.js\?v=/);
    // every URL the page loads or links to, except the inline `data:` icon that spares a /favicon.ico request
    expect(response.body).not.toMatch(/(src|href|spec-url)="(?!\/v1\/|data:)/);
  });

  it('lets the page load nothing but this origin', async () => {
    const response = await route('/docs').handler(event('/docs', '/docs'));

    const policy = response.headers?.['content-security-policy'];
    expect(policy).toBe(DOCS_CONTENT_SECURITY_POLICY);
    expect(policy).toContain("default-src 'none'");
    expect(policy).toContain("script-src 'self'");
    expect(policy).not.toMatch(/script-src[^;]*'unsafe-(inline|eval)'/);
    expect(policy).not.toMatch(/https?:|\*/);
  });
});

describe('the prefix of the page URLs', () => {
  it.each([
    ['/docs', ''],
    ['/v1/docs', '/v1'],
    ['/v1/docs/', '/v1'],
    ['/api/reference/docs', '/api/reference'],
    // anything that would need escaping in HTML falls back to the root rather than reaching the page
    ['/"><script>/docs', ''],
    ['/v1/elsewhere', ''],
  ])('of %s is "%s"', (requestPath, base) => {
    expect(basePathOf(event('/docs', requestPath))).toBe(base);
  });
});

describe('GET /docs/redoc.standalone.js', () => {
  const scriptPath = '/docs/redoc.standalone.js';

  it('serves the Redoc bundle of the installed package, versioned by its digest', async () => {
    const page = await route('/docs').handler(event('/docs', '/docs'));
    const version = new URL(scriptUrlOf(page.body) ?? '', 'http://docs.test').searchParams.get('v') ?? '';

    const response = await route(scriptPath).handler(
      event(scriptPath, scriptPath, { query: { v: version } }),
    );

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['content-type']).toBe('text/javascript; charset=utf-8');
    expect(response.headers?.etag).toBe(`"${version}"`);
    expect(response.headers?.['cache-control']).toBe('public, max-age=31536000, immutable');
    const installed = await readFile(createRequire(import.meta.url).resolve(REDOC_BUNDLE), 'utf8');
    expect(response.body).toBe(installed);
  });

  it('is cached briefly when asked for without the current version', async () => {
    const response = await route(scriptPath).handler(event(scriptPath, scriptPath, { query: { v: 'old' } }));

    expect(response.statusCode).toBe(200);
    expect(response.headers?.['cache-control']).toBe('public, max-age=300');
  });

  it('answers 304 without the body to a browser that has the current version', async () => {
    const first = await route(scriptPath).handler(event(scriptPath, scriptPath));
    const etag = String(first.headers?.etag);

    const response = await route(scriptPath).handler(
      event(scriptPath, scriptPath, { headers: { 'if-none-match': `"stale", W/${etag}` } }),
    );

    expect(response.statusCode).toBe(304);
    expect(response.body).toBe('');
    expect(response.headers?.etag).toBe(etag);
  });
});
