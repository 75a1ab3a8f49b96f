import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../shared/domain/unsubscribe-token';

const secret = 'a'.repeat(32);
const rotated = 'b'.repeat(40);

describe('unsubscribe tokens', () => {
  it('name the subscriber they were signed for, district or state-wide', () => {
    const district = signUnsubscribeToken({ subscriberId: 'sub-1', districtId: 'lincoln-usd' }, secret);
    const state = signUnsubscribeToken({ subscriberId: 'sub-2' }, secret);
    expect(verifyUnsubscribeToken(district, [secret])).toEqual({
      subscriberId: 'sub-1',
      districtId: 'lincoln-usd',
    });
    expect(verifyUnsubscribeToken(state, [secret])).toEqual({ subscriberId: 'sub-2' });
    // URL-safe as they are
    expect(encodeURIComponent(district)).toBe(district);
  });

  it('keep working through a rotation while the old secret is still listed', () => {
    const old = signUnsubscribeToken({ subscriberId: 'sub-1' }, secret);
    expect(verifyUnsubscribeToken(old, [rotated, secret])).toEqual({ subscriberId: 'sub-1' });
    expect(verifyUnsubscribeToken(old, [rotated])).toBeUndefined();
  });

  it('refuse any altered token, and never throw on garbage', () => {
    const token = signUnsubscribeToken({ subscriberId: 'sub-1', districtId: 'd-1' }, secret);
    const [payload, signed] = token.split('.') as [string, string];
    const other = Buffer.from(JSON.stringify({ v: 1, s: 'sub-2', d: 'd-1' })).toString('base64url');
    expect(verifyUnsubscribeToken(`${other}.${signed}`, [secret])).toBeUndefined();
    expect(verifyUnsubscribeToken(`${payload}.${signed.slice(0, -2)}`, [secret])).toBeUndefined();
    expect(verifyUnsubscribeToken(`${payload}.${signed}.x`, [secret])).toBeUndefined();
    fc.assert(
      fc.property(fc.string(), (garbage) => {
        expect(verifyUnsubscribeToken(garbage, [secret])).toBeUndefined();
      }),
      { seed: 20261126 },
    );
  });

  it('refuse a secret too short to be one', () => {
    expect(() => signUnsubscribeToken({ subscriberId: 'sub-1' }, 'short')).toThrow(RangeError);
  });
});
