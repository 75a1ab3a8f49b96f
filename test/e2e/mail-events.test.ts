/**
 * SES bounces and complaints on the local stack, end to end: a subscriber made through the API, a sample SES event
 * put on the mail events queue (by `npm run ops -- mail-events inject-bounce`, and by a plain SQS SendMessage of
 * an event in an SNS envelope), the mail events function run by the queue's poller, and the subscriber listed as
 * `suppressed` by the API. Also: the secret file of the unsubscribe tokens, made at the first start, owner-only.
 */
import { randomUUID } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { SendMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { sampleMailEvent } from '../../infra/ops/mail-events';
import { apiClient } from '../support/api-client';
import { sqsClientFor } from '../support/clients';
import { eventually } from '../support/eventually';
import { testStack } from '../support/local-stack';
import { runOps } from '../support/ops';

const local = testStack({ authorizerCacheTtlSeconds: 0 });
let sqs: SQSClient;

beforeAll(async () => {
  const info = await local.start();
  sqs = sqsClientFor(info);
});
afterAll(async () => {
  sqs?.destroy();
  await local.stop();
});

/** A district of its own with one weekly subscriber, made through the API. */
async function districtWithSubscriber() {
  const state = apiClient(local.info.apiUrl, local.info.credentials.stateKey);
  const districtId = `d-${randomUUID().slice(0, 8)}`;
  const created = await state.POST('/v1/districts', { body: { districtId, name: districtId } });
  expect(created.response.status).toBe(201);
  const api = apiClient(local.info.apiUrl, created.data?.apiKey ?? '');
  const subscribe = () =>
    api.POST('/v1/districts/{districtId}/subscribers', {
      params: { path: { districtId } },
      body: { email: `parent.${randomUUID().slice(0, 8)}@lincoln.example.org`, cadence: 'weekly' },
    });
  const subscribed = await subscribe();
  const other = await subscribe();
  expect([subscribed.response.status, other.response.status]).toEqual([201, 201]);
  /** The status of each subscriber of the district, by id. */
  const statuses = async () => {
    const { data } = await api.GET('/v1/districts/{districtId}/subscribers', {
      params: { path: { districtId } },
    });
    return Object.fromEntries((data?.items ?? []).map((item) => [item.subscriberId, item.status]));
  };
  return {
    districtId,
    subscriberId: subscribed.data?.subscriberId ?? '',
    otherId: other.data?.subscriberId ?? '',
    statuses,
  };
}

const localTarget = () => ['--sqs-endpoint', local.info.endpoints.sqs];

describe('SES events on the local stack', () => {
  it('suppresses a subscriber whose digest bounced (npm run ops -- mail-events inject-bounce)', async () => {
    const { districtId, subscriberId, otherId, statuses } = await districtWithSubscriber();
    expect(await statuses()).toEqual({ [subscriberId]: 'active', [otherId]: 'active' });

    const injected = await runOps([
      'mail-events',
      'inject-bounce',
      subscriberId,
      '--district',
      districtId,
      ...localTarget(),
    ]);

    expect(injected).toMatchObject({ code: 0, stderr: '' });
    expect(injected.stdout).toBe(
      `Put a permanent bounce of subscriber ${subscriberId} (of district ${districtId}) on ` +
        'vision-progress-xx-mailEvents: the mail events function marks the subscriber suppressed within seconds.\n',
    );
    await eventually(async () => ((await statuses())[subscriberId] === 'suppressed' ? true : undefined));
    expect((await statuses())[otherId]).toBe('active');
  });

  it('suppresses a subscriber who complained, from an event in an SNS envelope sent to the queue', async () => {
    const { districtId, subscriberId, statuses } = await districtWithSubscriber();
    const event = sampleMailEvent({ subscriberId, districtId, complaint: true });

    await sqs.send(
      new SendMessageCommand({
        QueueUrl: local.info.queues.mailEvents.url,
        MessageBody: JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) }),
      }),
    );

    await eventually(async () => ((await statuses())[subscriberId] === 'suppressed' ? true : undefined));
  });

  it('prints what it put on the queue as JSON with --complaint --json', async () => {
    const { districtId, subscriberId, statuses } = await districtWithSubscriber();

    const injected = await runOps([
      'mail-events',
      'inject-bounce',
      subscriberId,
      '--district',
      districtId,
      '--complaint',
      '--json',
      ...localTarget(),
    ]);

    expect(injected.code).toBe(0);
    expect(JSON.parse(injected.stdout)).toEqual({
      eventType: 'Complaint',
      subscriberId,
      districtId,
      queueUrl: local.info.queues.mailEvents.url,
      messageId: expect.any(String),
    });
    await eventually(async () => ((await statuses())[subscriberId] === 'suppressed' ? true : undefined));
  });

  it('refuses a deployed state or an API URL: SES publishes the events there', async () => {
    for (const target of [
      ['--state', 'OH'],
      ['--api-url', 'https://api.example.test'],
    ]) {
      const outcome = await runOps(['mail-events', 'inject-bounce', 'sub-0123456789abcdef', ...target]);

      expect(outcome.code).toBe(1);
      expect(outcome.stderr).toMatch(/^error: mail-events inject-bounce works on the local stack only/);
    }
  });

  it('says that the local stack is not there when its SQS emulator cannot be reached', async () => {
    const outcome = await runOps(['mail-events', 'inject-bounce', 'sub-0123456789abcdef'], {
      env: { SQS_PORT: '9' },
    });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('cannot reach the SQS emulator at http://127.0.0.1:9');
  });

  it('keeps the unsubscribe secret in the data dir, readable by its owner only, one secret per line', async () => {
    const file = local.info.layout.unsubscribeSecret;
    const content = await readFile(file, 'utf8');

    expect(content).toMatch(/^[A-Za-z0-9_-]{64}\n$/);
    expect((await stat(file)).mode & 0o777).toBe(0o600);
  });

  it('--help describes the command', async () => {
    const outcome = await runOps(['mail-events', 'inject-bounce', '--help']);

    expect(outcome.code).toBe(0);
    expect(outcome.stdout).toMatch(/^Usage: ops mail-events inject-bounce \[options\] <subscriberId>/);
    expect(outcome.stdout).toContain('--complaint');
  });
});
