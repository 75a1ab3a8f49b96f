/**
 * The SQS client of the functions that send messages (the stream relay, the digest planner), apart from
 * shared/runtime/clients.ts so that functions that send none do not bundle it. The endpoint comes from
 * `AWS_ENDPOINT_URL_SQS` locally.
 */
import { SQSClient } from '@aws-sdk/client-sqs';

export const sqs = new SQSClient({});
