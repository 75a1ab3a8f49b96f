/**
 * Log hygiene, over every test file (a vitest setup file): no line any handler, the local stack or a store writes
 * may hold a learner id, a respondent id or an e-mail address that a test sent to the API.
 *
 * What the tests send is seen on its way out: `fetch` (which the API clients and `send` use) is wrapped, and the
 * JSON body of each request is searched for `learner.id`, `respondent.id` and `email` values. What the code logs
 * is seen on its way out too: the process's stdout and stderr are wrapped (Powertools Logger writes there), and
 * test stacks log at DEBUG (test/support/local-stack.ts), the lines below WARN read here and not printed. After
 * the file's tests, every line written is searched for every value sent; a value counts as present where it
 * stands on its own, not inside a longer id (`l-1` is in `"l-1"` and in `#l-1`, not in `fail-1`).
 */
import { afterAll, expect } from 'vitest';

/** Values sent by this file's tests that must never be logged, by what they are. */
const sensitive = new Map<string, string>();
/** Everything written to stdout and stderr while this file ran. */
const written: string[] = [];

/** Ids shorter than this could be parts of ordinary words; the tests' ids are longer. */
const MIN_LENGTH = 3;

function collect(value: unknown, parent?: string): void {
  if (Array.isArray(value)) {
    for (const item of value) collect(item, parent);
    return;
  }
  if (value === null || typeof value !== 'object') return;
  for (const [key, child] of Object.entries(value)) {
    if (typeof child === 'string' && child.length >= MIN_LENGTH) {
      if (key === 'email') sensitive.set(child, 'e-mail address');
      if (key === 'id' && parent === 'learner') sensitive.set(child, 'learner id');
      if (key === 'id' && parent === 'respondent') sensitive.set(child, 'respondent id');
    }
    collect(child, key);
  }
}

function collectBody(text: string | undefined): void {
  if (!text) return;
  try {
    collect(JSON.parse(text));
  } catch {
    // not JSON: nothing the contract would read an id from
  }
}

const originalFetch = globalThis.fetch;
globalThis.fetch = async (input: string | URL | Request, init?: RequestInit) => {
  if (typeof init?.body === 'string') collectBody(init.body);
  else if (input instanceof Request && input.body) collectBody(await input.clone().text());
  return originalFetch(input, init);
};

/**
 * A structured log line below WARN (test stacks log at DEBUG for this check), or a metrics document (embedded
 * metric format, `_aws`): this check reads them, the test output leaves them out.
 */
function belowWarn(line: string): boolean {
  if (!line.startsWith('{')) return false;
  try {
    const parsed = JSON.parse(line) as { level?: unknown; _aws?: unknown };
    return parsed._aws !== undefined || ['DEBUG', 'INFO', 'TRACE'].includes(String(parsed.level));
  } catch {
    return false;
  }
}

for (const stream of [process.stdout, process.stderr]) {
  const write = stream.write.bind(stream) as (...args: unknown[]) => boolean;
  stream.write = ((chunk: unknown, ...rest: unknown[]) => {
    const text = typeof chunk === 'string' ? chunk : Buffer.from(chunk as Uint8Array).toString('utf8');
    written.push(text);
    const shown = text
      .split('\n')
      .filter((line) => !belowWarn(line))
      .join('\n');
    if (shown === text) return write(chunk, ...rest);
    if (shown.trim() !== '') return write(shown, ...rest);
    // nothing left to print: a caller waiting for the write's callback still gets it
    const callback = rest.find((argument) => typeof argument === 'function') as (() => void) | undefined;
    if (callback) queueMicrotask(callback);
    return true;
  }) as typeof stream.write;
}

/** Whether `value` stands on its own in `line`: no id character right before or after it. */
function standsIn(line: string, value: string): boolean {
  const idCharacter = /[A-Za-z0-9-]/;
  for (let at = line.indexOf(value); at >= 0; at = line.indexOf(value, at + 1)) {
    const before = line[at - 1];
    const after = line[at + value.length];
    if (value.includes('@')) return true;
    if ((!before || !idCharacter.test(before)) && (!after || !idCharacter.test(after))) return true;
  }
  return false;
}

afterAll(() => {
  const lines = written.join('').split('\n');
  const leaks: string[] = [];
  for (const [value, what] of sensitive) {
    const line = lines.find((candidate) => standsIn(candidate, value));
    if (line !== undefined) leaks.push(`${what} ${JSON.stringify(value)} in: ${line.slice(0, 300)}`);
  }
  expect(leaks, 'learner ids, respondent ids or e-mail addresses in the logs').toEqual([]);
});
