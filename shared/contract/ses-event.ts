/**
 * The SES events the state's configuration set publishes (bounces and complaints), as far as the platform reads
 * them: the event type, what kind of bounce, and the message tags the sender put on the e-mail
 * (shared/store/mailer.ts), which name the subscriber. Everything else in the event, the addresses included, is
 * left unread.
 */
import { z } from 'zod';

const Tags = z.record(z.string(), z.array(z.string()));

export const SesEvent = z.object({
  eventType: z.string(),
  bounce: z.object({ bounceType: z.string() }).optional(),
  mail: z.object({ messageId: z.string(), tags: Tags.default({}) }),
});

export type SesEvent = z.infer<typeof SesEvent>;
