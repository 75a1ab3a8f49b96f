/**
 * Which code applies a change of each item type to the progress aggregates. The relay only forwards the types
 * of `topology.streamRelay.itemTypes`; a change of a type with no applier fails its record, so it is retried
 * and then kept in the dead-letter queue rather than silently dropped.
 */
import type { TableChange } from '../../shared/store/changes';

export type Applier = (change: TableChange) => Promise<void>;

/** Appliers by item type; the progress metrics register theirs here. */
export const appliers: ReadonlyMap<string, Applier> = new Map<string, Applier>();

export class UnappliedChangeError extends Error {
  override readonly name = 'UnappliedChangeError';
}

export async function applyChange(change: TableChange, registry: ReadonlyMap<string, Applier> = appliers) {
  const apply = change.itemType === undefined ? undefined : registry.get(change.itemType);
  if (!apply) throw new UnappliedChangeError(`no applier for item type ${String(change.itemType)}`);
  await apply(change);
}
