import * as z from 'zod';
import { readEnvironment } from '../../shared/runtime/env';

export const mailEventsEnvironment = readEnvironment({
  TABLE_NAME: z.string().min(1),
});
