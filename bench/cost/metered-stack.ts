/**
 * A bench stack (bench/support/stack.ts) whose every AWS request is counted: the functions' shared SDK clients,
 * the stack's relay and pollers, and the Lambda invocations. The functions run in this process, so their clients
 * are this process's module singletons; the counter's middleware is taken off them again at stop().
 */
import { setTimeout as delay } from 'node:timers/promises';
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { LOCAL_CREDENTIALS } from '../../infra/local/ports';
import { topology } from '../../infra/topology';
import { documentClientFor, dynamoDb } from '../../shared/runtime/clients';
import { ses } from '../../shared/runtime/ses';
import { sqs } from '../../shared/runtime/sqs';
import { ProgressStore } from '../../shared/store/progress';
import { type BenchStack, startBenchStack } from '../support/stack';
import { CostCounter } from './counter';

export interface MeteredStack extends BenchStack {
  readonly counter: CostCounter;
  /** An uncounted client on the stack's DynamoDB Local. */
  readonly probe: DynamoDBClient;
  /** A district's `eventsApplied`, read past the counter. */
  eventsApplied(districtId: string): Promise<number>;
  /** Resolves once the district has `events` applied; throws after `timeoutMs`. */
  waitForApplied(districtId: string, events: number, timeoutMs: number): Promise<void>;
  /** Resolves once no function has been invoked for `quietMs`: what a phase's set-up set off is done. */
  settle(quietMs?: number): Promise<void>;
}

export async function startMeteredStack(): Promise<MeteredStack> {
  const { table } = topology;
  const counter = new CostCounter();
  const stack = await startBenchStack({ observer: counter.observer() });
  const { info } = stack;
  const probe = new DynamoDBClient({
    region: info.state.aws.region,
    endpoint: info.endpoints.dynamoDb,
    credentials: LOCAL_CREDENTIALS,
  });
  counter.attachDynamoDb(dynamoDb, probe, {
    partitionKey: table.partitionKey,
    sortKey: table.sortKey,
    indexes: table.globalSecondaryIndexes,
  });
  counter.attachSqs(sqs, 'function');
  counter.attachSes(ses);
  const progress = new ProgressStore(info.table.tableName, documentClientFor(probe));
  const eventsApplied = async (districtId: string) =>
    (await progress.read(districtId, { minimumN: info.state.minimumN })).eventsApplied;

  return {
    info,
    counter,
    probe,
    eventsApplied,
    async waitForApplied(districtId, events, timeoutMs) {
      const deadline = Date.now() + timeoutMs;
      while ((await eventsApplied(districtId)) < events) {
        if (Date.now() > deadline) {
          throw new Error(`${districtId}: fewer than ${events} events applied after ${timeoutMs} ms`);
        }
        await delay(200);
      }
    },
    async settle(quietMs = 1_500) {
      const invocations = () =>
        Object.values(counter.snapshot().functions).reduce((sum, count) => sum + count.invocations, 0);
      let seen = invocations();
      let quietSince = Date.now();
      while (Date.now() - quietSince < quietMs) {
        await delay(250);
        const now = invocations();
        if (now !== seen) [seen, quietSince] = [now, Date.now()];
      }
    },
    async stop() {
      counter.detach();
      probe.destroy();
      await stack.stop();
    },
  };
}
