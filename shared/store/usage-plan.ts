/**
 * The API Gateway side of an API key: its usage key, registered as an API Gateway API key on the stage's usage
 * plan, so that API Gateway throttles each key on its own (429). The key itself (secret hash, scope) lives in the
 * table (keys.ts); API Gateway only ever sees the usage key, which the authorizer hands back as
 * `usageIdentifierKey`. The gateway key is named after the key id, so it can be found again to delete it.
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

/**
 * One client per process, created at init; the api function is the one function that imports this module, and
 * captures the client for its traces (the ops CLI, which imports it too, traces nothing).
 */
export const apiGateway = new APIGatewayClient({});

/** GetApiKeys' largest page. */
const PAGE_SIZE = 500;

/** The name of a key's API Gateway key. */
const gatewayKeyName = (keyId: string) => `vp-${keyId}`;

export class UsagePlanKeys {
  /**
   * @param usagePlanId the stage's usage plan; undefined in the local stack, whose front door limits each usage
   *   key by itself, which makes every method a no-op
   * @param client @default a module singleton
   */
  constructor(
    private readonly usagePlanId: string | undefined,
    private readonly client: APIGatewayClient = apiGateway,
  ) {}

  /**
   * Registers a key's usage key on the plan: an enabled API Gateway key named `vp-<keyId>` whose value is the
   * usage key, added to the plan. Safe to retry after a partial failure: a gateway key that already holds this
   * value is reused, and one already on the plan is left as it is.
   */
  async register(keyId: string, usageKey: string): Promise<void> {
    const usagePlanId = this.usagePlanId;
    if (usagePlanId === undefined) return;
    const gatewayKeyId = await this.createGatewayKey(keyId, usageKey);
    try {
      await this.client.send(
        new CreateUsagePlanKeyCommand({ usagePlanId, keyId: gatewayKeyId, keyType: 'API_KEY' }),
      );
    } catch (error) {
      // already on the plan: a retry of a registration that got this far
      if (!(error instanceof ConflictException)) throw error;
    }
  }

  /** Deletes the API Gateway key named `vp-<keyId>` (which takes it off the plan); nothing to do when absent. */
  async remove(keyId: string): Promise<void> {
    if (this.usagePlanId === undefined) return;
    for (const gatewayKeyId of await this.gatewayKeyIds(keyId)) {
      try {
        await this.client.send(new DeleteApiKeyCommand({ apiKey: gatewayKeyId }));
      } catch (error) {
        // deleted in the meantime (a concurrent revocation): the outcome wanted
        if (!(error instanceof NotFoundException)) throw error;
      }
    }
  }

  /** Creates the gateway key, or finds the one a previous attempt created (values are unique in an account). */
  private async createGatewayKey(keyId: string, usageKey: string): Promise<string> {
    try {
      const created = await this.client.send(
        new CreateApiKeyCommand({
          name: gatewayKeyName(keyId),
          value: usageKey,
          enabled: true,
          description: 'Usage key of a Vision Progress API key (rate limiting only, not a credential)',
        }),
      );
      if (!created.id) throw new Error(`API Gateway created a key for ${keyId} without an id`);
      return created.id;
    } catch (error) {
      if (!(error instanceof ConflictException)) throw error;
      const [existing] = await this.gatewayKeyIds(keyId);
      if (existing === undefined) throw error;
      return existing;
    }
  }

  /** Ids of the gateway keys with exactly this key's name (the name query matches by prefix). */
  private async gatewayKeyIds(keyId: string): Promise<string[]> {
    const name = gatewayKeyName(keyId);
    const ids: string[] = [];
    let position: string | undefined;
    do {
      const page = await this.client.send(
        new GetApiKeysCommand({ nameQuery: name, includeValues: false, limit: PAGE_SIZE, position }),
      );
      for (const item of page.items ?? []) if (item.name === name && item.id) ids.push(item.id);
      position = page.position;
    } while (position);
    return ids;
  }
}
