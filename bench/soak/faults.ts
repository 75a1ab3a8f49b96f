/**
 * The faults the soak injects into a running local stack, besides emulator restarts (LocalStack.restartEmulator):
 *
 * - worker crashes: an invocation of a queue consumer dies, either before its handler ran or after it finished but
 *   before the event source heard back. Either way the batch is not deleted and SQS hands it out again once its
 *   visibility timeout has passed; the second kind is the one that tests exactly-once, since everything it did is
 *   done again.
 * - SES throttling: a proxy in front of the SES emulator answers a share of the sends with SES's own throttling
 *   error (HTTP 429, TooManyRequestsException) without passing them on, as SES does past the account's send rate.
 *
 * The emulators can do neither, so these are the soak's only stand-ins; everything else is the real stack.
 */
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { LambdaHandler } from '../../infra/local/function-runner';
import { LOOPBACK } from '../../infra/local/ports';

/** Thrown by a crashed invocation; the event source sees a failed invocation, as Lambda reports a crash. */
export class InjectedCrash extends Error {
  override readonly name = 'InjectedCrash';
}

/** A window during which a fault is active, with the share of calls it hits. */
interface Window {
  readonly until: number;
  readonly share: number;
}

/** Which faults are on, and what they did; the soak's parent switches them through the stack process. */
export class FaultSwitches {
  #crash: Window | undefined;
  #throttle: Window | undefined;
  readonly #random: () => number;
  readonly counts = { crashedBefore: 0, crashedAfter: 0, throttledSends: 0, passedSends: 0 };

  constructor(random: () => number = Math.random) {
    this.#random = random;
  }

  /** Crashes `share` of the consumers' invocations for the next `ms`. */
  crashWorkers(ms: number, share: number): void {
    this.#crash = { until: Date.now() + ms, share };
  }

  /** Throttles `share` of the SES sends for the next `ms`. */
  throttleSes(ms: number, share: number): void {
    this.#throttle = { until: Date.now() + ms, share };
  }

  /** Whether this call is hit by the fault of `window`. */
  #hits(window: Window | undefined): boolean {
    return window !== undefined && Date.now() < window.until && this.#random() < window.share;
  }

  /**
   * `load`'s handler, crashing while crashes are switched on: half of the crashes before the handler runs, half
   * after it returned.
   */
  crashing(load: () => Promise<LambdaHandler>): LambdaHandler {
    return async (event, context) => {
      const handler = await load();
      if (!this.#hits(this.#crash)) return handler(event, context);
      if (this.#random() < 0.5) {
        this.counts.crashedBefore += 1;
        throw new InjectedCrash('crashed before the handler ran');
      }
      await handler(event, context);
      this.counts.crashedAfter += 1;
      throw new InjectedCrash('crashed after the handler finished, before the event source heard back');
    };
  }

  /** Whether a send is throttled now (and counts it either way). */
  throttles(): boolean {
    const throttled = this.#hits(this.#throttle);
    if (throttled) this.counts.throttledSends += 1;
    else this.counts.passedSends += 1;
    return throttled;
  }
}

/** SES v2's SendEmail: the only call the proxy throttles. */
const SEND_EMAIL = /^\/v2\/email\/outbound-emails\/?$/;

/**
 * An HTTP proxy to the SES emulator at `target` (host:port) that throttles sends while `switches` say so. A
 * connection the emulator refuses (it is restarting) is cut on the client's side too, as a refused connection
 * would be.
 */
export async function startSesProxy(
  targetPort: number,
  switches: FaultSwitches,
): Promise<{ endpoint: string; server: Server }> {
  const server = createServer((incoming, outgoing) => {
    if (incoming.method === 'POST' && SEND_EMAIL.test(incoming.url ?? '') && switches.throttles()) {
      incoming.resume();
      outgoing.writeHead(429, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'TooManyRequestsException',
      });
      outgoing.end(JSON.stringify({ message: 'Maximum sending rate exceeded.' }));
      return;
    }
    const forwarded = request(
      {
        host: LOOPBACK,
        port: targetPort,
        method: incoming.method,
        path: incoming.url,
        headers: incoming.headers,
      },
      (answer) => {
        outgoing.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(outgoing);
      },
    );
    forwarded.on('error', () => outgoing.destroy());
    incoming.pipe(forwarded);
  });
  server.listen(0, LOOPBACK);
  await new Promise((resolve) => server.once('listening', resolve));
  const { port } = server.address() as AddressInfo;
  return { endpoint: `http://${LOOPBACK}:${port}`, server };
}
