/**
 * `npm run demo` (scripts/demo.ts) against the local stack: the seeding makes the three demo districts with the
 * milestones and submissions of their plans, the progress catches up with them, a small role is suppressed, and
 * seeding again changes nothing. The whole command then sends the digests to the SES emulator once per period,
 * and without a running stack it says to start one.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../infra/paths';
import {
  DEMO_DISTRICTS,
  DEMO_STATE_SUBSCRIBER,
  demoAddresses,
  readSesStore,
  runDemo,
  type SeededDistrict,
  seedDemo,
} from '../../scripts/demo';
import { apiClient } from '../support/api-client';
import { testStack } from '../support/local-stack';

const local = testStack({ authorizerCacheTtlSeconds: 0 });
/** One instant for both seedings, so that the second posts exactly what the first did. */
const now = new Date();
let first: SeededDistrict[];

const state = () => apiClient(local.info.apiUrl, local.info.credentials.stateKey);
const seed = () =>
  seedDemo({
    apiUrl: local.info.apiUrl,
    stateKey: local.info.credentials.stateKey,
    now,
    progressTimeoutMs: 90_000,
  });
const byId = (seeded: readonly SeededDistrict[], districtId: string) => {
  const district = seeded.find((candidate) => candidate.districtId === districtId);
  if (!district) throw new Error(`${districtId} was not seeded`);
  return district;
};

/** The demo command's output, run in this process on the test stack's data dir and SES emulator. */
async function demo(env: NodeJS.ProcessEnv, mailTimeoutMs = 60_000) {
  let stdout = '';
  let stderr = '';
  const code = await runDemo({
    out: (text) => {
      stdout += text;
    },
    err: (text) => {
      stderr += text;
    },
    env,
    mailTimeoutMs,
  });
  return { code, stdout, stderr };
}
const stackEnv = () => ({
  VP_LOCAL_DIR: local.info.dataDir,
  SES_PORT: new URL(local.info.endpoints.ses).port,
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

beforeAll(async () => {
  await local.start();
  first = await seed();
}, 180_000);
afterAll(async () => {
  await local.stop();
});

describe('seedDemo', () => {
  it('creates the three demo districts with their names', async () => {
    const listed = await state().GET('/v1/districts', { params: { query: { limit: 100 } } });

    expect(first.map((district) => [district.districtId, district.created])).toEqual(
      DEMO_DISTRICTS.map((district) => [district.districtId, true]),
    );
    expect(listed.data?.items.map(({ districtId, name }) => ({ districtId, name }))).toEqual(
      expect.arrayContaining(DEMO_DISTRICTS.map(({ districtId, name }) => ({ districtId, name }))),
    );
  });

  it.each(DEMO_DISTRICTS.map((district) => [district.districtId, district] as const))(
    '%s has its milestones and submissions, and the progress reflects every one',
    async (districtId, district) => {
      const seeded = byId(first, districtId);
      const api = apiClient(local.info.apiUrl, seeded.apiKey);

      const milestones = await api.GET('/v1/districts/{districtId}/milestones', {
        params: { path: { districtId }, query: { limit: 100 } },
      });
      const subscribers = await api.GET('/v1/districts/{districtId}/subscribers', {
        params: { path: { districtId } },
      });

      expect(milestones.data?.items).toHaveLength(district.milestones.length);
      expect(district.milestones.length).toBeGreaterThanOrEqual(6);
      expect(district.milestones.length).toBeLessThanOrEqual(10);
      expect(seeded.submissionCounts).toEqual({ created: seeded.submissions, replayed: 0, kept: 0 });
      expect(seeded.submissions).toBeGreaterThan(400);
      expect(seeded.progress.eventsApplied).toBe(seeded.milestones + seeded.submissions);
      const { milestones: figures, conditions, competencies } = seeded.progress;
      expect(figures.total).toBe(district.milestones.length);
      expect(figures.byStatus.achieved).toBeGreaterThanOrEqual(1);
      expect(figures.overdue).toBeGreaterThanOrEqual(1);
      expect(figures.stale).toBe(1);
      expect(conditions.every((condition) => 'mean' in condition)).toBe(true);
      const rates = competencies.map((competency) =>
        'masteryRate' in competency ? competency.masteryRate : -1,
      );
      expect(Math.min(...rates)).toBeGreaterThanOrEqual(0);
      expect(new Set(rates).size).toBeGreaterThan(3);
      expect(subscribers.data?.items.map((subscriber) => subscriber.email).sort()).toEqual(
        district.subscribers.map((subscriber) => subscriber.email).sort(),
      );
      // pseudonymous ids only, and nothing a browser would run
      const milestoneTitles = milestones.data?.items.map((milestone) => milestone.title).join('\n') ?? '';
      expect(milestoneTitles).not.toMatch(/<script/i);
    },
  );

  it("suppresses Maple Grove's principals, who are fewer than the minimum n, in every condition", () => {
    const { conditions } = byId(first, 'demo-maple-grove').progress;

    for (const condition of conditions) {
      if (!('byRole' in condition)) throw new Error(`${condition.conditionId} is suppressed as a whole`);
      expect(condition.byRole.principal).toEqual({ suppressed: true });
      expect(condition.byRole.teacher).toEqual({ n: expect.any(Number), mean: expect.any(Number) });
    }
  });

  it('seeding again changes nothing: replays of the same submissions, no milestone write, the same progress', async () => {
    const again = await seed();

    for (const district of again) {
      const before = byId(first, district.districtId);
      expect(district.created).toBe(false);
      expect(district.milestonesApplied).toBe(0);
      expect(district.submissionCounts).toEqual({ created: 0, replayed: before.submissions, kept: 0 });
      expect(district.progress).toEqual(before.progress);
    }
  }, 120_000);
});

describe('npm run demo', () => {
  it('seeds, runs the digests, and lists the digests in the SES emulator; a second run sends none', async () => {
    const sent = await demo(stackEnv());

    expect(sent).toMatchObject({ code: 0, stderr: '' });
    for (const district of DEMO_DISTRICTS) expect(sent.stdout).toContain(district.name);
    const sesUrl = local.info.endpoints.ses;
    expect(sent.stdout).toContain(`Read them at ${sesUrl}/`);
    const mail = await readSesStore(sesUrl);
    const reached = mail.flatMap((email) => email.destination.to);
    expect(reached).toEqual(expect.arrayContaining([...demoAddresses()]));
    expect(reached.filter((to) => to === DEMO_STATE_SUBSCRIBER.email)).toHaveLength(1);
    const lincoln = mail.find((email) =>
      email.destination.to.includes('superintendent@lincoln.demo.example'),
    );
    expect(lincoln?.subject).toContain('Lincoln Unified School District');
    expect(sent.stdout).toMatch(/Digests sent\n\s+TO\s+SUBJECT\n/);

    const again = await demo(stackEnv());

    expect(again.code).toBe(0);
    expect(again.stdout).toContain("This period's digests were sent already");
    expect((await readSesStore(sesUrl)).length).toBe(mail.length);
  }, 240_000);

  it('says to start the local stack when there is none', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'vp-demo-'));
    try {
      const none = await demo({ VP_LOCAL_DIR: dir });
      await writeFile(
        join(dir, 'credentials.json'),
        JSON.stringify({
          apiUrl: `http://127.0.0.1:${await closedPort()}`,
          stateKey: local.info.credentials.stateKey,
        }),
      );
      const stopped = await promisify(execFile)(process.execPath, ['--import', 'tsx', 'scripts/demo.ts'], {
        cwd: fromRoot(''),
        env: { ...process.env, VP_LOCAL_DIR: dir },
      }).catch((error: { code: number; stdout: string; stderr: string }) => error);

      expect(none.code).toBe(1);
      expect(none.stderr).toMatch(/^start the local stack first: npm start \(no .*credentials\.json\)\n$/);
      expect(stopped).toMatchObject({ code: 1, stdout: '' });
      expect(stopped.stderr).toMatch(/^start the local stack first: npm start \(nothing answers at http/);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
