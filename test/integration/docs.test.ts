/**
 * The reference page over HTTP on the local stack, through the typed client: the page, the script it names and
 * the document it points Redoc at all answer, at the URLs the page gives, with the headers the handler set.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DOCS_CONTENT_SECURITY_POLICY } from '../../functions/api/routes/docs';
import { apiClient } from '../support/api-client';
import { testStack } from '../support/local-stack';

describe('GET /docs on the local stack', () => {
  const local = testStack();

  beforeAll(() => local.start());
  afterAll(() => local.stop());

  it('answers an HTML page whose script and spec URLs answer too', async () => {
    const client = apiClient(local.info.apiUrl);

    const page = await client.GET('/docs', { parseAs: 'text' });

    expect(page.response.status).toBe(200);
    expect(page.response.headers.get('content-type')).toBe('text/html; charset=utf-8');
    expect(page.response.headers.get('content-security-policy')).toBe(DOCS_CONTENT_SECURITY_POLICY);
    const html = page.data ?? '';
    const specUrl = /<redoc spec-url="([^"]+)"/.exec(html)?.[1];
    const scriptUrl = /<script src="([^"]+)"><\/script>/.exec(html)?.[1];
    expect(specUrl).toBe('/openapi.json');
    expect(scriptUrl).toMatch(/^\/docs\/redoc\.standalone\.js\?v=/);

    // resolved as the browser resolves them, against the page's own URL
    const pageUrl = `${local.info.apiUrl}/docs`;
    const script = await fetch(new URL(scriptUrl ?? '', pageUrl));
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toBe('text/javascript; charset=utf-8');
    expect(script.headers.get('cache-control')).toBe('public, max-age=31536000, immutable');
    expect((await script.text()).length).toBeGreaterThan(500_000);

    const spec = await fetch(new URL(specUrl ?? '', pageUrl));
    expect(spec.status).toBe(200);
    expect(await spec.json()).toMatchObject({ openapi: '3.1.0', paths: { '/docs': { get: {} } } });
  });

  it('answers 304 for the script a browser already has', async () => {
    const client = apiClient(local.info.apiUrl);
    const first = await client.GET('/docs/redoc.standalone.js', { parseAs: 'text' });
    const etag = first.response.headers.get('etag') ?? '';

    const again = await client.GET('/docs/redoc.standalone.js', {
      parseAs: 'text',
      headers: { 'if-none-match': etag },
    });

    expect(etag).toMatch(/^"[\w-]{16}"$/);
    expect(again.response.status).toBe(304);
  });
});
