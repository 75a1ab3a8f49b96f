import * as z from 'zod';

/** Thrown at init when a function's environment is incomplete, so a misconfigured deploy fails on first call. */
export class ConfigurationError extends Error {
  override readonly name = 'ConfigurationError';
}

/**
 * Reads and validates the environment once; call it at module scope of a handler file (init, not per request).
 */
export function readEnvironment<T extends z.ZodRawShape>(shape: T, env: NodeJS.ProcessEnv = process.env) {
  const result = z.object(shape).safeParse(env);
  if (!result.success) {
    const fields = result.error.issues.map((issue) => `${issue.path.join('.')}: ${issue.message}`);
    throw new ConfigurationError(`invalid function environment: ${fields.join('; ')}`);
  }
  return result.data;
}
