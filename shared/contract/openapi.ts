/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests: nothing about a payload
 * is written twice.
 */
import { OpenAPIRegistry, OpenApiGeneratorV31, type RouteConfig } from '@asteasolutions/zod-to-openapi';
import { BatchResults, Submission, SubmissionAccepted, SubmissionBatch, SubmissionPath } from './assessments';
import { CORRELATION_ID_PATTERN, ListQuery, Problem } from './common';
import { DigestPreviewQuery, DigestRun, DigestRunResult, UnsubscribeQuery } from './digest-run';
import { CreateDistrict, CreatedDistrict, DistrictList, DistrictPath, KeyPath, NewApiKey } from './districts';
import {
  competencyEvidenceExample,
  conditionRatingExample,
  milestoneExample,
  subscriberExample,
} from './examples';
import { Framework } from './framework';
import { Health } from './health';
import { MilestoneBody, MilestoneList, MilestonePath, MilestoneWrite } from './milestones';
import { Progress } from './progress';
import { CreatedSubscriber, SubscriberBody, SubscriberList, SubscriberPath } from './subscribers';
import * as z from './zod';

const problem = (description: string) => ({
  description,
  content: { 'application/problem+json': { schema: Problem } },
});

/** The problems any keyed route may answer, by status. */
const KEYED_PROBLEMS = {
  401: problem('Missing, malformed, unknown or revoked key.'),
  403: problem('A district key acting on another district, or on a state-only route.'),
  429: {
    ...problem('Too many requests with this key; retry after the number of seconds in Retry-After.'),
    headers: { 'Retry-After': { schema: { type: 'integer' as const }, description: 'Seconds to wait.' } },
  },
};
const BODY_PROBLEMS = {
  400: problem('Malformed JSON, a schema violation, an unknown field or reference, a level off the scale.'),
  413: problem('The body is over 256 KiB.'),
  415: problem('The body is not application/json.'),
};
const NOT_FOUND = { 404: problem('The district or resource does not exist.') };

const jsonBody = (schema: z.ZodType, description: string, examples?: Record<string, unknown>) => ({
  body: {
    description,
    required: true,
    content: {
      'application/json': {
        schema,
        ...(examples
          ? {
              examples: Object.fromEntries(
                Object.entries(examples).map(([name, value]) => [name, { value }]),
              ),
            }
          : {}),
      },
    },
  },
});
const jsonResponse = (schema: z.ZodType, description: string) => ({
  description,
  content: { 'application/json': { schema } },
});

function routes(): RouteConfig[] {
  const keyed = [{ bearerKey: [] }];
  return [
    {
      method: 'get',
      path: '/v1/health',
      operationId: 'getHealth',
      summary: 'Liveness of the API',
      tags: ['Platform'],
      responses: { 200: jsonResponse(Health, 'The API answers.') },
    },
    {
      method: 'get',
      path: '/openapi.json',
      operationId: 'getOpenApiDocument',
      summary: 'This OpenAPI 3.1 document',
      tags: ['Platform'],
      responses: {
        200: jsonResponse(z.record(z.string(), z.unknown()), 'The OpenAPI document of every route.'),
      },
    },
    {
      method: 'get',
      path: '/docs',
      operationId: 'getDocs',
      summary: 'This reference, as a web page',
      tags: ['Platform'],
      responses: { 200: { description: 'HTML', content: { 'text/html': { schema: z.string() } } } },
    },
    {
      method: 'get',
      path: '/docs/redoc.standalone.js',
      operationId: 'getDocsScript',
      summary: 'The Redoc script the reference page runs',
      description:
        'Served by the API itself so that the page needs no other host. The page asks for it with ?v= set to ' +
        'the digest its ETag carries: a URL that browsers may cache for good.',
      tags: ['Platform'],
      request: {
        query: z.object({ v: z.string().optional().openapi({ description: 'The script version.' }) }),
      },
      responses: {
        200: {
          description: 'JavaScript',
          headers: {
            ETag: { schema: { type: 'string' as const }, description: 'The script version, quoted.' },
          },
          content: { 'text/javascript': { schema: z.string() } },
        },
        304: { description: 'The version named in If-None-Match is current.' },
      },
    },
    {
      method: 'post',
      path: '/v1/districts',
      operationId: 'createDistrict',
      summary: 'Create a district and its first key (state key)',
      tags: ['Districts'],
      security: keyed,
      request: jsonBody(CreateDistrict, 'The district; framework and timezone default to the state ones.', {
        lincoln: { districtId: 'lincoln-usd', name: 'Lincoln Unified School District' },
      }),
      responses: {
        201: jsonResponse(CreatedDistrict, 'Created; the key is shown this once.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        409: problem('The district exists already.'),
      },
    },
    {
      method: 'get',
      path: '/v1/districts',
      operationId: 'listDistricts',
      summary: 'List districts (state key)',
      tags: ['Districts'],
      security: keyed,
      request: { query: ListQuery },
      responses: {
        200: jsonResponse(DistrictList, 'A page of districts.'),
        400: BODY_PROBLEMS[400],
        ...KEYED_PROBLEMS,
      },
    },
    {
      method: 'post',
      path: '/v1/districts/{districtId}/keys',
      operationId: 'createDistrictKey',
      summary: 'Make a new key for a district (state key)',
      tags: ['Districts'],
      security: keyed,
      request: { params: DistrictPath },
      responses: {
        201: jsonResponse(NewApiKey, 'The key, shown this once.'),
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'delete',
      path: '/v1/districts/{districtId}/keys/{keyId}',
      operationId: 'revokeDistrictKey',
      summary: 'Revoke a district key (state key)',
      tags: ['Districts'],
      security: keyed,
      request: { params: KeyPath },
      responses: {
        204: { description: 'Revoked (also when it already was).' },
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'get',
      path: '/v1/districts/{districtId}/framework',
      operationId: 'getFramework',
      summary: "The district's framework",
      tags: ['Framework'],
      security: keyed,
      request: { params: DistrictPath },
      responses: { 200: jsonResponse(Framework, 'The framework.'), ...KEYED_PROBLEMS, ...NOT_FOUND },
    },
    {
      method: 'put',
      path: '/v1/districts/{districtId}/framework',
      operationId: 'putFramework',
      summary: "Replace the district's framework; metrics are recomputed under it",
      tags: ['Framework'],
      security: keyed,
      request: { params: DistrictPath, ...jsonBody(Framework, 'The whole framework.') },
      responses: {
        200: jsonResponse(Framework, 'Replaced.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'put',
      path: '/v1/districts/{districtId}/milestones/{milestoneId}',
      operationId: 'putMilestone',
      summary: 'Create or update a milestone, in updatedAt order',
      description:
        'An older updatedAt than the stored one, or the same write again, is not applied (200, applied: false). ' +
        'The same updatedAt with other content is a conflict (409).',
      tags: ['Milestones'],
      security: keyed,
      request: {
        params: MilestonePath,
        ...jsonBody(MilestoneBody, 'The milestone.', {
          board: milestoneExample,
        }),
      },
      responses: {
        201: jsonResponse(MilestoneWrite, 'Created (or created anew after removal).'),
        200: jsonResponse(MilestoneWrite, 'Updated, or not applied (see applied).'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
        409: problem('Same updatedAt, other content.'),
      },
    },
    {
      method: 'get',
      path: '/v1/districts/{districtId}/milestones',
      operationId: 'listMilestones',
      summary: "The district's milestones",
      tags: ['Milestones'],
      security: keyed,
      request: { params: DistrictPath, query: ListQuery },
      responses: {
        200: jsonResponse(MilestoneList, 'A page of milestones.'),
        400: BODY_PROBLEMS[400],
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'delete',
      path: '/v1/districts/{districtId}/milestones/{milestoneId}',
      operationId: 'removeMilestone',
      summary: 'Remove a milestone (kept for audit; a later PUT creates it anew)',
      tags: ['Milestones'],
      security: keyed,
      request: { params: MilestonePath },
      responses: { 204: { description: 'Removed.' }, ...KEYED_PROBLEMS, ...NOT_FOUND },
    },
    {
      method: 'post',
      path: '/v1/districts/{districtId}/assessments',
      operationId: 'submitAssessment',
      summary: 'Post one assessment submission',
      description:
        'A submissionId is unique in the district: an identical replay answers 200, other content 409.',
      tags: ['Assessments'],
      security: keyed,
      request: {
        params: DistrictPath,
        ...jsonBody(Submission, 'A condition rating or a piece of competency evidence.', {
          conditionRating: conditionRatingExample,
          competencyEvidence: competencyEvidenceExample,
        }),
      },
      responses: {
        201: jsonResponse(SubmissionAccepted, 'Stored.'),
        200: jsonResponse(SubmissionAccepted, 'An identical replay of a stored submission; counted once.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
        409: problem('The submissionId exists with other content, or was voided.'),
      },
    },
    {
      method: 'post',
      path: '/v1/districts/{districtId}/assessments/batch',
      operationId: 'submitAssessmentBatch',
      summary: 'Post up to 100 submissions; each item succeeds or fails on its own',
      tags: ['Assessments'],
      security: keyed,
      request: {
        params: DistrictPath,
        ...jsonBody(SubmissionBatch, 'The items.', {
          two: { items: [conditionRatingExample, competencyEvidenceExample] },
        }),
      },
      responses: {
        200: jsonResponse(BatchResults, 'One result per item, in order.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'delete',
      path: '/v1/districts/{districtId}/assessments/{submissionId}',
      operationId: 'voidSubmission',
      summary: 'Void a submission posted in error (kept for audit; its id is never reused)',
      tags: ['Assessments'],
      security: keyed,
      request: { params: SubmissionPath },
      responses: {
        204: { description: 'Voided (also when it already was).' },
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'get',
      path: '/v1/districts/{districtId}/progress',
      operationId: 'getProgress',
      summary: 'The progress metrics of a district',
      description:
        'Milestone counts, condition means by role with their alignment gap, competency mastery rates by group. ' +
        'Every applied write is reflected within seconds. Counts below the state minimum n are published only as ' +
        '`{"suppressed": true}`, and a second cell is hidden with a lone hidden one so that neither can be derived.',
      tags: ['Progress'],
      security: keyed,
      request: { params: DistrictPath },
      responses: { 200: jsonResponse(Progress, 'The progress metrics.'), ...KEYED_PROBLEMS, ...NOT_FOUND },
    },
    {
      method: 'post',
      path: '/v1/districts/{districtId}/subscribers',
      operationId: 'createSubscriber',
      summary: "Subscribe an address to the district's digest",
      description:
        'The address is trimmed and its domain lower-cased. An address is subscribed once per district: the same ' +
        'address again, with any cadence, is a conflict (remove the subscriber to change its cadence).',
      tags: ['Subscribers'],
      security: keyed,
      request: {
        params: DistrictPath,
        ...jsonBody(SubscriberBody, 'The subscriber.', { superintendent: subscriberExample }),
      },
      responses: {
        201: jsonResponse(CreatedSubscriber, 'Subscribed; digests start with the next planned period.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
        409: problem('The address is subscribed to this district already.'),
      },
    },
    {
      method: 'get',
      path: '/v1/districts/{districtId}/subscribers',
      operationId: 'listSubscribers',
      summary: "The district's subscribers, with their status",
      tags: ['Subscribers'],
      security: keyed,
      request: { params: DistrictPath, query: ListQuery },
      responses: {
        200: jsonResponse(SubscriberList, 'A page of subscribers.'),
        400: BODY_PROBLEMS[400],
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'delete',
      path: '/v1/districts/{districtId}/subscribers/{subscriberId}',
      operationId: 'removeSubscriber',
      summary: 'Remove a subscriber; its address may be subscribed anew',
      tags: ['Subscribers'],
      security: keyed,
      request: { params: SubscriberPath },
      responses: { 204: { description: 'Removed.' }, ...KEYED_PROBLEMS, ...NOT_FOUND },
    },
    {
      method: 'post',
      path: '/v1/subscribers',
      operationId: 'createStateSubscriber',
      summary: 'Subscribe an address to the state roll-up digest (state key)',
      description:
        'A state-wide subscriber gets one e-mail with a row per district. An address is subscribed once ' +
        'state-wide: the same address again, with any cadence, is a conflict.',
      tags: ['Subscribers'],
      security: keyed,
      request: jsonBody(SubscriberBody, 'The subscriber.', { commissioner: subscriberExample }),
      responses: {
        201: jsonResponse(CreatedSubscriber, 'Subscribed.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
        409: problem('The address is subscribed state-wide already.'),
      },
    },
    {
      method: 'post',
      path: '/v1/digests/run',
      operationId: 'runDigests',
      summary: 'Run the digest planner now, or as if it were `at` (state key)',
      description:
        'Puts one job per active subscriber on the digest queue, as the schedule does: weekly subscribers for the ' +
        'ISO week of `at`, monthly ones for its month, both in state time. `period` names both. A period is sent ' +
        'once per subscriber however often it is planned.',
      tags: ['Digests'],
      security: keyed,
      request: jsonBody(DigestRun, 'When to plan for; `{}` plans for now.', {
        now: {},
        backdated: { at: '2026-11-30T07:00:00-05:00' },
      }),
      responses: {
        202: jsonResponse(DigestRunResult, 'Planned: the jobs are queued and the digests follow.'),
        ...BODY_PROBLEMS,
        ...KEYED_PROBLEMS,
      },
    },
    {
      method: 'get',
      path: '/v1/districts/{districtId}/digest/preview',
      operationId: 'previewDigest',
      summary: 'The district digest that would be sent now, as HTML',
      description:
        'The HTML part of the digest a subscriber of this cadence would get now, as a first digest (figures of ' +
        'now, no changes since a previous one), with suppressed cells as in the e-mail.',
      tags: ['Digests'],
      security: keyed,
      request: { params: DistrictPath, query: DigestPreviewQuery },
      responses: {
        200: { description: 'The e-mail as HTML.', content: { 'text/html': { schema: z.string() } } },
        400: BODY_PROBLEMS[400],
        ...KEYED_PROBLEMS,
        ...NOT_FOUND,
      },
    },
    {
      method: 'get',
      path: '/v1/unsubscribe',
      operationId: 'confirmUnsubscribe',
      summary: "A digest's unsubscribe link: a page that asks to confirm",
      description:
        "The link of every digest's List-Unsubscribe header and footer. Shows a confirmation page whose button " +
        'POSTs to the same URL; a GET changes nothing (mail scanners follow links). No key: the signed token is ' +
        'the authority.',
      tags: ['Digests'],
      request: { query: UnsubscribeQuery },
      responses: {
        200: { description: 'The confirmation page.', content: { 'text/html': { schema: z.string() } } },
        400: problem('The token is missing, cut or altered.'),
      },
    },
    {
      method: 'post',
      path: '/v1/unsubscribe',
      operationId: 'unsubscribe',
      summary: 'Unsubscribe (RFC 8058 one-click)',
      description:
        'Mail clients POST `List-Unsubscribe=One-Click` (form-encoded) here; the body is not read. The ' +
        'subscriber gets nothing further. Answers 200 again for a subscriber unsubscribed or removed already.',
      tags: ['Digests'],
      request: { query: UnsubscribeQuery },
      responses: {
        200: {
          description: 'Unsubscribed; a page that says so.',
          content: { 'text/html': { schema: z.string() } },
        },
        400: problem('The token is missing, cut or altered.'),
      },
    },
  ];
}

/**
 * Every route takes an optional `X-Correlation-Id` and every answer carries one, the API's own and API Gateway's
 * refusals alike (shared/http/middleware.ts, infra/constructs/api.ts): added here once rather than on each route.
 */
function withCorrelationId(route: RouteConfig, header: z.ZodType, answered: { $ref: string }): RouteConfig {
  const responses = Object.fromEntries(
    Object.entries(route.responses).map(([status, response]) => [
      status,
      '$ref' in response
        ? response
        : { ...response, headers: { ...response.headers, 'X-Correlation-Id': answered } },
    ]),
  );
  return {
    ...route,
    request: { ...route.request, headers: z.object({ 'X-Correlation-Id': header }) },
    responses,
  };
}

function buildRegistry(): OpenAPIRegistry {
  const registry = new OpenAPIRegistry();
  registry.registerComponent('securitySchemes', 'bearerKey', {
    type: 'http',
    scheme: 'bearer',
    description: 'A state key (vp_s_…) or a district key (vp_d_…), sent as Authorization: Bearer <key>.',
  });
  const header = registry.registerParameter(
    'CorrelationId',
    z
      .string()
      .regex(CORRELATION_ID_PATTERN)
      .optional()
      .openapi({
        param: { name: 'X-Correlation-Id', in: 'header' },
        description:
          "Your id for this request, to find it again in the platform's logs: 8 to 128 letters, digits and " +
          '`.` `_` `:` `-`. Any other value is ignored and the request gets an id of its own.',
        example: 'sis-nightly-2026-09-14-0001',
      }),
  );
  const answered = registry.registerComponent('headers', 'CorrelationId', {
    description:
      'The id the request was logged with: the X-Correlation-Id it came with, when well formed, else one of the ' +
      "platform's own, which problem bodies repeat as correlationId.",
    schema: { type: 'string' },
  });
  for (const route of routes()) registry.registerPath(withCorrelationId(route, header, answered.ref));
  return registry;
}

export interface OpenApiOptions {
  /** Public base URL of the state's API, listed as the server. */
  readonly serverUrl?: string;
  readonly version?: string;
}

/** The whole document; pure, so it can be served, validated and turned into a client alike. */
export function openApiDocument(options: OpenApiOptions = {}) {
  const generator = new OpenApiGeneratorV31(buildRegistry().definitions);
  return generator.generateDocument({
    openapi: '3.1.0',
    info: {
      title: 'Vision Progress API',
      version: options.version ?? '1.0.0',
      description:
        'Vision milestones, condition self-assessments and competency evidence from district systems, and the ' +
        'progress metrics computed from them. Errors are application/problem+json (RFC 9457) with a ' +
        'correlationId and, for validation failures, every invalid field in `errors`.',
    },
    servers: options.serverUrl ? [{ url: options.serverUrl }] : [],
  });
}
