/**
 * SDK clients, one per service and process, created at init. Endpoints come from the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which the local stack sets; in AWS they are unset.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const dynamoDb = new DynamoDBClient({});
export const documentClient = DynamoDBDocumentClient.from(dynamoDb, {
  marshallOptions: { removeUndefinedValues: true },
});
export const sqs = new SQSClient({});
