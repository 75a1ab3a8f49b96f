/**
 * fauxqs in a worker thread of its own (infra/local/emulators.ts starts it). fauxqs writes every message's
 * insert, receive and delete to SQLite synchronously: on the local stack's event loop those writes would hold up
 * every function the stack runs. Plain erasable TypeScript with nothing but packages imported, so that Node runs
 * it as it is, with or without the loader of the process that starts it.
 *
 * Protocol: workerData `{ port, dataDir? }` (no dataDir: in memory); posts `{ ready: port }` once fauxqs listens, or `{ failed: message }`;
 * on the message `'stop'` it stops fauxqs and posts `{ stopped: true }`.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { startFauxqs } from 'fauxqs';

const { port, dataDir } = workerData as { port: number; dataDir?: string };
const parent = parentPort;
if (!parent) throw new Error('the SQS emulator thread runs in a worker thread');

try {
  const server = await startFauxqs({ port, logger: false, ...(dataDir === undefined ? {} : { dataDir }) });
  parent.on('message', async (message: unknown) => {
    if (message !== 'stop') return;
    await server.stop();
    parent.postMessage({ stopped: true });
    parent.close();
  });
  parent.postMessage({ ready: server.port });
} catch (error) {
  parent.postMessage({ failed: error instanceof Error ? error.message : String(error) });
  parent.close();
}
