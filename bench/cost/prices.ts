/**
 * The price table of the cost model: us-east-1, on-demand, list prices in USD, the first (most expensive) tier of
 * each, free tiers ignored (a state's stack shares its account's free tier with whatever else runs there, and the
 * figures should hold past its first year). Checked on 2026-11-26 against each service's pricing page (the URL
 * beside each price); a price that changes is changed here, with the date.
 */

/** When the prices below were last checked. */
export const PRICES_CHECKED = '2026-11-26';
export const PRICES_REGION = 'us-east-1';

export interface Price {
  /** USD per `per` units. */
  readonly usd: number;
  readonly per: number;
  /** What is counted, e.g. `REST API requests`. */
  readonly unit: string;
  readonly source: string;
}

const MILLION = 1_000_000;

export const PRICES = {
  /** REST API, first 333 million requests a month. */
  apiGatewayRequest: {
    usd: 3.5,
    per: MILLION,
    unit: 'REST API requests',
    source: 'https://aws.amazon.com/api-gateway/pricing/',
  },
  lambdaRequest: {
    usd: 0.2,
    per: MILLION,
    unit: 'Lambda requests',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  /** arm64 (Graviton), first 7.5 billion GB-s a month. */
  lambdaArmGbSecond: {
    usd: 0.0000133334,
    per: 1,
    unit: 'Lambda GB-seconds on arm64',
    source: 'https://aws.amazon.com/lambda/pricing/',
  },
  dynamoDbWriteUnit: {
    usd: 0.625,
    per: MILLION,
    unit: 'DynamoDB on-demand write request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  dynamoDbReadUnit: {
    usd: 0.125,
    per: MILLION,
    unit: 'DynamoDB on-demand read request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  /** GetRecords calls on the table's stream; free when Lambda's own triggers make them, billed otherwise. */
  dynamoDbStreamsRead: {
    usd: 0.02,
    per: 100_000,
    unit: 'DynamoDB Streams read request units',
    source: 'https://aws.amazon.com/dynamodb/pricing/on-demand/',
  },
  /** Standard queues; each started 64 KB of a call's payload is one request. */
  sqsRequest: {
    usd: 0.4,
    per: MILLION,
    unit: 'SQS requests (64 KB chunks)',
    source: 'https://aws.amazon.com/sqs/pricing/',
  },
  /** Each started 64 KB of an event is one request. */
  pipesRequest: {
    usd: 0.4,
    per: MILLION,
    unit: 'EventBridge Pipes requests (64 KB chunks)',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  schedulerInvocation: {
    usd: 1,
    per: MILLION,
    unit: 'EventBridge Scheduler invocations',
    source: 'https://aws.amazon.com/eventbridge/pricing/',
  },
  sesEmail: {
    usd: 0.1,
    per: 1_000,
    unit: 'SES outbound e-mails (per recipient)',
    source: 'https://aws.amazon.com/ses/pricing/',
  },
  wafRequest: {
    usd: 0.6,
    per: MILLION,
    unit: 'WAF requests inspected',
    source: 'https://aws.amazon.com/waf/pricing/',
  },
  /** A web ACL a month, and each rule in it a month. */
  wafWebAclMonth: {
    usd: 5,
    per: 1,
    unit: 'WAF web ACLs a month',
    source: 'https://aws.amazon.com/waf/pricing/',
  },
  wafRuleMonth: {
    usd: 1,
    per: 1,
    unit: 'WAF rules a month',
    source: 'https://aws.amazon.com/waf/pricing/',
  },
  /** Standard log class ingestion, first 10 TB a month of Lambda's vended logs. */
  logsIngestedGb: {
    usd: 0.5,
    per: 1,
    unit: 'CloudWatch Logs GB ingested',
    source: 'https://aws.amazon.com/cloudwatch/pricing/',
  },
} as const satisfies Record<string, Price>;

export type PriceName = keyof typeof PRICES;

/** The cost of `quantity` units of a price. */
export function costOf(price: PriceName, quantity: number): number {
  const { usd, per } = PRICES[price];
  return (quantity * usd) / per;
}
