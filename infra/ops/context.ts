/**
 * What every command of the ops CLI works with: where its output goes, its environment, the AWS SDK clients it
 * may use, and the one error type whose message is meant for the operator.
 */
import { createInterface } from 'node:readline/promises';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * The AWS SDK clients of the CLI, per region, on the operator's own credentials. Tests pass doubles for
 * CloudFormation, API Gateway and Secrets Manager, which have no emulator, and DynamoDB and SQS clients on the local
 * emulators.
 */
export interface AwsClients {
  cloudFormation(region: string): CloudFormationClient;
  apiGateway(region: string): APIGatewayClient;
  dynamoDb(region: string): DynamoDBClient;
  sqs(region: string): SQSClient;
  /** For `unsubscribe-secret rotate`, which puts a new value into the stack's secret. */
  secretsManager(region: string): SecretsManagerClient;
}

/**
 * SES v2 clients, for the `ses` commands only. Kept out of AwsClients so that the doubles the other commands' tests
 * pass need not offer one; the `ses` commands find it with `offersSesV2`, on DefaultAwsClients or a test's double.
 */
export interface SesV2Clients {
  sesV2(region: string): SESv2Client;
}

/** Whether `aws` also makes SES v2 clients. */
export function offersSesV2(aws: AwsClients): aws is AwsClients & SesV2Clients {
  return typeof (aws as Partial<SesV2Clients>).sesV2 === 'function';
}

/** The CLI's surroundings: a process's streams and environment, or a test's. */
export interface OpsIo {
  /** Results: what a script may pipe on. */
  readonly out: (text: string) => void;
  /** Errors, warnings and usage. */
  readonly err: (text: string) => void;
  /** Read for VP_STATE_KEY, DYNAMODB_PORT and VP_LOCAL_DIR. */
  readonly env: NodeJS.ProcessEnv;
  /** @default clients on the default credential chain, destroyed when the command ends */
  readonly aws?: AwsClients;
  /** Asks the operator a question and resolves the answer; absent where nobody can answer (not a terminal). */
  readonly ask?: (question: string) => Promise<string>;
  /** The terminal `err` writes to, where a progress bar may be drawn; absent when it is not one (a pipe, a file). */
  readonly terminal?: NodeJS.WriteStream;
}

/** The process's own streams and environment. */
export function processIo(): OpsIo {
  return {
    out: (text) => process.stdout.write(text),
    err: (text) => process.stderr.write(text),
    env: process.env,
    ...(process.stdin.isTTY ? { ask: askOnTerminal } : {}),
    ...(process.stderr.isTTY ? { terminal: process.stderr } : {}),
  };
}

async function askOnTerminal(question: string): Promise<string> {
  const prompt = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await prompt.question(question);
  } finally {
    prompt.close();
  }
}

/**
 * Clients on the default credential chain (environment, profile, SSO, instance role), made when first asked for.
 * close() destroys them, so that no open socket keeps the process alive after the command.
 */
export class DefaultAwsClients implements AwsClients, SesV2Clients {
  #made: { destroy(): void }[] = [];

  cloudFormation(region: string): CloudFormationClient {
    return this.#keep(new CloudFormationClient({ region }));
  }

  apiGateway(region: string): APIGatewayClient {
    return this.#keep(new APIGatewayClient({ region }));
  }

  dynamoDb(region: string): DynamoDBClient {
    return this.#keep(new DynamoDBClient({ region }));
  }

  sqs(region: string): SQSClient {
    return this.#keep(new SQSClient({ region }));
  }

  secretsManager(region: string): SecretsManagerClient {
    return this.#keep(new SecretsManagerClient({ region }));
  }

  sesV2(region: string): SESv2Client {
    return this.#keep(new SESv2Client({ region }));
  }

  close(): void {
    for (const client of this.#made) client.destroy();
    this.#made = [];
  }

  #keep<T extends { destroy(): void }>(client: T): T {
    this.#made.push(client);
    return client;
  }
}

/**
 * A failure the operator can act on: its message says what is missing or wrong and what to do, and is printed as
 * it is (with one indented line per detail); the CLI exits 1.
 */
export class OpsError extends Error {
  override readonly name: string = 'OpsError';
  /** Lines printed under the message, e.g. one per invalid field. */
  readonly details: readonly string[];

  constructor(
    message: string,
    options: { readonly cause?: unknown; readonly details?: readonly string[] } = {},
  ) {
    super(message, { cause: options.cause });
    this.details = options.details ?? [];
  }
}
