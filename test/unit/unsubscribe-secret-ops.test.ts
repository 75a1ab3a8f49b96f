/**
 * `npm run ops -- unsubscribe-secret rotate` (infra/ops/unsubscribe-secret.ts), run in this process. Deployed, with
 * CloudFormation and Secrets Manager mocked (neither has an emulator here): the exact PutSecretValue the command
 * sends to the secret it found among the stack's resources, and a value never printed. Locally, on a temporary data
 * dir: the file the local stack's functions read (shared/runtime/unsubscribe-secrets.ts), where links signed before
 * the rotation must keep verifying.
 */
import { mkdtemp, readdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  CloudFormationClient,
  ListStackResourcesCommand,
  type StackResourceSummary,
} from '@aws-sdk/client-cloudformation';
import { PutSecretValueCommand, SecretsManagerClient } from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { newSecretsManagerStyleSecret } from '../../infra/ops/unsubscribe-secret';
import { signUnsubscribeToken, verifyUnsubscribeToken } from '../../shared/domain/unsubscribe-token';
import { secretsFromFile } from '../../shared/runtime/unsubscribe-secrets';
import { recordingAws, runOps } from '../support/ops';

const REGION = 'us-east-2';
const SECRET_ARN = `arn:aws:secretsmanager:${REGION}:123456789012:secret:UnsubscribeSecretA1B2C3-xYz9Ab`;
const VERSION_ID = 'a1b2c3d4-5678-90ab-cdef-EXAMPLE11111';
const ALPHANUMERIC_64 = /^[A-Za-z0-9]{64}$/;

const cloudFormationClient = new CloudFormationClient({ region: REGION });
const secretsManagerClient = new SecretsManagerClient({ region: REGION });
const cloudFormation = mockClient(cloudFormationClient);
const secretsManager = mockClient(secretsManagerClient);

const { aws, asked } = recordingAws({
  cloudFormation: () => cloudFormationClient,
  secretsManager: () => secretsManagerClient,
});

const resource = (type: string, logicalId: string, physicalId: string): StackResourceSummary => ({
  ResourceType: type,
  LogicalResourceId: logicalId,
  PhysicalResourceId: physicalId,
  ResourceStatus: 'CREATE_COMPLETE',
  LastUpdatedTimestamp: new Date(),
});
const table = resource('AWS::DynamoDB::GlobalTable', 'DataTable1A2B3C', 'VisionProgress-OH-DataTable-1A2B3C');
const secret = resource('AWS::SecretsManager::Secret', 'UnsubscribeSecretA1B2C3', SECRET_ARN);

beforeEach(() => {
  cloudFormation.reset();
  secretsManager.reset();
  asked.length = 0;
});

describe('unsubscribe-secret rotate --state', () => {
  it("puts a new 64-character alphanumeric value into the stack's secret and never prints it", async () => {
    // the secret on the second page: the command must read every page of the stack's resources
    cloudFormation
      .on(ListStackResourcesCommand, { StackName: 'VisionProgress-OH' })
      .resolves({ StackResourceSummaries: [table], NextToken: 'page-2' })
      .on(ListStackResourcesCommand, { StackName: 'VisionProgress-OH', NextToken: 'page-2' })
      .resolves({ StackResourceSummaries: [secret] });
    secretsManager
      .on(PutSecretValueCommand)
      .resolves({ ARN: SECRET_ARN, VersionId: VERSION_ID, VersionStages: ['AWSCURRENT'] });

    const { code, stdout, stderr } = await runOps(
      ['unsubscribe-secret', 'rotate', '--state', 'OH', '--region', REGION],
      { aws },
    );

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const puts = secretsManager.commandCalls(PutSecretValueCommand);
    expect(puts).toHaveLength(1);
    const input = puts[0]?.args[0].input;
    expect(input).toEqual({ SecretId: SECRET_ARN, SecretString: expect.stringMatching(ALPHANUMERIC_64) });
    expect(stdout).not.toContain(input?.SecretString);
    expect(stdout).toContain('Unsubscribe secret of VisionProgress-OH rotated.');
    expect(stdout).toMatch(new RegExp(`versionId\\s+${VERSION_ID}`));
    expect(stdout).toContain('stay valid until the next rotation');
    expect(stdout).toContain('within 5 minutes');
    expect(asked).toEqual([`cloudformation ${REGION}`, `secretsmanager ${REGION}`]);
  });

  it('prints the rotation as JSON, still without the value', async () => {
    cloudFormation.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [table, secret] });
    secretsManager.on(PutSecretValueCommand).resolves({ ARN: SECRET_ARN, VersionId: VERSION_ID });

    const { code, stdout } = await runOps(
      ['unsubscribe-secret', 'rotate', '--state', 'OH', '--region', REGION, '--json'],
      { aws },
    );

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({
      stack: 'VisionProgress-OH',
      region: REGION,
      secretArn: SECRET_ARN,
      versionId: VERSION_ID,
    });
  });

  it('refuses a stack without the secret and puts nothing', async () => {
    cloudFormation.on(ListStackResourcesCommand).resolves({ StackResourceSummaries: [table] });

    const { code, stderr } = await runOps(
      ['unsubscribe-secret', 'rotate', '--state', 'OH', '--region', REGION],
      {
        aws,
      },
    );

    expect(code).toBe(1);
    expect(stderr).toMatch(
      /^error: stack VisionProgress-OH in us-east-2 has no AWS::SecretsManager::Secret: deploy the current version/,
    );
    expect(secretsManager.commandCalls(PutSecretValueCommand)).toHaveLength(0);
  });

  it('names the region when the stack does not exist there', async () => {
    const missing = new Error('Stack with id VisionProgress-OH does not exist');
    missing.name = 'ValidationError';
    cloudFormation.on(ListStackResourcesCommand).rejects(missing);

    const { code, stderr } = await runOps(
      ['unsubscribe-secret', 'rotate', '--state', 'OH', '--region', REGION],
      {
        aws,
      },
    );

    expect(code).toBe(1);
    expect(stderr).toMatch(/^error: stack VisionProgress-OH does not exist in us-east-2: pass --region/);
  });

  it('refuses --keep, which Secrets Manager has no use for, before any AWS call', async () => {
    const { code, stderr } = await runOps(
      ['unsubscribe-secret', 'rotate', '--state', 'OH', '--region', REGION, '--keep', '2'],
      { aws },
    );

    expect(code).toBe(1);
    expect(stderr).toMatch(/--keep applies to the local stack only/);
    expect(asked).toEqual([]);
  });
});

describe('newSecretsManagerStyleSecret', () => {
  it('draws 64 letters and digits with every kind present, a new value each time', () => {
    const values = Array.from({ length: 50 }, newSecretsManagerStyleSecret);

    for (const value of values) {
      expect(value).toMatch(ALPHANUMERIC_64);
      expect(value).toMatch(/[A-Z]/);
      expect(value).toMatch(/[a-z]/);
      expect(value).toMatch(/[0-9]/);
    }
    expect(new Set(values).size).toBe(values.length);
  });
});

describe('unsubscribe-secret rotate (local)', () => {
  const PREVIOUS = 'p'.repeat(64);
  const OLDER = 'o'.repeat(64);
  const OLDEST = 'q'.repeat(64);
  let dataDir: string;
  let file: string;
  const rotate = (...extra: string[]) =>
    runOps(['unsubscribe-secret', 'rotate', ...extra], { env: { VP_LOCAL_DIR: dataDir } });
  const lines = async () => (await readFile(file, 'utf8')).split('\n').filter((line) => line.length > 0);

  beforeEach(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'vp-rotate-'));
    file = join(dataDir, 'unsubscribe-secret');
  });
  afterEach(async () => {
    await rm(dataDir, { recursive: true, force: true });
  });

  it('puts a new secret first and keeps the previous one, so links signed before still verify', async () => {
    await writeFile(file, `${PREVIOUS}\n${OLDER}\n`, { mode: 0o600 });
    const mailedBefore = signUnsubscribeToken({ subscriberId: 'sub-1', districtId: 'lincoln-usd' }, PREVIOUS);

    const { code, stdout, stderr } = await rotate();

    expect(stderr).toBe('');
    expect(code).toBe(0);
    const [current, ...rest] = await lines();
    expect(current).toMatch(/^[\w-]{64}$/);
    expect(rest).toEqual([PREVIOUS]);
    expect(stdout).not.toContain(current);
    expect(stdout).toContain(`a new first line in ${file}`);
    expect(stdout).toMatch(/previous secrets kept\s+1/);
    expect(stdout).toMatch(/older secrets dropped\s+1/);
    expect(stdout).toContain('It takes effect at once');
    expect((await stat(file)).mode & 0o777).toBe(0o600);

    // what the local stack's functions read from the file now
    const secrets = await secretsFromFile(file)();
    expect(secrets.current).toBe(current);
    expect(verifyUnsubscribeToken(mailedBefore, secrets.accepted)).toEqual({
      subscriberId: 'sub-1',
      districtId: 'lincoln-usd',
    });
    const mailedAfter = signUnsubscribeToken({ subscriberId: 'sub-2' }, secrets.current);
    expect(verifyUnsubscribeToken(mailedAfter, [current ?? ''])).toEqual({ subscriberId: 'sub-2' });
    expect(verifyUnsubscribeToken(mailedAfter, [PREVIOUS])).toBeUndefined();
    // a link signed with the dropped secret no longer works
    expect(
      verifyUnsubscribeToken(signUnsubscribeToken({ subscriberId: 'sub-3' }, OLDER), secrets.accepted),
    ).toBe(undefined);
  });

  it('keeps as many previous secrets as --keep says, and leaves no temporary file behind', async () => {
    await writeFile(file, `${PREVIOUS}\n${OLDER}\n${OLDEST}\n`, { mode: 0o644 });

    const { code, stdout } = await rotate('--keep', '2', '--json');

    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toEqual({ file, kept: 2, dropped: 1 });
    const [current, ...rest] = await lines();
    expect(current).not.toBe(PREVIOUS);
    expect(rest).toEqual([PREVIOUS, OLDER]);
    // a file more open before is owner-only after
    expect((await stat(file)).mode & 0o777).toBe(0o600);
    expect(await readdir(dataDir)).toEqual(['unsubscribe-secret']);
  });

  it('retires every previous secret with --keep 0', async () => {
    await writeFile(file, `${PREVIOUS}\n${OLDER}\n`, { mode: 0o600 });

    const { code, stdout } = await rotate('--keep', '0');

    expect(code).toBe(0);
    expect(await lines()).toHaveLength(1);
    expect(stdout).toContain('links signed with a dropped one no longer work');
  });

  it('refuses a data dir where the local stack never started', async () => {
    const { code, stderr } = await rotate();

    expect(code).toBe(1);
    expect(
      stderr.startsWith(`error: no unsubscribe secret at ${file}: the local stack has never started`),
    ).toBe(true);
  });

  it('refuses a --keep that is not a whole number, as a usage error', async () => {
    await writeFile(file, `${PREVIOUS}\n`, { mode: 0o600 });

    const { code, stderr } = await rotate('--keep', '-1');

    expect(code).toBe(2);
    expect(stderr).toMatch(/--keep/);
    expect(await lines()).toEqual([PREVIOUS]);
  });
});
