import * as z from './zod';

/** Ids of the contract: 1–64 chars of `[a-z0-9-]`, starting with a letter or digit. */
export const Id = z
  .string()
  .regex(
    /^[a-z0-9][a-z0-9-]{0,63}$/,
    'must be 1-64 characters of a-z, 0-9 and -, starting with a letter or digit',
  )
  .openapi({ example: 'lincoln-usd' });

/** A calendar date, `YYYY-MM-DD`. */
export const IsoDate = z.iso.date({ error: 'must be a date YYYY-MM-DD' }).openapi({ example: '2027-03-01' });

/** An ISO-8601 timestamp with an offset (`Z` or `±hh:mm`). */
export const Timestamp = z.iso
  .datetime({ offset: true, error: 'must be an ISO-8601 timestamp with offset, e.g. 2026-11-20T15:04:05Z' })
  .openapi({ example: '2026-11-20T15:04:05Z' });

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

/**
 * What a caller's `X-Correlation-Id` must look like to be kept: a token that is safe in a log line, a header and a
 * table item. Any other value is ignored, and the request gets the gateway's request id instead.
 */
export const CORRELATION_ID_PATTERN = /^[A-Za-z0-9._:-]{8,128}$/;

/** Every problem response, RFC 9457. */
export const Problem = z
  .object({
    type: z.string().openapi({ example: 'https://vision-progress.dev/problems/400' }),
    title: z.string().openapi({ example: 'Bad Request' }),
    status: z.number().int().openapi({ example: 400 }),
    detail: z.string().openapi({ example: 'The request has 1 invalid field.' }),
    correlationId: z.string().openapi({ example: '6b1d1f0e-3f7b-4c1e-9a55-2f1f7f0b8a10' }),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .openapi({ example: [{ path: 'ratings.0.level', message: 'must be within 1..4 (the rubric)' }] }),
  })
  .openapi('Problem');

/** `?limit=&nextToken=` of every list route. */
export const ListQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50).openapi({ example: 50 }),
  nextToken: z.string().min(1).max(2048).optional(),
});

/** `{items, nextToken?}` of every list route. */
export const listOf = <T extends z.ZodType>(item: T) =>
  z.object({
    items: z.array(item),
    nextToken: z.string().optional().openapi({ description: 'Pass as ?nextToken= to get the next page.' }),
  });
