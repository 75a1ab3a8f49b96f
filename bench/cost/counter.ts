/**
 * Counts every AWS request a benchmark run makes, by service and operation, with what AWS bills for it, so that
 * the price table (prices.ts) can turn a run into dollars.
 *
 * A middleware on each SDK client (at the `build` step: once per call, whatever the retries) sees the request:
 *
 * - DynamoDB: write and read units from the items' sizes (dynamodb-meter.ts);
 * - SQS: the billed requests, one per started 64 KB of payload of each call;
 * - the stream relay's sends stand for the EventBridge Pipe: each record it delivers is a Pipes event, billed per
 *   started 64 KB, and its SendMessageBatch is an SQS request as the Pipe's would be;
 * - the relay's GetRecords are DynamoDB Streams read requests;
 * - SES: one e-mail per recipient.
 *
 * Lambda invocations and their durations come from the local FunctionRunner (LocalStackObserver.onInvoked); GB-s
 * are the measured duration times the function's memory in the topology. A local duration is this process's wall
 * clock on a shared machine, not Lambda's: it is reported, and priced, as an indication. API Gateway requests are
 * the `api` function's invocations: every one comes from the front door, and a request the gateway refuses
 * before the integration (no key, throttled) is not billed.
 */
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import type { SESv2Client } from '@aws-sdk/client-sesv2';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { marshall } from '@aws-sdk/util-dynamodb';
import type { BuildMiddleware, MiddlewareStack } from '@smithy/types';
import type { InvocationRecord } from '../../infra/local/function-runner';
import type { LocalStackObserver, StackClient } from '../../infra/local/local-stack';
import type { FunctionName } from '../../infra/topology';
import { DynamoDbMeter, type KeySchema, type Metered, NOTHING, type WireOutput } from './dynamodb-meter';
import type { WireItem } from './item-size';

/** The services of the price table. */
export type Service =
  | 'apigateway'
  | 'lambda'
  | 'dynamodb'
  | 'dynamodb-streams'
  | 'sqs'
  | 'pipes'
  | 'ses'
  | 'scheduler';

/** The tally of one operation of one service. */
export interface OperationCount {
  readonly service: Service;
  readonly operation: string;
  /** Calls made. */
  requests: number;
  /** What AWS bills: SQS and Pipes 64 KB chunks, SES recipients, otherwise the calls. */
  billed: number;
  writeUnits: number;
  readUnits: number;
  itemsWritten: number;
  bytesWritten: number;
  itemsRead: number;
  bytesRead: number;
}

/** Invocations of one function. */
export interface FunctionCount {
  invocations: number;
  durationMs: number;
  gbSeconds: number;
}

/** What a run made, from the last reset on. */
export interface CountSnapshot {
  readonly operations: readonly OperationCount[];
  readonly functions: Readonly<Partial<Record<FunctionName, FunctionCount>>>;
}

const CHUNK_BYTES = 64 * 1024;
/** The operation name of a ReceiveMessage that came back empty. */
export const IDLE_RECEIVE = 'ReceiveMessage (empty)';
const MIDDLEWARE_NAME = 'benchCostCounter';

/** The one middleware this module adds to a client, whichever its service. */
type AnyMiddleware = BuildMiddleware<object, object>;
type Countable = DynamoDBClient | DynamoDBStreamsClient | SQSClient | SESv2Client;

export class CostCounter {
  #operations = new Map<string, OperationCount>();
  #functions: Partial<Record<FunctionName, FunctionCount>> = {};
  readonly #attached: Countable[] = [];
  /** Whether the `api` function's invocations are gateway requests (false while a scheduler run is measured). */
  apiThroughGateway = true;

  /** Hooks for LocalStackOptions.observer: invocations, and the stack's relay and poller clients. */
  observer(): LocalStackObserver {
    return {
      onInvoked: (record) => this.#invoked(record),
      onClient: (stackClient) => this.#attachStackClient(stackClient),
    };
  }

  /**
   * Counts what a DynamoDB client of the functions does; `probe` is an uncounted client on the same DynamoDB, to
   * read items around writes.
   */
  attachDynamoDb(client: DynamoDBClient, probe: DynamoDBClient, schema: KeySchema): void {
    const meter = new DynamoDbMeter(probe, schema);
    this.#attach(client, (next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const input = args.input as Record<string, unknown>;
      const documents = usesDocumentMapper(context);
      const measured = await meter.measure(operation, input, async () => {
        const result = await next(args);
        return { result, wire: wireOutput(result.output as unknown as Record<string, unknown>, documents) };
      });
      this.#add('dynamodb', operation, 1, measured.metered);
      if (!measured.ok) throw measured.error;
      return measured.result;
    });
  }

  /** Counts what an SQS client does; the sends of the client that stands for the Pipe are also its events. */
  attachSqs(client: SQSClient, role: 'function' | 'pipe'): void {
    this.#attach(client, (next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const input = args.input as Record<string, unknown>;
      const result = await next(args);
      const output = result.output as unknown as Record<string, unknown>;
      const payload = payloadBytes(input) + payloadBytes(output);
      // an empty receive is a poller idling: a cost of time, not of events (see prices.ts's fixed costs)
      const idle =
        operation === 'ReceiveMessage' && ((output.Messages as unknown[] | undefined) ?? []).length === 0;
      this.#add('sqs', idle ? IDLE_RECEIVE : operation, chunks(payload));
      if (role === 'pipe' && operation === 'SendMessageBatch') {
        for (const entry of (input.Entries ?? []) as { MessageBody?: string }[]) {
          this.#add('pipes', 'Event', chunks(Buffer.byteLength(entry.MessageBody ?? '')));
        }
      }
      return result;
    });
  }

  /** Counts what an SES v2 client sends: each recipient is an e-mail. */
  attachSes(client: SESv2Client): void {
    this.#attach(client, (next, context) => async (args) => {
      const operation = operationOf(context.commandName);
      const destination = (args.input as { Destination?: Record<string, string[] | undefined> }).Destination;
      const recipients = Object.values(destination ?? {}).reduce((sum, list) => sum + (list?.length ?? 0), 0);
      const result = await next(args);
      this.#add('ses', operation, operation === 'SendEmail' ? recipients : 1);
      return result;
    });
  }

  /** Starts the count afresh (after a phase's set-up). */
  reset(): void {
    this.#operations = new Map();
    this.#functions = {};
  }

  /** A copy of the counts so far. */
  snapshot(): CountSnapshot {
    return {
      operations: [...this.#operations.values()].map((count) => ({ ...count })),
      functions: Object.fromEntries(
        Object.entries(this.#functions).map(([name, count]) => [name, { ...count }]),
      ),
    };
  }

  /** Takes the middleware off every client it was put on (the functions' clients live on in this process). */
  detach(): void {
    for (const client of this.#attached.splice(0)) client.middlewareStack.remove(MIDDLEWARE_NAME);
  }

  /** Counts scheduler invocations that are not made through the stack's scheduler (a manual run stands for one). */
  countScheduled(invocations: number): void {
    this.#add('scheduler', 'Invocation', invocations);
  }

  #attach(client: Countable, middleware: AnyMiddleware): void {
    (client.middlewareStack as unknown as MiddlewareStack<object, object>).add(middleware, {
      step: 'build',
      name: MIDDLEWARE_NAME,
      override: true,
    });
    this.#attached.push(client);
  }

  #attachStackClient(stackClient: StackClient): void {
    switch (stackClient.service) {
      case 'sqs':
        // the relay sends (the Pipe), the pollers receive and delete (the event source mappings)
        this.attachSqs(stackClient.client, 'pipe');
        return;
      case 'dynamodb-streams':
        this.#attach(stackClient.client, (next, context) => async (args) => {
          const result = await next(args);
          this.#add('dynamodb-streams', operationOf(context.commandName), 1);
          return result;
        });
        return;
      case 'dynamodb':
        // the stack's own set-up (table, keys): nothing a deployed stack does per event
        return;
    }
  }

  #invoked(record: InvocationRecord): void {
    const count = this.#functions[record.name] ?? { invocations: 0, durationMs: 0, gbSeconds: 0 };
    // Lambda bills duration rounded up to the millisecond
    const billedMs = Math.ceil(record.durationMs);
    count.invocations += 1;
    count.durationMs += billedMs;
    count.gbSeconds += (billedMs / 1_000) * (record.memoryMb / 1_024);
    this.#functions[record.name] = count;
    this.#add('lambda', record.name, 1);
    if (record.name === 'api' && this.apiThroughGateway) this.#add('apigateway', 'Request', 1);
  }

  #add(service: Service, operation: string, billed: number, metered?: Metered): void {
    const key = `${service} ${operation}`;
    const count = this.#operations.get(key) ?? { service, operation, requests: 0, billed: 0, ...NOTHING };
    count.requests += 1;
    count.billed += billed;
    if (metered) {
      count.writeUnits += metered.writeUnits;
      count.readUnits += metered.readUnits;
      count.itemsWritten += metered.itemsWritten;
      count.bytesWritten += metered.bytesWritten;
      count.itemsRead += metered.itemsRead;
      count.bytesRead += metered.bytesRead;
    }
    this.#operations.set(key, count);
  }
}

/** `PutItemCommand` → `PutItem`. */
const operationOf = (commandName: unknown) => String(commandName).replace(/Command$/, '');

const chunks = (bytes: number) => Math.max(1, Math.ceil(bytes / CHUNK_BYTES));

/**
 * Whether a DynamoDB call came through the document client: its answer is then in plain values by the time this
 * middleware sees it (the document client sets the SDK feature `DDB_MAPPER` on the call's context).
 */
function usesDocumentMapper(context: object): boolean {
  const sdk = (context as { __aws_sdk_context?: { features?: Record<string, string> } }).__aws_sdk_context;
  return sdk?.features?.DDB_MAPPER !== undefined;
}

/** The items of an answer in the wire format, marshalled back when the document client unmarshalled them. */
function wireOutput(output: Record<string, unknown>, documents: boolean): WireOutput {
  const wire = (item: unknown): WireItem =>
    documents
      ? (marshall(item as Record<string, unknown>, {
          removeUndefinedValues: true,
          convertClassInstanceToMap: true,
        }) as WireItem)
      : (item as WireItem);
  const responses = output.Responses as Record<string, unknown[]> | undefined;
  return {
    item: output.Item === undefined ? undefined : wire(output.Item),
    items: (output.Items as unknown[] | undefined)?.map(wire),
    responses:
      responses &&
      Object.fromEntries(Object.entries(responses).map(([table, items]) => [table, items.map(wire)])),
    unprocessed: unprocessedOf(output, wire),
  };
}

/** BatchWriteItem's UnprocessedItems or BatchGetItem's UnprocessedKeys, with their items and keys in wire format. */
function unprocessedOf(output: Record<string, unknown>, wire: (item: unknown) => WireItem) {
  type Write = { PutRequest?: { Item: unknown }; DeleteRequest?: { Key: unknown } };
  const writes = output.UnprocessedItems as Record<string, Write[]> | undefined;
  if (writes) {
    return Object.fromEntries(
      Object.entries(writes).map(([table, requests]) => [
        table,
        requests.map((request) =>
          request.PutRequest
            ? { PutRequest: { Item: wire(request.PutRequest.Item) } }
            : { DeleteRequest: { Key: wire(request.DeleteRequest?.Key ?? {}) } },
        ),
      ]),
    );
  }
  const reads = output.UnprocessedKeys as Record<string, { Keys?: unknown[] }> | undefined;
  return (
    reads &&
    Object.fromEntries(
      Object.entries(reads).map(([table, request]) => [table, { Keys: (request.Keys ?? []).map(wire) }]),
    )
  );
}

/** The bytes of message bodies and attributes in an SQS request or answer. */
function payloadBytes(message: Record<string, unknown>): number {
  const bodies: unknown[] = [
    message.MessageBody,
    ...((message.Entries as { MessageBody?: string }[] | undefined) ?? []).map((entry) => entry.MessageBody),
    ...((message.Messages as { Body?: string }[] | undefined) ?? []).map((received) => received.Body),
  ];
  return bodies.reduce<number>(
    (sum, body) => sum + (typeof body === 'string' ? Buffer.byteLength(body) : 0),
    0,
  );
}
