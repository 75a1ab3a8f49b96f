import { marshall } from '@aws-sdk/util-dynamodb';
import { describe, expect, it } from 'vitest';
import { decodeChange } from '../../shared/store/changes';

const record = (eventName: 'INSERT' | 'MODIFY' | 'REMOVE', image: Record<string, unknown>) =>
  JSON.stringify({
    eventID: `evt-${eventName}`,
    eventName,
    eventSource: 'aws:dynamodb',
    dynamodb: {
      Keys: marshall({ pk: image.pk, sk: image.sk }),
      ...(eventName === 'REMOVE' ? { OldImage: marshall(image) } : { NewImage: marshall(image) }),
      SequenceNumber: '100',
      StreamViewType: 'NEW_AND_OLD_IMAGES',
    },
  });

describe('decodeChange', () => {
  it('reads the item type from the new image, or from the old one of a removal', () => {
    const item = { pk: 'DISTRICT#d1', sk: 'MILESTONE#m1', type: 'milestone', title: 'Adopt a portrait' };
    expect(decodeChange(record('INSERT', item))).toMatchObject({
      kind: 'INSERT',
      itemType: 'milestone',
      newItem: item,
      oldItem: undefined,
    });
    expect(decodeChange(record('REMOVE', item))).toMatchObject({ kind: 'REMOVE', itemType: 'milestone' });
  });

  it('refuses a body that is not a stream record', () => {
    expect(() => decodeChange('{"hello":"world"}')).toThrow();
    expect(() => decodeChange('not json')).toThrow(SyntaxError);
  });
});
