/**
 * TCP ports of the local stack: probed before anything starts, so that a taken port fails fast with its name and
 * owner instead of a half-started stack and a stack trace from deep inside an emulator.
 */
import { createServer } from 'node:net';

/** Ports of the fixed local contract and the emulators' usual ones. */
export const DEFAULT_PORTS = { api: 3000, dynamoDb: 8000, sqs: 4566, ses: 8005 } as const;

/** Credentials that the SDK needs to sign requests to the emulators, which accept any. */
export const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

/** Every listener of the local stack binds here: nothing is reachable from other machines by our choice. */
export const LOOPBACK = '127.0.0.1';

/** A port the stack wants, and what wants it (named in the error when it is taken). */
export interface PortClaim {
  readonly port: number;
  readonly purpose: string;
  /** The environment variable or flag that moves it, for the error message. */
  readonly override?: string;
}

/** Thrown when a port the stack needs is already in use. */
export class PortInUseError extends Error {
  override readonly name = 'PortInUseError';
  constructor(readonly claim: PortClaim) {
    super(
      `port ${claim.port} (${claim.purpose}) is already in use` +
        (claim.override ? `: stop what holds it or set ${claim.override}` : ''),
    );
  }
}

/** Whether nothing listens on the port at 127.0.0.1 (tried by binding it, then releasing it). */
function isPortFree(port: number, host: string = LOOPBACK): Promise<boolean> {
  return new Promise((resolve) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', () => resolve(false));
    probe.listen({ port, host, exclusive: true }, () => {
      probe.close(() => resolve(true));
    });
  });
}

/** A port that was free a moment ago, chosen by the OS; for tests and for `0` in options. */
export function findFreePort(host: string = LOOPBACK): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer();
    probe.unref();
    probe.once('error', reject);
    probe.listen({ port: 0, host, exclusive: true }, () => {
      const address = probe.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      probe.close(() => (port > 0 ? resolve(port) : reject(new Error('the OS assigned no port'))));
    });
  });
}

/** Throws PortInUseError for the first claimed port that is taken; claims are checked in order. */
export async function assertPortsFree(claims: readonly PortClaim[]): Promise<void> {
  for (const claim of claims) {
    if (!(await isPortFree(claim.port))) throw new PortInUseError(claim);
  }
}
