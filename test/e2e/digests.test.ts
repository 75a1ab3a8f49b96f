/**
 * Digests end to end on the local stack, read back from the SES emulator's `/store`: the run plans, the sender
 * renders and sends once per subscriber and period, the figures are the progress endpoint's, suppressed cells
 * carry no number, client strings arrive escaped, the one-click unsubscribe stops the next period, and a bounce
 * event suppresses. Injected SES throttling (retried in the client, and once beyond its retries so that the job
 * itself is retried) still ends with exactly one e-mail per due subscriber.
 */
import { randomUUID } from 'node:crypto';
import { TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { GetQueueAttributesCommand, SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import type { Context, SQSEvent } from 'aws-lambda';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { percent } from '../../shared/domain/digest';
import { digestPeriods, localIsoDate } from '../../shared/domain/periods';
import { apiClient } from '../support/api-client';
import { sqsClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { send } from '../support/http';
import { testStack } from '../support/local-stack';
import { type StoredEmail, sesStoreOf } from '../support/ses-store';

/** Sends through the digest sender's own SES client fail like SES throttling while this decides so. */
let throttle: (to: string) => boolean = () => false;

const local = testStack({
  authorizerCacheTtlSeconds: 0,
  // a digest job that failed comes back after 20 s instead of six times the sender's timeout
  visibilityTimeoutSeconds: { digest: 20 },
  handlers: {
    // the real sender, with SES throttling injected into its client (imported after the stack set the environment)
    digestSender: async (event: SQSEvent, context: Context) => {
      const [{ handler }, { ses }] = await Promise.all([
        import('../../functions/digest-sender/handler'),
        import('../../shared/runtime/ses'),
      ]);
      if (!throttled.has(ses)) {
        throttled.add(ses);
        ses.middlewareStack.add(
          (next, context) => async (args) => {
            const input = args.input as { Destination?: { ToAddresses?: string[] } };
            const to = input.Destination?.ToAddresses?.[0];
            if (context.commandName === 'SendEmailCommand' && to !== undefined && throttle(to)) {
              throw new TooManyRequestsException({
                message: 'injected: Maximum sending rate exceeded.',
                $metadata: {},
              });
            }
            return next(args);
          },
          { step: 'deserialize', name: 'injectedThrottling' },
        );
      }
      return handler(event, context);
    },
  },
});
const throttled = new WeakSet<object>();

const TIMEZONE = 'America/New_York';
const MINIMUM_N = 10;
let stateKey: string;
let sqs: SQSClient;

const state = () => apiClient(local.info.apiUrl, stateKey);

const { sentTo } = sesStoreOf(local);
const header = (email: StoredEmail, name: string) =>
  email.headers?.find((h) => h.name.toLowerCase() === name.toLowerCase())?.value;

/** Waits until the digest queue holds nothing, visible or in flight: every planned job was handled. */
async function digestQueueDrained() {
  await eventually(async () => {
    const { Attributes: attributes = {} } = await sqs.send(
      new GetQueueAttributesCommand({
        QueueUrl: local.info.queues.digest.url,
        AttributeNames: ['ApproximateNumberOfMessages', 'ApproximateNumberOfMessagesNotVisible'],
      }),
    );
    return attributes.ApproximateNumberOfMessages === '0' &&
      attributes.ApproximateNumberOfMessagesNotVisible === '0'
      ? true
      : undefined;
  }, 60_000);
}

async function runDigests(at?: string) {
  const { data, response } = await state().POST('/v1/digests/run', { body: at === undefined ? {} : { at } });
  expect(response.status).toBe(202);
  if (!data) throw new Error('no run');
  return data;
}

const address = (label: string) => `${label}.${randomUUID().slice(0, 8)}@district.example.org`;

/** A district with milestones, ratings and evidence chosen so that some cells are published and some hidden. */
async function seededDistrict(name: string) {
  const districtId = `dg-${randomUUID().slice(0, 8)}`;
  const { data } = await state().POST('/v1/districts', { body: { districtId, name, timezone: TIMEZONE } });
  if (!data) throw new Error('no district');
  const api = apiClient(local.info.apiUrl, data.apiKey);
  const now = new Date();
  const day = (offset: number) => localIsoDate(new Date(now.getTime() + offset * 86_400_000), TIMEZONE);
  const milestones = {
    // achieved today: after the start of any period
    'ms-adopted': { title: 'Board adopts Portrait of a Graduate', status: 'achieved', achievedOn: day(0) },
    'ms-script': {
      title: '<script>alert("digest")</script> & family survey',
      status: 'at_risk',
      dueDate: day(-12),
    },
    'ms-stale': {
      title: 'Community listening tour',
      status: 'on_track',
      dueDate: day(90),
      updatedAt: new Date(now.getTime() - 45 * 86_400_000).toISOString(),
    },
    'ms-open': { title: 'Capstone pilot in two high schools', status: 'on_track', dueDate: day(120) },
  } as const;
  for (const [milestoneId, milestone] of Object.entries(milestones)) {
    const { response } = await api.PUT('/v1/districts/{districtId}/milestones/{milestoneId}', {
      params: { path: { districtId, milestoneId } },
      body: {
        conditionId: 'shared-vision',
        owner: 'Assistant Superintendent',
        updatedAt: now.toISOString(),
        ...milestone,
      },
    });
    expect(response.status).toBe(201);
  }
  const submittedAt = new Date(now.getTime() - 3_600_000).toISOString();
  const rating = (id: string, role: string, ratings: { conditionId: string; level: number }[]) => ({
    type: 'condition-rating' as const,
    submissionId: `s-${id}`,
    respondent: { id: `r-${id}`, role },
    submittedAt,
    ratings,
  });
  const evidence = (learner: number, competencyId: string, level: number) => ({
    type: 'competency-evidence' as const,
    submissionId: `e-${competencyId}-${learner}`,
    learner: { id: `l-${learner}` },
    competencyId,
    level,
    assessedOn: day(-1),
  });
  const items = [
    // culture and shared vision: 12 teachers and 10 principals, published; agency: 3 students, hidden (1.33)
    ...Array.from({ length: 12 }, (_, i) =>
      rating(`t${i}`, 'teacher', [
        { conditionId: 'culture', level: (i % 4) + 1 },
        { conditionId: 'shared-vision', level: 3 + (i % 2) },
      ]),
    ),
    ...Array.from({ length: 10 }, (_, i) =>
      rating(`p${i}`, 'principal', [{ conditionId: 'shared-vision', level: 2 + (i % 2) }]),
    ),
    ...[1, 1, 2].map((level, i) => rating(`st${i}`, 'student', [{ conditionId: 'agency', level }])),
    // critical thinking: 12 learners, published; communication: 4 learners, hidden
    ...Array.from({ length: 12 }, (_, i) => evidence(i, 'critical-thinking', i < 7 ? 3 : 2)),
    ...Array.from({ length: 4 }, (_, i) => evidence(100 + i, 'communication', 4)),
  ];
  const { response } = await api.POST('/v1/districts/{districtId}/assessments/batch', {
    params: { path: { districtId } },
    body: { items },
  });
  expect(response.status).toBe(200);
  const progress = await eventually(async () => {
    const { data: body } = await api.GET('/v1/districts/{districtId}/progress', {
      params: { path: { districtId } },
    });
    // every submission and every applied milestone write is an event
    return body?.eventsApplied === items.length + Object.keys(milestones).length ? body : undefined;
  }, 30_000);
  const subscribe = async (email: string, cadence: 'weekly' | 'monthly') => {
    const { data: created } = await api.POST('/v1/districts/{districtId}/subscribers', {
      params: { path: { districtId } },
      body: { email, cadence },
    });
    if (!created) throw new Error('no subscriber');
    return created.subscriberId;
  };
  return { districtId, name, api, progress, subscribe };
}

beforeAll(async () => {
  const info = await local.start();
  stateKey = info.credentials.stateKey;
  sqs = sqsClientFor(info);
}, 120_000);
afterAll(async () => {
  sqs?.destroy();
  await local.stop();
});

describe('digests on the local stack', () => {
  let lincoln: Awaited<ReturnType<typeof seededDistrict>>;
  let riverside: Awaited<ReturnType<typeof seededDistrict>>;
  const weekly = address('superintendent');
  const monthly = address('board');
  const other = address('principal');
  const stateWide = address('commissioner');
  let weeklyId: string;

  beforeAll(async () => {
    [lincoln, riverside] = await Promise.all([
      seededDistrict('Lincoln Unified & Partners'),
      seededDistrict('Riverside County Schools'),
    ]);
    weeklyId = await lincoln.subscribe(weekly, 'weekly');
    await lincoln.subscribe(monthly, 'monthly');
    await riverside.subscribe(other, 'weekly');
    const { response } = await state().POST('/v1/subscribers', {
      body: { email: stateWide, cadence: 'weekly' },
    });
    expect(response.status).toBe(201);
  }, 120_000);

  it('sends each due subscriber one digest: recipients, subject, both parts, headers', async () => {
    const run = await runDigests();
    const periods = digestPeriods(new Date(), local.info.state.timezone);
    expect(run.period).toEqual(periods);
    const mails = await eventually(async () => {
      const found = await Promise.all([weekly, monthly, other, stateWide].map(sentTo));
      return found.every((list) => list.length > 0) ? found : undefined;
    }, 60_000);
    for (const list of mails) expect(list).toHaveLength(1);
    const [[toWeekly], [toMonthly], [toOther], [toState]] = mails as [
      StoredEmail[],
      StoredEmail[],
      StoredEmail[],
      StoredEmail[],
    ];
    const week = Number(periods.weekly.slice(6));
    const year = periods.weekly.slice(0, 4);

    expect(toWeekly?.subject).toBe(`Lincoln Unified & Partners: vision progress, week ${week} of ${year}`);
    expect(toMonthly?.subject).toMatch(/^Lincoln Unified & Partners: vision progress, [A-Z][a-z]+ \d{4}$/);
    expect(toOther?.subject).toBe(`Riverside County Schools: vision progress, week ${week} of ${year}`);
    expect(toState?.subject).toBe(`Local State: vision progress by district, week ${week} of ${year}`);
    for (const email of [toWeekly, toMonthly, toOther, toState] as StoredEmail[]) {
      expect(email.from).toContain(local.info.state.sesSender);
      expect(email.body.html).toMatch(/^<!doctype html>/i);
      expect(email.body.text?.length).toBeGreaterThan(200);
      expect(header(email, 'List-Unsubscribe')).toMatch(
        /^<https?:\/\/[^>]+\/v1\/unsubscribe\?token=[\w-]+\.[\w-]+>$/,
      );
      expect(header(email, 'List-Unsubscribe-Post')).toBe('List-Unsubscribe=One-Click');
    }
    // the roll-up has a row per district, in both parts
    for (const part of [toState?.body.html, toState?.body.text])
      expect(part).toContain('Riverside County Schools');
    expect(toState?.body.html).toContain('Lincoln Unified &amp; Partners');
    expect(toState?.body.text).toContain('Lincoln Unified & Partners');
  });

  it("shows the progress endpoint's figures, and no number of a suppressed cell", async () => {
    const [email] = await sentTo(weekly);
    const { html = '', text = '' } = email?.body ?? {};
    const { progress } = lincoln;

    const completion = progress.milestones.completionRate;
    expect(completion).not.toBeNull();
    for (const part of [html, text]) expect(part).toContain(percent(completion ?? 0).value);
    expect(text).toMatch(/1 overdue milestone · 1 stale milestone/);
    expect(text).toContain('Board adopts Portrait of a Graduate');

    for (const condition of progress.conditions) {
      const block = text.slice(text.indexOf(condition.name));
      if ('mean' in condition && typeof condition.mean === 'number') {
        expect(block).toMatch(new RegExp(`^[^\\n]*\\n\\s+Mean\\s+${condition.mean.toFixed(2)}`));
        expect(html).toContain(condition.mean.toFixed(2));
        if (typeof condition.alignmentGap === 'number') {
          expect(block).toMatch(new RegExp(`Alignment gap\\s+${condition.alignmentGap.toFixed(2)}`));
        }
      } else {
        expect(block).toMatch(new RegExp(`^[^\\n]*\\n\\s+Mean\\s+fewer than ${MINIMUM_N} responses`));
      }
    }
    for (const competency of progress.competencies) {
      const block = text.slice(text.indexOf(competency.name));
      if ('masteryRate' in competency && typeof competency.masteryRate === 'number') {
        expect(block).toContain(percent(competency.masteryRate).value);
      } else {
        expect(block).toMatch(new RegExp(`^[^\\n]*\\n\\s+fewer than ${MINIMUM_N} responses`));
      }
    }
    // agency (3 students, mean 1.33) and communication (4 learners, all at mastery) are hidden: no trace of them
    const agency = progress.conditions.find((c) => c.conditionId === 'agency');
    expect(agency).toMatchObject({ suppressed: true });
    for (const part of [html, text]) {
      expect(part).not.toContain('1.33');
      expect(part).not.toMatch(/\b3 responses\b/);
      expect(part).not.toMatch(/\b4 (learners|responses)\b/);
      expect(part).toContain(`fewer than ${MINIMUM_N} responses`);
    }
  });

  it('escapes a client-supplied <script> in the HTML part', async () => {
    const [email] = await sentTo(weekly);
    const html = email?.body.html ?? '';
    expect(html).not.toContain('<script');
    expect(html).toContain('&lt;script&gt;alert(&quot;digest&quot;)&lt;/script&gt; &amp; family survey');
    expect(html).toContain('Lincoln Unified &amp; Partners');
    expect(email?.body.text).toContain('<script>alert("digest")</script> & family survey');
  });

  it('previews the digest of now as HTML for the district, and for nobody else', async () => {
    const path = `/v1/districts/${lincoln.districtId}/digest/preview`;
    const preview = await send(local.info.apiUrl, 'GET', `${path}?cadence=monthly`, { key: stateKey });
    expect(preview.status).toBe(200);
    expect(preview.contentType).toBe('text/html; charset=utf-8');
    expect(preview.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(preview.text).toContain('Lincoln Unified &amp; Partners');
    expect(preview.text).toContain('Monthly digest');
    expect(preview.text).toContain(percent(lincoln.progress.milestones.completionRate ?? 0).value);
    expect(preview.text).not.toContain('<script');

    const { data: otherKey } = await state().POST('/v1/districts/{districtId}/keys', {
      params: { path: { districtId: riverside.districtId } },
    });
    expect((await send(local.info.apiUrl, 'GET', path, { key: otherKey?.apiKey })).status).toBe(403);
    const unknown = await send(local.info.apiUrl, 'GET', '/v1/districts/no-such-district/digest/preview', {
      key: stateKey,
    });
    expect(unknown.status).toBe(404);
    const bad = await send(local.info.apiUrl, 'GET', `${path}?cadence=daily`, { key: stateKey });
    expect(bad.status).toBe(400);
    expect(bad.body.errors.map((e: { path: string }) => e.path)).toEqual(['query.cadence']);
  });

  it('sends nothing on a second run in the same period', async () => {
    await runDigests();
    await digestQueueDrained();
    for (const to of [weekly, monthly, other, stateWide]) expect(await sentTo(to)).toHaveLength(1);
  });

  it("asks to confirm on GET, unsubscribes on a one-click POST, and stops the next period's e-mail", async () => {
    const [email] = await sentTo(weekly);
    const link = new URL((header(email as StoredEmail, 'List-Unsubscribe') ?? '').slice(1, -1));
    // locally the link points at this stack's front door: it works from the SES emulator's page
    expect(link.origin).toBe(new URL(local.info.apiUrl).origin);
    const path = `${link.pathname}${link.search}`;

    const page = await send(local.info.apiUrl, 'GET', path);
    expect(page.status).toBe(200);
    expect(page.contentType).toMatch(/^text\/html/);
    expect(page.text).toContain('<form method="post"');
    expect(page.text).toContain('Lincoln Unified &amp; Partners');
    expect(page.headers.get('cache-control')).toBe('no-store');
    const subscribers = async () =>
      (
        await lincoln.api.GET('/v1/districts/{districtId}/subscribers', {
          params: { path: { districtId: lincoln.districtId } },
        })
      ).data?.items ?? [];
    expect((await subscribers()).find((s) => s.subscriberId === weeklyId)?.status).toBe('active');

    // the payload's first character changed: its signature no longer matches
    expect(path).toContain('token=e');
    const altered = await send(local.info.apiUrl, 'POST', path.replace('token=e', 'token=f'), {
      body: 'List-Unsubscribe=One-Click',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
    });
    expect(altered.status).toBe(400);
    expect(altered.body.errors).toEqual([
      { path: 'query.token', message: 'is not a valid unsubscribe token' },
    ]);

    for (let click = 0; click < 2; click += 1) {
      const oneClick = await send(local.info.apiUrl, 'POST', path, {
        body: 'List-Unsubscribe=One-Click',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      });
      expect(oneClick.status).toBe(200);
    }
    expect((await subscribers()).find((s) => s.subscriberId === weeklyId)?.status).toBe('unsubscribed');

    // next week: the other weekly subscribers get theirs, the unsubscribed one nothing
    const nextWeek = new Date(Date.now() + 7 * 86_400_000).toISOString();
    await runDigests(nextWeek);
    await eventually(async () => ((await sentTo(other)).length === 2 ? true : undefined), 60_000);
    await digestQueueDrained();
    expect(await sentTo(weekly)).toHaveLength(1);
    expect(await sentTo(stateWide)).toHaveLength(2);
  });

  it('suppresses a subscriber on a bounce event and sends it nothing further', async () => {
    const bounced = address('bounced');
    const subscriberId = await riverside.subscribe(bounced, 'weekly');
    const at = new Date(Date.now() + 14 * 86_400_000).toISOString();
    await runDigests(at);
    const [sent] = await eventually(async () => {
      const found = await sentTo(bounced);
      return found.length > 0 ? found : undefined;
    }, 60_000);

    // what SES publishes through the configuration set for a permanent bounce of that e-mail
    await sqs.send(
      new SendMessageCommand({
        QueueUrl: local.info.queues.mailEvents.url,
        MessageBody: JSON.stringify({
          eventType: 'Bounce',
          bounce: {
            bounceType: 'Permanent',
            bounceSubType: 'General',
            bouncedRecipients: [{ emailAddress: bounced }],
            timestamp: new Date().toISOString(),
          },
          mail: {
            messageId: sent?.messageId,
            destination: [bounced],
            tags: { subscriberId: [subscriberId], districtId: [riverside.districtId] },
          },
        }),
      }),
    );
    await eventually(async () => {
      const { data } = await riverside.api.GET('/v1/districts/{districtId}/subscribers', {
        params: { path: { districtId: riverside.districtId } },
      });
      return data?.items.find((s) => s.subscriberId === subscriberId)?.status === 'suppressed'
        ? true
        : undefined;
    }, 30_000);

    await runDigests(new Date(Date.now() + 21 * 86_400_000).toISOString());
    await eventually(async () => ((await sentTo(other)).length === 4 ? true : undefined), 60_000);
    await digestQueueDrained();
    expect(await sentTo(bounced)).toHaveLength(1);
  });

  it('sends exactly one e-mail per due subscriber when SES throttles some sends', async () => {
    const district = await seededDistrict('Maple Grove Public Schools');
    const addresses = Array.from({ length: 6 }, (_, i) => address(`leader${i}`));
    for (const to of addresses) await district.subscribe(to, 'weekly');
    const attempts = new Map<string, number>();
    const [beyondRetries, ...others] = addresses;
    throttle = (to) => {
      const attempt = (attempts.get(to) ?? 0) + 1;
      attempts.set(to, attempt);
      // one address is throttled beyond the client's 6 attempts (its job fails and comes back), the others on
      // their first two attempts (retried inside the client); addresses of other tests are left alone
      if (to === beyondRetries) return attempt <= 6;
      return others.includes(to) && attempt <= 2;
    };
    try {
      const at = '2027-03-10T12:00:00-05:00';
      const { period } = await runDigests(at);
      expect(period.weekly).toBe('2027-W10');
      await eventually(async () => {
        const found = await Promise.all(addresses.map(sentTo));
        return found.every((list) => list.length > 0) ? true : undefined;
      }, 90_000);
      await digestQueueDrained();
      for (const to of addresses) {
        const mails = await sentTo(to);
        expect(mails).toHaveLength(1);
        expect(mails[0]?.subject).toBe('Maple Grove Public Schools: vision progress, week 10 of 2027');
      }
      expect(attempts.get(beyondRetries as string)).toBeGreaterThanOrEqual(7);
      // two throttled attempts each, then at least one that went through (a busy machine may time out one more)
      for (const to of others) expect(attempts.get(to)).toBeGreaterThanOrEqual(3);
    } finally {
      throttle = () => false;
    }
  }, 150_000);
});
