/**
 * The DynamoDB clients, one per process, created at init. Endpoints come from the standard
 * `AWS_ENDPOINT_URL_<SERVICE>` variables, which the local stack sets; in AWS they are unset. SQS and SES have
 * modules of their own (sqs.ts, ses.ts), so that a function bundles only the clients it uses.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';

export const dynamoDb = new DynamoDBClient({});
/** The document client the stores expect, on any DynamoDB client (tests, the local stack and the ops CLI). */
export const documentClientFor = (client: DynamoDBClient) =>
  DynamoDBDocumentClient.from(client, { marshallOptions: { removeUndefinedValues: true } });

export const documentClient = documentClientFor(dynamoDb);
