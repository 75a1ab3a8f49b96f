/**
 * The secrets of the unsubscribe tokens (shared/domain/unsubscribe-token.ts): the first signs, all verify.
 *
 * - In AWS (`UNSUBSCRIBE_SECRET_ARN`): the Secrets Manager secret's AWSCURRENT version signs; AWSCURRENT and,
 *   after a rotation, AWSPREVIOUS verify, so the links in e-mails sent before the rotation keep working. Read
 *   through Powertools Parameters, cached for five minutes per container: a rotation reaches every function
 *   within that time; a failed refresh keeps the values read last.
 * - On the local stack (`UNSUBSCRIBE_SECRET_FILE`): a file in `.local/`, one secret per line, the first one
 *   current, the later ones older secrets still accepted.
 */
import { readFile } from 'node:fs/promises';
import { GetParameterError } from '@aws-lambda-powertools/parameters/errors';
import { SecretsProvider } from '@aws-lambda-powertools/parameters/secrets';
import { ResourceNotFoundException, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import * as z from 'zod';
import { readEnvironment } from './env';
import { logger } from './logger';
import { tracer } from './tracer';

export interface UnsubscribeSecrets {
  /** Signs new tokens. */
  readonly current: string;
  /** Verifies tokens: the current secret first, then older ones still accepted. */
  readonly accepted: readonly string[];
}

export type UnsubscribeSecretSource = () => Promise<UnsubscribeSecrets>;

const MAX_AGE_SECONDS = 300;

/** The secrets of a local secret file. */
export function secretsFromFile(file: string): UnsubscribeSecretSource {
  return async () => {
    const lines = (await readFile(file, 'utf8'))
      .split('\n')
      .map((line) => line.trim())
      .filter((line) => line.length > 0);
    const [current] = lines;
    if (!current) throw new Error('the unsubscribe secret file holds no secret');
    return { current, accepted: lines };
  };
}

/** What a function does with the secrets: the sender only signs; the api function verifies. */
export type SecretUse = 'sign' | 'verify';

/**
 * The secrets of a Secrets Manager secret: AWSCURRENT and, to verify, AWSPREVIOUS when there is one. Both are
 * kept for five minutes, the absence of AWSPREVIOUS (a secret never rotated) included; when a refresh fails
 * (Secrets Manager throttling or unreachable), the values read last keep serving until it succeeds.
 */
export function secretsFromSecretsManager(
  secretId: string,
  use: SecretUse,
  client: SecretsManagerClient = tracer.captureAWSv3Client(new SecretsManagerClient({})),
  clock: () => number = Date.now,
): UnsubscribeSecretSource {
  // one provider per version stage: Powertools caches by name only; forceFetch, as the cache is kept here
  const current = new SecretsProvider({ awsSdkV3Client: client });
  const previous = new SecretsProvider({ awsSdkV3Client: client });
  let last: { readonly secrets: UnsubscribeSecrets; readonly at: number } | undefined;

  const read = async (): Promise<UnsubscribeSecrets> => {
    const [signing, older] = await Promise.all([
      current.get(secretId, { forceFetch: true }),
      use === 'sign'
        ? undefined
        : previous
            .get(secretId, { forceFetch: true, sdkOptions: { VersionStage: 'AWSPREVIOUS' } })
            .catch((error: unknown) => {
              // a secret never rotated has no AWSPREVIOUS version
              if (error instanceof GetParameterError && error.cause instanceof ResourceNotFoundException) {
                return undefined;
              }
              throw error;
            }),
    ]);
    if (typeof signing !== 'string' || signing.length === 0) {
      throw new Error('the unsubscribe secret has no string value');
    }
    return {
      current: signing,
      accepted: typeof older === 'string' && older.length > 0 ? [signing, older] : [signing],
    };
  };

  return async () => {
    if (last && clock() - last.at < MAX_AGE_SECONDS * 1000) return last.secrets;
    try {
      last = { secrets: await read(), at: clock() };
    } catch (error) {
      if (!last) throw error;
      logger.warn('unsubscribe secret not refreshed: the last values serve on', {
        error: error instanceof Error ? error.name : 'unknown error',
      });
    }
    return last.secrets;
  };
}

/** The source the function's environment names. */
export function unsubscribeSecretsFromEnvironment(use: SecretUse): UnsubscribeSecretSource {
  const env = readEnvironment({
    UNSUBSCRIBE_SECRET_ARN: z.string().min(1).optional(),
    UNSUBSCRIBE_SECRET_FILE: z.string().min(1).optional(),
  });
  if (env.UNSUBSCRIBE_SECRET_ARN) return secretsFromSecretsManager(env.UNSUBSCRIBE_SECRET_ARN, use);
  if (env.UNSUBSCRIBE_SECRET_FILE) return secretsFromFile(env.UNSUBSCRIBE_SECRET_FILE);
  throw new Error('neither UNSUBSCRIBE_SECRET_ARN nor UNSUBSCRIBE_SECRET_FILE is set');
}
