/**
 * `digests run` and `digest preview` of the ops CLI (infra/ops/digests.ts) against the local stack, run in this
 * process through runOps. The digest queue's consumer is replaced by one that records the jobs, so a run's
 * figures are the planner's alone.
 */
import { randomUUID } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { apiClient } from '../support/api-client';
import { recordingDigestSender } from '../support/digest-jobs';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { runOps } from '../support/ops';

const { jobs: digestJobs, digestSender } = recordingDigestSender();
const local = testStack({ authorizerCacheTtlSeconds: 0, handlers: { digestSender } });

/** Runs the CLI against the test stack's credentials file. */
const ops = (argv: readonly string[]) =>
  runOps([...argv, '--credentials', local.info.credentialsFile], { env: {} });
const state = () => apiClient(local.info.apiUrl, local.info.credentials.stateKey);
const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;

beforeAll(async () => {
  await local.start();
});
afterAll(async () => {
  await local.stop();
});

describe('digests run', () => {
  it('plans the week and month of --at in state time and says how many jobs it enqueued; --json prints the body', async () => {
    const districtId = uniqueId('ops-digests');
    const created = await state().POST('/v1/districts', { body: { districtId, name: 'Lincoln Unified' } });
    expect(created.response.status).toBe(201);
    const subscribed = await apiClient(local.info.apiUrl, created.data?.apiKey).POST(
      '/v1/districts/{districtId}/subscribers',
      {
        params: { path: { districtId } },
        body: { email: 'superintendent@lincoln.demo.example', cadence: 'weekly' },
      },
    );
    expect(subscribed.response.status).toBe(201);
    const at = '2026-11-23T12:00:00Z';

    const human = await ops(['digests', 'run', '--at', at]);
    const json = await ops(['digests', 'run', '--at', at, '--json']);

    expect(human).toMatchObject({ code: 0, stderr: '' });
    expect(human.stdout).toBe(
      `Digest run planned for ${at}.\n  weekly   2026-W48\n  monthly  2026-11\nenqueued 1 digest job\n`,
    );
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toEqual({
      period: { weekly: '2026-W48', monthly: '2026-11' },
      enqueued: 1,
    });
    const planned = await eventually(() => {
      const mine = digestJobs.filter((job) => job.plannedAt === new Date(at).toISOString());
      return mine.length === 2 ? mine : undefined;
    });
    expect(planned).toEqual([
      expect.objectContaining({
        districtId,
        subscriberId: subscribed.data?.subscriberId,
        period: '2026-W48',
      }),
      expect.objectContaining({
        districtId,
        subscriberId: subscribed.data?.subscriberId,
        period: '2026-W48',
      }),
    ]);
  });

  it('without --at plans for now', async () => {
    const outcome = await ops(['digests', 'run', '--json']);

    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual({
      period: {
        weekly: expect.stringMatching(/^\d{4}-W\d{2}$/),
        monthly: expect.stringMatching(/^\d{4}-\d{2}$/),
      },
      enqueued: expect.any(Number),
    });
  });

  it('an --at without an offset is a usage error: exit 2, nothing planned', async () => {
    const outcome = await ops(['digests', 'run', '--at', '2026-11-23T12:00:00']);

    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toContain('must be an ISO-8601 timestamp with offset');
  });
});

describe('digest preview', () => {
  it("prints the district digest's HTML, or writes it to --out and prints the path", async () => {
    const districtId = uniqueId('ops-preview');
    const name = 'Riverside County Schools';
    expect((await state().POST('/v1/districts', { body: { districtId, name } })).response.status).toBe(201);
    const file = join(local.info.dataDir, `${districtId}.html`);

    const printed = await ops(['digest', 'preview', districtId]);
    const written = await ops(['digest', 'preview', districtId, '--cadence', 'monthly', '--out', file]);

    expect(printed).toMatchObject({ code: 0, stderr: '' });
    expect(printed.stdout).toMatch(/<html/i);
    expect(printed.stdout).toContain(name);
    expect(written).toMatchObject({ code: 0, stderr: '' });
    expect(written.stdout).toBe(`Digest preview of ${districtId} (monthly) written to ${file}\n`);
    const html = await readFile(file, 'utf8');
    expect(html).toMatch(/<html/i);
    expect(html).toContain(name);
  });

  it('prints the 404 problem of an unknown district and exits 1', async () => {
    const outcome = await ops(['digest', 'preview', uniqueId('no-such-district')]);

    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^error: 404 Not Found: /);
  });

  it('a cadence other than weekly or monthly is a usage error', async () => {
    const outcome = await ops(['digest', 'preview', 'any-district', '--cadence', 'daily']);

    expect(outcome.code).toBe(2);
    expect(outcome.stderr).toMatch(/Allowed choices are weekly, monthly/);
  });
});

describe('usage', () => {
  it.each([
    ['digests', 'run'],
    ['digest', 'preview'],
  ])('%s %s --help prints its usage and exits 0', async (group, command) => {
    const outcome = await ops([group, command, '--help']);

    expect(outcome).toMatchObject({ code: 0, stderr: '' });
    expect(outcome.stdout).toMatch(new RegExp(`^Usage: ops ${group} ${command} `));
  });
});
