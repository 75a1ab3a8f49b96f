/**
 * Turns a relayed stream record into plain items: the one place that knows the stream's attribute encoding.
 */
import type { AttributeValue } from '@aws-sdk/client-dynamodb';
import { unmarshall } from '@aws-sdk/util-dynamodb';
import { StreamChange } from '../contract/change';
import { CORRELATION_ATTRIBUTE } from './table';

export interface TableChange {
  readonly id: string;
  readonly kind: 'INSERT' | 'MODIFY' | 'REMOVE';
  /** The item's `type` attribute, from the new image or, for a removal, the old one. */
  readonly itemType: string | undefined;
  readonly sequenceNumber: string;
  readonly newItem: Record<string, unknown> | undefined;
  readonly oldItem: Record<string, unknown> | undefined;
  /**
   * The correlation id of the request whose write made this change (shared/store/table.ts); undefined for a
   * removal and for items written without one.
   */
  readonly correlationId: string | undefined;
}

function plain(image: Record<string, unknown> | undefined) {
  return image ? unmarshall(image as Record<string, AttributeValue>) : undefined;
}

/** Parses a message body; throws a ZodError or SyntaxError on anything that is not a stream record. */
export function decodeChange(body: string): TableChange {
  const record = StreamChange.parse(JSON.parse(body));
  const newItem = plain(record.dynamodb.NewImage);
  const oldItem = plain(record.dynamodb.OldImage);
  const type = (newItem ?? oldItem)?.type;
  const correlationId = newItem?.[CORRELATION_ATTRIBUTE];
  return {
    id: record.eventID,
    kind: record.eventName,
    itemType: typeof type === 'string' ? type : undefined,
    sequenceNumber: record.dynamodb.SequenceNumber,
    newItem,
    oldItem,
    correlationId: typeof correlationId === 'string' ? correlationId : undefined,
  };
}
