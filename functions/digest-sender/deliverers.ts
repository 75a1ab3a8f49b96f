/**
 * Who delivers a digest job of each scope: a district's digest or the state roll-up. A job of a scope with no
 * deliverer fails its record, so it is retried and then kept in the dead-letter queue, never silently dropped.
 */
import type { DigestJob } from '../../shared/contract/digest-job';

export type DigestScope = 'district' | 'state';
export type Deliverer = (job: DigestJob) => Promise<void>;

/** Deliverers by scope; the digest e-mails register theirs here. */
export const deliverers: ReadonlyMap<DigestScope, Deliverer> = new Map<DigestScope, Deliverer>();

export class UndeliverableDigestError extends Error {
  override readonly name = 'UndeliverableDigestError';
}

export async function deliverDigest(
  job: DigestJob,
  registry: ReadonlyMap<DigestScope, Deliverer> = deliverers,
) {
  const scope: DigestScope = job.districtId === undefined ? 'state' : 'district';
  const deliver = registry.get(scope);
  if (!deliver) throw new UndeliverableDigestError(`no deliverer for ${scope} digests`);
  await deliver(job);
}
