/**
 * What the mail events function does with one SQS message: read the SES event it carries and, when the event is
 * a permanent bounce or a complaint of a digest (shared/domain/suppression-events.ts), mark the subscriber it names
 * `suppressed`, so that the planner skips it from then on (PRODUCT §6).
 *
 * SES events hold the recipients' addresses: neither a log line nor an error of this module quotes a body.
 */
import type { SesEvent } from '../../shared/contract/ses-event';
import { readMailEvent, UnreadableMailEventError } from '../../shared/contract/ses-event';
import { NotFoundError } from '../../shared/domain/errors';
import type { SubscriberScope } from '../../shared/domain/subscribers';
import { suppressionOf } from '../../shared/domain/suppression-events';
import { logger } from '../../shared/runtime/logger';
import { METRIC, record } from '../../shared/runtime/metrics';
import type { SubscriberStore } from '../../shared/store/subscribers';

/** What became of one message. */
export type MailEventOutcome = 'suppressed' | 'ignored' | 'subscriber-gone';

/**
 * Applies the SES event of one message body. Resolves when the message is done with: the subscriber suppressed,
 * an event that suppresses nobody (a transient bounce, a mail that is no digest), or a subscriber removed since
 * the digest went out. Rejects, failing the message so that SQS redelivers it, when the table could not be
 * written, and when the body is no SES event: such a body is not retried forever, it moves to the dead-letter
 * queue after maxReceiveCount receives, where `npm run ops -- dlq show mailEvents` shows it. Failing it is the
 * safe choice: a bounce that this code cannot read yet is kept, not lost, and can be redriven once it can.
 */
export async function applyMailEvent(
  body: string,
  messageId: string,
  store: Pick<SubscriberStore, 'setStatus'>,
): Promise<MailEventOutcome> {
  let event: SesEvent | undefined;
  try {
    event = readMailEvent(body);
  } catch (error) {
    if (error instanceof UnreadableMailEventError) {
      logger.error('mail event unreadable', { messageId, reason: error.message });
    }
    throw error;
  }
  if (!event) {
    // SES's word that the topic works, sent when the event destination is created or changed
    logger.info('mail events topic validated by SES', { messageId });
    return 'ignored';
  }
  const suppression = suppressionOf(event);
  const sesMessageId = event.mail.messageId;
  if (!suppression) {
    logger.info('mail event suppresses nobody', { messageId, sesMessageId, eventType: event.eventType });
    return 'ignored';
  }
  const { subscriberId, districtId, reason } = suppression;
  const scope: SubscriberScope = districtId ? { kind: 'district', districtId } : { kind: 'state' };
  try {
    await store.setStatus(scope, subscriberId, 'suppressed');
  } catch (error) {
    if (error instanceof NotFoundError) {
      // removed since the digest went out: nobody left to suppress, and nothing to retry
      logger.warn('suppressed subscriber no longer exists', { messageId, subscriberId, districtId, reason });
      return 'subscriber-gone';
    }
    throw error;
  }
  logger.info('subscriber suppressed', { messageId, sesMessageId, subscriberId, districtId, reason });
  record(reason === 'complaint' ? METRIC.complaints : METRIC.bounces, 1);
  return 'suppressed';
}
