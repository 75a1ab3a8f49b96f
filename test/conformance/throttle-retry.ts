/**
 * A fetch that sends a request again when the API answers 429, after the seconds its `Retry-After` names, as the
 * contract asks of a client. A deployed state's usage plan limits each key (50 requests a second, bursts of 100,
 * infra/topology.ts) and the contract files post hundreds of requests on one key at a time; a 429 there says
 * nothing about the behaviour under test, so the suite waits and goes on. A throttled request never reached the
 * function, which makes sending it again safe whatever its method.
 */

/** Tries of one request before its 429 is handed to the test. */
const ATTEMPTS = 8;
/** The longest wait honoured, whatever `Retry-After` says (the WAF's per-address rule names 60 seconds). */
const MAX_WAIT_MS = 60_000;

type Fetch = (input: string | URL | Request, init?: RequestInit) => Promise<Response>;

/** `inner`, with requests to `baseUrl` sent again on 429; other requests go through as they are. */
export function retryingThrottled(inner: Fetch, baseUrl: string): Fetch {
  return async (input, init) => {
    const url = input instanceof Request ? input.url : String(input);
    if (!url.startsWith(baseUrl)) return inner(input, init);
    for (let attempt = 1; ; attempt += 1) {
      // a Request's body can be read once: each try sends a copy, the original stays unread
      const response = await inner(input instanceof Request ? input.clone() : input, init);
      if (response.status !== 429 || attempt === ATTEMPTS) return response;
      await response.body?.cancel();
      await new Promise((resolve) =>
        setTimeout(resolve, waitMs(response.headers.get('retry-after'), attempt)),
      );
    }
  };
}

/** `Retry-After` in seconds when given; else a doubling wait from half a second. Jittered, so workers spread. */
function waitMs(retryAfter: string | null, attempt: number): number {
  const seconds = Number(retryAfter);
  const base =
    retryAfter !== null && Number.isFinite(seconds) && seconds >= 0 ? seconds * 1_000 : 500 * 2 ** attempt;
  return Math.min(MAX_WAIT_MS, base + Math.random() * 250);
}
