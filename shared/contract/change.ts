/**
 * A table change as the stream relay delivers it to the metrics queue: the DynamoDB stream record, as JSON, one
 * per SQS message (the EventBridge Pipe in AWS and the local relay send the same shape).
 */
import * as z from 'zod';

const AttributeMap = z.record(z.string(), z.unknown());

export const StreamChange = z.object({
  eventID: z.string().min(1),
  eventName: z.enum(['INSERT', 'MODIFY', 'REMOVE']),
  dynamodb: z.object({
    Keys: AttributeMap,
    NewImage: AttributeMap.optional(),
    OldImage: AttributeMap.optional(),
    SequenceNumber: z.string().min(1),
    ApproximateCreationDateTime: z.number().optional(),
  }),
});

export type StreamChange = z.infer<typeof StreamChange>;
