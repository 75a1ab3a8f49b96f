/**
 * The api function's Lambda asset carries the Redoc bundle that `GET /docs` serves, and the bundled handler
 * finds it there: the asset is run in a Node process of its own, outside the repository, so the only
 * node_modules it can resolve from is the one inside the asset, as in Lambda.
 */
import { execFile } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { App, Stack } from 'aws-cdk-lib';
import { RetentionDays } from 'aws-cdk-lib/aws-logs';
import { describe, expect, it, onTestFinished } from 'vitest';
import { API_PACKAGE_FILES, REDOC_BUNDLE } from '../../functions/api/package-files';
import { loadStateConfig } from '../../infra/config/index';
import { AppFunction } from '../../infra/constructs/app-function';
import { functionEnvironment } from '../../infra/environment';
import { topology } from '../../infra/topology';
import { proxyEvent } from '../support/proxy-event';

/** Invokes the bundled handler once per event, the way Lambda does, and returns its answers. */
const INVOKE = `
import { writeFile } from 'node:fs/promises';
const [bundle, eventsJson, output] = process.argv.slice(1);
const { handler } = await import(bundle);
const context = { functionName: 'api', awsRequestId: 'bundle-test', getRemainingTimeInMillis: () => 10000 };
const answers = [];
for (const event of JSON.parse(eventsJson)) answers.push(await handler(event, context));
await writeFile(output, JSON.stringify(answers));
`;

const getEvent = (resource: string, requestPath: string) =>
  proxyEvent(resource, { requestPath, stage: 'v1' });

describe('the api function bundle', () => {
  it('carries the Redoc bundle and serves it at /docs from there', { timeout: 120_000 }, async () => {
    const outdir = mkdtempSync(join(tmpdir(), 'vp-docs-bundle-'));
    onTestFinished(() => rmSync(outdir, { recursive: true, force: true }));
    const app = new App({ outdir });
    new AppFunction(new Stack(app, 'DocsBundle'), 'Api', {
      name: 'api',
      spec: topology.functions.api,
      environment: {},
      logRetention: RetentionDays.ONE_DAY,
    });
    app.synth();
    const asset = readdirSync(outdir).find(
      (name) => name.startsWith('asset.') && statSync(join(outdir, name)).isDirectory(),
    );
    const assetDir = join(outdir, asset ?? 'missing');

    for (const file of API_PACKAGE_FILES) {
      expect(existsSync(join(assetDir, 'node_modules', file)), file).toBe(true);
    }

    const environment = functionEnvironment('api', loadStateConfig('XX'), {
      tableName: 'vision-progress-bundle-test',
      queueUrls: {
        metrics: 'http://127.0.0.1:1/metrics',
        digest: 'http://127.0.0.1:1/digest',
        mailEvents: 'http://127.0.0.1:1/mailEvents',
      },
      unsubscribeSecret: { file: join(outdir, 'unsubscribe-secret') },
    });
    const output = join(outdir, 'answers.json');
    await promisify(execFile)(
      process.execPath,
      [
        '--input-type=module',
        '--eval',
        INVOKE,
        join(assetDir, 'index.mjs'),
        JSON.stringify([
          getEvent('/docs', '/v1/docs'),
          getEvent('/docs/redoc.standalone.js', '/v1/docs/redoc.standalone.js'),
        ]),
        output,
      ],
      // a clean environment, as Lambda gives: nothing of this process's but the PATH
      { cwd: assetDir, env: { PATH: process.env.PATH, AWS_REGION: 'us-east-1', ...environment } },
    );
    const [page, script] = JSON.parse(await readFile(output, 'utf8')) as {
      statusCode: number;
      body: string;
    }[];

    expect(page?.statusCode).toBe(200);
    expect(page?.body).toContain('<redoc spec-url="/v1/openapi.json"');
    expect(page?.body).toContain('<script src="/v1/docs/redoc.standalone.js?v=');
    expect(script?.statusCode).toBe(200);
    expect(script?.body).toBe(readFileSync(join(assetDir, 'node_modules', REDOC_BUNDLE), 'utf8'));
  });
});
