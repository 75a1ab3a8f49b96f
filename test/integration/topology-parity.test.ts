import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LocalStack } from '../../infra/local/local-stack';
import type { Wiring } from '../../infra/wiring';
import { synthState } from '../infra/synth';
import { wiringFromTemplate } from '../infra/template-wiring';

describe('the local stack and the CDK stack', () => {
  const stack = new LocalStack();
  let dataDir: string;
  let local: Wiring;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vp-parity-'));
    const info = await stack.start({
      dataDir,
      port: 0,
      ports: { dynamoDb: 0, sqs: 0, ses: 0 },
      quiet: true,
      schedules: false,
    });
    local = info.wiring;
  });

  afterAll(async () => {
    await stack.stop();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('are wired the same: table, functions, routes, event sources, relay and schedules', () => {
    const deployed = wiringFromTemplate(synthState('XX'));
    expect(local).toEqual(deployed);
  });
});
