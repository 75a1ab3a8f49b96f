/**
 * The one zod instance of the contract, extended with `.openapi()` so that every schema that validates a
 * request is also the source of the OpenAPI document.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

// A missing field reads "is required", whatever type it should have had; a field of the wrong type keeps zod's
// "expected string, received number". Only an error map sees the input (issues keep it only on request), so this
// is decided here, once, for every schema without a message of its own.
z.config({
  customError: (issue) =>
    issue.code === 'invalid_type' && issue.input === undefined ? 'is required' : undefined,
});

export { z };
