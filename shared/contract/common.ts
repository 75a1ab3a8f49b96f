import { z } from './zod';

/** Ids of the contract: 1–64 chars of `[a-z0-9-]`, starting with a letter or digit. */
export const Id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be 1-64 characters of a-z, 0-9 and -, starting with a letter or digit',
  )
  .openapi({ example: 'lincoln-usd' });

/** An IANA timezone name that this runtime knows. */
export const Timezone = z
  .string()
  .refine(isKnownTimezone, { message: 'must be an IANA timezone name, e.g. America/New_York' })
  .openapi({ example: 'America/New_York' });

function isKnownTimezone(name: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: name });
    return name.includes('/') || name === 'UTC';
  } catch {
    return false;
  }
}

/** Every problem response, RFC 9457. */
export const Problem = z
  .object({
    type: z.string(),
    title: z.string(),
    status: z.number().int(),
    detail: z.string(),
    correlationId: z.string(),
    errors: z.array(z.object({ path: z.string(), message: z.string() })).optional(),
  })
  .openapi('Problem');
