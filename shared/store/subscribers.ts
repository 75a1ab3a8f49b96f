/**
 * Digest subscribers in the table. Each active subscriber is also indexed under its cadence (`gsi1`), so the
 * planner finds the due ones with one paged Query per cadence, however many districts the state has.
 */
import { type DynamoDBDocumentClient, paginateQuery } from '@aws-sdk/lib-dynamodb';
import type { Cadence } from '../domain/periods';
import { documentClient } from '../runtime/clients';

export interface DueSubscriber {
  readonly subscriberId: string;
  /** The district whose digest the subscriber gets; absent for a state-wide (roll-up) subscriber. */
  readonly districtId?: string;
}

export const subscriberIndexKey = (cadence: Cadence) => `SUBSCRIBERS#${cadence}#active`;

export class SubscriberStore {
  constructor(
    private readonly tableName: string,
    private readonly client: DynamoDBDocumentClient = documentClient,
  ) {}

  /** Active subscribers of a cadence, page by page. */
  async *active(cadence: Cadence): AsyncGenerator<DueSubscriber> {
    const pages = paginateQuery(
      { client: this.client },
      {
        TableName: this.tableName,
        IndexName: 'gsi1',
        KeyConditionExpression: 'gsi1pk = :pk',
        ExpressionAttributeValues: { ':pk': subscriberIndexKey(cadence) },
        ProjectionExpression: 'subscriberId, districtId',
      },
    );
    for await (const page of pages) {
      for (const item of page.Items ?? []) {
        yield { subscriberId: String(item.subscriberId), districtId: item.districtId as string | undefined };
      }
    }
  }
}
