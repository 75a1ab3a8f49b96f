/**
 * The running local stack's table, for the commands that work on the table itself rather than through the API
 * (state keys, metrics rebuilds): where DynamoDB Local listens, which table holds the state, and errors that say
 * what to do when the stack is not there.
 */
import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import type { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { documentClientFor } from '../../shared/runtime/clients';
import { loadStateConfig } from '../config/index';
import { DEFAULT_PORTS, LOCAL_CREDENTIALS } from '../local/ports';
import { localNamePrefix } from '../local/resources';
import { OpsError } from './context';

/** Where the local stack's DynamoDB Local listens, and which state's table it holds. */
export interface LocalTableLocation {
  readonly endpoint: string;
  readonly stateCode: string;
}

/**
 * Runs `work` on the running local stack's table, turning a stack that is not there into an error that says
 * what to do.
 */
export async function withLocalTable<T>(
  location: LocalTableLocation,
  work: (tableName: string, client: DynamoDBDocumentClient) => Promise<T>,
): Promise<T> {
  const state = loadStateConfig(location.stateCode);
  const tableName = localNamePrefix(state);
  const client = new DynamoDBClient({
    region: state.aws.region,
    endpoint: location.endpoint,
    credentials: LOCAL_CREDENTIALS,
    // a stopped stack is refused at once: retrying a closed port only delays the message
    maxAttempts: 1,
  });
  try {
    return await work(tableName, documentClientFor(client));
  } catch (error) {
    throw localStoreError(error, location.endpoint, tableName);
  } finally {
    client.destroy();
  }
}

/** DynamoDB Local of a local stack started with the usual ports (DYNAMODB_PORT as `npm start` reads it). */
export function defaultLocalEndpoint(env: NodeJS.ProcessEnv): string {
  return `http://127.0.0.1:${env.DYNAMODB_PORT || DEFAULT_PORTS.dynamoDb}`;
}

function localStoreError(error: unknown, endpoint: string, tableName: string): unknown {
  if (!(error instanceof Error)) return error;
  if (error.name === 'ResourceNotFoundException') {
    return new OpsError(
      `DynamoDB Local at ${endpoint} has no table ${tableName}: pass --local-state with the state the local ` +
        'stack runs (npm start -- --state <code>)',
      { cause: error },
    );
  }
  const code = 'code' in error ? error.code : undefined;
  if (code === 'ECONNREFUSED' || code === 'ECONNRESET') {
    return new OpsError(
      `cannot reach DynamoDB Local at ${endpoint}: is the local stack running? Start it with \`npm start\`, ` +
        'or pass --dynamodb-endpoint with the DynamoDB Local URL it printed.',
      { cause: error },
    );
  }
  return error;
}
