/**
 * What every command of the ops CLI works with: where its output goes, its environment, the AWS SDK clients it
 * may use, and the one error type whose message is meant for the operator.
 */
import { createInterface } from 'node:readline/promises';
import { APIGatewayClient } from '@aws-sdk/client-api-gateway';
import { CloudFormationClient } from '@aws-sdk/client-cloudformation';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { KMSClient } from '@aws-sdk/client-kms';
import { SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { SQSClient } from '@aws-sdk/client-sqs';

/**
 * The AWS SDK clients of the CLI, per region, on the operator's own credentials. Tests pass doubles for
 * CloudFormation, API Gateway, Secrets Manager, SES v2 and KMS, which have no emulator, and DynamoDB and SQS clients on
 * the local emulators.
 */
export interface AwsClients {
  cloudFormation(region: string): CloudFormationClient;
  apiGateway(region: string): APIGatewayClient;
  dynamoDb(region: string): DynamoDBClient;
  sqs(region: string): SQSClient;
  /** For `unsubscribe-secret rotate`, which puts a new value into the stack's secret. */
  secretsManager(region: string): SecretsManagerClient;
  /** For the `ses` commands: the sender domain's identity, the account's sending status, production access. */
  sesV2(region: string): SESv2Client;
  /** For `restore start`: whether the table's KMS key is DynamoDB's AWS managed key or the state's own. */
  kms(region: string): KMSClient;
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

/** A question whose answer must be typed back before a change that cannot be undone. */
export interface TypedBackConfirmation {
  /** Asked as it is: what will change, then what to type. */
  readonly question: string;
  /** The answer that confirms (trimmed before it is compared). */
  readonly expected: string;
  /** What the change does, said where nobody can answer; `: run it in a terminal to confirm, or pass --yes` follows. */
  readonly unattended: string;
  /** What stays unchanged when the answer differs: `not confirmed: <subject> is left as it was`. */
  readonly subject: string;
}

/** Asks the question; refuses with an OpsError where nobody can answer, and unless the expected answer comes back. */
export async function confirmTypedBack(io: OpsIo, confirmation: TypedBackConfirmation): Promise<void> {
  if (!io.ask) {
    throw new OpsError(`${confirmation.unattended}: run it in a terminal to confirm, or pass --yes`);
  }
  const answer = await io.ask(confirmation.question);
  if (answer.trim() !== confirmation.expected) {
    throw new OpsError(`not confirmed: ${confirmation.subject} is left as it was`);
  }
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
export class DefaultAwsClients implements AwsClients {
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

  kms(region: string): KMSClient {
    return this.#keep(new KMSClient({ region }));
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
