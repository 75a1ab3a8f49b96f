/**
 * The SES v2 client of the functions that send e-mail, apart from shared/runtime/clients.ts so that functions
 * that send none do not bundle it. Adaptive retry mode retries SES throttling with backoff and slows the client
 * down while SES keeps throttling it. The endpoint comes from `AWS_ENDPOINT_URL_SESV2` locally.
 *
 * Unlike the other clients it is not captured by the tracer (tracer.ts): the X-Ray SDK writes the message of a
 * failed call into its subsegment, and SES's messages may quote a recipient's address.
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';

export const ses = new SESv2Client({ retryMode: 'adaptive', maxAttempts: 6 });
