/**
 * What `dlq show` says about a dead letter's body, and nothing more. The bodies of the metrics queue are DynamoDB
 * stream records whose images hold learner and respondent ids, personal data of students: a summary keeps the
 * record's event id and name, the item's `type` and its table keys, and never an image. Digest jobs hold ids of
 * subscribers and districts, no e-mail address, and are shown whole; a body that is not what its queue carries
 * is shown by its size alone, since nothing says what else it holds. SES events (the mail events queue) hold
 * recipients' addresses: a summary keeps the event type, the bounce type, SES's message id and the subscriber and
 * district the digest's tags name, never an address.
 */
import * as z from 'zod';
import { DigestJob } from '../../shared/contract/digest-job';
import { readMailEvent } from '../../shared/contract/ses-event';
import { suppressionOf } from '../../shared/domain/suppression-events';
import { type QueueName, topology } from '../topology';

/** A table change, by the parts of its stream record that identify it. */
export interface ChangeSummary {
  readonly kind: 'change';
  readonly eventID: string;
  readonly eventName: string;
  /** The item's `type` attribute, from the new image or, for a removal, the old one. */
  readonly itemType?: string;
  readonly pk?: string;
  readonly sk?: string;
}

/** A digest job, as the planner enqueued it. */
export interface DigestJobSummary extends DigestJob {
  readonly kind: 'digest-job';
}

/** An SES event of the mail events queue, by what identifies it and whom it is about. */
export interface MailEventSummary {
  readonly kind: 'mail-event';
  readonly eventType: string;
  readonly bounceType?: string;
  /** SES's id of the e-mail the event is about. */
  readonly sesMessageId: string;
  /** The subscriber the event suppresses, as the digest's tags name it; absent when it suppresses nobody. */
  readonly subscriberId?: string;
  readonly districtId?: string;
}

/** A body that is not what its queue carries. */
export interface UnreadableSummary {
  readonly kind: 'unreadable';
  /** Why, in words that quote nothing of the body. */
  readonly reason: string;
  readonly bytes: number;
}

export type DeadLetterSummary = ChangeSummary | DigestJobSummary | MailEventSummary | UnreadableSummary;

/** A string attribute in the stream's encoding: `{ "S": "..." }`. */
const StringAttribute = z.object({ S: z.string() });

/**
 * The parts of a stream record a summary reads; the images are read for their `type` attribute only. Laxer
 * than the worker's schema (shared/contract/change.ts), since a record the worker refused is worth identifying.
 */
const StreamRecordHead = z.object({
  eventID: z.string(),
  eventName: z.string(),
  dynamodb: z
    .object({
      Keys: z.record(z.string(), z.unknown()).optional(),
      NewImage: z.object({ type: StringAttribute.optional() }).optional(),
      OldImage: z.object({ type: StringAttribute.optional() }).optional(),
    })
    .optional(),
});

/** The summary of a message body of the dead-letter queue of `queue`. */
export function summarizeDeadLetter(queue: QueueName, body: string): DeadLetterSummary {
  const bytes = Buffer.byteLength(body, 'utf8');
  if (queue === 'mailEvents') return summarizeMailEvent(body, bytes);
  let parsed: unknown;
  try {
    parsed = JSON.parse(body);
  } catch {
    return { kind: 'unreadable', reason: 'not JSON', bytes };
  }
  return queue === 'metrics' ? summarizeChange(parsed, bytes) : summarizeDigestJob(parsed, bytes);
}

function summarizeChange(parsed: unknown, bytes: number): DeadLetterSummary {
  const record = StreamRecordHead.safeParse(parsed);
  if (!record.success) return { kind: 'unreadable', reason: 'not a stream record', bytes };
  const { eventID, eventName, dynamodb } = record.data;
  const itemType = (dynamodb?.NewImage ?? dynamodb?.OldImage)?.type?.S;
  const pk = keyOf(dynamodb?.Keys, topology.table.partitionKey);
  const sk = keyOf(dynamodb?.Keys, topology.table.sortKey);
  return {
    kind: 'change',
    eventID,
    eventName,
    ...(itemType === undefined ? {} : { itemType }),
    ...(pk === undefined ? {} : { pk }),
    ...(sk === undefined ? {} : { sk }),
  };
}

/** A string key attribute of the record's Keys. */
function keyOf(keys: Record<string, unknown> | undefined, name: string): string | undefined {
  const attribute = StringAttribute.safeParse(keys?.[name]);
  return attribute.success ? attribute.data.S : undefined;
}

function summarizeDigestJob(parsed: unknown, bytes: number): DeadLetterSummary {
  // a strict schema: a job with a field the contract does not have (an address, say) is not shown
  const job = DigestJob.safeParse(parsed);
  if (!job.success) return { kind: 'unreadable', reason: 'not a digest job', bytes };
  return { kind: 'digest-job', ...job.data };
}

function summarizeMailEvent(body: string, bytes: number): DeadLetterSummary {
  let event: ReturnType<typeof readMailEvent>;
  try {
    event = readMailEvent(body);
  } catch {
    return { kind: 'unreadable', reason: 'not an SES event', bytes };
  }
  if (!event) return { kind: 'unreadable', reason: "SES's topic validation message", bytes };
  const suppression = suppressionOf(event);
  return {
    kind: 'mail-event',
    eventType: event.eventType,
    ...(event.bounce ? { bounceType: event.bounce.bounceType } : {}),
    sesMessageId: event.mail.messageId,
    ...(suppression ? { subscriberId: suppression.subscriberId } : {}),
    ...(suppression?.districtId ? { districtId: suppression.districtId } : {}),
  };
}

/** The summary on one line, for the table of `dlq show`. */
export function describeSummary(summary: DeadLetterSummary): string {
  switch (summary.kind) {
    case 'change':
      return [
        summary.eventName,
        summary.itemType ?? '(no type)',
        `${summary.pk ?? '?'} ${summary.sk ?? '?'}`,
        `event ${summary.eventID}`,
      ].join('  ');
    case 'digest-job':
      return [
        `${summary.cadence} ${summary.period}`,
        `subscriber ${summary.subscriberId}`,
        summary.districtId === undefined ? 'state roll-up' : `district ${summary.districtId}`,
        `planned ${summary.plannedAt}`,
      ].join('  ');
    case 'mail-event':
      return [
        summary.bounceType ? `${summary.eventType} ${summary.bounceType}` : summary.eventType,
        summary.subscriberId === undefined ? 'suppresses nobody' : `subscriber ${summary.subscriberId}`,
        ...(summary.districtId === undefined ? [] : [`district ${summary.districtId}`]),
        `ses message ${summary.sesMessageId}`,
      ].join('  ');
    case 'unreadable':
      return `unreadable: ${summary.reason} (${summary.bytes} bytes)`;
  }
}
