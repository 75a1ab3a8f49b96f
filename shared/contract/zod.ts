/**
 * The one zod instance of the contract, extended with `.openapi()` so that every schema that validates a
 * request is also the source of the OpenAPI document.
 */
import { extendZodWithOpenApi } from '@asteasolutions/zod-to-openapi';
import { z } from 'zod';

extendZodWithOpenApi(z);

export { z };
