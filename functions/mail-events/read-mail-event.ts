/**
 * The SES event of a message of the mail events queue. The topic delivers to the queue with raw message delivery,
 * so a body is the SES event itself; a body in an SNS envelope (`{"Type": "Notification", "Message": "<the
 * event>"}`, were raw delivery turned off) is read as well. Also read by `npm run ops -- dlq show mailEvents`.
 */
import { z } from 'zod';
import { SesEvent } from '../../shared/contract/ses-event';

/**
 * A body that is not an SES event. Its message says what it is not, and never quotes it (a JSON parse error does,
 * hence no `cause`).
 */
export class UnreadableMailEventError extends Error {
  override readonly name = 'UnreadableMailEventError';
}

/** The SNS envelope of a message delivered without raw message delivery. */
const SnsNotification = z.object({ Type: z.literal('Notification'), Message: z.string() });

function parseJson(text: string, what: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    throw new UnreadableMailEventError(`${what} is not JSON`);
  }
}

/** The SES event of a message body, raw or in an SNS envelope; UnreadableMailEventError when there is none. */
export function readMailEvent(body: string): SesEvent {
  let content = parseJson(body, 'the body');
  const envelope = SnsNotification.safeParse(content);
  if (envelope.success) content = parseJson(envelope.data.Message, 'the SNS message');
  const event = SesEvent.safeParse(content);
  if (!event.success) throw new UnreadableMailEventError('the body is not an SES event');
  return event.data;
}
