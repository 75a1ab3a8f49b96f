/**
 * Runs the topology's functions in this process the way Lambda would call them: the handler file is imported
 * lazily by its entry path (so a function that does not exist yet only fails when it is invoked), and every call
 * gets a Lambda-shaped context and is cut off at the function's timeout.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Context } from 'aws-lambda';
import { type FunctionName, type Topology, topology } from '../topology';

/** What a handler file exports as `handler`: middy handlers and plain async functions both fit. */
export type LambdaHandler = (event: never, context: Context) => unknown;

/** Lambda's answer when an invocation runs past the function's timeout. */
export class FunctionTimeoutError extends Error {
  override readonly name = 'FunctionTimeoutError';
}

/** One finished invocation, as an observer sees it (the benchmarks' Lambda counts and durations). */
export interface InvocationRecord {
  readonly name: FunctionName;
  /** Wall-clock time in the handler, from the call to its settling; not Lambda's billed duration. */
  readonly durationMs: number;
  readonly memoryMb: number;
  readonly failed: boolean;
}

/** Thrown when a handler file cannot be loaded or exports no `handler`. */
export class HandlerLoadError extends Error {
  override readonly name = 'HandlerLoadError';
}

export interface FunctionRunnerOptions {
  /** Folder the topology's entry paths are relative to. */
  readonly root: string;
  readonly region: string;
  /** Prefix of the function names in the context (`vision-progress-xx` gives `vision-progress-xx-api`). */
  readonly namePrefix: string;
  /** Handlers to run instead of the entry files, per function (tests). */
  readonly handlers?: Partial<Record<FunctionName, LambdaHandler>>;
  readonly spec?: Topology;
  /** Told of every invocation once it has settled (timed out or failed ones too). */
  readonly onInvoked?: (record: InvocationRecord) => void;
}

const ACCOUNT_ID = '000000000000';

/**
 * The runtime environment the handlers find here, set before the first handler file is imported (a value set
 * already, by a test, is kept):
 *
 * - tracing off, as no X-Ray daemon listens: Powertools would conclude so from the missing `AWS_EXECUTION_ENV`
 *   too, and in manual mode the X-Ray SDK does not install the async hook it tracks its context with in the
 *   stack's whole process;
 * - several invocations at once in one process, as on Lambda Managed Instances: Powertools then keeps each
 *   invocation's logger keys (its correlation id, its Lambda context), metrics and batch state in the invocation's
 *   own store (LocalInvokeStore) instead of one per process, where concurrent invocations would mix them up. Only
 *   whether `AWS_LAMBDA_MAX_CONCURRENCY` is set is read; nothing here limits the invocations to it.
 */
const LOCAL_RUNTIME_ENVIRONMENT = {
  POWERTOOLS_TRACE_ENABLED: 'false',
  AWS_XRAY_MANUAL_MODE: 'true',
  AWS_LAMBDA_MAX_CONCURRENCY: '100',
} as const;

/** The key Lambda's runtime keeps an invocation's request id under (`@aws/lambda-invoke-store`). */
const REQUEST_ID = Symbol.for('_AWS_LAMBDA_REQUEST_ID');

/**
 * The per-invocation store of Lambda's Node.js runtime where one environment serves concurrent invocations
 * (`globalThis.awslambda.InvokeStore`, from `@aws/lambda-invoke-store`), on AsyncLocalStorage as the runtime's
 * own: what Powertools and the SDK read of it. Each invocation runs in a context of its own; what is stored
 * outside any (a module's state made at init) goes to one context of the process, as with a single invocation.
 */
class LocalInvokeStore {
  readonly #storage = new AsyncLocalStorage<Map<symbol, unknown>>();
  readonly #outside = new Map<symbol, unknown>();

  run<T>(requestId: string, fn: () => T): T {
    return this.#storage.run(new Map([[REQUEST_ID, requestId]]), fn);
  }

  hasContext(): boolean {
    return this.#storage.getStore() !== undefined;
  }

  get(key: symbol): unknown {
    return this.#context().get(key);
  }

  set(key: symbol, value: unknown): void {
    this.#context().set(key, value);
  }

  #context(): Map<symbol, unknown> {
    return this.#storage.getStore() ?? this.#outside;
  }

  getRequestId(): string {
    return String(this.get(REQUEST_ID) ?? '-');
  }

  /** No invocation here has an X-Ray trace, nor W3C trace context, nor a tenant. */
  getXRayTraceId(): undefined {
    return undefined;
  }
  getTraceparent(): undefined {
    return undefined;
  }
  getTracestate(): undefined {
    return undefined;
  }
  getBaggage(): undefined {
    return undefined;
  }
  getTenantId(): undefined {
    return undefined;
  }
}

/** One store for the process, as Lambda's runtime has. */
const invokeStore = new LocalInvokeStore();

/**
 * Sets the runtime environment and the store before an invocation, and so before a handler file is imported
 * (some tests' handlers import the real one when first invoked); the same every time.
 */
function prepareLocalRuntime(): void {
  for (const [variable, value] of Object.entries(LOCAL_RUNTIME_ENVIRONMENT)) process.env[variable] ??= value;
  const global = globalThis as { awslambda?: { InvokeStore?: unknown } };
  global.awslambda ??= {};
  global.awslambda.InvokeStore = invokeStore;
}

/** Invokes topology functions by name. */
export class FunctionRunner {
  readonly #options: FunctionRunnerOptions;
  readonly #spec: Topology;
  readonly #loaded = new Map<FunctionName, Promise<LambdaHandler>>();

  constructor(options: FunctionRunnerOptions) {
    this.#options = options;
    this.#spec = options.spec ?? topology;
  }

  /** The name Lambda would show for the function. */
  functionName(name: FunctionName): string {
    return `${this.#options.namePrefix}-${name.replace(/[A-Z]/g, (letter) => `-${letter.toLowerCase()}`)}`;
  }

  /**
   * Calls the function's handler with the event and a fresh context; rejects with FunctionTimeoutError past the
   * function's timeout (the handler's promise is abandoned, as Lambda abandons a timed-out invocation).
   */
  async invoke(name: FunctionName, event: unknown): Promise<unknown> {
    prepareLocalRuntime();
    const handler = await this.#handler(name);
    const spec = this.#spec.functions[name];
    const timeoutMs = spec.timeoutSeconds * 1_000;
    const deadline = Date.now() + timeoutMs;
    const context = this.#context(name, deadline);
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<never>((_, reject) => {
      timer = setTimeout(
        () => reject(new FunctionTimeoutError(`Task timed out after ${spec.timeoutSeconds}.00 seconds`)),
        timeoutMs,
      );
    });
    const started = performance.now();
    let failed = true;
    try {
      const result = await Promise.race([
        invokeStore.run(context.awsRequestId, () => Promise.resolve(handler(event as never, context))),
        timedOut,
      ]);
      failed = false;
      return result;
    } finally {
      clearTimeout(timer);
      const durationMs = performance.now() - started;
      this.#options.onInvoked?.({ name, durationMs, memoryMb: spec.memoryMb, failed });
    }
  }

  #handler(name: FunctionName): Promise<LambdaHandler> {
    const override = this.#options.handlers?.[name];
    if (override) return Promise.resolve(override);
    let loaded = this.#loaded.get(name);
    if (!loaded) {
      loaded = this.#load(name);
      // a failed import is retried on the next call: the file may be fixed in the meantime
      loaded.catch(() => this.#loaded.delete(name));
      this.#loaded.set(name, loaded);
    }
    return loaded;
  }

  async #load(name: FunctionName): Promise<LambdaHandler> {
    const entry = this.#spec.functions[name].entry;
    let module: { handler?: unknown };
    try {
      module = await import(pathToFileURL(join(this.#options.root, entry)).href);
    } catch (error) {
      throw new HandlerLoadError(`cannot load the handler of ${name} from ${entry}`, { cause: error });
    }
    if (typeof module.handler !== 'function') {
      throw new HandlerLoadError(`${entry} exports no handler function`);
    }
    return module.handler as LambdaHandler;
  }

  #context(name: FunctionName, deadline: number): Context {
    const functionName = this.functionName(name);
    const awsRequestId = randomUUID();
    const unsupported = () => {
      throw new Error('callback-style completion is not supported: return a promise');
    };
    return {
      callbackWaitsForEmptyEventLoop: true,
      functionName,
      functionVersion: '$LATEST',
      invokedFunctionArn: `arn:aws:lambda:${this.#options.region}:${ACCOUNT_ID}:function:${functionName}`,
      memoryLimitInMB: String(this.#spec.functions[name].memoryMb),
      awsRequestId,
      logGroupName: `/aws/lambda/${functionName}`,
      logStreamName: `local/[$LATEST]${awsRequestId.replaceAll('-', '')}`,
      getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
      done: unsupported,
      fail: unsupported,
      succeed: unsupported,
    };
  }
}
