/**
 * The whole platform on one machine, built from infra/topology.ts: DynamoDB Local, the SQS and SES emulators,
 * the table and queues, the HTTP front door, an event source per queue, the stream relay and the schedules.
 * The handler files run in this process with the environment the CDK stack gives them; only the endpoints differ.
 *
 * `npm start` (start.ts) drives it; tests call start()/stop() directly.
 */

import { setTimeout as delay } from 'node:timers/promises';
import type { Logger } from '@aws-lambda-powertools/logger';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { DynamoDBStreamsClient } from '@aws-sdk/client-dynamodb-streams';
import { SQSClient } from '@aws-sdk/client-sqs';
import { documentClientFor } from '../../shared/runtime/clients';
import { KeyStore } from '../../shared/store/keys';
import { loadStateConfig } from '../config/index';
import type { StateConfig } from '../config/schema';
import { functionEnvironment } from '../environment';
import { repoRoot } from '../paths';
import {
  deployedFunctions,
  type FunctionName,
  type QueueName,
  type RateLimitSpec,
  type Topology,
  topology,
} from '../topology';
import type { Wiring } from '../wiring';
import { LocalAuthorizer } from './authorizer';
import { clearRunning, markRunning, reconcileAfterCrash } from './crash-recovery';
import { ensureCredentials, type LocalCredentials } from './credentials';
import { type DataLayout, dataLayout, defaultDataDir, prepareDataDir, wipeDataDir } from './data-dir';
import {
  checkJava,
  type RunningEmulator,
  reapStaleJava,
  startDynamoDbLocal,
  startSesEmulator,
  startSqsEmulator,
} from './emulators';
import { SqsEventSource } from './event-source';
import { startFrontDoor } from './front-door';
import { FunctionRunner, type InvocationRecord, type LambdaHandler } from './function-runner';
import { createStackLogger } from './logger';
import {
  assertPortsFree,
  DEFAULT_PORTS,
  findFreePort,
  LOCAL_CREDENTIALS,
  LOOPBACK,
  type PortClaim,
} from './ports';
import { TokenBuckets } from './rate-limit';
import { ensureQueues, ensureTable, type LocalQueue, type LocalTable, localNamePrefix } from './resources';
import { Scheduler } from './scheduler';
import { StreamRelay } from './stream-relay';
import { ensureUnsubscribeSecret } from './unsubscribe-secret';
import { describeLocalWiring } from './wiring';

/**
 * E-mails per second the local senders pace themselves to: a typical starting send rate of an SES account with
 * production access (an account in the sandbox may send 1 a second and 200 a day). In AWS the sender reads its
 * account's own rate (SES `GetAccount`).
 */
export const LOCAL_SES_SEND_RATE = 14;

export interface LocalStackOptions {
  /** API port; default 3000; 0 picks a free one. */
  readonly port?: number;
  /** Folder of the local data; default `.local/` at the repository root (or VP_LOCAL_DIR). */
  readonly dataDir?: string;
  /** Wipes the data dir before starting. */
  readonly fresh?: boolean;
  /** State config code; default `XX`. */
  readonly state?: string;
  /** Emulator ports; defaults 8000 (DynamoDB), 4566 (SQS), 8005 (SES); 0 picks a free one. */
  readonly ports?: { readonly dynamoDb?: number; readonly sqs?: number; readonly ses?: number };
  /** Only errors from the stack itself, and warnings and up from the functions. */
  readonly quiet?: boolean;
  /**
   * The functions' log level (POWERTOOLS_LOG_LEVEL) instead of the deployed one, INFO, or WARN when quiet: tests
   * log everything, so that the log hygiene check (test/support/log-hygiene.ts) reads every line a handler writes.
   */
  readonly functionLogLevel?: 'DEBUG' | 'INFO' | 'WARN' | 'ERROR';
  /** Handlers to run instead of the topology's entry files, per function (tests). */
  readonly handlers?: Partial<Record<FunctionName, LambdaHandler>>;
  /** Visibility timeouts instead of the topology's, per queue (tests that wait for redelivery). */
  readonly visibilityTimeoutSeconds?: Partial<Record<QueueName, number>>;
  /** Arms the schedules; default true. */
  readonly schedules?: boolean;
  /** Seconds the authorizer's answer is kept per key instead of the topology's (tests); 0 keeps none. */
  readonly authorizerCacheTtlSeconds?: number;
  /** Per-key rate limit instead of the topology's (tests that want a 429 without a flood). */
  readonly rateLimit?: RateLimitSpec;
  /** Hooks for the benchmarks' counts. */
  readonly observer?: LocalStackObserver;
  /**
   * E-mails per second the senders pace themselves to, together, instead of LOCAL_SES_SEND_RATE (benchmarks that
   * measure the platform's own send rate rather than the pacer's).
   */
  readonly sesSendRate?: number;
  /**
   * Keeps the tables and queues in memory rather than in the data dir: nothing survives a stop, and no write
   * waits for the disk (the benchmarks, which measure the platform and not this machine's disk).
   */
  readonly inMemory?: boolean;
  /**
   * The SES endpoint the functions call instead of the emulator's (the soak's fault proxy in front of it, which
   * answers some sends with SES's throttling error). The stack's own parts and `info.endpoints` keep the emulator.
   */
  readonly functionSesEndpoint?: string;
}

/** An emulator the stack can restart while it runs (the soak's faults). */
export type EmulatorName = 'dynamoDb' | 'sqs' | 'ses';

/** Watches the stack at work, for the benchmarks' cost model; every hook is optional. */
export interface LocalStackObserver {
  /** Told of every function invocation once it has settled. */
  readonly onInvoked?: (record: InvocationRecord) => void;
  /**
   * Given each SDK client the stack makes for its own parts, before it is used: the SQS client of the stream
   * relay and the queue pollers, the streams client of the relay, the DynamoDB client of the stack's set-up.
   */
  readonly onClient?: (client: StackClient) => void;
}

/** An SDK client the stack makes for its own parts. */
export type StackClient =
  | { readonly service: 'dynamodb'; readonly client: DynamoDBClient }
  | { readonly service: 'dynamodb-streams'; readonly client: DynamoDBStreamsClient }
  | { readonly service: 'sqs'; readonly client: SQSClient };

/** What a started stack offers: every URL, name and path a developer, a script or a test needs. */
export interface LocalStackInfo {
  readonly state: StateConfig;
  readonly apiUrl: string;
  readonly endpoints: {
    readonly dynamoDb: string;
    readonly sqs: string;
    readonly ses: string;
    /** JSON of the mail the SES emulator accepted. */
    readonly sesStore: string;
  };
  readonly dataDir: string;
  readonly credentialsFile: string;
  readonly credentials: LocalCredentials;
  readonly table: LocalTable;
  readonly queues: Readonly<Record<QueueName, LocalQueue>>;
  /**
   * Pid of the DynamoDB Local java process the stack started with; after `restartEmulator('dynamoDb')` another
   * java runs, whose pid is in the file `layout.dynamoDbPid`.
   */
  readonly dynamoDbPid: number;
  readonly layout: DataLayout;
  /** Next fire time per schedule (when schedules are armed). */
  readonly nextSchedules: Readonly<Record<string, Date | undefined>>;
  /** What was wired, read back from the emulators and the started parts (compared with the CDK template). */
  readonly wiring: Wiring;
}

/**
 * The ports to use: checks that every one given is free (PortInUseError names the first taken one) and picks one
 * for DynamoDB Local when asked for 0, which it cannot do itself, and for the API, whose URL the functions' first
 * environment holds (PUBLIC_BASE_URL) before the front door listens. The SQS and SES emulators listen on 0 as it is.
 */
async function claimPorts(options: LocalStackOptions) {
  const ports = {
    api: options.port ?? DEFAULT_PORTS.api,
    dynamoDb: options.ports?.dynamoDb ?? DEFAULT_PORTS.dynamoDb,
    sqs: options.ports?.sqs ?? DEFAULT_PORTS.sqs,
    ses: options.ports?.ses ?? DEFAULT_PORTS.ses,
  };
  const claims: PortClaim[] = [
    { port: ports.api, purpose: 'API', override: 'PORT or --port' },
    { port: ports.dynamoDb, purpose: 'DynamoDB Local', override: 'DYNAMODB_PORT' },
    { port: ports.sqs, purpose: 'SQS emulator', override: 'SQS_PORT' },
    { port: ports.ses, purpose: 'SES emulator', override: 'SES_PORT' },
  ];
  await assertPortsFree(claims.filter((claim) => claim.port !== 0));
  if (ports.dynamoDb === 0) ports.dynamoDb = await findFreePort();
  if (ports.api === 0) ports.api = await findFreePort();
  return ports;
}

/** Thrown by start() when the stack is already running. */
export class LocalStackStateError extends Error {
  override readonly name = 'LocalStackStateError';
}

/** The local stack; one instance runs at most one stack at a time. */
export class LocalStack {
  readonly #spec: Topology;
  #stoppers: { readonly name: string; readonly stop: () => Promise<void> }[] = [];
  #info: LocalStackInfo | undefined;
  #scheduler: Scheduler | undefined;
  #starting: Promise<LocalStackInfo> | undefined;
  #emulators: Partial<Record<EmulatorName, ManagedEmulator>> = {};
  /** Whether the running stack keeps its tables and queues in memory (restarts would lose them). */
  #inMemory = false;

  constructor(spec: Topology = topology) {
    this.#spec = spec;
  }

  /** The running stack's details; throws when it is not running. */
  get info(): LocalStackInfo {
    if (!this.#info) throw new LocalStackStateError('the local stack is not running');
    return this.#info;
  }

  /**
   * Starts everything and resolves once the API listens. On failure everything already started is stopped and
   * the error is rethrown: JavaMissingError, PortInUseError, ForeignDataDirError, EmulatorStartError, ...
   */
  async start(options: LocalStackOptions = {}): Promise<LocalStackInfo> {
    if (this.#info || this.#starting) throw new LocalStackStateError('the local stack is already running');
    this.#starting = this.#start(options);
    try {
      this.#info = await this.#starting;
      return this.#info;
    } catch (error) {
      // the start error is the one worth reporting, not a follow-on error of stopping a half-started stack
      await this.#stopAll().catch(() => undefined);
      throw error;
    } finally {
      this.#starting = undefined;
    }
  }

  /**
   * Stops the front door, the schedules, the pollers, the relay and every emulator (java included). Called during
   * a start, it waits for the start to settle first, so that nothing started after it is left running.
   */
  async stop(): Promise<void> {
    await this.#starting?.catch(() => undefined);
    await this.#stopAll();
    this.#info = undefined;
  }

  /**
   * Stops one emulator and starts it again on the same port and data, `downtimeMs` later, the way a crashed
   * service comes back: requests in between fail, and every part of the stack must ride it out. Tables and queues
   * survive only on disk, so a stack kept in memory refuses. The SES emulator's mail is kept in this process.
   */
  async restartEmulator(name: EmulatorName, downtimeMs = 0): Promise<void> {
    const emulator = this.#emulators[name];
    if (!this.#info || !emulator) throw new LocalStackStateError('the local stack is not running');
    if (name !== 'ses' && this.#inMemory) {
      throw new LocalStackStateError(
        `the stack keeps its data in memory: a restart of ${name} would lose it`,
      );
    }
    await emulator.restart(downtimeMs);
  }

  /** Runs a schedule's target now, as if it had fired at `at`. */
  fire(schedule: string, at?: Date): Promise<unknown> {
    if (!this.#scheduler) return Promise.reject(new LocalStackStateError('the local stack is not running'));
    return this.#scheduler.fire(schedule, at);
  }

  async #start(options: LocalStackOptions): Promise<LocalStackInfo> {
    const spec = this.#spec;
    const quiet = options.quiet ?? false;
    const logger = createStackLogger(quiet);
    const state = loadStateConfig(options.state ?? 'XX');
    const region = state.aws.region;
    const prefix = localNamePrefix(state);
    const layout = dataLayout(options.dataDir ?? defaultDataDir());
    checkJava();

    // a java left by a crashed run holds the database and port 8000: reap it before the port check and the wipe
    await reapStaleJava(layout.dynamoDbPid, layout.dynamoDb, logger);
    const ports = await claimPorts(options);

    if (options.fresh) await wipeDataDir(layout);
    await prepareDataDir(layout);
    await ensureUnsubscribeSecret(layout.unsubscribeSecret);
    const crashed = await markRunning(layout);
    // pushed first, so removed last: only a stack that stopped completely leaves no marker
    this.#stoppers.push({ name: 'run marker', stop: () => clearRunning(layout) });

    this.#inMemory = options.inMemory ?? false;
    const { dynamoDb, sqs, ses } = await this.#startEmulators(ports, layout, logger, this.#inMemory);

    const clientConfig = { region, credentials: LOCAL_CREDENTIALS };
    const dynamoDbClient = new DynamoDBClient({ ...clientConfig, endpoint: dynamoDb.endpoint });
    const streamsClient = new DynamoDBStreamsClient({ ...clientConfig, endpoint: dynamoDb.endpoint });
    const sqsClient = new SQSClient({ ...clientConfig, endpoint: sqs.endpoint });
    options.observer?.onClient?.({ service: 'dynamodb', client: dynamoDbClient });
    options.observer?.onClient?.({ service: 'dynamodb-streams', client: streamsClient });
    options.observer?.onClient?.({ service: 'sqs', client: sqsClient });
    this.#stoppers.push({
      name: 'SDK clients',
      stop: async () => {
        for (const client of [dynamoDbClient, streamsClient, sqsClient]) client.destroy();
      },
    });

    const table = await ensureTable(dynamoDbClient, prefix, spec.table);
    const queues = await ensureQueues(
      sqsClient,
      sqs.endpoint,
      prefix,
      { visibilityTimeoutSeconds: options.visibilityTimeoutSeconds },
      spec,
    );

    // before any handler file is imported: they read their environment and create their SDK clients at init.
    // Links the functions hand out (unsubscribe links in digests, the OpenAPI server) point at this stack's front
    // door, so that they work on this machine; the state's public URL is for the deployed stack. Its port is known
    // already (claimPorts), so no handler, whichever first loads it, ever sees the state's URL here.
    this.#setEnvironment({
      ...this.#functionEnvironments(state, table.tableName, queues, layout, options.sesSendRate),
      PUBLIC_BASE_URL: `http://${LOOPBACK}:${ports.api}`,
      AWS_REGION: region,
      AWS_DEFAULT_REGION: region,
      AWS_ACCESS_KEY_ID: LOCAL_CREDENTIALS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: LOCAL_CREDENTIALS.secretAccessKey,
      AWS_SESSION_TOKEN: undefined,
      AWS_PROFILE: undefined,
      AWS_ENDPOINT_URL: undefined,
      AWS_ENDPOINT_URL_DYNAMODB: dynamoDb.endpoint,
      AWS_ENDPOINT_URL_DYNAMODB_STREAMS: dynamoDb.endpoint,
      AWS_ENDPOINT_URL_SQS: sqs.endpoint,
      AWS_ENDPOINT_URL_SESV2: options.functionSesEndpoint ?? ses.endpoint,
      ...(options.functionLogLevel || quiet
        ? { POWERTOOLS_LOG_LEVEL: options.functionLogLevel ?? 'WARN' }
        : {}),
    });

    const runner = new FunctionRunner({
      root: repoRoot,
      region,
      namePrefix: prefix,
      handlers: options.handlers,
      spec,
      onInvoked: options.observer?.onInvoked,
    });

    const relay = new StreamRelay({
      streamArn: table.streamArn,
      streams: streamsClient,
      sqs: sqsClient,
      targetQueueUrl: queues[spec.streamRelay.target].url,
      spec: spec.streamRelay,
      region,
      checkpointFile: layout.relayCheckpoints,
      failureFile: layout.relayFailures,
      logger,
    });
    await relay.start();
    this.#stoppers.push({ name: 'stream relay', stop: () => relay.stop() });

    const eventSources = (Object.keys(spec.queues) as QueueName[]).map((name) => ({
      queue: queues[name],
      spec: spec.queues[name],
    }));
    for (const { queue, spec: queueSpec } of eventSources) {
      const source = new SqsEventSource({
        queue,
        spec: queueSpec,
        client: sqsClient,
        runner,
        region,
        logger,
      });
      source.start();
      this.#stoppers.push({ name: `event source ${queue.name}`, stop: () => source.stop() });
    }

    const schedules = Object.entries(spec.schedules).map(([name, schedule]) => ({
      name,
      expression: state[schedule.expressionFrom],
      timezone: state.timezone,
      target: schedule.target,
    }));
    const scheduler = new Scheduler({
      schedules,
      runner,
      logger,
    });
    if (options.schedules ?? true) scheduler.start();
    this.#scheduler = scheduler;
    this.#stoppers.push({
      name: 'scheduler',
      stop: async () => {
        await scheduler.stop();
        this.#scheduler = undefined;
      },
    });

    const authorizer = new LocalAuthorizer({
      spec: spec.authorizer,
      invoke: (name, event) => runner.invoke(name, event),
      cacheTtlSeconds: options.authorizerCacheTtlSeconds ?? spec.authorizer.resultsCacheTtlSeconds,
    });
    const rateLimiter = new TokenBuckets(options.rateLimit ?? spec.rateLimit);
    const frontDoor = await startFrontDoor({
      port: ports.api,
      runner,
      logger,
      routes: spec.routes,
      region,
      authorizer,
      rateLimiter,
    });
    this.#stoppers.push({ name: 'front door', stop: () => frontDoor.stop() });

    // the stack's own client, not the handlers' (shared/runtime/clients.ts), which this module's import of the
    // KeyStore created before the environment was set: those resolve region and endpoint at their first call
    const documents = documentClientFor(dynamoDbClient);
    const keys = new KeyStore(table.tableName, documents);
    if (crashed) {
      const recovery = reconcileAfterCrash(table.tableName, documents, logger).catch((error: unknown) =>
        logger.error('the progress aggregates could not be reconciled; run npm run ops -- metrics rebuild', {
          error,
        }),
      );
      this.#stoppers.push({ name: 'crash recovery', stop: () => recovery });
    }
    const credentials = await ensureCredentials(layout.credentials, frontDoor.url, keys);
    const wiring = await describeLocalWiring({
      dynamoDb: dynamoDbClient,
      sqs: sqsClient,
      tableName: table.tableName,
      functions: spec.functions,
      functionNames: deployedFunctions(region, spec),
      routes: spec.routes,
      authorizer: authorizer.settings,
      rateLimit: rateLimiter.limit,
      eventSources,
      relay: { targetQueueUrl: queues[spec.streamRelay.target].url, spec: spec.streamRelay },
      schedules,
    });
    return {
      state,
      apiUrl: frontDoor.url,
      endpoints: {
        dynamoDb: dynamoDb.endpoint,
        sqs: sqs.endpoint,
        ses: ses.endpoint,
        sesStore: `${ses.endpoint}/store`,
      },
      dataDir: layout.root,
      credentialsFile: layout.credentials,
      credentials,
      table,
      queues,
      dynamoDbPid: dynamoDb.pid,
      layout,
      nextSchedules: scheduler.nextFireTimes(),
      wiring,
    };
  }

  /** Starts the emulators side by side; whichever started is stopped with the rest if another one failed. */
  async #startEmulators(
    ports: Awaited<ReturnType<typeof claimPorts>>,
    layout: DataLayout,
    logger: Logger,
    inMemory: boolean,
  ) {
    const emulators = {
      dynamoDb: new ManagedEmulator('DynamoDB Local', (port) =>
        startDynamoDbLocal({ port, dbPath: layout.dynamoDb, inMemory, pidFile: layout.dynamoDbPid, logger }),
      ),
      sqs: new ManagedEmulator('SQS emulator', (port) =>
        startSqsEmulator({ port, ...(inMemory ? {} : { dataDir: layout.sqs }), logger }),
      ),
      ses: new ManagedEmulator('SES emulator', (port) => startSesEmulator({ port, logger })),
    };
    const started = await Promise.allSettled(
      (Object.keys(emulators) as EmulatorName[]).map(async (name) => {
        const emulator = emulators[name];
        await emulator.start(ports[name]);
        this.#emulators[name] = emulator;
        this.#stoppers.push({ name: emulator.label, stop: () => emulator.stop() });
      }),
    );
    for (const result of started) if (result.status === 'rejected') throw result.reason;
    return { dynamoDb: emulators.dynamoDb.current, sqs: emulators.sqs.current, ses: emulators.ses.current };
  }

  /** The union of the environments of the functions a stack in this region deploys: they share this process. */
  #functionEnvironments(
    state: StateConfig,
    tableName: string,
    queues: Record<QueueName, LocalQueue>,
    layout: DataLayout,
    sesSendRate = LOCAL_SES_SEND_RATE,
  ): Record<string, string> {
    const queueUrls = Object.fromEntries(
      Object.values(queues).map((queue) => [queue.name, queue.url]),
    ) as Record<QueueName, string>;
    const resources = {
      tableName,
      queueUrls,
      unsubscribeSecret: { file: layout.unsubscribeSecret },
      sesSendRate,
    };
    const environment: Record<string, string> = {};
    for (const name of deployedFunctions(state.aws.region, this.#spec)) {
      Object.assign(environment, functionEnvironment(name, state, resources, this.#spec));
    }
    return environment;
  }

  /** Sets (or, for undefined, removes) variables; stop() puts the previous values back. */
  #setEnvironment(variables: Record<string, string | undefined>): void {
    const previous = Object.fromEntries(Object.keys(variables).map((name) => [name, process.env[name]]));
    for (const [name, value] of Object.entries(variables)) {
      if (value === undefined) delete process.env[name];
      else process.env[name] = value;
    }
    this.#stoppers.push({
      name: 'environment',
      stop: async () => {
        for (const [name, value] of Object.entries(previous)) {
          if (value === undefined) delete process.env[name];
          else process.env[name] = value;
        }
      },
    });
  }

  /** Stops in reverse order of start: the front door first, java last. */
  async #stopAll(): Promise<void> {
    this.#emulators = {};
    const stoppers = this.#stoppers.reverse();
    this.#stoppers = [];
    const errors: unknown[] = [];
    const failed: string[] = [];
    for (const { name, stop } of stoppers) {
      try {
        await stop();
      } catch (error) {
        errors.push(error);
        failed.push(name);
      }
    }
    if (errors.length > 0) {
      throw new AggregateError(
        errors,
        `the local stack did not stop cleanly: ${failed.join(', ')} failed to stop`,
      );
    }
  }
}

/** One emulator, and the way to start it again on the port it got. */
class ManagedEmulator<Running extends RunningEmulator = RunningEmulator> {
  readonly label: string;
  readonly #start: (port: number) => Promise<Running>;
  #current: Running | undefined;

  constructor(label: string, start: (port: number) => Promise<Running>) {
    this.label = label;
    this.#start = start;
  }

  get current(): Running {
    if (!this.#current) throw new LocalStackStateError(`${this.label} is not running`);
    return this.#current;
  }

  async start(port: number): Promise<void> {
    this.#current = await this.#start(port);
  }

  async restart(downtimeMs: number): Promise<void> {
    const { port } = this.current;
    await this.stop();
    await delay(downtimeMs);
    await this.start(port);
  }

  async stop(): Promise<void> {
    const running = this.#current;
    this.#current = undefined;
    await running?.stop();
  }
}
