/**
 * The soak's reconciliation: once the clients stopped, what the platform shows must be exactly what it
 * acknowledged. Per district, the progress answer equals the reference computation over the ledger (every
 * figure, `eventsApplied` included: a lost event shows as one short, a double-counted one as one over); every
 * subscriber got exactly one digest per period run; the dead-letter queues are empty once redriven; the stream
 * relay gave up on nothing.
 */
import { readFile } from 'node:fs/promises';
import { setTimeout as delay } from 'node:timers/promises';
import { SQSClient } from '@aws-sdk/client-sqs';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { readSentMail } from '../../infra/local/ses-store';
import { approximateCount, redriveMessages } from '../../infra/ops/dead-letters';
import { apiClient } from '../../shared/contract/client';
import { referenceProgress } from '../../test/support/reference-progress';
import type { DistrictLedger } from './ledger';
import type { SoakStackInfo } from './protocol';

export interface DistrictReconciliation {
  readonly districtId: string;
  readonly expectedEvents: number;
  readonly appliedEvents: number | undefined;
  /** Paths where the answer differs from the reference (at most a few), empty when it matches. */
  readonly differences: readonly string[];
}

export interface MailReconciliation {
  readonly expected: number;
  readonly received: number;
  readonly distinct: number;
  readonly duplicates: number;
  readonly missing: number;
}

/** Compares every district's progress with its reference, now. */
export async function reconcileDistricts(
  stack: SoakStackInfo,
  districts: readonly { readonly ledger: DistrictLedger; readonly key: string }[],
): Promise<DistrictReconciliation[]> {
  return Promise.all(
    districts.map(async ({ ledger, key }) => {
      const { data: actual, response } = await apiClient(stack.apiUrl, key).GET(
        '/v1/districts/{districtId}/progress',
        { params: { path: { districtId: ledger.districtId } } },
      );
      const expected = referenceProgress(ledger.referenceInput(stack.minimumN, new Date()));
      if (!actual) {
        return {
          districtId: ledger.districtId,
          expectedEvents: expected.eventsApplied,
          appliedEvents: undefined,
          differences: [`progress answered ${response.status}`],
        };
      }
      return {
        districtId: ledger.districtId,
        expectedEvents: expected.eventsApplied,
        appliedEvents: actual.eventsApplied,
        differences: differences({ ...actual, asOf: null }, { ...expected, asOf: null }),
      };
    }),
  );
}

/**
 * Polls until every district matches, or nothing was applied for `stallMs` (a backlog still draining is waited
 * for: only a pipeline that stopped applying has lost something), or `capAt` (epoch ms); resolves the last
 * comparison.
 */
export async function awaitDistricts(
  stack: SoakStackInfo,
  districts: readonly { readonly ledger: DistrictLedger; readonly key: string }[],
  options: { readonly stallMs: number; readonly capAt: number },
): Promise<DistrictReconciliation[]> {
  let applied = -1;
  let lastProgress = Date.now();
  for (;;) {
    const result = await reconcileDistricts(stack, districts);
    if (result.every((district) => district.differences.length === 0)) return result;
    const total = result.reduce((sum, district) => sum + (district.appliedEvents ?? 0), 0);
    if (total !== applied) {
      applied = total;
      lastProgress = Date.now();
    }
    if (Date.now() - lastProgress > options.stallMs || Date.now() > options.capAt) return result;
    await delay(2_000);
  }
}

/**
 * The digests in the SES emulator: one per subscriber address and period (the subject names the period). Polls
 * until `expected` distinct ones are there or `deadline`, then a little longer, so that a late duplicate shows.
 */
export async function awaitMail(
  stack: SoakStackInfo,
  expected: number,
  deadline: number,
): Promise<MailReconciliation> {
  const count = async (): Promise<MailReconciliation> => {
    const mail = await readSentMail(stack.sesStore);
    const keys = mail.flatMap((email) => email.destination.to.map((to) => `${to}\n${email.subject}`));
    const distinct = new Set(keys).size;
    return {
      expected,
      received: keys.length,
      distinct,
      duplicates: keys.length - distinct,
      missing: Math.max(0, expected - distinct),
    };
  };
  while ((await count()).distinct < expected && Date.now() < deadline) await delay(2_000);
  await delay(5_000);
  return count();
}

export interface DeadLetterReconciliation {
  /** Messages per dead-letter queue when the clients had settled. */
  readonly before: Readonly<Record<string, number>>;
  readonly redriven: number;
  /** Messages per dead-letter queue at the end. */
  readonly after: Readonly<Record<string, number>>;
}

function sqsClient(stack: SoakStackInfo): SQSClient {
  return new SQSClient({ region: stack.region, endpoint: stack.sqsEndpoint, credentials: LOCAL_CREDENTIALS });
}

/** Every dead-letter queue's depth. */
export async function deadLetterDepths(stack: SoakStackInfo): Promise<Record<string, number>> {
  const client = sqsClient(stack);
  try {
    const depths = await Promise.all(
      stack.queues.map(async (queue) => [queue.name, await approximateCount(client, queue.dlqUrl)] as const),
    );
    return Object.fromEntries(depths);
  } finally {
    client.destroy();
  }
}

/** Moves every dead letter back to its work queue, as `npm run ops -- dlq redrive` does; resolves how many. */
export async function redriveAll(stack: SoakStackInfo): Promise<number> {
  const client = sqsClient(stack);
  try {
    let moved = 0;
    for (const queue of stack.queues) {
      moved += await redriveMessages(client, { from: queue.dlqUrl, to: queue.url, max: 100_000 });
    }
    return moved;
  } finally {
    client.destroy();
  }
}

/** Records the stream relay gave up on (its failure file, the Pipe's dead-letter queue). */
export async function relayFailures(stack: SoakStackInfo): Promise<number> {
  const text = await readFile(stack.relayFailures, 'utf8').catch(() => '');
  return text.split('\n').filter((line) => line.trim() !== '').length;
}

/** Up to `limit` paths where `actual` and `expected` differ. */
export function differences(actual: unknown, expected: unknown, path = '', limit = 5): string[] {
  if (Object.is(actual, expected)) return [];
  if (typeof actual !== 'object' || typeof expected !== 'object' || actual === null || expected === null) {
    return [`${path || '.'}: ${JSON.stringify(actual)} instead of ${JSON.stringify(expected)}`];
  }
  const found: string[] = [];
  const keys = new Set([...Object.keys(actual), ...Object.keys(expected)]);
  for (const key of keys) {
    if (found.length >= limit) break;
    const child = `${path}.${key}`;
    found.push(
      ...differences(
        (actual as Record<string, unknown>)[key],
        (expected as Record<string, unknown>)[key],
        child,
        limit - found.length,
      ),
    );
  }
  return found;
}
