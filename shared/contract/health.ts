import * as z from './zod';

export const Health = z.object({ status: z.literal('ok') }).openapi('Health');
export type Health = z.infer<typeof Health>;
