/**
 * Delivers one digest job: a district's digest, or the state roll-up for a state-wide subscriber (no districtId).
 *
 *   at once: read the subscriber, claim the period in the ledger, read the subscriber's earlier digests and
 *   the figures -> subscriber still active? claimed? -> compose (figures now, changes since the previous
 *   digest) -> sign the unsubscribe link -> send through SES -> record the period as sent
 *
 * The reads go out with the claim, so a digest waits for three round trips (reads and claim, send, record), not
 * six; a job that ends without a send has made reads it did not need, and gives a claim it made back.
 *
 * Never twice: a period already sent, or a subscriber no longer active, ends the job without a send; a period
 * another sender holds fails the job, which comes back after the queue's visibility timeout (by then the lease
 * has run out or the period is sent). Never lost: a failed compose or send releases the claim and fails the job,
 * so SQS delivers it again, and after the queue's receive limit it waits in the dead-letter queue for
 * `npm run ops -- dlq redrive digest`.
 *
 * Logs carry ids (subscriber, district, period, the run that planned the job, SES message id), never an address.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import type { DigestJob } from '../../shared/contract/digest-job';
import type { Subscriber } from '../../shared/contract/subscribers';
import type { SubscriberScope } from '../../shared/domain/subscribers';
import { signUnsubscribeToken, unsubscribeLink } from '../../shared/domain/unsubscribe-token';
import type { RenderedEmail } from '../../shared/email';
import { logger } from '../../shared/runtime/logger';
import { METRIC, record } from '../../shared/runtime/metrics';
import type { UnsubscribeSecretSource } from '../../shared/runtime/unsubscribe-secrets';
import type { DigestContent, DistrictFigures } from '../../shared/store/digest-content';
import type { DigestLedger, LedgerPeriod } from '../../shared/store/digest-ledger';
import type { SesMailer } from '../../shared/store/mailer';
import type { SubscriberStore } from '../../shared/store/subscribers';

/** How a job ended. */
export type DeliveryOutcome =
  /** The digest went out now. */
  | 'sent'
  /** The period had been sent before: nothing to do. */
  | 'already-sent'
  /** The subscriber was removed, unsubscribed or suppressed since the job was planned. */
  | 'not-active'
  /** A later period was sent to the subscriber already: this job's period is past. */
  | 'superseded';

/** A job failed; the message names the kind of failure only (SES's own messages may quote an address). */
export class DeliveryFailedError extends Error {
  override readonly name = 'DeliveryFailedError';
}

/** Tries at recording a sent period before the job fails, at least; more while the invocation has time (recordSent). */
const RECORD_ATTEMPTS = 4;
/** The longest pause between two tries at recording a sent period. */
const RECORD_MAX_PAUSE_MS = 2_000;
/**
 * A claim holds while its invocation may run, and a little longer: Lambda stops the invocation at its timeout, so
 * a sender that died mid-send leaves a claim that expires before SQS hands the job out again (the visibility
 * timeout is six times the function's timeout).
 */
const LEASE_MARGIN_MS = 5_000;
/** Recording a sent period stops this long before the invocation ends, so that the job fails rather than times out. */
const RECORD_MARGIN_MS = 1_000;

/** Another sender holds the period's lease; the job is retried after it ran out. */
export class PeriodBusyError extends Error {
  override readonly name = 'PeriodBusyError';
}

export interface DigestDeliveryOptions {
  readonly subscribers: SubscriberStore;
  readonly ledger: DigestLedger;
  readonly content: DigestContent;
  /** Resolves the mailer; it may read the account's send quota first. */
  readonly mailer: () => Promise<SesMailer>;
  readonly secrets: UnsubscribeSecretSource;
  /** The verified SES identity digests come from, e.g. `digests@education.ohio.gov`. */
  readonly fromAddress: string;
  /** How the sender is named in the From header, e.g. `Ohio Vision Progress`. */
  readonly fromName: string;
  /** The API's public base URL; unsubscribe links point at its `/v1/unsubscribe`. */
  readonly publicBaseUrl: string;
  readonly clock?: () => Date;
}

/** How one job is delivered. */
export interface DeliveryRequest {
  /**
   * The invocation's remaining time (Lambda's `getRemainingTimeInMillis()`). The period's claim holds that long and
   * LEASE_MARGIN_MS more, so that a retry after this invocation ended, which SQS makes only after the visibility
   * timeout, finds the claim expired; recording a sent period goes on until shortly before the invocation ends.
   * Without it the ledger's default lease applies and recording tries RECORD_ATTEMPTS times.
   */
  readonly remainingMs?: number;
  /** The planning run the job came from (shared/store/digest-run.ts), named on every log line about the job. */
  readonly runId?: string;
}

/** The `List-Unsubscribe-Post` value of RFC 8058 one-click unsubscription. */
const ONE_CLICK = 'List-Unsubscribe=One-Click';

export class DigestDelivery {
  constructor(private readonly options: DigestDeliveryOptions) {}

  async deliver(job: DigestJob, request: DeliveryRequest = {}): Promise<DeliveryOutcome> {
    const { subscribers, ledger, content } = this.options;
    const { remainingMs, runId } = request;
    const leaseMs = remainingMs === undefined ? undefined : remainingMs + LEASE_MARGIN_MS;
    const scope: SubscriberScope =
      job.districtId === undefined ? { kind: 'state' } : { kind: 'district', districtId: job.districtId };
    const ids = { subscriberId: job.subscriberId, districtId: job.districtId, period: job.period, runId };
    const entry: LedgerPeriod = { subscriberId: job.subscriberId, cadence: job.cadence, period: job.period };
    const now = this.now();
    // the invocation's end in this process's time (the ledger's clock may be a test's): recording a sent period
    // goes on until shortly before it, while the claim still holds
    const invocationEndsAt = remainingMs === undefined ? undefined : Date.now() + remainingMs;

    // The four reads and the claim do not depend on one another: made at once, a digest waits for the slowest
    // of them rather than for their sum. What they find is weighed below, in the order that decides.
    const { districtId } = job;
    const [subscriberRead, claimed, historyRead, sourceRead] = await Promise.allSettled([
      subscribers.get(scope, job.subscriberId),
      ledger.claim(entry, now, leaseMs),
      ledger.history<DistrictFigures>(entry),
      districtId === undefined ? content.readRollup(now) : content.readDistrict(districtId, now),
    ]);
    if (claimed.status === 'rejected') throw claimed.reason;
    const claim = claimed.value;
    if (claim === 'sent') {
      logger.info('digest not sent: period sent before', ids);
      return 'already-sent';
    }

    let messageId: string | undefined;
    try {
      const subscriber = settledValue(subscriberRead);
      if (subscriber?.status !== 'active') {
        // given back, so that a subscriber active again by the next run is not kept from this period
        if (claim === 'claimed') await ledger.release(entry);
        logger.info('digest not sent: subscriber not active', {
          ...ids,
          status: subscriber?.status ?? 'removed',
        });
        return 'not-active';
      }
      if (claim === 'busy') throw new PeriodBusyError(`period ${job.period} is being sent by another sender`);
      const history = settledValue(historyRead);
      if (history.laterPeriodSent) {
        // a job for a period older than one already sent (redriven from the dead-letter queue weeks later, say):
        // its figures would be today's under an old period's name
        await ledger.release(entry);
        logger.info('digest not sent: a later period was sent already', ids);
        return 'superseded';
      }
      const source = settledValue(sourceRead);
      const unsubscribeUrl = await this.unsubscribeUrl(job);
      const request = { period: job.period, now, unsubscribeUrl };
      const composed = Array.isArray(source)
        ? content.composeRollup(source, request)
        : content.composeDistrict(source, { ...request, previous: history.previous });
      messageId = await this.send(subscriber, job, composed.email, unsubscribeUrl);
      await this.recordSent(entry, messageId, composed.figures, invocationEndsAt);
      logger.info('digest sent', { ...ids, cadence: job.cadence, messageId });
      record(METRIC.digestsSent, 1);
      return 'sent';
    } catch (error) {
      // another sender's claim is not this one's to give up
      if (claim === 'busy') throw error;
      throw await this.failed(entry, ids, messageId, error);
    }
  }

  /**
   * After a failure: gives the claim up when nothing was sent, so that the retry may send at once; keeps it when
   * SES accepted the e-mail but the ledger could not record it, so that no retry sends it before the claim runs
   * out. Logs and answers an error that names the failure's kind only: SES's messages may quote an address.
   */
  private async failed(
    entry: LedgerPeriod,
    ids: Record<string, string | undefined>,
    messageId: string | undefined,
    error: unknown,
  ): Promise<Error> {
    const name = error instanceof Error ? error.name : 'unknown error';
    const status = (error as { $metadata?: { httpStatusCode?: number } }).$metadata?.httpStatusCode;
    if (messageId === undefined) {
      await this.options.ledger.release(entry).catch((releaseError: unknown) =>
        logger.warn('claim not released: it runs out by itself', {
          ...ids,
          error: releaseError instanceof Error ? releaseError.name : 'unknown error',
        }),
      );
      logger.error('digest not sent: the job is retried', { ...ids, error: name, status });
    } else {
      logger.error('digest sent but not recorded: a retry after the claim ran out may send it again', {
        ...ids,
        messageId,
        error: name,
        status,
      });
    }
    return new DeliveryFailedError(
      `digest ${entry.period} not delivered: ${name}${status ? ` (${status})` : ''}`,
    );
  }

  /**
   * Records the period as sent. Once SES accepted the e-mail a lost record means a resend once the claim runs out,
   * so it tries until shortly before the invocation ends, while the claim holds (a table restarting or throttled
   * for a while), at least a few times. A failed condition is final, not retried: the period is no longer
   * `sending` (recorded as sent by a try whose answer was lost, or its entry deleted), and no later try would
   * find it otherwise.
   */
  private async recordSent(
    entry: LedgerPeriod,
    messageId: string,
    figures: unknown,
    invocationEndsAt: number | undefined,
  ): Promise<void> {
    for (let attempt = 1; ; attempt += 1) {
      try {
        await this.options.ledger.markSent(entry, { messageId, figures }, this.now());
        return;
      } catch (error) {
        if (error instanceof ConditionalCheckFailedException) throw error;
        const pause = Math.min(RECORD_MAX_PAUSE_MS, 100 * 2 ** attempt);
        const timeLeft =
          invocationEndsAt !== undefined && Date.now() + pause < invocationEndsAt - RECORD_MARGIN_MS;
        if (attempt >= RECORD_ATTEMPTS && !timeLeft) throw error;
        await new Promise((resolve) => setTimeout(resolve, pause));
      }
    }
  }

  private async send(
    subscriber: Subscriber,
    job: DigestJob,
    email: RenderedEmail,
    unsubscribeUrl: string,
  ): Promise<string> {
    const mailer = await this.options.mailer();
    return mailer.send({
      from: fromHeader(this.options.fromName, this.options.fromAddress),
      to: subscriber.email,
      subject: email.subject,
      html: email.html,
      text: email.text,
      headers: [
        { name: 'List-Unsubscribe', value: `<${unsubscribeUrl}>` },
        { name: 'List-Unsubscribe-Post', value: ONE_CLICK },
      ],
      // bounce and complaint events name the subscriber through these (shared/domain/suppression-events.ts)
      tags: {
        subscriberId: job.subscriberId,
        ...(job.districtId === undefined ? {} : { districtId: job.districtId }),
      },
    });
  }

  private async unsubscribeUrl(job: DigestJob): Promise<string> {
    const { current } = await this.options.secrets();
    const token = signUnsubscribeToken(
      {
        subscriberId: job.subscriberId,
        ...(job.districtId === undefined ? {} : { districtId: job.districtId }),
      },
      current,
    );
    return unsubscribeLink(this.options.publicBaseUrl, token);
  }

  private now(): Date {
    return this.options.clock?.() ?? new Date();
  }
}

/** A settled call's value, or its failure thrown. */
function settledValue<T>(settled: PromiseSettledResult<T>): T {
  if (settled.status === 'rejected') throw settled.reason;
  return settled.value;
}

/** `"Ohio Vision Progress" <digests@…>`; the bare address when the name is not plain printable ASCII. */
function fromHeader(name: string, address: string): string {
  if (!/^[\x20-\x7e]+$/.test(name)) return address;
  return `"${name.replace(/["\\]/g, '\\$&')}" <${address}>`;
}
