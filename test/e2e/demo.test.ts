/**
 * `npm run demo` (scripts/demo.ts) against the local stack: the seeding makes the three demo districts with the
 * milestones and submissions of their plans, the progress catches up with them, a small role is suppressed,
 * seeding again changes nothing, and every district key a seeding was handed is revoked when it ends, also when
 * it fails. The whole command then sends the digests to the SES emulator once per period, waits for the digest
 * queue and lists what the run sent; without a running stack, or with another state's, it says what to do.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fromRoot } from '../../infra/paths';
import { nothingSent, runDemo, type SeededDistrict, seedDemo, sentSince } from '../../scripts/demo';
import { DEMO_DISTRICTS, DEMO_STATE_SUBSCRIBER, demoAddresses } from '../../scripts/demo-data';
import { KeyStore } from '../../shared/store/keys';
import { apiClient } from '../support/api-client';
import { documentsFor } from '../support/clients';
import { testStack } from '../support/local-stack';
import { type StoredEmail, sesStoreOf } from '../support/ses-store';

const local = testStack({ authorizerCacheTtlSeconds: 0 });
/** One instant for both seedings, so that the second posts exactly what the first did. */
const now = new Date();
let first: SeededDistrict[];

const state = () => apiClient(local.info.apiUrl, local.info.credentials.stateKey);
const seed = (log?: (line: string) => void) =>
  seedDemo({
    apiUrl: local.info.apiUrl,
    stateKey: local.info.credentials.stateKey,
    now,
    progressTimeoutMs: 90_000,
    ...(log ? { log } : {}),
  });
const mail = sesStoreOf(local);
const keyRecord = (keyId: string) =>
  new KeyStore(local.info.table.tableName, documentsFor(local.info)).get(keyId);
const byId = (seeded: readonly SeededDistrict[], districtId: string) => {
  const district = seeded.find((candidate) => candidate.districtId === districtId);
  if (!district) throw new Error(`${districtId} was not seeded`);
  return district;
};

/** The demo command's output, run in this process on the test stack's data dir and SES emulator. */
async function demo(env: NodeJS.ProcessEnv, argv: readonly string[] = []) {
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
    argv,
  });
  return { code, stdout, stderr };
}
const stackEnv = () => ({
  VP_LOCAL_DIR: local.info.dataDir,
  SQS_PORT: new URL(local.info.endpoints.sqs).port,
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
      // the seeding's own key is revoked: the state key reads what it wrote
      const api = state();

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
      expect(district.keyId).not.toBe(before.keyId);
    }
  }, 120_000);

  it('revokes every district key it was handed when it ends: they are refused, and their records say so', async () => {
    const [lincoln] = first;
    if (!lincoln) throw new Error('nothing was seeded');

    const refused = await apiClient(local.info.apiUrl, lincoln.apiKey).GET(
      '/v1/districts/{districtId}/progress',
      {
        params: { path: { districtId: lincoln.districtId } },
      },
    );

    expect(refused.response.status).toBe(401);
    for (const { keyId } of first) expect((await keyRecord(keyId))?.revokedAt).toEqual(expect.any(String));
  });

  it('revokes the keys it was handed also when it fails halfway', async () => {
    const handed: string[] = [];
    const failure = new Error('injected: the seeding fails after its first district');

    const seeding = seed((line) => {
      const keyId = / key ([0-9a-f]{16});/.exec(line)?.[1];
      if (keyId === undefined) return;
      handed.push(keyId);
      throw failure;
    });

    await expect(seeding).rejects.toBe(failure);
    expect(handed).toHaveLength(1);
    expect((await keyRecord(handed[0] as string))?.revokedAt).toEqual(expect.any(String));
  }, 60_000);
});

describe('npm run demo', () => {
  it('seeds, runs the digests, waits for the digest queue and lists what it sent; a second run sends none', async () => {
    const sent = await demo(stackEnv());

    expect(sent).toMatchObject({ code: 0, stderr: '' });
    for (const district of DEMO_DISTRICTS) expect(sent.stdout).toContain(district.name);
    const sesUrl = local.info.endpoints.ses;
    expect(sent.stdout).toContain(`Read them at ${sesUrl}/`);
    const held = await mail.read();
    const reached = held.flatMap((email) => email.destination.to);
    expect(reached).toEqual(expect.arrayContaining([...demoAddresses()]));
    expect(reached.filter((to) => to === DEMO_STATE_SUBSCRIBER.email)).toHaveLength(1);
    const lincoln = held.find((email) =>
      email.destination.to.includes('superintendent@lincoln.demo.example'),
    );
    expect(lincoln?.subject).toContain('Lincoln Unified School District');
    // the queue was drained before the store was read: every digest of the run is in the list
    expect(sent.stdout).toMatch(/Digests sent by this run\nTO\s+SUBJECT\n/);
    for (const email of held) expect(sent.stdout).toContain(email.subject);

    const again = await demo(stackEnv());

    expect(again).toMatchObject({ code: 0, stderr: '' });
    expect(again.stdout).toContain(nothingSent(held.length));
    expect(again.stdout).not.toContain('Digests sent by this run');
    expect(await mail.read()).toHaveLength(held.length);

    // a restart of the stack empties the SES emulator's store, and the ledger still knows the period was sent
    await fetch(`${sesUrl}/clear-store`, { method: 'POST' });
    const afterRestart = await demo(stackEnv());

    expect(afterRestart).toMatchObject({ code: 0, stderr: '' });
    expect(afterRestart.stdout).toContain(nothingSent(0));
    expect(afterRestart.stdout).not.toContain('Read them at');
  }, 240_000);

  it('says when nothing was sent why, and that the SES emulator forgets its mail when it holds none', () => {
    const email = (messageId: string): StoredEmail => ({
      messageId,
      from: 'digests@vision-progress.localhost',
      destination: { to: ['superintendent@lincoln.demo.example'] },
      subject: 'Lincoln Unified School District: your weekly digest',
      body: {},
      at: 0,
    });

    expect(sentSince([email('a')], [email('a'), email('b')])).toEqual([email('b')]);
    expect(sentSince([], [])).toEqual([]);
    expect(nothingSent(2)).toMatch(
      /sent earlier \(the digest ledger sends each period once per subscriber\)/,
    );
    expect(nothingSent(2)).toContain('holds 2 e-mails from before');
    expect(nothingSent(0)).toContain('keeps mail in memory only');
    expect(nothingSent(0)).toContain('before the last restart of `npm start` is gone');
  });

  it('says to pass --state when the local stack runs another state, before it seeds anything', async () => {
    const other = await demo(stackEnv(), ['--state', 'OH']);
    const unknown = await demo(stackEnv(), ['--stat', 'XX']);

    expect(other).toMatchObject({ code: 1, stdout: '' });
    expect(other.stderr).toMatch(
      /has no queue vision-progress-oh-digest: pass --state .*npm run demo -- --state/,
    );
    expect(unknown).toMatchObject({ code: 1, stdout: '' });
    expect(unknown.stderr).toContain('usage: npm run demo [-- --state <code>]');
  });

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
