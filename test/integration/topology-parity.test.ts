import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { synthState } from '../infra/synth';
import { wiringFromTemplate } from '../infra/template-wiring';
import { testStack } from '../support/local-stack';

describe('the local stack and the CDK stack', () => {
  const local = testStack();

  beforeAll(() => local.start());
  afterAll(() => local.stop());

  it('are wired the same: table, functions, routes, event sources, relay and schedules', () => {
    const deployed = wiringFromTemplate(synthState('XX'));
    expect(local.info.wiring).toEqual(deployed);
  });

  it('hands the functions the URL of the local front door, on the port chosen before any handler loaded', () => {
    expect(local.info.apiUrl).toMatch(/^http:\/\/127\.0\.0\.1:[1-9][0-9]*$/);
    expect(process.env.PUBLIC_BASE_URL).toBe(local.info.apiUrl);
  });
});
