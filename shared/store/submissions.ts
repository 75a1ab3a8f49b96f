/**
 * Assessment submissions, unique per district by `submissionId`: the first write stores, an identical replay is
 * recognised by its content hash, anything else with the same id is a conflict. A voided submission is kept for
 * audit and its id is never reused.
 */
import { ConditionalCheckFailedException } from '@aws-sdk/client-dynamodb';
import { type DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import type { Submission } from '../contract/assessments';
import { contentHash } from '../domain/content-hash';
import { ConflictError, NotFoundError } from '../domain/errors';
import { documentClient } from '../runtime/clients';
import { CORRELATION_ATTRIBUTE, keys, stampOnce } from './table';

export interface SubmissionWriteResult {
  /** 201 stored now, 200 an identical replay of a stored one. */
  readonly status: 201 | 200;
  readonly submissionId: string;
  readonly receivedAt: string;
}

export class SubmissionStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /**
   * Stores a validated submission; ConflictError for another content or a voided id.
   *
   * @param correlationId the request's, stored with the submission (an identical replay keeps the first one's)
   */
  async submit(
    districtId: string,
    submission: Submission,
    now = new Date(),
    correlationId?: string,
  ): Promise<SubmissionWriteResult> {
    const hash = contentHash(submission);
    const receivedAt = now.toISOString();
    try {
      await this.client.send(
        new PutCommand({
          TableName: this.tableName,
          Item: {
            ...keys.submission(districtId, submission.submissionId),
            type: 'submission',
            districtId,
            submissionId: submission.submissionId,
            submissionType: submission.type,
            submission,
            contentHash: hash,
            receivedAt,
            [CORRELATION_ATTRIBUTE]: correlationId,
          },
          ConditionExpression: 'attribute_not_exists(pk)',
          ReturnValuesOnConditionCheckFailure: 'ALL_OLD',
        }),
      );
      return { status: 201, submissionId: submission.submissionId, receivedAt };
    } catch (error) {
      if (!(error instanceof ConditionalCheckFailedException) || !error.Item) throw error;
      // the document client does not unmarshall the item of a failed condition
      const stored = unmarshall(error.Item);
      if (stored.voidedAt !== undefined) {
        throw new ConflictError(
          `Submission ${submission.submissionId} was voided; its id cannot be reused.`,
          {
            cause: error,
          },
        );
      }
      if (stored.contentHash !== hash) {
        throw new ConflictError(`Submission ${submission.submissionId} exists with other content.`, {
          cause: error,
        });
      }
      return { status: 200, submissionId: submission.submissionId, receivedAt: String(stored.receivedAt) };
    }
  }

  /**
   * Voids a submission (idempotent); NotFoundError if it was never posted.
   *
   * @param correlationId the request's, stored with the void (a repeated void changes nothing)
   */
  async void(
    districtId: string,
    submissionId: string,
    now = new Date(),
    correlationId?: string,
  ): Promise<void> {
    // done before: nothing changes, and the answer is the same
    if (
      (await stampOnce(
        this.client,
        this.tableName,
        keys.submission(districtId, submissionId),
        'voidedAt',
        now,
        { correlationId },
      )) === 'not-found'
    ) {
      throw new NotFoundError(`Submission ${submissionId} does not exist.`);
    }
  }
}
