/**
 * What `dlq show` says of a dead letter's body (infra/ops/dead-letter-summary.ts): enough to identify it, and
 * never the personal data of a stream record's images.
 */
import { describe, expect, it } from 'vitest';
import { describeSummary, summarizeDeadLetter } from '../../infra/ops/dead-letter-summary';
import { sampleMailEvent } from '../../infra/ops/mail-events';

const learnerId = 'learner-7f3a';

const streamRecord = (overrides: Record<string, unknown> = {}) =>
  JSON.stringify({
    eventID: 'e-1',
    eventName: 'REMOVE',
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: { pk: { S: 'DISTRICT#lincoln-usd' }, sk: { S: 'SUBMISSION#s-1' } },
      OldImage: {
        type: { S: 'submission' },
        learnerId: { S: learnerId },
        respondentId: { S: 'respondent-9' },
      },
      SequenceNumber: '42',
    },
    ...overrides,
  });

const job = {
  subscriberId: 'sub-1',
  cadence: 'monthly',
  period: '2026-11',
  plannedAt: '2026-12-01T07:00:00.000Z',
};

describe('summarizeDeadLetter', () => {
  it("keeps a change's event, its item type (from the old image of a removal) and its keys, nothing of its images", () => {
    const summary = summarizeDeadLetter('metrics', streamRecord());

    expect(summary).toEqual({
      kind: 'change',
      eventID: 'e-1',
      eventName: 'REMOVE',
      itemType: 'submission',
      pk: 'DISTRICT#lincoln-usd',
      sk: 'SUBMISSION#s-1',
    });
    expect(JSON.stringify(summary)).not.toContain(learnerId);
    expect(describeSummary(summary)).toBe(
      'REMOVE  submission  DISTRICT#lincoln-usd SUBMISSION#s-1  event e-1',
    );
  });

  it('identifies a stream record the worker would refuse, as far as it can', () => {
    const summary = summarizeDeadLetter('metrics', streamRecord({ dynamodb: { Keys: { pk: { N: '1' } } } }));

    expect(summary).toEqual({ kind: 'change', eventID: 'e-1', eventName: 'REMOVE' });
    expect(describeSummary(summary)).toBe('REMOVE  (no type)  ? ?  event e-1');
  });

  it('shows a digest job whole, a state roll-up as such', () => {
    const summary = summarizeDeadLetter('digest', JSON.stringify(job));

    expect(summary).toEqual({ kind: 'digest-job', ...job });
    expect(describeSummary(summary)).toBe(
      'monthly 2026-11  subscriber sub-1  state roll-up  planned 2026-12-01T07:00:00.000Z',
    );
  });

  it('shows an SES event by its type, its subscriber and its message id, never an address', () => {
    const event = sampleMailEvent({ subscriberId: 'sub-1', districtId: 'lincoln-usd', sesMessageId: 'm-1' });

    const summary = summarizeDeadLetter('mailEvents', JSON.stringify(event));
    const enveloped = summarizeDeadLetter(
      'mailEvents',
      JSON.stringify({ Type: 'Notification', Message: JSON.stringify(event) }),
    );

    expect(summary).toEqual({
      kind: 'mail-event',
      eventType: 'Bounce',
      bounceType: 'Permanent',
      sesMessageId: 'm-1',
      subscriberId: 'sub-1',
      districtId: 'lincoln-usd',
    });
    expect(enveloped).toEqual(summary);
    expect(JSON.stringify(summary)).not.toContain('@');
    expect(describeSummary(summary)).toBe(
      'Bounce Permanent  subscriber sub-1  district lincoln-usd  ses message m-1',
    );
  });

  it('says when an SES event suppresses nobody', () => {
    const event = sampleMailEvent({ subscriberId: 'sub-1', sesMessageId: 'm-2' });
    const transient = { ...event, bounce: { bounceType: 'Transient' } };

    expect(describeSummary(summarizeDeadLetter('mailEvents', JSON.stringify(transient)))).toBe(
      'Bounce Transient  suppresses nobody  ses message m-2',
    );
  });

  it.each([
    ['mailEvents', 'not an SES event', 'parent@example.org bounced'],
    [
      'mailEvents',
      'not an SES event',
      JSON.stringify({ notificationType: 'Bounce', to: 'parent@example.org' }),
    ],
    ['metrics', 'not JSON', '{"eventID":'],
    ['metrics', 'not a stream record', JSON.stringify({ learnerId })],
    ['digest', 'not a digest job', JSON.stringify({ ...job, email: 'parent@example.org' })],
    ['digest', 'not JSON', `parent@example.org ${learnerId}`],
  ] as const)('shows a %s body that is %s by its size alone', (queue, reason, body) => {
    const summary = summarizeDeadLetter(queue, body);

    expect(summary).toEqual({ kind: 'unreadable', reason, bytes: Buffer.byteLength(body) });
    expect(describeSummary(summary)).toBe(`unreadable: ${reason} (${Buffer.byteLength(body)} bytes)`);
  });
});
