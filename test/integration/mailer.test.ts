/**
 * The mailer (shared/store/mailer.ts) against the SES v2 emulator: both parts and the unsubscribe headers arrive;
 * injected SES throttling is retried and the e-mail is sent once.
 */
import { randomUUID } from 'node:crypto';
import { TooManyRequestsException } from '@aws-sdk/client-sesv2';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { SendPacer, SesMailer } from '../../shared/store/mailer';
import { sesClientFor } from '../support/clients';
import { testStack } from '../support/local-stack';
import { sesStoreOf } from '../support/ses-store';

const local = testStack({ handlers: { metricsWorker: async () => ({ batchItemFailures: [] }) } });

beforeAll(() => local.start());
afterAll(() => local.stop());

const { sentTo } = sesStoreOf(local);

function sesClient(throttledAttempts = 0) {
  const client = sesClientFor(local.info, { retryMode: 'adaptive', maxAttempts: 6 });
  let attempts = 0;
  client.middlewareStack.add(
    (next) => async (args) => {
      attempts += 1;
      if (attempts <= throttledAttempts) {
        throw new TooManyRequestsException({
          message: 'injected: Maximum sending rate exceeded.',
          $metadata: {},
        });
      }
      return next(args);
    },
    { step: 'deserialize', name: 'injectedThrottling' },
  );
  return { client, attempts: () => attempts };
}

const email = (to: string) => ({
  from: local.info.state.sesSender,
  to,
  subject: 'Lincoln Unified: your weekly digest',
  html: '<p>Completion <b>36%</b></p>',
  text: 'Completion 36%',
  headers: [
    { name: 'List-Unsubscribe', value: '<https://vp.example/v1/unsubscribe?token=abc>' },
    { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
  ],
});

describe('SesMailer', () => {
  it('sends both parts with the one-click unsubscribe headers', async () => {
    const to = `leader-${randomUUID().slice(0, 8)}@example.org`;
    const { client } = sesClient();
    const messageId = await new SesMailer(client, new SendPacer(50)).send(email(to));

    const [stored, ...others] = await sentTo(to);
    expect(others).toEqual([]);
    expect(stored).toMatchObject({
      messageId,
      subject: 'Lincoln Unified: your weekly digest',
      body: { html: '<p>Completion <b>36%</b></p>', text: 'Completion 36%' },
    });
    expect(stored?.headers).toEqual(
      expect.arrayContaining([
        { name: 'List-Unsubscribe', value: '<https://vp.example/v1/unsubscribe?token=abc>' },
        { name: 'List-Unsubscribe-Post', value: 'List-Unsubscribe=One-Click' },
      ]),
    );
  });

  it('retries SES throttling and sends once', async () => {
    const to = `leader-${randomUUID().slice(0, 8)}@example.org`;
    const { client, attempts } = sesClient(3);
    await new SesMailer(client, new SendPacer(50)).send(email(to));

    expect(attempts()).toBe(4);
    expect(await sentTo(to)).toHaveLength(1);
  });
});
