/**
 * The SES events the state's configuration set publishes (bounces and complaints), as far as the platform reads
 * them: the event type, what kind of bounce, and the message tags the sender put on the e-mail
 * (shared/store/mailer.ts), which name the subscriber. Everything else in the event, the addresses included, is
 * left unread.
 *
 * The topic delivers to the mail events queue with raw message delivery, so a message body is the SES event
 * itself; a body in an SNS envelope (`{"Type": "Notification", "Message": "<the event>"}`, were raw delivery
 * turned off) is read as well.
 */
import * as z from 'zod';

const Tags = z.record(z.string(), z.array(z.string()));

export const SesEvent = z.object({
  eventType: z.string(),
  bounce: z.object({ bounceType: z.string() }).optional(),
  mail: z.object({ messageId: z.string(), tags: Tags.default({}) }),
});

export type SesEvent = z.infer<typeof SesEvent>;

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

/**
 * What SES publishes to a topic when an event destination is created or changed, before any event: it says the
 * topic works, names nobody, and arrives as plain text with raw delivery.
 */
export const SNS_VALIDATION_MESSAGE = 'Successfully validated SNS topic for Amazon SES event publishing.';

/**
 * The SES event of a message body, raw or in an SNS envelope; `undefined` for SES's validation message;
 * UnreadableMailEventError for anything else.
 */
export function readMailEvent(body: string): SesEvent | undefined {
  if (body.trim() === SNS_VALIDATION_MESSAGE) return undefined;
  let content = parseJson(body, 'the body');
  const envelope = SnsNotification.safeParse(content);
  if (envelope.success) {
    if (envelope.data.Message.trim() === SNS_VALIDATION_MESSAGE) return undefined;
    content = parseJson(envelope.data.Message, 'the SNS message');
  }
  const event = SesEvent.safeParse(content);
  if (!event.success) throw new UnreadableMailEventError('the body is not an SES event');
  return event.data;
}
