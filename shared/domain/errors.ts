/**
 * Domain errors: what went wrong in the platform's own terms. shared/http maps each to its status in one place.
 */
import type { FieldError } from './field-error';

/** The input is wrong; every bad field is listed. */
export class InvalidInputError extends Error {
  override readonly name = 'InvalidInputError';
  constructor(
    message: string,
    readonly errors: readonly FieldError[],
  ) {
    super(message);
  }
}

/** What the request names does not exist. */
export class NotFoundError extends Error {
  override readonly name = 'NotFoundError';
}

/** The request contradicts what is stored (same natural key, different content; a voided id reused; …). */
export class ConflictError extends Error {
  override readonly name = 'ConflictError';
}
