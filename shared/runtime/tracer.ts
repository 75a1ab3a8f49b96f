/**
 * The X-Ray tracer (Powertools Tracer) of the functions whose traces show each AWS call: the api function, on the
 * synchronous path of every request, and the digest sender. Active tracing (every function, and the API Gateway
 * stage) makes each invocation's own segment; this adds a subsegment per invocation and per AWS SDK call, with
 * annotations to find them by, and the trace header on the messages a captured SQS client sends, which links a
 * consumer's invocation to the sender's trace.
 *
 * Only those two import it: the X-Ray SDK it brings is about 95 KB of bundle and tens of milliseconds of cold start
 * (a whole bundle of a small function is 300 KB), so a function that gains little from subsegments (one GetItem,
 * a weekly Query) keeps Lambda's segments alone. The SDK clients others import too (clients.ts, sqs.ts, and
 * shared/store/usage-plan.ts's, which the ops CLI uses) are therefore captured by the traced handlers at init;
 * unsubscribe-secrets.ts, which only traced functions import, captures its client where it makes it.
 *
 * What it never records: learner or respondent ids and addresses (annotations take district ids, cadences and
 * function and route names only), responses and errors as metadata (`POWERTOOLS_TRACER_CAPTURE_RESPONSE` and
 * `POWERTOOLS_TRACER_CAPTURE_ERROR` are false in every deployed function, infra/constructs/app-function.ts: a
 * response may hold evidence, an error message may quote an address). The SES client is left uncaptured for that
 * reason: the X-Ray SDK writes a failed call's error message into its subsegment, and SES's may quote a recipient.
 *
 * Outside Lambda (the local stack, tests, the ops CLI) Powertools turns tracing off by itself, as no
 * `AWS_EXECUTION_ENV` is set: no segment is made or sent, `captureAWSv3Client` hands the client back untouched, and
 * the middlewares and helpers below do nothing. The local function runner also starts the X-Ray SDK in manual mode
 * (infra/local/function-runner.ts), which keeps it from hooking every promise of the process.
 */
import { Tracer } from '@aws-lambda-powertools/tracer';
import { captureLambdaHandler } from '@aws-lambda-powertools/tracer/middleware';
import type { MiddlewareObj } from '@middy/core';

/**
 * HTTP requests outside the SDK are not captured: the functions make none, and patching `http`, `https` and
 * `fetch` would cost every cold start for nothing.
 */
export const tracer = new Tracer({ serviceName: 'vision-progress', captureHTTPsRequests: false });

/** Annotations X-Ray indexes; only ids of districts and names of functions, routes and cadences go here. */
export type Annotations = Readonly<Record<string, string | undefined>>;

/**
 * The middy middlewares that trace an invocation: Powertools' handler subsegment (with its `ColdStart` and
 * `Service` annotations; the response is never captured), annotated with the function's topology name and
 * whatever `annotate` reads from the event. Register them first, so that the subsegment spans the others.
 */
export function traceInvocation<TEvent>(
  functionName: string,
  annotate?: (event: TEvent) => Annotations,
): MiddlewareObj<TEvent>[] {
  const annotations: MiddlewareObj<TEvent> = {
    before: (request) => {
      if (tracer.isTracingEnabled()) putAnnotations({ function: functionName, ...annotate?.(request.event) });
    },
  };
  return [captureLambdaHandler(tracer, { captureResponse: false }) as MiddlewareObj<TEvent>, annotations];
}

/**
 * Runs `work` in a subsegment of its own, annotated, so that one of several jobs of an invocation (a digest among
 * a batch's) can be found and timed in a trace. A failure flags the subsegment without recording the error's
 * message. Without tracing, runs `work` as it is.
 */
export async function traceSubsegment<T>(
  name: string,
  annotations: Annotations,
  work: () => Promise<T>,
): Promise<T> {
  if (!tracer.isTracingEnabled()) return work();
  // the X-Ray SDK runs `work` in the subsegment's context, so the SDK calls it makes nest under it
  return tracer.provider.captureAsyncFunc(name, async (subsegment) => {
    for (const [key, value] of Object.entries(annotations)) {
      if (value !== undefined) subsegment?.addAnnotation(key, value);
    }
    try {
      return await work();
    } catch (error) {
      subsegment?.addErrorFlag();
      throw error;
    } finally {
      subsegment?.close();
    }
  }) as Promise<T>;
}

function putAnnotations(annotations: Annotations): void {
  for (const [key, value] of Object.entries(annotations)) {
    if (value !== undefined) tracer.putAnnotation(key, value);
  }
}
