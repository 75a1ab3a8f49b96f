/**
 * SDK clients on a test stack's emulators: its region, the emulator's endpoint and the local credentials (which
 * the emulators accept whatever they are). Options are passed through to the client, e.g. a retry mode.
 */
import { DynamoDBClient, type DynamoDBClientConfig } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient, type DynamoDBStreamsClientConfig } from '@aws-sdk/client-dynamodb-streams';
import { SESv2Client, type SESv2ClientConfig } from '@aws-sdk/client-sesv2';
import { SQSClient, type SQSClientConfig } from '@aws-sdk/client-sqs';
import type { LocalStackInfo } from '../../infra/local/local-stack';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { documentClientFor } from '../../shared/runtime/clients';

/**
 * What a client needs of a started stack: its region and one emulator's endpoint. A LocalStackInfo is one; a
 * stack in another process is described by its state config and the endpoint.
 */
export interface StackEndpoint<Service extends keyof LocalStackInfo['endpoints']> {
  readonly state: { readonly aws: { readonly region: string } };
  readonly endpoints: Pick<LocalStackInfo['endpoints'], Service>;
}

/** Client settings besides the ones the stack decides. */
type Options<Config> = Omit<Config, 'endpoint' | 'region' | 'credentials'>;

export function sqsClientFor(info: StackEndpoint<'sqs'>, options: Options<SQSClientConfig> = {}): SQSClient {
  return new SQSClient({
    ...options,
    region: info.state.aws.region,
    endpoint: info.endpoints.sqs,
    credentials: LOCAL_CREDENTIALS,
  });
}

export function dynamoDbClientFor(
  info: StackEndpoint<'dynamoDb'>,
  options: Options<DynamoDBClientConfig> = {},
): DynamoDBClient {
  return new DynamoDBClient({
    ...options,
    region: info.state.aws.region,
    endpoint: info.endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
}

/** The stream API of DynamoDB Local, which serves it on the DynamoDB endpoint. */
export function dynamoDbStreamsClientFor(
  info: StackEndpoint<'dynamoDb'>,
  options: Options<DynamoDBStreamsClientConfig> = {},
): DynamoDBStreamsClient {
  return new DynamoDBStreamsClient({
    ...options,
    region: info.state.aws.region,
    endpoint: info.endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
}

/** The document client the stores expect (shared/runtime/clients.ts), on a new client of DynamoDB Local. */
export function documentsFor(info: StackEndpoint<'dynamoDb'>, options: Options<DynamoDBClientConfig> = {}) {
  return documentClientFor(dynamoDbClientFor(info, options));
}

export function sesClientFor(
  info: StackEndpoint<'ses'>,
  options: Options<SESv2ClientConfig> = {},
): SESv2Client {
  return new SESv2Client({
    ...options,
    region: info.state.aws.region,
    endpoint: info.endpoints.ses,
    credentials: LOCAL_CREDENTIALS,
  });
}
