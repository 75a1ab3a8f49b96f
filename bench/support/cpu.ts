/**
 * CPU time of a benchmark's processes: this one (the local stack, its functions, its emulator threads) and
 * DynamoDB Local's java, read from /proc. On a machine whose cores they share, CPU per event bounds the rate.
 */
import { readFile } from 'node:fs/promises';
import { availableParallelism } from 'node:os';

/** CPU time of the processes the run uses: this one (the stack, its emulator threads) and DynamoDB Local. */
export interface CpuSample {
  readonly nodeMs: number;
  readonly dynamoDbMs: number;
}

/** Clock ticks per second of /proc's CPU times (USER_HZ), 100 on Linux. */
const USER_HZ = 100;

export async function cpuNow(dynamoDbPid: number): Promise<CpuSample> {
  const { user, system } = process.cpuUsage();
  let dynamoDbMs = 0;
  try {
    // utime and stime are the 14th and 15th fields, counted after the command's closing parenthesis
    const fields = (await readFile(`/proc/${dynamoDbPid}/stat`, 'utf8')).split(') ')[1]?.split(' ') ?? [];
    dynamoDbMs = ((Number(fields[11]) + Number(fields[12])) * 1_000) / USER_HZ;
  } catch {
    // no /proc (not Linux): DynamoDB Local's share reads as 0
  }
  return { nodeMs: (user + system) / 1_000, dynamoDbMs };
}

/** The rate at which events of this CPU time each fill every core of this machine. */
export const cpuBoundRate = (cpuMsPerEvent: number) =>
  cpuMsPerEvent > 0 ? (availableParallelism() * 1_000) / cpuMsPerEvent : 0;

/** CPU ms per event (e-mail, request) between two samples. */
export function cpuPerEvent(before: CpuSample, after: CpuSample, events: number) {
  const node = (after.nodeMs - before.nodeMs) / Math.max(events, 1);
  const dynamoDb = (after.dynamoDbMs - before.dynamoDbMs) / Math.max(events, 1);
  return { node, dynamoDb, total: node + dynamoDb };
}
