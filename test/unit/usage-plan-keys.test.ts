/**
 * UsagePlanKeys against a stubbed API Gateway client: no emulator exists for API Gateway, so this checks the calls
 * it makes (the CDK tests check that the api function may make exactly those).
 */
import {
  APIGatewayClient,
  ConflictException,
  CreateApiKeyCommand,
  CreateUsagePlanKeyCommand,
  DeleteApiKeyCommand,
  GetApiKeysCommand,
  NotFoundException,
} from '@aws-sdk/client-api-gateway';
import { mockClient } from 'aws-sdk-client-mock';
import { beforeEach, describe, expect, it } from 'vitest';
import { UsagePlanKeys } from '../../shared/store/usage-plan';

const client = new APIGatewayClient({ region: 'us-east-2' });
const gateway = mockClient(client);
const conflict = () => new ConflictException({ message: 'API Key already exists', $metadata: {} });

beforeEach(() => gateway.reset());

describe('UsagePlanKeys', () => {
  it('registers a key: an enabled gateway key named after the key id, holding the usage key, on the plan', async () => {
    gateway.on(CreateApiKeyCommand).resolves({ id: 'gw-1' });
    gateway.on(CreateUsagePlanKeyCommand).resolves({});

    await new UsagePlanKeys('plan-1', client).register('0123456789abcdef', 'vpu-usage');

    expect(gateway.commandCalls(CreateApiKeyCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ name: 'vp-0123456789abcdef', value: 'vpu-usage', enabled: true }),
    ]);
    expect(gateway.commandCalls(CreateUsagePlanKeyCommand).map((call) => call.args[0].input)).toEqual([
      { usagePlanId: 'plan-1', keyId: 'gw-1', keyType: 'API_KEY' },
    ]);
  });

  it('reuses the gateway key of an earlier attempt, and a key already on the plan is fine', async () => {
    gateway.on(CreateApiKeyCommand).rejects(conflict());
    gateway.on(GetApiKeysCommand).resolves({
      items: [
        { id: 'gw-other', name: 'vp-0123456789abcdef0' },
        { id: 'gw-1', name: 'vp-0123456789abcdef' },
      ],
    });
    gateway.on(CreateUsagePlanKeyCommand).rejects(conflict());

    await new UsagePlanKeys('plan-1', client).register('0123456789abcdef', 'vpu-usage');

    expect(gateway.commandCalls(CreateUsagePlanKeyCommand)[0]?.args[0].input).toMatchObject({
      keyId: 'gw-1',
    });
  });

  it('removes the gateway key found by exact name, across pages', async () => {
    gateway
      .on(GetApiKeysCommand)
      .resolvesOnce({ items: [{ id: 'gw-longer', name: 'vp-0123456789abcdef-x' }], position: 'next' })
      .resolvesOnce({ items: [{ id: 'gw-1', name: 'vp-0123456789abcdef' }] });
    gateway.on(DeleteApiKeyCommand).resolves({});

    await new UsagePlanKeys('plan-1', client).remove('0123456789abcdef');

    expect(gateway.commandCalls(GetApiKeysCommand).map((call) => call.args[0].input)).toEqual([
      expect.objectContaining({ nameQuery: 'vp-0123456789abcdef', position: undefined }),
      expect.objectContaining({ nameQuery: 'vp-0123456789abcdef', position: 'next' }),
    ]);
    expect(gateway.commandCalls(DeleteApiKeyCommand).map((call) => call.args[0].input)).toEqual([
      { apiKey: 'gw-1' },
    ]);
  });

  it('removes nothing when no gateway key has the name, and tolerates one deleted meanwhile', async () => {
    gateway.on(GetApiKeysCommand).resolves({ items: [] });
    await new UsagePlanKeys('plan-1', client).remove('0123456789abcdef');
    expect(gateway.commandCalls(DeleteApiKeyCommand)).toHaveLength(0);

    gateway.on(GetApiKeysCommand).resolves({ items: [{ id: 'gw-1', name: 'vp-0123456789abcdef' }] });
    gateway.on(DeleteApiKeyCommand).rejects(new NotFoundException({ message: 'gone', $metadata: {} }));
    await expect(new UsagePlanKeys('plan-1', client).remove('0123456789abcdef')).resolves.toBeUndefined();
  });

  it('makes no call at all without a usage plan (the local stack)', async () => {
    const keys = new UsagePlanKeys(undefined, client);

    await keys.register('0123456789abcdef', 'vpu-usage');
    await keys.remove('0123456789abcdef');

    expect(gateway.calls()).toHaveLength(0);
  });

  it('passes on an error it cannot handle', async () => {
    gateway.on(CreateApiKeyCommand).rejects(new Error('throttled'));

    await expect(new UsagePlanKeys('plan-1', client).register('0123456789abcdef', 'vpu')).rejects.toThrow(
      'throttled',
    );
    expect(gateway.commandCalls(CreateUsagePlanKeyCommand)).toHaveLength(0);
  });
});
