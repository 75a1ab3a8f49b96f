/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests. Each capability
 * registers its routes here; nothing about a payload is written twice.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31 } from '@asteasolutions/zod-to-openapi';
import { Problem } from './common';
import { Health } from './health';
import { z } from './zod';

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.register('Problem', Problem);

  registry.registerPath({
    method: 'get',
    path: '/v1/health',
    operationId: 'getHealth',
    summary: 'Liveness of the API',
    tags: ['Platform'],
    responses: {
      200: { description: 'The API answers.', content: { 'application/json': { schema: Health } } },
    },
  });
  registry.registerPath({
    method: 'get',
    path: '/openapi.json',
    operationId: 'getOpenApiDocument',
    summary: 'This OpenAPI 3.1 document',
    tags: ['Platform'],
    responses: {
      200: {
        description: 'The OpenAPI document of every route.',
        content: { 'application/json': { schema: z.record(z.string(), z.unknown()) } },
      },
    },
  });
  return registry;
}

export interface OpenApiOptions {
  /** Public base URL of the state's API, listed as the server. */
  readonly serverUrl?: string;
  readonly version?: string;
}

/** The whole document; pure, so it can be served, snapshotted and linted alike. */
export function openApiDocument(options: OpenApiOptions = {}) {
  const generator = new OpenApiGeneratorV31(buildRegistry().definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Vision Progress API',
      version: options.version ?? '1.0.0',
      description:
        'Vision milestones, condition self-assessments and competency evidence from district systems, and the ' +
        'progress metrics computed from them.',
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  });
}
