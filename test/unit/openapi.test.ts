/**
 * The OpenAPI document, checked by a third-party validator (@readme/openapi-parser: the OpenAPI 3.1 schema plus
 * the rules a schema cannot state, such as unique operation ids and declared path parameters), against the
 * topology the platform is built from, and for the promises of the contract: keyed routes say how they fail
 * without a key, body routes how they fail on a bad body, and every example is one the API accepts.
 */
import { compileErrors, validate as validateOpenApi } from '@readme/openapi-parser';
import { Ajv2020 } from 'ajv/dist/2020.js';
import addFormats from 'ajv-formats';
import { describe, expect, it } from 'vitest';
import { topology } from '../../infra/topology';
import * as assessments from '../../shared/contract/assessments';
import * as common from '../../shared/contract/common';
import { CORRELATION_ID_PATTERN } from '../../shared/contract/common';
import * as digestRun from '../../shared/contract/digest-run';
import * as districts from '../../shared/contract/districts';
import * as framework from '../../shared/contract/framework';
import * as health from '../../shared/contract/health';
import * as milestones from '../../shared/contract/milestones';
import { openApiDocument } from '../../shared/contract/openapi';
import * as subscribers from '../../shared/contract/subscribers';
import * as z from '../../shared/contract/zod';

const document = openApiDocument({ serverUrl: 'https://vision-progress.localhost' });

/** The document as plain JSON, as a client reads it from /openapi.json. */
const json = JSON.parse(JSON.stringify(document)) as OpenApiJson;

interface MediaType {
  schema?: unknown;
  example?: unknown;
  examples?: Record<string, { value?: unknown }>;
}
interface Operation {
  operationId?: string;
  parameters?: ({ $ref: string } | { name: string; in: string })[];
  security?: Record<string, string[]>[];
  requestBody?: { required?: boolean; content: Record<string, MediaType> };
  responses: Record<string, { content?: Record<string, MediaType>; headers?: Record<string, unknown> }>;
}
interface OpenApiJson {
  paths: Record<string, Record<string, Operation>>;
  components: {
    schemas: Record<string, unknown>;
    securitySchemes: Record<string, unknown>;
    parameters: Record<string, { name: string; in: string; required: boolean; schema: unknown }>;
    headers: Record<string, unknown>;
  };
}

const operations = Object.entries(json.paths).flatMap(([path, item]) =>
  Object.entries(item).map(([method, operation]) => ({ method: method.toUpperCase(), path, operation })),
);
const operationOf = (method: string, path: string) => {
  const found = json.paths[path]?.[method.toLowerCase()];
  if (!found) throw new Error(`${method} ${path} is not in the document`);
  return found;
};
const keyed = topology.routes.filter((route) => route.auth !== 'none');
const publicRoutes = topology.routes.filter((route) => route.auth === 'none');
const withBody = operations.filter(({ operation }) => operation.requestBody !== undefined);
const PROBLEM = { $ref: '#/components/schemas/Problem' };

describe('the OpenAPI document', () => {
  it('is a valid OpenAPI 3.1 document', async () => {
    // the parser dereferences in place: give it a copy
    const result = await validateOpenApi(structuredClone(json) as never, { resolve: { external: false } });

    expect(result.valid, result.valid ? '' : compileErrors(result)).toBe(true);
    expect(result.warnings).toEqual([]);
    expect(document.openapi).toBe('3.1.0');
  });

  it('describes exactly the routes of the topology, with their methods', () => {
    const documented = operations.map(({ method, path }) => `${method} ${path}`).sort();
    const declared = topology.routes.map((route) => `${route.method} ${route.path}`).sort();

    expect(documented).toEqual(declared);
  });

  it('declares the bearer key scheme', () => {
    expect(json.components.securitySchemes.bearerKey).toMatchObject({ type: 'http', scheme: 'bearer' });
  });

  it.each(keyed.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s asks for a key and says how it fails without one',
    (_, route) => {
      const operation = operationOf(route.method, route.path);

      expect(operation.security).toEqual([{ bearerKey: [] }]);
      for (const status of ['401', '403', '429']) {
        expect(operation.responses[status]?.content?.['application/problem+json']?.schema, status).toEqual(
          PROBLEM,
        );
      }
      expect(operation.responses['429']?.headers).toHaveProperty('Retry-After');
    },
  );

  it.each(publicRoutes.map((route) => [`${route.method} ${route.path}`, route] as const))(
    '%s is public',
    (_, route) => {
      const security = operationOf(route.method, route.path).security;

      expect(security === undefined || security.length === 0).toBe(true);
    },
  );

  it.each(operations.map((entry) => [`${entry.method} ${entry.path}`, entry.operation] as const))(
    '%s takes an optional X-Correlation-Id and names the id in every answer',
    (_, operation) => {
      expect(operation.parameters).toContainEqual({ $ref: '#/components/parameters/CorrelationId' });
      for (const [status, response] of Object.entries(operation.responses)) {
        expect(response.headers?.['X-Correlation-Id'], status).toEqual({
          $ref: '#/components/headers/CorrelationId',
        });
      }
    },
  );

  it('documents the X-Correlation-Id the API keeps, as a header parameter and a response header', () => {
    const parameter = json.components.parameters.CorrelationId;
    expect(parameter).toMatchObject({ name: 'X-Correlation-Id', in: 'header', required: false });
    const schema = ajv.compile({ $ref: `${DOCUMENT_ID}#/components/parameters/CorrelationId/schema` });
    // the middleware keeps exactly the ids the document allows (test/unit/correlation.test.ts shows it keeps them)
    for (const id of ['sis-nightly-2026-09-14-0001', 'a1b2c3d4', 'x'.repeat(128), 'run:42.retry_1']) {
      expect(schema(id), id).toBe(true);
      expect(CORRELATION_ID_PATTERN.test(id), id).toBe(true);
    }
    for (const id of ['short', 'x'.repeat(129), 'has space 123', 'new\nline-1234', '<script>1234']) {
      expect(schema(id), id).toBe(false);
    }
    expect(json.components.headers.CorrelationId).toMatchObject({ schema: { type: 'string' } });
  });

  it('has routes with a body', () => {
    expect(withBody.length).toBeGreaterThanOrEqual(5);
  });

  it.each(withBody.map((entry) => [`${entry.method} ${entry.path}`, entry.operation] as const))(
    '%s takes a required JSON body and says how it fails on a bad one',
    (_, operation) => {
      expect(operation.requestBody?.required).toBe(true);
      expect(Object.keys(operation.requestBody?.content ?? {})).toEqual(['application/json']);
      expect(operation.requestBody?.content['application/json']?.schema).toBeDefined();
      for (const status of ['400', '413', '415']) {
        expect(operation.responses[status]?.content?.['application/problem+json']?.schema, status).toEqual(
          PROBLEM,
        );
      }
    },
  );

  it.each(operations.map((entry) => [`${entry.method} ${entry.path}`, entry.operation] as const))(
    '%s has an operation id, a success response, and a schema for every response body',
    (_, operation) => {
      expect(operation.operationId).toMatch(/^[a-z][A-Za-z]+$/);
      const statuses = Object.keys(operation.responses);
      expect(statuses.some((status) => /^2\d\d$/.test(status))).toBe(true);
      for (const status of statuses) {
        const response = operation.responses[status];
        // 204 and 304 carry no body; every other answer says what its body is
        if (status === '204' || status === '304') {
          expect(response?.content, status).toBeUndefined();
          continue;
        }
        const content = response?.content ?? {};
        expect(Object.keys(content).length, status).toBeGreaterThan(0);
        for (const [type, media] of Object.entries(content)) {
          expect(media.schema, `${status} ${type}`).toBeDefined();
        }
      }
    },
  );
});

/** Every zod schema the contract exports, by export name: the name it is registered under in the document. */
const contractSchemas = new Map<string, z.ZodType>(
  [assessments, common, digestRun, districts, framework, health, milestones, subscribers].flatMap((module) =>
    Object.entries(module).filter((entry): entry is [string, z.ZodType] => entry[1] instanceof z.ZodType),
  ),
);

/** A JSON pointer segment. */
const segment = (key: string) => key.replaceAll('~', '~0').replaceAll('/', '~1');

/** The examples of request and response bodies, with the component their media type refers to. */
const bodyExamples = operations.flatMap(({ method, path, operation }) => {
  const at = `/paths/${segment(path)}/${method.toLowerCase()}`;
  const contents = [
    ['request', `${at}/requestBody`, operation.requestBody?.content ?? {}] as const,
    ...Object.entries(operation.responses).map(
      ([status, response]) => [status, `${at}/responses/${status}`, response.content ?? {}] as const,
    ),
  ];
  return contents.flatMap(([where, pointer, content]) =>
    Object.entries(content).flatMap(([type, media]) => {
      const ref = (media.schema as { $ref?: string } | undefined)?.$ref;
      const component = ref?.replace('#/components/schemas/', '');
      const values = [
        ...('example' in media ? [['example', media.example] as const] : []),
        ...Object.entries(media.examples ?? {}).map(([name, example]) => [name, example.value] as const),
      ];
      return values.map(([name, value]) => ({
        label: `${method} ${path} ${where} ${type} ${name}`,
        component,
        schemaPointer: `${pointer}/content/${segment(type)}/schema`,
        value,
      }));
    }),
  );
});

/** The outermost schemas of the document: each entry of components.schemas and each `schema` of a parameter,
 * header or media type, with its JSON pointer. */
function rootSchemas(node: unknown, pointer = ''): { pointer: string; schema: Record<string, unknown> }[] {
  if (typeof node !== 'object' || node === null) return [];
  return Object.entries(node).flatMap(([key, child]) => {
    const at = `${pointer}/${segment(key)}`;
    const isRoot = key === 'schema' || pointer === '/components/schemas';
    return isRoot ? [{ pointer: at, schema: child as Record<string, unknown> }] : rootSchemas(child, at);
  });
}

/** Keywords whose value is a map of subschemas, a list of them, or one. */
const SCHEMA_MAPS = new Set(['properties', 'patternProperties', '$defs', 'dependentSchemas']);
const SCHEMA_LISTS = new Set(['allOf', 'anyOf', 'oneOf', 'prefixItems']);
const SUBSCHEMAS = new Set([
  'items',
  'additionalProperties',
  'not',
  'contains',
  'propertyNames',
  'if',
  'then',
  'else',
  'unevaluatedItems',
  'unevaluatedProperties',
]);

/** Every `example` or `examples` keyword in a schema and its subschemas, with the pointer of the one holding it. */
function examplesWithin(schema: unknown, pointer: string): { pointer: string; value: unknown }[] {
  if (typeof schema !== 'object' || schema === null) return [];
  const record = schema as Record<string, unknown>;
  const own = [
    ...('example' in record ? [{ pointer, value: record.example }] : []),
    ...(Array.isArray(record.examples) ? record.examples.map((value: unknown) => ({ pointer, value })) : []),
  ];
  const nested = Object.entries(record).flatMap(([keyword, value]) => {
    const at = `${pointer}/${segment(keyword)}`;
    if (SUBSCHEMAS.has(keyword)) return examplesWithin(value, at);
    if (SCHEMA_LISTS.has(keyword) && Array.isArray(value)) {
      return value.flatMap((child, index) => examplesWithin(child, `${at}/${index}`));
    }
    if (SCHEMA_MAPS.has(keyword) && typeof value === 'object' && value !== null) {
      return Object.entries(value).flatMap(([name, child]) =>
        examplesWithin(child, `${at}/${segment(name)}`),
      );
    }
    return [];
  });
  return [...own, ...nested];
}

const schemas = rootSchemas(json);
const DOCUMENT_ID = 'urn:vision-progress:openapi';
// the document is not a schema itself, but registering it lets a `$ref` point into it by JSON pointer
const ajv = new Ajv2020({ strict: false, allErrors: true, validateSchema: false });
addFormats(ajv);
ajv.addSchema(json, DOCUMENT_ID);

describe('the schemas of the document', () => {
  it('are many', () => {
    expect(schemas.length).toBeGreaterThanOrEqual(30);
  });

  // the OpenAPI 3.1 schema leaves Schema Objects to their JSON Schema dialect, so the validator above does not
  // look inside them: the 2020-12 meta-schema does
  it('are each valid JSON Schema 2020-12', () => {
    const invalid = schemas.flatMap(({ pointer, schema }) =>
      ajv.validateSchema(schema) ? [] : [{ pointer, errors: ajv.errorsText(ajv.errors) }],
    );

    expect(invalid).toEqual([]);
  });
});

describe('the examples of the document', () => {
  it('include body examples', () => {
    expect(bodyExamples.length).toBeGreaterThanOrEqual(5);
  });

  it.each(bodyExamples.map((example) => [example.label, example] as const))(
    '%s is accepted by the zod schema the API validates with',
    (_, example) => {
      const schema = example.component === undefined ? undefined : contractSchemas.get(example.component);
      expect(schema, `a contract schema named ${example.component}`).toBeDefined();

      const result = schema?.safeParse(example.value);

      expect(result?.error?.issues ?? []).toEqual([]);
    },
  );

  const examples = [
    ...schemas.flatMap((root) => examplesWithin(root.schema, root.pointer)),
    ...bodyExamples.map((example) => ({ pointer: example.schemaPointer, value: example.value })),
  ];

  it('include schema examples', () => {
    expect(examples.length).toBeGreaterThanOrEqual(20);
  });

  it('are each valid against the schema they belong to', () => {
    const invalid = examples.flatMap(({ pointer, value }) => {
      const check = ajv.compile({ $ref: `${DOCUMENT_ID}#${pointer}` });
      return check(value) ? [] : [{ pointer, value, errors: ajv.errorsText(check.errors) }];
    });

    expect(invalid).toEqual([]);
  });
});
