/**
 * Where the queues of the `dlq` commands are, and an SQS client that reaches them: on the running local stack by
 * name in its SQS emulator (fauxqs), as infra/local/resources.ts creates them; on a deployed state through the
 * queue URL outputs of its stack, with the operator's own credentials. An API URL says nothing about queues.
 */
import { GetQueueUrlCommand, QueueDoesNotExist, SQSClient } from '@aws-sdk/client-sqs';
import type { Command } from 'commander';
import { loadStateConfig } from '../config/index';
import { DEFAULT_PORTS, LOCAL_CREDENTIALS } from '../local/ports';
import { localDeadLetterQueueName, localNamePrefix, localQueueName, onEndpoint } from '../local/resources';
import { QUEUE_OUTPUTS } from '../stack-contract';
import type { QueueName } from '../topology';
import type { CommandContext } from './command-context';
import { type AwsClients, OpsError } from './context';
import { readStackOutputs } from './stack-outputs';

/** A work queue of the topology and its dead-letter queue, located. */
export interface QueuePair {
  readonly queue: QueueName;
  readonly url: string;
  readonly deadLetterUrl: string;
}

/** Where the local stack's SQS emulator listens, and which state's queues it holds. */
interface LocalQueueLocation {
  readonly endpoint: string;
  readonly stateCode: string;
}

/** The options the `dlq` commands take to find the local stack's queues. */
export interface LocalQueueOptions {
  readonly sqsEndpoint?: string;
  readonly localState: string;
}

/**
 * Runs `work` on each queue pair of the command's target in turn, with an SQS client that reaches it: the local
 * stack's emulator or the deployed state's region. An API URL says nothing about queues and is refused.
 */
export async function forEachTargetQueue<R>(
  context: CommandContext,
  command: Command,
  queues: readonly QueueName[],
  options: LocalQueueOptions,
  work: (client: SQSClient, pair: QueuePair) => Promise<R>,
): Promise<R[]> {
  const target = context.target(command);
  if (target.kind === 'deployed') {
    const pairs = await deployedQueuePairs(context.aws, target.stateCode, target.region, queues);
    const client = context.aws.sqs(target.region);
    const results: R[] = [];
    for (const pair of pairs) results.push(await work(client, pair));
    return results;
  }
  if (target.kind === 'local') {
    const location = {
      endpoint: options.sqsEndpoint ?? defaultSqsEndpoint(context.io.env),
      stateCode: options.localState,
    };
    return forEachLocalQueue(location, queues, work);
  }
  throw new OpsError(
    `dlq ${command.name()} needs --local or --state: the queues are not reached through the API`,
  );
}

/** The queue pairs of a deployed state, from the queue URL outputs of its stack (one DescribeStacks for all). */
async function deployedQueuePairs(
  aws: AwsClients,
  stateCode: string,
  region: string,
  queues: readonly QueueName[],
): Promise<QueuePair[]> {
  const wanted = queues.flatMap((queue) => [
    QUEUE_OUTPUTS[queue].queueUrl,
    QUEUE_OUTPUTS[queue].deadLetterQueueUrl,
  ]);
  const outputs = await readStackOutputs(aws.cloudFormation(region), stateCode, region, wanted);
  return queues.map((queue) => ({
    queue,
    url: outputs[QUEUE_OUTPUTS[queue].queueUrl],
    deadLetterUrl: outputs[QUEUE_OUTPUTS[queue].deadLetterQueueUrl],
  }));
}

/**
 * Runs `work` on each queue pair of the running local stack in turn, with a client of its SQS emulator, turning a
 * stack that is not there into an error that says what to do.
 */
async function forEachLocalQueue<R>(
  location: LocalQueueLocation,
  queues: readonly QueueName[],
  work: (client: SQSClient, pair: QueuePair) => Promise<R>,
): Promise<R[]> {
  const state = loadStateConfig(location.stateCode);
  const client = new SQSClient({
    region: state.aws.region,
    endpoint: location.endpoint,
    credentials: LOCAL_CREDENTIALS,
    // a stopped stack is refused at once: retrying a closed port only delays the message
    maxAttempts: 1,
  });
  const prefix = localNamePrefix(state);
  try {
    const results: R[] = [];
    for (const queue of queues) {
      const pair = {
        queue,
        url: await localQueueUrl(client, location.endpoint, localQueueName(prefix, queue)),
        deadLetterUrl: await localQueueUrl(
          client,
          location.endpoint,
          localDeadLetterQueueName(prefix, queue),
        ),
      };
      results.push(await work(client, pair));
    }
    return results;
  } catch (error) {
    throw localQueueError(error, location.endpoint);
  } finally {
    client.destroy();
  }
}

/** Thrown when the emulator has no queue of that name: the local stack runs another state, or none yet. */
class MissingLocalQueueError extends Error {
  override readonly name = 'MissingLocalQueueError';

  constructor(
    readonly queueName: string,
    options: { readonly cause: unknown },
  ) {
    super(`no queue ${queueName}`, options);
  }
}

/**
 * The URL of a queue of the emulator, on `endpoint`: the emulator names its queues on a host of its own
 * (`sqs.<region>.localhost`), which does not resolve everywhere; the path alone names the queue.
 */
async function localQueueUrl(client: SQSClient, endpoint: string, queueName: string): Promise<string> {
  let queueUrl: string | undefined;
  try {
    ({ QueueUrl: queueUrl } = await client.send(new GetQueueUrlCommand({ QueueName: queueName })));
  } catch (error) {
    if (error instanceof QueueDoesNotExist) throw new MissingLocalQueueError(queueName, { cause: error });
    throw error;
  }
  if (!queueUrl) throw new OpsError(`the SQS emulator at ${endpoint} gave no URL for queue ${queueName}`);
  return onEndpoint(queueUrl, endpoint);
}

function localQueueError(error: unknown, endpoint: string): unknown {
  if (error instanceof MissingLocalQueueError) {
    return new OpsError(
      `the SQS emulator at ${endpoint} has no queue ${error.queueName}: pass --local-state with the state the ` +
        'local stack runs (npm start -- --state <code>)',
      { cause: error },
    );
  }
  const code = error instanceof Error && 'code' in error ? error.code : undefined;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') {
    return new OpsError(
      `cannot reach the SQS emulator at ${endpoint}: is the local stack running? Start it with \`npm start\`, ` +
        'or pass --sqs-endpoint with the SQS emulator URL it printed.',
      { cause: error },
    );
  }
  return error;
}

/** The SQS emulator of a local stack started with the usual ports (SQS_PORT as `npm start` reads it). */
function defaultSqsEndpoint(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${env.SQS_PORT || DEFAULT_PORTS.sqs}`;
}
