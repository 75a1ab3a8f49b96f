import * as z from 'zod';
import { readEnvironment } from '../../shared/runtime/env';

export const workerEnvironment = readEnvironment({
  TABLE_NAME: z.string().min(1),
});
