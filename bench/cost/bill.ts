/**
 * Turns what a benchmark phase counted (counter.ts) into dollars by the price table (prices.ts), line by line,
 * per event: what one million events of that kind would cost.
 *
 * Left out, as costs of time rather than of events (they are in the monthly estimate's fixed costs): the pollers'
 * empty receives and the relay's GetRecords, which a deployed stack makes whether events come or not.
 *
 * CloudWatch Logs are estimated, not counted: the bench stack runs quiet, and a log line's size on Lambda is not
 * this process's. Lambda writes START, END and REPORT lines for every invocation (about 300 bytes), and the api
 * function one INFO line per write request (about 400 bytes with Powertools' fields).
 */
import type { CountSnapshot, OperationCount, Service } from './counter';
import { IDLE_RECEIVE } from './counter';
import { costOf, type PriceName } from './prices';

/** One line of a bill. */
export interface BillLine {
  readonly service: string;
  readonly item: string;
  readonly quantity: number;
  readonly usd: number;
}

export const PLATFORM_LOG_BYTES_PER_INVOCATION = 300;
export const API_LOG_BYTES_PER_REQUEST = 400;
const GB = 1024 ** 3;

/** The bill of a phase, every line scaled to one million events. */
export function billPerMillion(snapshot: CountSnapshot, events: number): BillLine[] {
  const scale = 1_000_000 / events;
  const operations = snapshot.operations.filter(
    (count) => count.operation !== IDLE_RECEIVE && count.service !== 'dynamodb-streams',
  );
  const total = (
    service: Service,
    field: keyof Pick<OperationCount, 'billed' | 'writeUnits' | 'readUnits'>,
  ) => operations.filter((count) => count.service === service).reduce((sum, count) => sum + count[field], 0);
  const functions = Object.values(snapshot.functions);
  const invocations = functions.reduce((sum, count) => sum + count.invocations, 0);
  const gbSeconds = functions.reduce((sum, count) => sum + count.gbSeconds, 0);
  const apiRequests = total('apigateway', 'billed');
  const logBytes =
    invocations * PLATFORM_LOG_BYTES_PER_INVOCATION +
    (snapshot.functions.api?.invocations ?? 0) * API_LOG_BYTES_PER_REQUEST;

  const line = (service: string, item: string, price: PriceName, quantity: number): BillLine => ({
    service,
    item,
    quantity: quantity * scale,
    usd: costOf(price, quantity * scale),
  });
  return [
    line('API Gateway', 'REST requests', 'apiGatewayRequest', apiRequests),
    line('WAF', 'requests inspected', 'wafRequest', apiRequests),
    line('Lambda', 'requests', 'lambdaRequest', invocations),
    line('Lambda', 'GB-s (local durations)', 'lambdaArmGbSecond', gbSeconds),
    line('DynamoDB', 'write units', 'dynamoDbWriteUnit', total('dynamodb', 'writeUnits')),
    line('DynamoDB', 'read units', 'dynamoDbReadUnit', total('dynamodb', 'readUnits')),
    line('EventBridge Pipes', 'events (64 KB)', 'pipesRequest', total('pipes', 'billed')),
    line('SQS', 'requests (64 KB)', 'sqsRequest', total('sqs', 'billed')),
    line('EventBridge Scheduler', 'invocations', 'schedulerInvocation', total('scheduler', 'billed')),
    line('SES', 'e-mails', 'sesEmail', total('ses', 'billed')),
    line('CloudWatch Logs', 'GB ingested (estimated)', 'logsIngestedGb', logBytes / GB),
  ].filter((entry) => entry.quantity > 0);
}

/** The sum of a bill's lines. */
export const totalOf = (lines: readonly BillLine[]) => lines.reduce((sum, entry) => sum + entry.usd, 0);

/**
 * The least any design could pay per million events: a single post is one API request, one invocation and one
 * write unit; a batch of 100 is one write unit per event and a hundredth of a request and an invocation.
 */
export function floorPerMillion(eventsPerRequest: number): number {
  const requests = 1_000_000 / eventsPerRequest;
  return (
    costOf('apiGatewayRequest', requests) +
    costOf('lambdaRequest', requests) +
    costOf('dynamoDbWriteUnit', 1_000_000)
  );
}
