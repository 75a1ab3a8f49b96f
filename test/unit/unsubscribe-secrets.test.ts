/**
 * Where the unsubscribe secrets come from. The file source runs on a real file; the Secrets Manager source runs
 * on a recorded client (no Secrets Manager emulator runs here), which answers AWSCURRENT and AWSPREVIOUS the
 * way Secrets Manager does, a never-rotated secret included.
 */
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  GetSecretValueCommand,
  ResourceNotFoundException,
  SecretsManagerClient,
} from '@aws-sdk/client-secrets-manager';
import { mockClient } from 'aws-sdk-client-mock';
import { afterEach, describe, expect, it } from 'vitest';
import { unsubscribeLink } from '../../shared/domain/unsubscribe-token';
import { secretsFromFile, secretsFromSecretsManager } from '../../shared/runtime/unsubscribe-secrets';

const ARN = 'arn:aws:secretsmanager:us-east-2:123456789012:secret:VisionProgress-OH-unsubscribe-AbCdEf';
const CURRENT = 'c'.repeat(64);
const PREVIOUS = 'p'.repeat(64);

describe('secretsFromFile', () => {
  let dir: string | undefined;
  afterEach(async () => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it('signs with the first line and accepts every line', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vp-secret-'));
    const file = join(dir, 'unsubscribe-secret');
    await writeFile(file, `${CURRENT}\n\n  ${PREVIOUS}  \n`);
    expect(await secretsFromFile(file)()).toEqual({ current: CURRENT, accepted: [CURRENT, PREVIOUS] });
  });

  it('refuses an empty file', async () => {
    dir = await mkdtemp(join(tmpdir(), 'vp-secret-'));
    const file = join(dir, 'unsubscribe-secret');
    await writeFile(file, '\n');
    await expect(secretsFromFile(file)()).rejects.toThrow('holds no secret');
  });
});

describe('secretsFromSecretsManager', () => {
  const client = new SecretsManagerClient({ region: 'us-east-2' });
  const secrets = mockClient(client);
  afterEach(() => secrets.reset());
  const calls = () => secrets.commandCalls(GetSecretValueCommand).length;
  const rotated = () =>
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: CURRENT })
      .on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' })
      .resolves({ SecretString: PREVIOUS });

  it('verifies with AWSCURRENT and AWSPREVIOUS after a rotation, read once per five minutes', async () => {
    rotated();
    let now = 0;
    const source = secretsFromSecretsManager(ARN, 'verify', client, () => now);
    expect(await source()).toEqual({ current: CURRENT, accepted: [CURRENT, PREVIOUS] });
    now = 299_000;
    await source();
    expect(calls()).toBe(2);
    now = 300_000;
    await source();
    expect(calls()).toBe(4);
  });

  it('signs with AWSCURRENT and reads nothing else', async () => {
    rotated();
    expect(await secretsFromSecretsManager(ARN, 'sign', client)()).toEqual({
      current: CURRENT,
      accepted: [CURRENT],
    });
    expect(calls()).toBe(1);
  });

  it('keeps that a secret never rotated has no AWSPREVIOUS, instead of asking on every call', async () => {
    secrets
      .on(GetSecretValueCommand, { SecretId: ARN })
      .resolves({ SecretString: CURRENT })
      .on(GetSecretValueCommand, { SecretId: ARN, VersionStage: 'AWSPREVIOUS' })
      .rejects(new ResourceNotFoundException({ message: 'no AWSPREVIOUS', $metadata: {} }));
    const source = secretsFromSecretsManager(ARN, 'verify', client);
    expect(await source()).toEqual({ current: CURRENT, accepted: [CURRENT] });
    await source();
    await source();
    expect(calls()).toBe(2);
  });

  it('serves the values read last while Secrets Manager throttles or is unreachable', async () => {
    rotated();
    let now = 0;
    const source = secretsFromSecretsManager(ARN, 'verify', client, () => now);
    await source();
    secrets.reset();
    secrets.on(GetSecretValueCommand).rejects(new Error('ThrottlingException'));
    now = 600_000;
    expect(await source()).toEqual({ current: CURRENT, accepted: [CURRENT, PREVIOUS] });
  });

  it('fails when the current secret was never read', async () => {
    secrets.on(GetSecretValueCommand).rejects(new Error('AccessDeniedException'));
    await expect(secretsFromSecretsManager(ARN, 'sign', client)()).rejects.toThrow('AccessDeniedException');
  });
});

describe('unsubscribeLink', () => {
  it('points at /v1/unsubscribe under the base URL, with or without its trailing slash', () => {
    expect(unsubscribeLink('https://api.example.gov/oh', 'a.b')).toBe(
      'https://api.example.gov/oh/v1/unsubscribe?token=a.b',
    );
    expect(unsubscribeLink('https://api.example.gov/', 'a.b')).toBe(
      'https://api.example.gov/v1/unsubscribe?token=a.b',
    );
    expect(unsubscribeLink('https://api.example.gov')).toBe('https://api.example.gov/v1/unsubscribe');
  });
});
