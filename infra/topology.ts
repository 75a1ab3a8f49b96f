/**
 * The platform's wiring, declared once. The CDK stack (infra/constructs) and the local stack (infra/local) are
 * both built from this object, and test/integration/topology-parity.test.ts checks that the local stack's wiring
 * equals the synthesized template's (test/infra checks the template against it), so what runs on a laptop is what
 * runs in AWS.
 *
 * Only names, paths and numbers live here: no CDK and no SDK imports.
 */

export type FunctionName =
  | 'api'
  | 'authorizer'
  | 'metricsWorker'
  | 'digestPlanner'
  | 'digestSender'
  | 'mailEvents'
  | 'streamRelay';
export type QueueName = 'metrics' | 'digest' | 'mailEvents';
export type HttpMethod = 'GET' | 'POST' | 'PUT' | 'DELETE';
export type TableAccess = 'read' | 'readwrite' | 'keys' | 'subscriber-status' | 'none';

export interface FunctionSpec {
  /** Handler file, relative to the repository root; it exports `handler`. */
  readonly entry: string;
  readonly description: string;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  /**
   * What the function may do with the table: `read` and `readwrite` by name on the table and its indexes; `keys`
   * only `GetItem` of key records; `subscriber-status` only `GetItem` and `UpdateItem` on the table (no index),
   * which is all a subscriber's status change takes (SubscriberStore.get and setStatus); `none` nothing.
   */
  readonly table: TableAccess;
  /** Queues the function sends to; each gets `<QUEUE>_QUEUE_URL` in the environment and a send grant. */
  readonly sendsTo: readonly QueueName[];
  /** Whether the function sends e-mail through SES. */
  readonly sendsEmail: boolean;
  /**
   * Whether the function reads the secret of the unsubscribe tokens: to sign them (the digest sender) or to
   * verify them (the api function, on `/v1/unsubscribe`). Only these get its location and a read grant.
   */
  readonly unsubscribeSecret: boolean;
}

export interface RouteSpec {
  readonly method: HttpMethod;
  /** API Gateway path syntax: `/v1/districts/{districtId}`. */
  readonly path: string;
  readonly function: FunctionName;
  /**
   * Who may call: `none` is public; `state` needs a state key; `district` a key of the path's district (or a
   * state key). Keyed routes go through the authorizer (401); the api function checks the scope (403).
   */
  readonly auth: 'none' | 'state' | 'district';
}

export interface AuthorizerSpec {
  /** The function that turns a bearer key into the caller's scope. */
  readonly function: FunctionName;
  /** How long API Gateway caches a key's answer: a revoked key works at most this long. */
  readonly resultsCacheTtlSeconds: number;
  /** API Gateway refuses (401) without invoking the function a header that does not look like a key. */
  readonly identityValidationExpression: string;
}

export interface RateLimitSpec {
  /** Steady requests per second per key. */
  readonly ratePerSecond: number;
  /** Requests a key may make at once above the steady rate. */
  readonly burst: number;
}

export interface QueueSpec {
  /** The function that consumes the queue through an event source mapping. */
  readonly consumer: FunctionName;
  readonly batchSize: number;
  readonly maxBatchingWindowSeconds: number;
  /** Receives before a message moves to the dead-letter queue. */
  readonly maxReceiveCount: number;
  /** Limits how many consumer instances run at once, protecting the table and SES. */
  readonly maxConcurrency: number;
}

export interface StreamRelaySpec {
  /** Queue the table's change records are delivered to, one message per record. */
  readonly target: QueueName;
  readonly batchSize: number;
  /** Retries of a failing batch before it goes to the relay's failure destination. */
  readonly maximumRetryAttempts: number;
  readonly maximumRecordAgeSeconds: number;
  /** Only these item types (attribute `type` of the new or old image) are relayed. */
  readonly itemTypes: readonly string[];
  /**
   * Where EventBridge Pipes are not offered (GovCloud), this function relays instead, through a stream event
   * source mapping with the same batch size, retries, filter and failure destination.
   */
  readonly fallbackFunction: FunctionName;
}

/** Regions without EventBridge Pipes, where the stream relay runs as a function. */
export const REGIONS_WITHOUT_PIPES: ReadonlySet<string> = new Set(['us-gov-west-1', 'us-gov-east-1']);

/** The functions a stack in this region deploys: the relay function only where Pipes are missing. */
export function deployedFunctions(region: string, spec: Topology = topology): FunctionName[] {
  const pipes = !REGIONS_WITHOUT_PIPES.has(region);
  return (Object.keys(spec.functions) as FunctionName[]).filter(
    (name) => !pipes || name !== spec.streamRelay.fallbackFunction,
  );
}

export interface ScheduleSpec {
  readonly target: FunctionName;
  /** The schedule expression comes from the state config (`digestSchedule`), in the state's timezone. */
  readonly expressionFrom: 'digestSchedule';
}

export interface TableSpec {
  readonly partitionKey: string;
  readonly sortKey: string;
  readonly timeToLiveAttribute: string;
  readonly globalSecondaryIndexes: readonly { name: string; partitionKey: string; sortKey: string }[];
}

export interface Topology {
  readonly table: TableSpec;
  readonly functions: Readonly<Record<FunctionName, FunctionSpec>>;
  readonly routes: readonly RouteSpec[];
  readonly authorizer: AuthorizerSpec;
  readonly rateLimit: RateLimitSpec;
  readonly queues: Readonly<Record<QueueName, QueueSpec>>;
  readonly streamRelay: StreamRelaySpec;
  readonly schedules: Readonly<Record<string, ScheduleSpec>>;
}

export const topology: Topology = {
  table: {
    partitionKey: 'pk',
    sortKey: 'sk',
    timeToLiveAttribute: 'expiresAt',
    globalSecondaryIndexes: [{ name: 'gsi1', partitionKey: 'gsi1pk', sortKey: 'gsi1sk' }],
  },
  functions: {
    api: {
      entry: 'functions/api/handler.ts',
      description: 'HTTP API: validates requests and writes to the table',
      timeoutSeconds: 10,
      memoryMb: 1024,
      table: 'readwrite',
      sendsTo: ['digest'],
      sendsEmail: false,
      unsubscribeSecret: true,
    },
    authorizer: {
      entry: 'functions/authorizer/handler.ts',
      description: 'Turns a bearer key into the caller scope (state or one district)',
      timeoutSeconds: 5,
      memoryMb: 512,
      // it parses untrusted headers: it may read key records and nothing else
      table: 'keys',
      sendsTo: [],
      sendsEmail: false,
      unsubscribeSecret: false,
    },
    metricsWorker: {
      entry: 'functions/metrics-worker/handler.ts',
      description: 'Applies relayed table changes to the progress aggregates',
      // a framework change rebuilds a whole district's aggregates within one invocation
      timeoutSeconds: 120,
      memoryMb: 512,
      table: 'readwrite',
      sendsTo: [],
      sendsEmail: false,
      unsubscribeSecret: false,
    },
    digestPlanner: {
      entry: 'functions/digest-planner/handler.ts',
      description: 'Enqueues one digest job per due subscriber and period',
      timeoutSeconds: 60,
      memoryMb: 512,
      table: 'read',
      sendsTo: ['digest'],
      sendsEmail: false,
      unsubscribeSecret: false,
    },
    digestSender: {
      entry: 'functions/digest-sender/handler.ts',
      description: 'Renders and sends digests, once per subscriber and period',
      timeoutSeconds: 60,
      memoryMb: 1024,
      table: 'readwrite',
      sendsTo: [],
      sendsEmail: true,
      unsubscribeSecret: true,
    },
    mailEvents: {
      entry: 'functions/mail-events/handler.ts',
      description: 'Marks subscribers suppressed on SES bounce and complaint events',
      timeoutSeconds: 30,
      memoryMb: 256,
      // it reads a subscriber and sets its status, nothing else (untrusted SES event bodies reach it)
      table: 'subscriber-status',
      sendsTo: [],
      sendsEmail: false,
      unsubscribeSecret: false,
    },
    streamRelay: {
      entry: 'functions/stream-relay/handler.ts',
      description: 'Relays table changes to the metrics queue where EventBridge Pipes are not offered',
      timeoutSeconds: 30,
      memoryMb: 256,
      table: 'none',
      sendsTo: ['metrics'],
      sendsEmail: false,
      unsubscribeSecret: false,
    },
  },
  routes: [
    { method: 'GET', path: '/v1/health', function: 'api', auth: 'none' },
    { method: 'GET', path: '/openapi.json', function: 'api', auth: 'none' },
    { method: 'GET', path: '/docs', function: 'api', auth: 'none' },
    { method: 'GET', path: '/docs/redoc.standalone.js', function: 'api', auth: 'none' },
    { method: 'POST', path: '/v1/districts', function: 'api', auth: 'state' },
    { method: 'GET', path: '/v1/districts', function: 'api', auth: 'state' },
    { method: 'POST', path: '/v1/districts/{districtId}/keys', function: 'api', auth: 'state' },
    { method: 'DELETE', path: '/v1/districts/{districtId}/keys/{keyId}', function: 'api', auth: 'state' },
    { method: 'GET', path: '/v1/districts/{districtId}/framework', function: 'api', auth: 'district' },
    { method: 'PUT', path: '/v1/districts/{districtId}/framework', function: 'api', auth: 'district' },
    { method: 'GET', path: '/v1/districts/{districtId}/milestones', function: 'api', auth: 'district' },
    {
      method: 'PUT',
      path: '/v1/districts/{districtId}/milestones/{milestoneId}',
      function: 'api',
      auth: 'district',
    },
    {
      method: 'DELETE',
      path: '/v1/districts/{districtId}/milestones/{milestoneId}',
      function: 'api',
      auth: 'district',
    },
    { method: 'POST', path: '/v1/districts/{districtId}/assessments', function: 'api', auth: 'district' },
    {
      method: 'POST',
      path: '/v1/districts/{districtId}/assessments/batch',
      function: 'api',
      auth: 'district',
    },
    {
      method: 'DELETE',
      path: '/v1/districts/{districtId}/assessments/{submissionId}',
      function: 'api',
      auth: 'district',
    },
    { method: 'GET', path: '/v1/districts/{districtId}/progress', function: 'api', auth: 'district' },
    { method: 'POST', path: '/v1/districts/{districtId}/subscribers', function: 'api', auth: 'district' },
    { method: 'GET', path: '/v1/districts/{districtId}/subscribers', function: 'api', auth: 'district' },
    {
      method: 'DELETE',
      path: '/v1/districts/{districtId}/subscribers/{subscriberId}',
      function: 'api',
      auth: 'district',
    },
    { method: 'POST', path: '/v1/subscribers', function: 'api', auth: 'state' },
    { method: 'POST', path: '/v1/digests/run', function: 'api', auth: 'state' },
    {
      method: 'GET',
      path: '/v1/districts/{districtId}/digest/preview',
      function: 'api',
      auth: 'district',
    },
    { method: 'GET', path: '/v1/unsubscribe', function: 'api', auth: 'none' },
    { method: 'POST', path: '/v1/unsubscribe', function: 'api', auth: 'none' },
  ],
  authorizer: {
    function: 'authorizer',
    resultsCacheTtlSeconds: 60,
    identityValidationExpression: '^Bearer vp_[sd]_[0-9a-f]{16}_[A-Za-z0-9_-]{43}$',
  },
  rateLimit: { ratePerSecond: 50, burst: 100 },
  queues: {
    metrics: {
      consumer: 'metricsWorker',
      batchSize: 25,
      maxBatchingWindowSeconds: 1,
      maxReceiveCount: 5,
      maxConcurrency: 5,
    },
    digest: {
      consumer: 'digestSender',
      batchSize: 5,
      maxBatchingWindowSeconds: 0,
      maxReceiveCount: 5,
      maxConcurrency: 2,
    },
    // SES bounce and complaint events, from the configuration set's event destination (SNS, raw delivery)
    mailEvents: {
      consumer: 'mailEvents',
      batchSize: 10,
      maxBatchingWindowSeconds: 1,
      maxReceiveCount: 5,
      maxConcurrency: 2,
    },
  },
  streamRelay: {
    target: 'metrics',
    batchSize: 10,
    maximumRetryAttempts: 10,
    maximumRecordAgeSeconds: 86_400,
    // a framework change re-scores the district's learners (a rebuild in the metrics worker)
    itemTypes: ['milestone', 'submission', 'framework'],
    fallbackFunction: 'streamRelay',
  },
  schedules: {
    digest: { target: 'digestPlanner', expressionFrom: 'digestSchedule' },
  },
};

/**
 * A queue's visibility timeout: six times its consumer's timeout, as AWS advises for event source mappings, so
 * a message is not redelivered while a batch that holds it may still be running (including its retries).
 */
export function visibilityTimeoutSeconds(queue: QueueName, spec: Topology = topology): number {
  const consumer = spec.functions[spec.queues[queue].consumer];
  return consumer.timeoutSeconds * 6;
}

/** Environment variable that carries a queue's URL. */
export function queueUrlVariable(queue: QueueName): string {
  return `${queue.replace(/([a-z])([A-Z])/g, '$1_$2').toUpperCase()}_QUEUE_URL`;
}
