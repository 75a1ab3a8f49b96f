/**
 * Looks at `GET /docs` in a real browser: starts a local stack on free ports with a throwaway data dir, opens the
 * page in headless Chromium, searches it (which runs Redoc's search worker), and saves two screenshots: the top
 * of the page, and one keyed operation. Prints what a reader cannot see on the pictures: console errors, what
 * the content security policy blocked, and any request that reached another origin. Exits 1 when the reference
 * did not render, when a request left the API's origin, or on any console error other than the policy blocking
 * a remote image (the Redocly logo that Redoc's sidebar footer refers to, which it hides when blocked).
 *
 *   npm run docs:screenshot -- [screenshot.png]
 *
 * Needs a Chromium (Debian: `apt-get install chromium`); CHROMIUM_PATH overrides /usr/bin/chromium. Not part of
 * `npm test`: the tests check the page over HTTP, and a browser is not on every machine that runs them.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { type Browser, chromium } from 'playwright-core';
import { LocalStack } from '../infra/local/local-stack';

const screenshotPath = resolve(process.argv[2] ?? join(tmpdir(), 'vision-progress-docs.png'));
const RENDER_TIMEOUT_MS = 30_000;

const dataDir = await mkdtemp(join(tmpdir(), 'vp-docs-screenshot-'));
const stack = new LocalStack();
let browser: Browser | undefined;
const problems: string[] = [];
const blocked: string[] = [];
try {
  const { apiUrl } = await stack.start({
    port: 0,
    ports: { dynamoDb: 0, sqs: 0, ses: 0 },
    dataDir,
    quiet: true,
    schedules: false,
  });
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM_PATH ?? '/usr/bin/chromium',
    args: [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-background-networking',
      '--no-first-run',
    ],
  });
  const page = await browser.newPage({ viewport: { width: 1440, height: 1000 } });
  const origin = new URL(apiUrl).origin;
  const elsewhere = (url: string) => !url.startsWith(`${origin}/`) && !/^(data|blob):/.test(url);
  page.on('console', (message) => {
    if (message.type() !== 'error' && message.type() !== 'warning') return;
    const text = message.text();
    if (/^Loading the image '[^']+' violates the following Content Security Policy directive/.test(text)) {
      blocked.push(text);
    } else {
      problems.push(`console ${message.type()}: ${text}`);
    }
  });
  page.on('pageerror', (error) => problems.push(`page error: ${error.message}`));
  page.on('requestfinished', (request) => {
    if (elsewhere(request.url())) problems.push(`request reached another origin: ${request.url()}`);
  });
  page.on('requestfailed', (request) => {
    if (elsewhere(request.url())) blocked.push(`${request.url()}: ${request.failure()?.errorText}`);
  });

  const response = await page.goto(`${apiUrl}/docs`, { waitUntil: 'networkidle' });
  process.stdout.write(`GET /docs: ${response?.status()} ${response?.headers()['content-type']}\n`);
  // Redoc renders the document's title as the first heading of its middle panel
  await page
    .getByRole('heading', { name: /Vision Progress API/ })
    .first()
    .waitFor({ timeout: RENDER_TIMEOUT_MS });
  const operations = await page.locator('[data-section-id*="/operation/"]').count();
  process.stdout.write(`operations rendered: ${operations}\n`);
  if (operations === 0) problems.push('no operation rendered');

  // the search index is built in a worker from a blob URL: a result proves the policy lets it run
  await page.getByPlaceholder('Search...').fill('milestone');
  const results = page.locator('[role="search"] [role="menuitem"]');
  await results.first().waitFor({ timeout: RENDER_TIMEOUT_MS });
  process.stdout.write(`search results for "milestone": ${await results.count()}\n`);
  await page.getByPlaceholder('Search...').fill('');

  await page.screenshot({ path: screenshotPath });
  process.stdout.write(`screenshot: ${screenshotPath}\n`);

  // a keyed operation with a body: security, the problems it may answer, the request samples
  const operationPath = screenshotPath.replace(/(\.png)?$/, '-operation.png');
  await page.goto(`${apiUrl}/docs#tag/Assessments/operation/submitAssessment`, { waitUntil: 'networkidle' });
  await page.locator('[data-section-id="tag/Assessments/operation/submitAssessment"]').waitFor();
  await page.screenshot({ path: operationPath });
  process.stdout.write(`screenshot: ${operationPath}\n`);
} catch (error) {
  problems.push(`failed: ${(error as Error).message}`);
} finally {
  await browser?.close();
  await stack.stop();
  await rm(dataDir, { recursive: true, force: true });
}
for (const entry of blocked) process.stdout.write(`blocked by the page's policy: ${entry}\n`);
for (const problem of problems) process.stdout.write(`${problem}\n`);
process.exitCode = problems.length > 0 ? 1 : 0;
