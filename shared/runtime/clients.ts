/**
 * SDK clients, one per service and process, created at init. Endpoints come from the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which the local stack sets; in AWS they are unset.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const dynamoDb = new DynamoDBClient({});
/** The document client the stores expect, on any DynamoDB client (tests, the local stack and the ops CLI). */
export const documentClientFor = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const documentClient = documentClientFor(dynamoDb);
export const sqs = new SQSClient({});
