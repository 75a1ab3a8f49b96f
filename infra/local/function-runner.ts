/**
 * Runs the topology's functions in this process the way Lambda would call them: the handler file is imported
 * lazily by its entry path (so a function that does not exist yet only fails when it is invoked), and every call
 * gets a Lambda-shaped context and is cut off at the function's timeout.
 */
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
      const result = await Promise.race([Promise.resolve(handler(event as never, context)), timedOut]);
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
