import { BatchProcessor, EventType, processPartialResponse } from '@aws-lambda-powertools/batch';
import { injectLambdaContext } from '@aws-lambda-powertools/logger/middleware';
import { GetAccountCommand } from '@aws-sdk/client-sesv2';
import middy from '@middy/core';
import type { Context, SQSBatchResponse, SQSEvent, SQSRecord } from 'aws-lambda';
import * as z from 'zod';
import { DigestJob } from '../../shared/contract/digest-job';
import { dynamoDb } from '../../shared/runtime/clients';
import { readEnvironment } from '../../shared/runtime/env';
import { logger } from '../../shared/runtime/logger';
import { publishMetrics } from '../../shared/runtime/metrics';
import { ses } from '../../shared/runtime/ses';
import { traceInvocation, tracer, traceSubsegment } from '../../shared/runtime/tracer';
import { unsubscribeSecretsFromEnvironment } from '../../shared/runtime/unsubscribe-secrets';
import { DigestContent } from '../../shared/store/digest-content';
import { DigestLedger } from '../../shared/store/digest-ledger';
import { runIdOf } from '../../shared/store/digest-run';
import { DistrictStore } from '../../shared/store/districts';
import { SendPacer, SesMailer } from '../../shared/store/mailer';
import { ProgressStore } from '../../shared/store/progress';
import { SubscriberStore } from '../../shared/store/subscribers';
import { DigestDelivery } from './delivery';

// the ledger's and the stores' calls are subsegments of a digest's trace; the client is shared with untraced
// functions, so it is captured here (shared/runtime/tracer.ts says why). SES's is not: see the tracer's module.
tracer.captureAWSv3Client(dynamoDb);

const env = readEnvironment({
  TABLE_NAME: z.string().min(1),
  STATE_NAME: z.string().min(1),
  STATE_TIMEZONE: z.string().min(1),
  MINIMUM_N: z.coerce.number().int().min(1),
  PUBLIC_BASE_URL: z.url(),
  SES_SENDER: z.email(),
  /** The configuration set whose event destination reports bounces and complaints (AWS only). */
  SES_CONFIGURATION_SET: z.string().min(1).optional(),
  /** The account's sends per second, locally; unset in AWS, where GetAccount tells. */
  SES_SEND_RATE: z.coerce.number().positive().optional(),
  /** How many senders run at once at most (the digest queue's maximum concurrency): each takes its share. */
  DIGEST_SENDERS: z.coerce.number().int().min(1),
});

/** This sender's share of the account's SES send rate: GetAccount in AWS, SES_SEND_RATE locally. */
async function sendRate(): Promise<number> {
  let accountRate = env.SES_SEND_RATE;
  if (accountRate === undefined) {
    const { SendQuota: quota } = await ses.send(new GetAccountCommand({}));
    accountRate = quota?.MaxSendRate ?? 1;
  }
  return accountRate / env.DIGEST_SENDERS;
}

let mailer: Promise<SesMailer> | undefined;

const delivery = new DigestDelivery({
  subscribers: new SubscriberStore(env.TABLE_NAME),
  ledger: new DigestLedger(env.TABLE_NAME),
  content: new DigestContent(new ProgressStore(env.TABLE_NAME), new DistrictStore(env.TABLE_NAME), {
    stateName: env.STATE_NAME,
    timezone: env.STATE_TIMEZONE,
    minimumN: env.MINIMUM_N,
  }),
  mailer: () => {
    mailer ??= sendRate().then(
      (rate) => new SesMailer(ses, new SendPacer(rate), env.SES_CONFIGURATION_SET),
      (error: unknown) => {
        mailer = undefined;
        throw error;
      },
    );
    return mailer;
  },
  secrets: unsubscribeSecretsFromEnvironment('sign'),
  fromAddress: env.SES_SENDER,
  fromName: `${env.STATE_NAME} Vision Progress`,
  publicBaseUrl: env.PUBLIC_BASE_URL,
});

const processor = new BatchProcessor(EventType.SQS);

const recordHandler = async (record: SQSRecord, context: Context): Promise<void> => {
  const job = DigestJob.parse(JSON.parse(record.body));
  // a subsegment per job (the batch's jobs run at once), found in X-Ray by its district and cadence
  await traceSubsegment(
    '## digest job',
    { districtId: job.districtId ?? 'state', cadence: job.cadence },
    () =>
      delivery.deliver(job, {
        remainingMs: context.getRemainingTimeInMillis(),
        runId: runIdOf(record),
      }),
  );
};

const lambdaHandler = async (event: SQSEvent, context: Context): Promise<SQSBatchResponse> =>
  processPartialResponse(event, recordHandler, processor, { context });

export const handler = middy<SQSEvent, SQSBatchResponse>()
  .use(traceInvocation('digestSender'))
  .use(injectLambdaContext(logger, { resetKeys: true }))
  .use(publishMetrics())
  .handler(lambdaHandler);
