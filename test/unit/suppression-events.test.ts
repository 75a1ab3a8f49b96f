import { describe, expect, it } from 'vitest';
import { SesEvent } from '../../shared/contract/ses-event';
import { suppressionOf } from '../../shared/domain/suppression-events';

/** A bounce as SES publishes it to a configuration set's event destination (SES developer guide, "Bounce"). */
const sampleBounce = {
  eventType: 'Bounce',
  bounce: {
    bounceType: 'Permanent',
    bounceSubType: 'General',
    bouncedRecipients: [
      {
        emailAddress: 'leader@example.org',
        action: 'failed',
        status: '5.1.1',
        diagnosticCode: 'smtp; 550 5.1.1 user unknown',
      },
    ],
    timestamp: '2026-11-30T12:00:01.000Z',
    feedbackId: '0100017f-bounce',
    reportingMTA: 'dsn; e226-55.smtp-out.us-east-2.amazonses.com',
  },
  mail: {
    timestamp: '2026-11-30T12:00:00.000Z',
    source: 'digests@vision-progress.example',
    sourceArn: 'arn:aws:ses:us-east-2:123456789012:identity/vision-progress.example',
    sendingAccountId: '123456789012',
    messageId: '0100017f-message',
    destination: ['leader@example.org'],
    headersTruncated: false,
    tags: {
      'ses:configuration-set': ['VisionProgress-OH'],
      'ses:source-ip': ['192.0.2.0'],
      subscriberId: ['sub-0123456789abcdef'],
      districtId: ['lincoln-usd'],
    },
  },
};

describe('suppressionOf', () => {
  it('suppresses the subscriber a permanent bounce names in its tags', () => {
    expect(suppressionOf(SesEvent.parse(sampleBounce))).toEqual({
      subscriberId: 'sub-0123456789abcdef',
      districtId: 'lincoln-usd',
      reason: 'bounce',
    });
  });

  it('suppresses on a complaint, a state-wide subscriber too', () => {
    const { districtId, ...stateTags } = sampleBounce.mail.tags;
    const complaint = {
      eventType: 'Complaint',
      complaint: {
        complainedRecipients: [{ emailAddress: 'leader@example.org' }],
        complaintFeedbackType: 'abuse',
      },
      mail: { ...sampleBounce.mail, tags: stateTags },
    };
    expect(suppressionOf(SesEvent.parse(complaint))).toEqual({
      subscriberId: 'sub-0123456789abcdef',
      reason: 'complaint',
    });
  });

  it('lets a transient bounce, a delivery and an untagged e-mail pass', () => {
    const transient = { ...sampleBounce, bounce: { ...sampleBounce.bounce, bounceType: 'Transient' } };
    expect(suppressionOf(SesEvent.parse(transient))).toBeUndefined();
    expect(suppressionOf(SesEvent.parse({ eventType: 'Delivery', mail: sampleBounce.mail }))).toBeUndefined();
    expect(
      suppressionOf(SesEvent.parse({ ...sampleBounce, mail: { messageId: 'm', tags: {} } })),
    ).toBeUndefined();
  });
});
