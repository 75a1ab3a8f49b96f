/**
 * The digest ledger: one item per (subscriber, cadence, period), so that a period is never sent twice to a
 * subscriber however often the planner runs or a job is retried (PRODUCT §6).
 *
 * A sender first *claims* the period with a lease, sends, then marks it *sent* (keeping what it sent, which the
 * next digest compares with for "change since the last digest"). A claim succeeds when the period was never
 * claimed, or when an earlier claim's lease ran out without a send being recorded (its sender died or failed);
 * it is refused while another sender holds the lease, and for good once the period is sent. A sender that fails
 * to send releases its claim, so that the retry may claim at once.
 *
 * The one window this cannot close is a sender that dies after SES accepted the message and before the ledger
 * recorded it: SES v2 takes no idempotency token, so the lease's expiry lets a retry send again. The digest
 * sender's lease lasts as long as its invocation may still run, so only a crash in that instant, not a slow send,
 * can lead there.
 *
 * | item         | pk                      | sk                           |
 * |--------------|-------------------------|------------------------------|
 * | ledger entry | DIGESTS#<subscriberId>  | PERIOD#<cadence>#<period>    |
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, UpdateCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Cadence } from '../domain/periods';
import { documentClient } from '../runtime/clients';
import { queryAll } from './table';

/** How long a claim holds a period: far longer than a render and a send, short enough for a retry to follow. */
const DEFAULT_LEASE_MS = 5 * 60_000;

/** Ledger entries are kept this long: a monthly digest compares with the one before it. */
const RETENTION_MS = 400 * 24 * 60 * 60_000;

export type ClaimOutcome =
  /** This sender may send the period now. */
  | 'claimed'
  /** The period was sent already: nothing to do, ever. */
  | 'sent'
  /** Another sender holds the period's lease: try again after it runs out. */
  | 'busy';

/** What a sent digest recorded. */
export interface SentDigest<Figures> {
  readonly period: string;
  readonly sentAt: string;
  readonly messageId: string;
  /** The figures the digest showed, for the next one's "change since the last digest". */
  readonly figures: Figures;
}

export interface LedgerHistory<Figures> {
  /** The latest digest of the cadence sent before the period; absent when there was none. */
  readonly previous: SentDigest<Figures> | undefined;
  /** Whether a period after this one was sent already. */
  readonly laterPeriodSent: boolean;
}

export interface LedgerPeriod {
  readonly subscriberId: string;
  readonly cadence: Cadence;
  /** `2026-W48` or `2026-11`. */
  readonly period: string;
}

/** The partition of a subscriber's ledger: one item per period. */
export const ledgerPartition = (subscriberId: string) => `DIGESTS#${subscriberId}`;

const key = ({ subscriberId, cadence, period }: LedgerPeriod) => ({
  pk: ledgerPartition(subscriberId),
  sk: `PERIOD#${cadence}#${period}`,
});

export class DigestLedger {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
    private readonly leaseMs: number = DEFAULT_LEASE_MS,
  ) {}

  /**
   * Claims a period for sending; see {@link ClaimOutcome}. `leaseMs` is how long the claim holds: the digest
   * sender passes the time its invocation may still run, after which Lambda has stopped it.
   */
  async claim(entry: LedgerPeriod, now = new Date(), leaseMs = this.leaseMs): Promise<ClaimOutcome> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(entry),
          UpdateExpression:
            'SET #status = :sending, leaseUntil = :until, claimedAt = :now, expiresAt = :expires ADD attempts :one',
          ConditionExpression: 'attribute_not_exists(pk) OR (#status = :sending AND leaseUntil <= :nowMs)',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: {
            ':sending': 'sending',
            ':until': now.getTime() + leaseMs,
            ':now': now.toISOString(),
            ':nowMs': now.getTime(),
            ':expires': Math.floor((now.getTime() + RETENTION_MS) / 1000),
            ':one': 1,
          },
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return 'claimed';
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      return unmarshall(error.Item).status === 'sent' ? 'sent' : 'busy';
    }
  }

  /** Records the period as sent, with what was sent; the claim must still be this sender's. */
  async markSent<Figures>(
    entry: LedgerPeriod,
    sent: { readonly messageId: string; readonly figures: Figures },
    now = new Date(),
  ): Promise<void> {
    await this.client.send(
      new UpdateCommand({
        TableName: this.tableName,
        Key: key(entry),
        UpdateExpression:
          'SET #status = :sent, sentAt = :now, messageId = :messageId, figures = :figures, period = :period REMOVE leaseUntil',
        ConditionExpression: '#status = :sending',
        ExpressionAttributeNames: { '#status': 'status' },
        ExpressionAttributeValues: {
          ':sent': 'sent',
          ':sending': 'sending',
          ':now': now.toISOString(),
          ':messageId': sent.messageId,
          ':figures': sent.figures,
          ':period': entry.period,
        },
      }),
    );
  }

  /** Gives a claim up after a failed send, so that the retry may claim the period at once. */
  async release(entry: LedgerPeriod): Promise<void> {
    try {
      await this.client.send(
        new UpdateCommand({
          TableName: this.tableName,
          Key: key(entry),
          UpdateExpression: 'SET leaseUntil = :zero',
          ConditionExpression: '#status = :sending',
          ExpressionAttributeNames: { '#status': 'status' },
          ExpressionAttributeValues: { ':zero': 0, ':sending': 'sending' },
        }),
      );
    } catch (error) {
      // sent after all, or never claimed: nothing to give up
      if (!(error instanceof ConditionalCheckFailedException)) throw error;
    }
  }

  /**
   * The subscriber's digests of this cadence around `period`, from one Query of the subscriber's ledger (a year
   * of periods at most): the latest one sent before it, and whether a later period was sent already (a job
   * redriven from the dead-letter queue long after its period).
   */
  async history<Figures>(entry: LedgerPeriod): Promise<LedgerHistory<Figures>> {
    const { pk, sk } = key(entry);
    // periods sort as text in time order (2026-W48 < 2027-W01, 2026-11 < 2026-12), newest first
    const items = await queryAll(this.client, {
      TableName: this.tableName,
      KeyConditionExpression: 'pk = :pk AND begins_with(sk, :cadence)',
      ExpressionAttributeValues: { ':pk': pk, ':cadence': `PERIOD#${entry.cadence}#` },
      ScanIndexForward: false,
      ConsistentRead: true,
    });
    const sent = items.filter((item) => item.status === 'sent');
    const latest = sent.find((item) => String(item.sk) < sk);
    return {
      laterPeriodSent: sent.some((item) => String(item.sk) > sk),
      previous: latest && {
        period: String(latest.period),
        sentAt: String(latest.sentAt),
        messageId: String(latest.messageId),
        figures: latest.figures as Figures,
      },
    };
  }
}
