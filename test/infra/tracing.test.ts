/**
 * X-Ray in a state stack: active tracing on every function and on the API's stage, each function allowed to send
 * its segments, and the Tracer's capture of handler responses and errors off wherever it runs
 * (infra/constructs/app-function.ts, api.ts; shared/runtime/tracer.ts).
 */
import { describe, expect, it } from 'vitest';
import { referencedId, resourcesOf, synthState } from './synth';

describe('tracing in VisionProgress-OH', () => {
  const template = synthState('OH');
  const functions = Object.values(resourcesOf(template, 'AWS::Lambda::Function')).map((fn) => fn.Properties);

  it('is active on every function, with the Tracer capturing no response and no error', () => {
    expect(functions.length).toBeGreaterThan(5);
    for (const fn of functions) {
      expect(fn.TracingConfig).toEqual({ Mode: 'Active' });
      expect(fn.Environment.Variables).toMatchObject({
        POWERTOOLS_TRACER_CAPTURE_RESPONSE: 'false',
        POWERTOOLS_TRACER_CAPTURE_ERROR: 'false',
      });
    }
  });

  it("lets every function's role send its segments", () => {
    const policies = Object.values(resourcesOf(template, 'AWS::IAM::Policy')).map((p) => p.Properties);
    for (const fn of functions) {
      const role = referencedId(fn.Role);
      const actions = policies
        .filter((policy) => policy.Roles.some((r: unknown) => referencedId(r) === role))
        .flatMap((policy) => policy.PolicyDocument.Statement.flatMap((s: { Action: unknown }) => s.Action));
      expect(actions).toEqual(expect.arrayContaining(['xray:PutTraceSegments', 'xray:PutTelemetryRecords']));
    }
  });

  it("is on for the API's stage, so a request's trace starts at API Gateway", () => {
    const stages = Object.values(resourcesOf(template, 'AWS::ApiGateway::Stage'));
    expect(stages).toHaveLength(1);
    expect(stages[0]?.Properties.TracingEnabled).toBe(true);
  });
});
