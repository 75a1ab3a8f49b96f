import { describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology';
import { hashSecret, newKey, parseKey, secretMatches } from '../../shared/domain/api-keys';

describe('API keys', () => {
  it('makes district and state keys that parse back to their id and secret', () => {
    const district = newKey({ kind: 'district', districtId: 'lincoln' });
    const parsed = parseKey(`Bearer ${district.apiKey}`);
    expect(parsed).toMatchObject({ kind: 'district', keyId: district.keyId });
    expect(secretMatches(parsed!.secret, district.secretHash)).toBe(true);
    expect(parseKey(newKey({ kind: 'state' }).apiKey)?.kind).toBe('state');
  });

  it('never stores the key itself, and every key is different', () => {
    const keys = Array.from({ length: 50 }, () => newKey({ kind: 'state' }));
    expect(new Set(keys.map((k) => k.apiKey)).size).toBe(50);
    for (const key of keys) {
      const secret = parseKey(key.apiKey)!.secret;
      expect(key.secretHash).toMatch(/^[0-9a-f]{64}$/);
      expect(key.secretHash).not.toContain(secret);
      expect(key.usageKey).not.toContain(secret);
    }
  });

  it('matches the shape API Gateway lets through to the authorizer', () => {
    const pattern = new RegExp(topology.authorizer.identityValidationExpression);
    expect(pattern.test(`Bearer ${newKey({ kind: 'district', districtId: 'x' }).apiKey}`)).toBe(true);
    expect(pattern.test('Bearer nonsense')).toBe(false);
  });

  it.each(['', 'Bearer', 'vp_x_0123456789abcdef_aaaa', 'Basic dXNlcjpwYXNz', `vp_s_0123_${'a'.repeat(43)}`])(
    'refuses the malformed key %j',
    (presented) => {
      expect(parseKey(presented)).toBeUndefined();
    },
  );

  it('refuses a wrong secret for a known id', () => {
    const key = newKey({ kind: 'state' });
    expect(secretMatches('x'.repeat(43), key.secretHash)).toBe(false);
    expect(secretMatches('anything', hashSecret('other'))).toBe(false);
  });
});
