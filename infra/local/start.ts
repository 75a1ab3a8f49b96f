/**
 * `npm start`: runs the local stack until Ctrl-C.
 *
 *   npm start [-- --fresh] [-- --state XX] [-- --port 3000]
 *
 * Environment: PORT (API), DYNAMODB_PORT, SQS_PORT, SES_PORT (emulators), VP_LOCAL_DIR (data dir, default
 * `.local/`). A problem that stops the start (no java, a taken port, a bad flag) is one line on stderr and exit 1.
 */
import { parseArgs } from 'node:util';
import { LocalStack, type LocalStackInfo } from './local-stack';
import { DEFAULT_PORTS } from './ports';

/** How long a clean stop may take before the process exits anyway (its exit hook still kills java). */
const STOP_DEADLINE_MS = 20_000;

class UsageError extends Error {
  override readonly name = 'UsageError';
}

function portFrom(value: string | undefined, name: string, fallback: number): number {
  if (value === undefined || value === '') return fallback;
  const port = Number(value);
  if (!Number.isInteger(port) || port < 0 || port > 65_535)
    throw new UsageError(`${name} must be a port number, not "${value}"`);
  return port;
}

function options() {
  const { values } = parseArgs({
    options: {
      fresh: { type: 'boolean', default: false },
      state: { type: 'string', default: 'XX' },
      port: { type: 'string' },
    },
    strict: true,
    allowPositionals: false,
  });
  return {
    fresh: values.fresh,
    state: values.state,
    port: portFrom(values.port ?? process.env.PORT, values.port ? '--port' : 'PORT', DEFAULT_PORTS.api),
    ports: {
      dynamoDb: portFrom(process.env.DYNAMODB_PORT, 'DYNAMODB_PORT', DEFAULT_PORTS.dynamoDb),
      sqs: portFrom(process.env.SQS_PORT, 'SQS_PORT', DEFAULT_PORTS.sqs),
      ses: portFrom(process.env.SES_PORT, 'SES_PORT', DEFAULT_PORTS.ses),
    },
  };
}

/** The one block printed when everything is up. */
function readyBlock(info: LocalStackInfo): string {
  const rows: [string, string][] = [
    ['API', info.apiUrl],
    ['health', `${info.apiUrl}/v1/health`],
    ['OpenAPI', `${info.apiUrl}/openapi.json`],
    ['DynamoDB Local', `${info.endpoints.dynamoDb}  (table ${info.table.tableName})`],
    ['SQS emulator', info.endpoints.sqs],
    ['SES emulator', info.endpoints.ses],
    ['sent mail', info.endpoints.sesStore],
    ['data dir', info.dataDir],
    ['credentials', info.credentialsFile],
    ['unsubscribe secret', info.layout.unsubscribeSecret],
  ];
  for (const [name, next] of Object.entries(info.nextSchedules)) {
    rows.push([`schedule ${name}`, next ? `next ${next.toISOString()}` : 'does not fire again']);
  }
  const width = Math.max(...rows.map(([name]) => name.length));
  return [
    '',
    `Vision Progress local stack is ready: state ${info.state.stateCode} (${info.state.name}, ${info.state.timezone})`,
    ...rows.map(([name, value]) => `  ${name.padEnd(width)}  ${value}`),
    'Ctrl-C to stop',
    '',
  ].join('\n');
}

function fail(error: unknown): never {
  const message = error instanceof Error ? error.message : String(error);
  // one line, whatever the error: a multi-line message (a config's list of bad fields) is joined
  process.stderr.write(`npm start: ${message.replace(/\s*\n\s*/g, '; ').trim()}\n`);
  process.exit(1);
}

async function main(): Promise<void> {
  let parsed: ReturnType<typeof options>;
  try {
    parsed = options();
  } catch (error) {
    fail(error);
  }
  const stack = new LocalStack();
  let stopping = false;
  const shutdown = (signal: NodeJS.Signals) => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the local stack\n`);
    const deadline = setTimeout(() => {
      process.stderr.write('npm start: the local stack did not stop in time\n');
      process.exit(1);
    }, STOP_DEADLINE_MS);
    stack.stop().then(
      () => {
        clearTimeout(deadline);
        process.stdout.write('stopped\n');
        process.exit(0);
      },
      (error: unknown) => {
        clearTimeout(deadline);
        fail(error);
      },
    );
  };
  // registered before the start, so that Ctrl-C during a slow start still stops what has started
  process.on('SIGINT', shutdown);
  process.on('SIGTERM', shutdown);

  let info: LocalStackInfo;
  try {
    info = await stack.start(parsed);
  } catch (error) {
    if (stopping) return;
    fail(error);
  }
  if (stopping) return;
  process.stdout.write(readyBlock(info));
}

await main();
