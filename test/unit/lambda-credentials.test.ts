import { afterEach, describe, expect, it, vi } from 'vitest';
import { defaultProvider } from '../../shared/runtime/lambda-credentials';

describe("the functions' credential chain", () => {
  afterEach(() => {
    vi.unstubAllEnvs();
  });

  it("answers the execution role's credentials from the environment, as Lambda sets them", async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', 'ASIAEXAMPLEKEYID');
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', 'example-secret');
    vi.stubEnv('AWS_SESSION_TOKEN', 'example-session-token');
    await expect(defaultProvider()()).resolves.toMatchObject({
      accessKeyId: 'ASIAEXAMPLEKEYID',
      secretAccessKey: 'example-secret',
      sessionToken: 'example-session-token',
    });
  });

  it('looks nowhere else: without them it fails', async () => {
    vi.stubEnv('AWS_ACCESS_KEY_ID', undefined);
    vi.stubEnv('AWS_SECRET_ACCESS_KEY', undefined);
    vi.stubEnv('AWS_PROFILE', 'default');
    await expect(defaultProvider()()).rejects.toMatchObject({ name: 'CredentialsProviderError' });
  });
});
