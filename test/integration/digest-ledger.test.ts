/**
 * The digest ledger (shared/store/digest-ledger.ts) in DynamoDB Local: a period is sent once, whatever the
 * reruns, retries and concurrent senders; a failed send can be retried at once, a dead sender's claim after its
 * lease; the next digest finds what the previous one showed.
 */
import { randomUUID } from 'node:crypto';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { DigestLedger, type LedgerPeriod } from '../../shared/store/digest-ledger';
import { documentsFor } from '../support/clients';
import { testStack } from '../support/local-stack';

const local = testStack({ handlers: { metricsWorker: async () => ({ batchItemFailures: [] }) } });
let ledger: DigestLedger;

beforeAll(async () => {
  const info = await local.start();
  const client = documentsFor(info);
  ledger = new DigestLedger(info.table.tableName, client, 60_000);
});
afterAll(() => local.stop());

const period = (overrides: Partial<LedgerPeriod> = {}): LedgerPeriod => ({
  subscriberId: `sub-${randomUUID().slice(0, 8)}`,
  cadence: 'weekly',
  period: '2026-W48',
  ...overrides,
});

describe('the digest ledger', () => {
  it('lets one of many concurrent senders claim a period, and none once it is sent', async () => {
    const entry = period();
    const outcomes = await Promise.all(Array.from({ length: 8 }, () => ledger.claim(entry)));
    expect(outcomes.filter((outcome) => outcome === 'claimed')).toHaveLength(1);
    expect(outcomes.filter((outcome) => outcome === 'busy')).toHaveLength(7);

    await ledger.markSent(entry, { messageId: 'm-1', figures: { completion: 36 } });

    expect(await ledger.claim(entry)).toBe('sent');
    // even long after any lease
    expect(await ledger.claim(entry, new Date(Date.now() + 3_600_000))).toBe('sent');
  });

  it('lets a retry claim at once after a failed send, and anyone after a dead sender’s lease', async () => {
    const failed = period();
    expect(await ledger.claim(failed)).toBe('claimed');
    await ledger.release(failed);
    expect(await ledger.claim(failed)).toBe('claimed');

    const abandoned = period();
    const start = new Date();
    expect(await ledger.claim(abandoned, start)).toBe('claimed');
    expect(await ledger.claim(abandoned, new Date(start.getTime() + 59_000))).toBe('busy');
    expect(await ledger.claim(abandoned, new Date(start.getTime() + 60_000))).toBe('claimed');
  });

  it('refuses to record a send for a period nobody claimed', async () => {
    await expect(ledger.markSent(period(), { messageId: 'm', figures: {} })).rejects.toThrow();
  });

  it('finds the previous digest of the same cadence (not this period’s nor an unsent one) and any later one sent', async () => {
    const subscriberId = `sub-${randomUUID().slice(0, 8)}`;
    const send = async (cadence: 'weekly' | 'monthly', name: string, completion: number) => {
      const entry = { subscriberId, cadence, period: name };
      expect(await ledger.claim(entry)).toBe('claimed');
      await ledger.markSent(entry, { messageId: `m-${name}`, figures: { completion } });
    };
    await send('weekly', '2026-W46', 10);
    await send('weekly', '2026-W47', 20);
    await send('monthly', '2026-10', 99);
    await ledger.claim({ subscriberId, cadence: 'weekly', period: '2026-W49' });
    await send('weekly', '2026-W50', 40);

    const history = (cadence: 'weekly' | 'monthly', name: string) =>
      ledger.history({ subscriberId, cadence, period: name });
    expect(await history('weekly', '2026-W48')).toMatchObject({
      previous: { period: '2026-W47', messageId: 'm-2026-W47', figures: { completion: 20 } },
      laterPeriodSent: true,
    });
    // W49 was claimed but never sent: the digest before W50 is still W47's, and nothing later was sent
    expect(await history('weekly', '2026-W50')).toMatchObject({
      previous: { period: '2026-W47' },
      laterPeriodSent: false,
    });
    expect(await history('weekly', '2026-W46')).toEqual({ previous: undefined, laterPeriodSent: true });
    expect(await history('monthly', '2026-11')).toMatchObject({
      previous: { figures: { completion: 99 } },
      laterPeriodSent: false,
    });
    expect(await history('monthly', '2026-09')).toEqual({ previous: undefined, laterPeriodSent: true });
  });
});
