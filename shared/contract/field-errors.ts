import type { z } from 'zod';
import type { FieldError } from '../domain/field-error';

/** Every problem of a zod error as a field error (`ratings.0.level`); unknown fields are listed one by one. */
export function fieldErrors(error: z.ZodError, prefix = ''): FieldError[] {
  const join = (path: readonly PropertyKey[]) =>
    [prefix, ...path.map(String)].filter((p) => p !== '').join('.');
  return error.issues.flatMap((issue): FieldError[] => {
    if (issue.code === 'unrecognized_keys') {
      return issue.keys.map((key) => ({ path: join([...issue.path, key]), message: 'is not a known field' }));
    }
    return [{ path: join(issue.path), message: issue.message }];
  });
}
