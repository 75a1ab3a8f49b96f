/**
 * The one zod instance of the contract, extended with `.openapi()` so that every schema that validates a
 * request is also the source of the OpenAPI document. Import it as a namespace (`import * as z from './zod'`):
 * esbuild then keeps only the parts of zod a function uses, where a `z` object handed around would keep all of
 * it (its locales, its JSON Schema conversion: 360 KB more in every bundle).
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import * as z from 'zod';

// the extension patches only ZodType.prototype; the whole namespace object would keep all of zod in the bundle
extendZodWithOpenApi({ ZodType: z.ZodType } as typeof z);

// A missing field reads "is required", whatever type it should have had; a field of the wrong type keeps zod's
// "expected string, received number". Only an error map sees the input (issues keep it only on request), so this
// is decided here, once, for every schema without a message of its own.
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
});

export * from 'zod';
