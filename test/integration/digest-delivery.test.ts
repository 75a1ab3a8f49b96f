/**
 * The digest sender's delivery (functions/digest-sender/delivery.ts) on the local stack's table and SES
 * emulator: concurrent deliveries of one job send one e-mail; a subscriber no longer active gets nothing; a
 * failed send leaves the period free for the retry; the next period's digest shows each condition's change
 * since the previous one, computed from what the previous digest showed.
 */
import { randomUUID } from 'node:crypto';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DeliveryFailedError, DigestDelivery, PeriodBusyError } from '../../functions/digest-sender/delivery';
import type { DigestJob } from '../../shared/contract/digest-job';
import { formatChange } from '../../shared/domain/digest';
import { verifyUnsubscribeToken } from '../../shared/domain/unsubscribe-token';
import { DigestContent } from '../../shared/store/digest-content';
import { DigestLedger } from '../../shared/store/digest-ledger';
import { DistrictStore } from '../../shared/store/districts';
import { SendPacer, SesMailer } from '../../shared/store/mailer';
import { ProgressStore } from '../../shared/store/progress';
import { SubscriberStore } from '../../shared/store/subscribers';
import { apiClient } from '../support/api-client';
import { documentsFor, sesClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { sesStoreOf } from '../support/ses-store';

const local = testStack({ authorizerCacheTtlSeconds: 0 });
const SECRET = 'integration-secret-'.padEnd(48, 'x');

let subscribers: SubscriberStore;
let ledger: DigestLedger;
let content: DigestContent;
let ses: SESv2Client;
let failNextSend = false;

function delivery(options: { clock?: () => Date; ledger?: DigestLedger } = {}) {
  const mailer = new SesMailer(ses, new SendPacer(50));
  return new DigestDelivery({
    subscribers,
    ledger: options.ledger ?? ledger,
    content,
    mailer: async () =>
      ({
        send: async (email) => {
          if (failNextSend) {
            failNextSend = false;
            throw new Error('injected: SES unavailable');
          }
          return mailer.send(email);
        },
      }) as SesMailer,
    secrets: async () => ({ current: SECRET, accepted: [SECRET] }),
    fromAddress: 'digests@vision-progress.localhost',
    fromName: 'Local State Vision Progress',
    publicBaseUrl: 'https://vision-progress.localhost',
    ...(options.clock ? { clock: options.clock } : {}),
  });
}

/** The ledger, with its first `failures` markSent calls failing like a throttled or unreachable table. */
function ledgerFailingMarkSent(failures: number): { ledger: DigestLedger; attempts: () => number } {
  let attempts = 0;
  const failing = Object.create(ledger) as DigestLedger;
  failing.markSent = async (...args: Parameters<DigestLedger['markSent']>) => {
    attempts += 1;
    if (attempts <= failures) throw new Error('injected: ProvisionedThroughputExceededException');
    return ledger.markSent(...args);
  };
  return { ledger: failing, attempts: () => attempts };
}

const { sentTo } = sesStoreOf(local);

beforeAll(async () => {
  const info = await local.start();
  const documents = documentsFor(info);
  const table = info.table.tableName;
  subscribers = new SubscriberStore(table, documents);
  ledger = new DigestLedger(table, documents);
  content = new DigestContent(new ProgressStore(table, documents), new DistrictStore(table, documents), {
    stateName: info.state.name,
    timezone: info.state.timezone,
    minimumN: info.state.minimumN,
  });
  ses = sesClientFor(info);
}, 120_000);
afterAll(async () => {
  ses?.destroy();
  await local.stop();
});

/** A district whose culture condition has 10 teacher ratings of `level`, and a weekly subscriber. */
async function district() {
  const districtId = `dd-${randomUUID().slice(0, 8)}`;
  const state = apiClient(local.info.apiUrl, local.info.credentials.stateKey);
  const { data } = await state.POST('/v1/districts', {
    body: { districtId, name: `District ${districtId}` },
  });
  if (!data) throw new Error('no district');
  const api = apiClient(local.info.apiUrl, data.apiKey);
  let posted = 0;
  const rate = async (level: number, respondents: number, prefix: string) => {
    const items = Array.from({ length: respondents }, (_, i) => ({
      type: 'condition-rating' as const,
      submissionId: `${prefix}-${i}`,
      respondent: { id: `r-${prefix}-${i}`, role: 'teacher' },
      submittedAt: new Date().toISOString(),
      ratings: [{ conditionId: 'culture', level }],
    }));
    await api.POST('/v1/districts/{districtId}/assessments/batch', {
      params: { path: { districtId } },
      body: { items },
    });
    posted += items.length;
    return eventually(async () => {
      const { data: progress } = await api.GET('/v1/districts/{districtId}/progress', {
        params: { path: { districtId } },
      });
      return progress?.eventsApplied === posted ? progress : undefined;
    });
  };
  const email = `leader.${randomUUID().slice(0, 8)}@district.example.org`;
  const subscriber = await subscribers.create({ kind: 'district', districtId }, { email, cadence: 'weekly' });
  const job = (period: string): DigestJob => ({
    subscriberId: subscriber.subscriberId,
    districtId,
    cadence: 'weekly',
    period,
    plannedAt: new Date().toISOString(),
  });
  return { districtId, email, subscriberId: subscriber.subscriberId, rate, job };
}

describe('digest delivery', () => {
  it('sends one e-mail for concurrent deliveries of the same job', async () => {
    const d = await district();
    await d.rate(3, 10, 'a');
    const outcomes = await Promise.allSettled(
      Array.from({ length: 5 }, () => delivery().deliver(d.job('2026-W48'))),
    );
    const sent = outcomes.filter((o) => o.status === 'fulfilled' && o.value === 'sent');
    expect(sent).toHaveLength(1);
    for (const outcome of outcomes) {
      if (outcome.status === 'rejected') expect(outcome.reason).toBeInstanceOf(PeriodBusyError);
      else expect(['sent', 'already-sent']).toContain(outcome.value);
    }
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('already-sent');
    const mails = await sentTo(d.email);
    expect(mails).toHaveLength(1);
    // the link's token names this subscriber of this district, signed with the secret
    const link = mails[0]?.headers?.find((h) => h.name === 'List-Unsubscribe')?.value ?? '';
    const token = new URL(link.slice(1, -1)).searchParams.get('token') ?? '';
    expect(verifyUnsubscribeToken(token, [SECRET])).toEqual({
      subscriberId: d.subscriberId,
      districtId: d.districtId,
    });
  });

  it('leaves a period whose send failed free for the retry', async () => {
    const d = await district();
    await d.rate(2, 10, 'a');
    failNextSend = true;
    await expect(delivery().deliver(d.job('2026-W48'))).rejects.toThrow(DeliveryFailedError);
    expect(await sentTo(d.email)).toHaveLength(0);
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('sent');
    expect(await sentTo(d.email)).toHaveLength(1);
  });

  it('sends nothing to a subscriber unsubscribed, suppressed or removed since the job was planned', async () => {
    const d = await district();
    const scope = { kind: 'district', districtId: d.districtId } as const;
    await subscribers.setStatus(scope, d.subscriberId, 'unsubscribed');
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('not-active');
    await subscribers.setStatus(scope, d.subscriberId, 'suppressed');
    expect(await delivery().deliver(d.job('2026-W49'))).toBe('not-active');
    await subscribers.remove(scope, d.subscriberId);
    expect(await delivery().deliver(d.job('2026-W50'))).toBe('not-active');
    expect(await sentTo(d.email)).toHaveLength(0);
  });

  it('gives back the claim of a subscriber found not active: active again, the same job sends', async () => {
    const d = await district();
    const scope = { kind: 'district', districtId: d.districtId } as const;
    await subscribers.setStatus(scope, d.subscriberId, 'unsubscribed');
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('not-active');
    await subscribers.setStatus(scope, d.subscriberId, 'active');
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('sent');
    expect(await sentTo(d.email)).toHaveLength(1);
  });

  it("shows each condition's change since the previous digest", async () => {
    const d = await district();
    const before = await d.rate(2, 10, 'a');
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('sent');
    // ten more teachers rate culture 4: the mean rises
    const after = await d.rate(4, 10, 'b');
    expect(await delivery().deliver(d.job('2026-W49'))).toBe('sent');

    const [first, second] = await sentTo(d.email);
    const mean = (progress: typeof before) => {
      const culture = progress.conditions.find((c) => c.conditionId === 'culture');
      if (!culture || !('mean' in culture) || typeof culture.mean !== 'number')
        throw new Error('culture hidden');
      return culture.mean;
    };
    const change = formatChange(mean(after), mean(before));
    expect(change).toBe('+1.00');
    expect(first?.body.text).toContain('This is your first digest');
    expect(first?.body.text).not.toMatch(/Change\s+\+/);
    expect(second?.body.text).toContain('Changes are since your last digest');
    expect(second?.body.text).toMatch(
      new RegExp(`Learning Community Culture[^\\n]*\\n\\s+Mean\\s+3\\.00\\s*\\n\\s+Change\\s+\\${change}`),
    );
    expect(second?.body.html).toContain(change);
  });

  it('records a sent period through a few failed writes of the ledger', async () => {
    const d = await district();
    const { ledger: flaky, attempts } = ledgerFailingMarkSent(2);
    expect(await delivery({ ledger: flaky }).deliver(d.job('2026-W48'))).toBe('sent');
    expect(attempts()).toBe(3);
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('already-sent');
    expect(await sentTo(d.email)).toHaveLength(1);
  });

  it('goes on recording a sent period while its invocation has time, past the few tries of a short outage', async () => {
    const d = await district();
    // five failures take 0.2 + 0.4 + 0.8 + 1.6 + 2 s of pauses: within an invocation of 8 s, not within four tries
    const { ledger: flaky, attempts } = ledgerFailingMarkSent(5);
    expect(await delivery({ ledger: flaky }).deliver(d.job('2026-W48'), { remainingMs: 8_000 })).toBe('sent');
    expect(attempts()).toBe(6);
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('already-sent');
    expect(await sentTo(d.email)).toHaveLength(1);
  }, 20_000);

  it('keeps the claim of a period that went out but could not be recorded: no retry sends it again meanwhile', async () => {
    const d = await district();
    const { ledger: broken } = ledgerFailingMarkSent(Number.POSITIVE_INFINITY);
    await expect(delivery({ ledger: broken }).deliver(d.job('2026-W48'))).rejects.toThrow(
      DeliveryFailedError,
    );
    expect(await sentTo(d.email)).toHaveLength(1);
    // the retry SQS makes while the claim holds finds it held
    await expect(delivery().deliver(d.job('2026-W48'))).rejects.toThrow(PeriodBusyError);
    expect(await sentTo(d.email)).toHaveLength(1);
  });

  it('drops a job whose period is older than one sent already', async () => {
    const d = await district();
    expect(await delivery().deliver(d.job('2026-W49'))).toBe('sent');
    expect(await delivery().deliver(d.job('2026-W48'))).toBe('superseded');
    expect(await sentTo(d.email)).toHaveLength(1);
    // and the old period is not left claimed
    expect(await ledger.claim({ subscriberId: d.subscriberId, cadence: 'weekly', period: '2026-W48' })).toBe(
      'claimed',
    );
  });

  it('rolls up every district of the state, past the first page of the district list', async () => {
    const state = apiClient(local.info.apiUrl, local.info.credentials.stateKey);
    const names: string[] = [];
    for (let i = 0; i < 101; i += 1) {
      const districtId = `ru-${randomUUID().slice(0, 8)}`;
      const { response } = await state.POST('/v1/districts', {
        body: { districtId, name: `Rollup ${districtId}` },
      });
      expect(response.status).toBe(201);
      names.push(`Rollup ${districtId}`);
    }
    const email = `commissioner.${randomUUID().slice(0, 8)}@state.example.org`;
    const { subscriberId } = await subscribers.create({ kind: 'state' }, { email, cadence: 'monthly' });
    expect(
      await delivery().deliver({
        subscriberId,
        cadence: 'monthly',
        period: '2026-11',
        plannedAt: new Date().toISOString(),
      }),
    ).toBe('sent');
    const [rollup] = await sentTo(email);
    expect(rollup?.subject).toBe('Local State: vision progress by district, November 2026');
    for (const name of names) expect(rollup?.body.text).toContain(name);
  }, 90_000);
});
