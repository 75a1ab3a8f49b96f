import { z } from 'zod';
import { readEnvironment } from '../../shared/runtime/env';

export const apiEnvironment = readEnvironment({
  STATE_CODE: z.string().regex(/^[A-Z]{2}$/),
  TABLE_NAME: z.string().min(1),
  PUBLIC_BASE_URL: z.url(),
});
