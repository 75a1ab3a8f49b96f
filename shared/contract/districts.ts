import { Id, listOf, Timestamp, Timezone } from './common';
import { Framework } from './framework';
import * as z from './zod';

export const CreateDistrict = z
  .strictObject({
    districtId: Id,
    name: z.string().trim().min(1).max(200).openapi({ example: 'Lincoln Unified School District' }),
    timezone: Timezone.optional().openapi({ description: "Defaults to the state's timezone." }),
    framework: Framework.optional().openapi({ description: "Defaults to the state's default framework." }),
  })
  .openapi('CreateDistrict');
export type CreateDistrict = z.infer<typeof CreateDistrict>;

export const NewApiKey = z
  .object({
    apiKey: z.string().openapi({
      description: 'The key: shown this once, stored only as a hash.',
      example: 'vp_d_3f9c1a2b4d5e6f70_q9X0m6y1N2b3V4c5X6z7A8s9D0f1G2h3J4k5L6m7N8p',
    }),
    keyId: z.string().openapi({ example: '3f9c1a2b4d5e6f70' }),
  })
  .openapi('NewApiKey');

export const CreatedDistrict = NewApiKey.extend({ districtId: Id }).openapi('CreatedDistrict');

export const District = z
  .object({ districtId: Id, name: z.string(), timezone: z.string(), createdAt: Timestamp })
  .openapi('District');
export type District = z.infer<typeof District>;

export const DistrictList = listOf(District).openapi('DistrictList');

export const DistrictPath = z.strictObject({ districtId: Id });
export const KeyPath = z.strictObject({
  districtId: Id,
  keyId: z.string().regex(/^[0-9a-f]{16}$/, 'must be a key id (16 hex digits)'),
});
