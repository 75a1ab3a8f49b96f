/**
 * The ops CLI (infra/ops/cli.ts) against the local stack: run in this process through run(), its output captured.
 * CloudFormation and API Gateway have no emulator, so the deployed-stack paths get stubbed clients for those two
 * and the local stack's real DynamoDB Local and API for the rest: a state key made "in AWS" is stored in the
 * local table and must then open the local API.
 */
import { execFile } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import { readFile, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { promisify } from 'node:util';
import {
  APIGatewayClient,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
} from '@aws-sdk/client-api-gateway';
import { CloudFormationClient, DescribeStacksCommand } from '@aws-sdk/client-cloudformation';
import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { SQSClient } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { fromRoot } from '../../infra/paths';
import { KeyStore } from '../../shared/store/keys';
import { dynamoDbClientFor, sqsClientFor } from '../support/clients';
import { send } from '../support/http';
import { testStack } from '../support/local-stack';
import { recordingAws, runOps } from '../support/ops';

const local = testStack({ authorizerCacheTtlSeconds: 0 });

const cloudFormation = new CloudFormationClient({ region: 'us-east-2' });
const apiGateway = new APIGatewayClient({ region: 'us-east-2' });
const cloudFormationStub = mockClient(cloudFormation);
const apiGatewayStub = mockClient(apiGateway);
let dynamoDb: DynamoDBClient;
let sqs: SQSClient;
/** Stubbed CloudFormation and API Gateway, the local stack's DynamoDB Local and SQS emulator. */
const { aws: stubbedAws, asked: clientsAsked } = recordingAws({
  cloudFormation: () => cloudFormation,
  apiGateway: () => apiGateway,
  dynamoDb: () => dynamoDb,
  sqs: () => sqs,
});

/** Runs the CLI in this process, with an environment of its own. */
const ops = (argv: readonly string[], env: NodeJS.ProcessEnv = {}) => runOps(argv, { env, aws: stubbedAws });

/** The target options of the test stack's credentials file. */
const localTarget = () => ['--credentials', local.info.credentialsFile];
const uniqueId = (prefix: string) => `${prefix}-${randomUUID().slice(0, 8)}`;
const stackOutputs = (outputs: Record<string, string>) => ({
  Stacks: [
    {
      StackName: 'VisionProgress-OH',
      StackStatus: 'UPDATE_COMPLETE' as const,
      CreationTime: new Date(),
      Outputs: Object.entries(outputs).map(([OutputKey, OutputValue]) => ({ OutputKey, OutputValue })),
    },
  ],
});

/** A port nothing listens on: one the system just handed out and took back. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as { port: number };
  await new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())));
  return port;
}

/** The status the API answers `GET /v1/districts` with for a key: 200 for a live state key. */
const statusWith = async (key: string, path = '/v1/districts') =>
  (await send(local.info.apiUrl, 'GET', path, { key })).status;

beforeAll(async () => {
  const info = await local.start();
  dynamoDb = dynamoDbClientFor(info);
  sqs = sqsClientFor(info);
});
afterAll(async () => {
  dynamoDb?.destroy();
  sqs?.destroy();
  await local.stop();
});
beforeEach(() => {
  cloudFormationStub.reset();
  apiGatewayStub.reset();
  clientsAsked.length = 0;
});

describe('districts', () => {
  it('create prints the district id, key id and key, warns that the key is shown only now, and the key works', async () => {
    const districtId = uniqueId('ops-create');

    const human = await ops(['districts', 'create', districtId, '--name', 'Lincoln USD', ...localTarget()]);

    expect(human.code).toBe(0);
    const apiKey = /apiKey\s+(vp_d_\S+)/.exec(human.stdout)?.[1];
    expect(human.stdout).toMatch(new RegExp(`districtId\\s+${districtId}`));
    expect(human.stdout).toMatch(/keyId\s+[0-9a-f]{16}/);
    expect(human.stderr).toMatch(/shown only now/);
    expect(await statusWith(apiKey!, `/v1/districts/${districtId}/framework`)).toBe(200);
  });

  it('create --json prints one JSON document with a timezone given', async () => {
    const districtId = uniqueId('ops-json');

    const outcome = await ops([
      'districts',
      'create',
      districtId,
      '--name',
      'Maple District',
      '--timezone',
      'America/Chicago',
      '--json',
      ...localTarget(),
    ]);

    expect(outcome.code).toBe(0);
    expect(JSON.parse(outcome.stdout)).toEqual({
      districtId,
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      apiKey: expect.stringMatching(/^vp_d_/),
    });
    const listed = JSON.parse((await ops(['districts', 'list', '--json', ...localTarget()])).stdout);
    expect(listed).toContainEqual(expect.objectContaining({ districtId, timezone: 'America/Chicago' }));
  });

  it("a bad district id prints the API's field error and exits 1", async () => {
    const outcome = await ops(['districts', 'create', 'Not_An_Id', '--name', 'Bad', ...localTarget()]);

    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/^error: 400 Bad Request: /);
    expect(outcome.stderr).toContain('  districtId: must be 1-64 characters of a-z, 0-9 and -');
  });

  it('creating a district that exists prints the 409 problem and exits 1', async () => {
    const districtId = uniqueId('ops-twice');
    expect((await ops(['districts', 'create', districtId, '--name', 'Once', ...localTarget()])).code).toBe(0);

    const again = await ops(['districts', 'create', districtId, '--name', 'Twice', ...localTarget()]);

    expect(again.code).toBe(1);
    expect(again.stderr).toMatch(/^error: 409 Conflict: /);
  });

  it('list follows nextToken through every page, as a table or as JSON, and --limit caps it', async () => {
    const ids = [uniqueId('ops-list-a'), uniqueId('ops-list-b'), uniqueId('ops-list-c')];
    for (const id of ids) {
      expect((await ops(['districts', 'create', id, '--name', `Name of ${id}`, ...localTarget()])).code).toBe(
        0,
      );
    }

    const json = await ops(['districts', 'list', '--page-size', '1', '--json', ...localTarget()]);
    const table = await ops(['districts', 'list', '--page-size', '2', ...localTarget()]);
    const capped = await ops([
      'districts',
      'list',
      '--page-size',
      '1',
      '--limit',
      '2',
      '--json',
      ...localTarget(),
    ]);

    expect(json.code).toBe(0);
    const listed = JSON.parse(json.stdout) as { districtId: string }[];
    expect(listed.map((district) => district.districtId)).toEqual(expect.arrayContaining(ids));
    expect(new Set(listed.map((district) => district.districtId)).size).toBe(listed.length);
    expect(table.code).toBe(0);
    expect(table.stdout).toMatch(/^DISTRICT\s+NAME\s+TIMEZONE\s+CREATED\n/);
    for (const id of ids)
      expect(table.stdout).toMatch(new RegExp(`${id}\\s+Name of ${id}\\s+America/New_York`));
    expect(table.stdout).toContain(`${listed.length} districts\n`);
    expect(JSON.parse(capped.stdout)).toHaveLength(2);
  });
});

describe('keys', () => {
  it('create makes a working district key; revoke makes the API refuse it with 401', async () => {
    const districtId = uniqueId('ops-keys');
    expect((await ops(['districts', 'create', districtId, '--name', 'Keys', ...localTarget()])).code).toBe(0);
    const framework = `/v1/districts/${districtId}/framework`;

    const created = await ops(['keys', 'create', districtId, '--json', ...localTarget()]);
    const { keyId, apiKey } = JSON.parse(created.stdout) as { keyId: string; apiKey: string };
    const workedBefore = await statusWith(apiKey, framework);
    const revoked = await ops(['keys', 'revoke', districtId, keyId, ...localTarget()]);

    expect(created.code).toBe(0);
    expect(created.stderr).toMatch(/shown only now/);
    expect(workedBefore).toBe(200);
    expect(revoked).toMatchObject({ code: 0, stdout: `Key ${keyId} of district ${districtId} revoked.\n` });
    expect(await statusWith(apiKey, framework)).toBe(401);
  });

  it('revoking a key the district does not have prints the 404 problem and exits 1', async () => {
    const districtId = uniqueId('ops-nokey');
    expect((await ops(['districts', 'create', districtId, '--name', 'No key', ...localTarget()])).code).toBe(
      0,
    );

    const outcome = await ops(['keys', 'revoke', districtId, '0123456789abcdef', ...localTarget()]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/^error: 404 Not Found: /);
  });

  it("a malformed key id prints the API's field error for the path and exits 1", async () => {
    const outcome = await ops(['keys', 'revoke', 'any-district', 'not-a-key-id', ...localTarget()]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain('  path.keyId: must be a key id (16 hex digits)');
  });
});

describe('state-key create', () => {
  it('locally stores a new state key in the local table and writes it into the credentials file', async () => {
    const before = JSON.parse(await readFile(local.info.credentialsFile, 'utf8'));

    const outcome = await ops([
      'state-key',
      'create',
      '--json',
      '--dynamodb-endpoint',
      local.info.endpoints.dynamoDb,
      ...localTarget(),
    ]);

    expect(outcome.code).toBe(0);
    const created = JSON.parse(outcome.stdout);
    expect(created).toEqual({
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      apiKey: expect.stringMatching(/^vp_s_/),
      stack: 'local',
      credentialsFile: local.info.credentialsFile,
    });
    expect(outcome.stderr).toMatch(/shown only now/);
    expect(JSON.parse(await readFile(local.info.credentialsFile, 'utf8'))).toEqual({
      apiUrl: before.apiUrl,
      stateKey: created.apiKey,
    });
    expect(await statusWith(created.apiKey)).toBe(200);
    // the key the file held before stays valid: shells and scripts that use it keep working
    expect(await statusWith(before.stateKey)).toBe(200);
  });

  it('locally says that DynamoDB Local cannot be reached when the stack is not running there', async () => {
    const endpoint = `http://127.0.0.1:${await closedPort()}`;

    const outcome = await ops(['state-key', 'create', '--dynamodb-endpoint', endpoint, ...localTarget()]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `cannot reach DynamoDB Local at ${endpoint}: is the local stack running?`,
    );
  });

  it('locally names --local-state when the table of the state asked for is not in DynamoDB Local', async () => {
    const before = await readFile(local.info.credentialsFile, 'utf8');

    const outcome = await ops([
      'state-key',
      'create',
      '--local-state',
      'ME',
      '--dynamodb-endpoint',
      local.info.endpoints.dynamoDb,
      ...localTarget(),
    ]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/has no table vision-progress-me: pass --local-state/);
    expect(await readFile(local.info.credentialsFile, 'utf8')).toBe(before);
  });

  it("in AWS finds the stack's table and usage plan, registers the usage key, then stores the record", async () => {
    cloudFormationStub.on(DescribeStacksCommand, { StackName: 'VisionProgress-OH' }).resolves(
      stackOutputs({
        ApiUrl: 'https://abc123.execute-api.us-east-2.amazonaws.com/v1/',
        TableName: local.info.table.tableName,
        UsagePlanId: 'plan-oh',
      }),
    );
    apiGatewayStub.on(CreateApiKeyCommand).resolves({ id: 'gateway-key-1' });
    apiGatewayStub.on(CreateUsagePlanKeyCommand).resolves({});

    const outcome = await ops(['state-key', 'create', '--state', 'OH', '--region', 'us-east-2', '--json']);

    expect(outcome.code).toBe(0);
    const created = JSON.parse(outcome.stdout) as { keyId: string; apiKey: string; stack: string };
    expect(created).toEqual({
      keyId: expect.stringMatching(/^[0-9a-f]{16}$/),
      apiKey: expect.stringMatching(/^vp_s_/),
      stack: 'VisionProgress-OH',
    });
    expect(clientsAsked).toEqual(['cloudformation us-east-2', 'apigateway us-east-2', 'dynamodb us-east-2']);
    const record = await new KeyStore(local.info.table.tableName, DynamoDBDocumentClient.from(dynamoDb)).get(
      created.keyId,
    );
    expect(record).toMatchObject({ keyId: created.keyId, scope: { kind: 'state' } });
    expect(apiGatewayStub.commandCalls(CreateApiKeyCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ name: `vp-${created.keyId}`, value: record?.usageKey, enabled: true }),
    ]);
    expect(apiGatewayStub.commandCalls(CreateUsagePlanKeyCommand).map((call) => call.args[0].input)).toEqual([
      { usagePlanId: 'plan-oh', keyId: 'gateway-key-1', keyType: 'API_KEY' },
    ]);
    // the record is the one the authorizer reads: the key opens the API that shares the table
    expect(await statusWith(created.apiKey)).toBe(200);
  });

  it('in AWS stores nothing when the usage key cannot be registered', async () => {
    cloudFormationStub.on(DescribeStacksCommand).resolves(
      stackOutputs({
        ApiUrl: 'https://abc123.execute-api.us-east-2.amazonaws.com/v1/',
        TableName: 'table-that-must-stay-untouched',
        UsagePlanId: 'plan-oh',
      }),
    );
    apiGatewayStub
      .on(CreateApiKeyCommand)
      .rejects(new Error('User is not authorized to perform apigateway:POST'));

    const outcome = await ops(['state-key', 'create', '--state', 'OH']);

    expect(outcome.code).toBe(1);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).toMatch(/not authorized to perform apigateway:POST/);
    expect(clientsAsked).not.toContainEqual(expect.stringMatching(/^dynamodb/));
    expect(apiGatewayStub.commandCalls(CreateUsagePlanKeyCommand)).toHaveLength(0);
  });

  it('names the missing outputs of a stack deployed before the CLI', async () => {
    cloudFormationStub.on(DescribeStacksCommand).resolves(stackOutputs({ TableName: 'vp-table' }));

    const outcome = await ops(['state-key', 'create', '--state', 'OH']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/stack VisionProgress-OH in us-east-2 has no output ApiUrl, UsagePlanId/);
  });

  it('refuses a bare --api-url target: a state key is not made through the API', async () => {
    const outcome = await ops(['state-key', 'create', '--api-url', 'https://api.example.test'], {
      VP_STATE_KEY: local.info.credentials.stateKey,
    });

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/needs --local or --state/);
  });
});

describe('targets', () => {
  it('with --state reads the API URL from the stack outputs and calls it with the key from VP_STATE_KEY', async () => {
    cloudFormationStub
      .on(DescribeStacksCommand, { StackName: 'VisionProgress-OH' })
      .resolves(
        stackOutputs({ ApiUrl: `${local.info.apiUrl}/`, TableName: 'vp-table', UsagePlanId: 'plan-oh' }),
      );

    const outcome = await ops(['districts', 'list', '--state', 'oh', '--region', 'us-gov-west-1', '--json'], {
      VP_STATE_KEY: local.info.credentials.stateKey,
    });

    expect(outcome.code).toBe(0);
    expect(Array.isArray(JSON.parse(outcome.stdout))).toBe(true);
    expect(clientsAsked).toEqual(['cloudformation us-gov-west-1']);
  });

  it('with --state and no key names both ways to give one, before any AWS call', async () => {
    const outcome = await ops(['districts', 'list', '--state', 'OH']);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe(
      'error: no state key for VisionProgress-OH: pass --key <stateKey> or set VP_STATE_KEY\n',
    );
    expect(cloudFormationStub.calls()).toHaveLength(0);
  });

  it('with --state names the stack and region when the stack does not exist there', async () => {
    const missing = new Error('Stack with id VisionProgress-OH does not exist');
    missing.name = 'ValidationError';
    cloudFormationStub.on(DescribeStacksCommand).rejects(missing);

    // an ambient AWS_REGION is not the state's: the stack is looked up in --region, else the state config's region
    const outcome = await ops(
      [
        'districts',
        'list',
        '--state',
        'OH',
        '--region',
        'eu-west-1',
        '--key',
        local.info.credentials.stateKey,
      ],
      { AWS_REGION: 'ap-south-1' },
    );

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/stack VisionProgress-OH does not exist in eu-west-1: pass --region/);
  });

  it('refuses a key that is not a state key, without printing it', async () => {
    const districtKey = 'vp_d_0123456789abcdef_AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA';

    const outcome = await ops(['districts', 'list', '--api-url', local.info.apiUrl, '--key', districtKey]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toBe('error: the key from --key is not a state key (vp_s_<keyId>_<secret>)\n');
  });

  it('says that the local stack has never started when its credentials file is missing', async () => {
    const outcome = await ops([
      'districts',
      'list',
      '--credentials',
      fromRoot('.local/no-such-dir/credentials.json'),
    ]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toMatch(/no local credentials at .*: the local stack has never started here/);
  });

  it('says where it tried to go when the API cannot be reached', async () => {
    const apiUrl = `http://127.0.0.1:${await closedPort()}`;
    const file = `${local.info.dataDir}/${uniqueId('stopped')}.json`;
    await writeFile(file, JSON.stringify({ apiUrl, stateKey: local.info.credentials.stateKey }));

    const outcome = await ops(['districts', 'list', '--credentials', file]);

    expect(outcome.code).toBe(1);
    expect(outcome.stderr).toContain(
      `cannot reach the API at ${apiUrl} (ECONNREFUSED): is the local stack running?`,
    );
  });
});

describe('usage', () => {
  const commands = [
    [],
    ['districts'],
    ['districts', 'create'],
    ['districts', 'list'],
    ['keys'],
    ['keys', 'create'],
    ['keys', 'revoke'],
    ['state-key'],
    ['state-key', 'create'],
    ['dlq'],
    ['dlq', 'show'],
    ['dlq', 'redrive'],
  ];

  it.each(commands.map((path) => [path.join(' ') || '(program)', path] as const))(
    '%s --help prints its usage and exits 0',
    async (_, path) => {
      const outcome = await ops([...path, '--help']);

      expect(outcome).toMatchObject({ code: 0, stderr: '' });
      expect(outcome.stdout).toMatch(new RegExp(`^Usage: ops${path.map((word) => ` ${word}`).join('')} `));
    },
  );

  it.each([
    ['an unknown command', ['district', 'list']],
    ['a missing --name', ['districts', 'create', 'some-district']],
    ['a missing argument', ['keys', 'revoke', 'some-district']],
    ['two targets', ['districts', 'list', '--local', '--state', 'OH']],
    ['a state without a config', ['districts', 'list', '--state', 'ZZ']],
    ['a limit of 0', ['districts', 'list', '--limit', '0']],
    ['a page size over 100', ['districts', 'list', '--page-size', '101']],
    ['a group without a command', ['keys']],
  ])('%s is a usage error: exit 2 with a message on stderr', async (_, argv) => {
    const outcome = await ops(argv);

    expect(outcome.code).toBe(2);
    expect(outcome.stdout).toBe('');
    expect(outcome.stderr).not.toBe('');
    expect(cloudFormationStub.calls()).toHaveLength(0);
  });
});

describe('npm run ops (the entry file in its own process)', () => {
  const cli = (args: readonly string[], env: NodeJS.ProcessEnv = {}) =>
    promisify(execFile)(process.execPath, ['--import', 'tsx', 'infra/ops/cli.ts', ...args], {
      cwd: fromRoot(''),
      env: { ...process.env, VP_STATE_KEY: '', ...env },
    });

  it('lists the districts and exits 0', async () => {
    const { stdout } = await cli(['districts', 'list', '--json', ...localTarget()]);

    expect(Array.isArray(JSON.parse(stdout))).toBe(true);
  });

  it('looks for DynamoDB Local on DYNAMODB_PORT when no endpoint is given', async () => {
    const port = await closedPort();

    const failure = await cli(['state-key', 'create', ...localTarget()], {
      DYNAMODB_PORT: String(port),
    }).catch((error: { code: number; stderr: string }) => error);

    expect(failure).toMatchObject({ code: 1 });
    expect((failure as { stderr: string }).stderr).toContain(
      `cannot reach DynamoDB Local at http://127.0.0.1:${port}`,
    );
  });

  it('exits 2 on a usage error', async () => {
    await expect(cli(['districts', 'nope'])).rejects.toMatchObject({ code: 2 });
  });
});

describe('state-key revoke', () => {
  it('locally revokes a state key: the API refuses it from then on, and a district key id is not a state key', async () => {
    const endpoint = ['--dynamodb-endpoint', local.info.endpoints.dynamoDb];
    const created = JSON.parse(
      (await ops(['state-key', 'create', '--json', ...endpoint, ...localTarget()])).stdout,
    ) as { keyId: string; apiKey: string };

    const revoked = await ops(['state-key', 'revoke', created.keyId, ...endpoint, ...localTarget()]);

    expect([revoked.code, revoked.stdout]).toEqual([0, `State key ${created.keyId} revoked.\n`]);
    expect(await statusWith(created.apiKey)).toBe(401);
    const notState = await ops(['state-key', 'revoke', '0123456789abcdef', ...endpoint, ...localTarget()]);
    expect([notState.code, notState.stderr]).toEqual([
      1,
      'error: the local stack has no state key 0123456789abcdef\n',
    ]);
  });
});
